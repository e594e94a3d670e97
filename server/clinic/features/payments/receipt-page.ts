/**
 * The printable desk receipt (PT-PT): one self-contained HTML page sized for an 80 mm receipt printer
 * under `@media print` (72 mm printable width) that also prints fine on A4 and reads well on screen.
 * It is a receipt of money received, not an invoice ("Recibo — não substitui a fatura"); a voided
 * payment's receipt says ANULADO. Every value is escaped by hono/html; the only script is the Print
 * button's, allowed by its hash in the page's Content-Security-Policy.
 */
import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import { formatEuros } from '../../../domain/money.ts';
import { CLINIC_TZ } from '../../../domain/time.ts';
import type { PaymentMethod } from './repo.ts';
import type { ReceiptData } from './service.ts';

/** How a method is printed. */
export const METHOD_LABEL_PT: Record<PaymentMethod, string> = {
  cash: 'Numerário',
  card: 'Multibanco (TPA)',
};

const PRINT_SCRIPT =
  "document.getElementById('print').addEventListener('click', function () { window.print(); });";

/**
 * The receipt page's CSP: nothing but its own inline style and the Print button's script (by hash);
 * framing by the desk (same origin) is allowed so the desk can print it from a hidden frame.
 */
export const RECEIPT_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${createHash('sha256').update(PRINT_SCRIPT).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

const dateTime = new Intl.DateTimeFormat('pt-PT', {
  timeZone: CLINIC_TZ,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant as '21/11/2026, 10:00' in Lisbon time. */
const lisbon = (iso: string) => dateTime.format(new Date(iso));

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; padding: 1.5rem; background: #f2f4f7; color: #101828;
    font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
  .receipt { max-width: 26rem; margin: 0 auto; padding: 1.25rem 1.25rem 1rem; background: #fff;
    border: 1px solid #d0d5dd; border-radius: 8px; }
  h1 { margin: 0; font-size: 1.15rem; }
  .clinic p { margin: 0.1rem 0 0; }
  .title { margin: 1rem 0 0.25rem; font-size: 1.05rem; text-transform: uppercase; letter-spacing: 0.04em; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 0.75rem; margin: 0.75rem 0; }
  dt { color: #475467; }
  dd { margin: 0; font-weight: 600; text-align: right; overflow-wrap: anywhere; }
  .amount { font-size: 1.35rem; }
  hr { border: 0; border-top: 1px dashed #98a2b3; margin: 0.75rem 0; }
  .void { margin: 0.75rem 0; padding: 0.5rem; border: 3px solid #b42318; color: #b42318;
    text-align: center; font-size: 1.6rem; font-weight: 800; letter-spacing: 0.2em; }
  .void small { display: block; font-size: 0.8rem; letter-spacing: 0; font-weight: 600; }
  .note { margin: 0.75rem 0 0; text-align: center; font-weight: 700; }
  .actions { max-width: 26rem; margin: 1rem auto 0; text-align: center; }
  button { font: inherit; font-weight: 700; padding: 0.6rem 1.5rem; border-radius: 8px; cursor: pointer;
    border: 1px solid #1849a9; background: #175cd3; color: #fff; min-height: 44px; }
  button:focus-visible { outline: 3px solid #101828; outline-offset: 2px; }
  @media print {
    @page { margin: 4mm; }
    body { padding: 0; background: #fff; font-size: 11pt; }
    .receipt { width: 72mm; max-width: 72mm; margin: 0; padding: 0; border: 0; border-radius: 0; }
    .actions { display: none; }
  }
`;

// Built as raw strings, outside the html`` template: the CSP hash covers the script's exact text.
const STYLE_TAG = raw(`<style>${STYLE}</style>`);
const SCRIPT_TAG = raw(`<script>${PRINT_SCRIPT}</script>`);

/** The receipt page of `data` (HTML document, PT-PT). */
export function receiptPage(data: ReceiptData) {
  const { clinic, payment, appointment } = data;
  const voided = payment.voidedAt !== null;
  return html`<!doctype html>
    <html lang="pt-PT">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Recibo ${payment.receiptNumber}${voided ? ' (ANULADO)' : ''} — ${clinic.name}</title>
        ${STYLE_TAG}
      </head>
      <body>
        <main class="receipt" data-testid="receipt">
          <header class="clinic">
            <h1>${clinic.name}</h1>
            ${clinic.address ? html`<p>${clinic.address}</p>` : ''}
            ${clinic.nif ? html`<p>NIF ${clinic.nif}</p>` : ''}
          </header>
          <p class="title">Recibo <span data-testid="receipt-number">${payment.receiptNumber}</span></p>
          ${
            voided
              ? html`<p class="void" data-testid="receipt-void">
                  ANULADO<small>${lisbon(payment.voidedAt!)} — ${payment.voidReason ?? ''}</small>
                </p>`
              : ''
          }
          <dl>
            <dt>Data</dt>
            <dd>${lisbon(payment.receivedAt)}</dd>
            <dt>Utente</dt>
            <dd>${appointment.patient.fullName}</dd>
            <dt>Especialidade</dt>
            <dd>${appointment.specialty.namePt}</dd>
            <dt>Profissional</dt>
            <dd>${appointment.practitioner.displayName}</dd>
            <dt>Marcação</dt>
            <dd>${lisbon(appointment.startsAt)}</dd>
          </dl>
          <hr />
          <dl>
            <dt>Valor</dt>
            <dd class="amount" data-testid="receipt-amount">${formatEuros(payment.amountCents, 'pt')}</dd>
            <dt>Pagamento</dt>
            <dd>${METHOD_LABEL_PT[payment.method]}</dd>
          </dl>
          <hr />
          <p class="note">Recibo — não substitui a fatura</p>
        </main>
        <div class="actions">
          <button type="button" id="print">Imprimir</button>
        </div>
        ${SCRIPT_TAG}
      </body>
    </html>`;
}
