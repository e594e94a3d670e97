/**
 * Turns an outbox row into the SMS text or email it sends, at send time and in the account's language
 * (PT-PT formal or English). A row whose reason is gone renders to null and is cancelled, not sent:
 * a payment link for an order no longer pending, a reminder for an appointment no longer live or moved.
 *
 * Kinds and payloads:
 * - `pay_link`    `{ orderId, url }`        SMS or email with the payment page link;
 * - `invoice`     `{ invoiceId }`           email with the invoice PDF attached;
 * - `credit_note` `{ invoiceId }`           email with the credit note PDF attached;
 * - `reminder`    `{ appointmentId, startsAt, hours, confirmUrl, cancelUrl }` SMS or email.
 */
import { formatEuros } from '../../domain/money.ts';
import { eq } from 'drizzle-orm';
import { appointments, clinics, orders, practitioners, accounts } from '../db/schema.ts';
import type { CentralDeps } from '../deps.ts';
import { renderMail } from '../mail/templates.ts';
import { documentOf, invoiceById, invoicePdf } from '../features/payments/invoicing.ts';
import { loadOrder } from '../features/payments/orders.ts';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../domain/specialties.ts';
import type { MessageRow, Rendered } from './outbox.ts';

type Locale = 'pt' | 'en';

/** '45,00 €' (PT) / '€45.00' (EN), with plain spaces (an SMS has no use for no-break spaces). */
export function euros(cents: number, locale: Locale): string {
  return formatEuros(cents, locale).replace(/[\u00a0\u202f]/g, ' ');
}

/** Short date and time in Lisbon: '12/12, 10:00'. */
export function shortWhen(at: Date, locale: Locale): string {
  const f = new Intl.DateTimeFormat(locale === 'pt' ? 'pt-PT' : 'en-GB', {
    timeZone: 'Europe/Lisbon',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return f.format(at);
}

async function accountLocale(deps: CentralDeps, accountId: string | null): Promise<Locale> {
  if (!accountId) return 'pt';
  const [row] = await deps.db
    .select({ locale: accounts.locale })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return (row?.locale as Locale | undefined) ?? 'pt';
}

/** The renderer of the outbox (see the module docstring for kinds). */
export async function renderMessage(deps: CentralDeps, row: MessageRow): Promise<Rendered> {
  const locale = await accountLocale(deps, row.accountId);
  const pt = locale === 'pt';
  switch (row.kind) {
    case 'pay_link': {
      const { orderId, url } = row.payload as { orderId: string; url: string };
      const ctx = await loadOrder(deps.db, orderId);
      if (!ctx || ctx.order.status !== 'pending') return null;
      const amount = euros(ctx.order.amountCents, locale);
      const when = shortWhen(ctx.appointment.startsAt, locale);
      const atClinic = ctx.appointment.paymentMode === 'pay_at_clinic';
      if (row.channel === 'sms') {
        const head = `${ctx.clinic.name}: ${pt ? 'consulta' : 'appointment'} ${when} (${ctx.appointment.bookingCode}).`;
        return {
          sms: atClinic
            ? pt
              ? `${head} Pode pagar já ${amount} em ${url} ou na receção.`
              : `${head} Pay ${amount} now at ${url} or at the desk.`
            : pt
              ? `${head} Pague ${amount} em ${url}`
              : `${head} Pay ${amount} at ${url}`,
        };
      }
      const mail = renderMail({
        locale,
        title: pt ? 'Pagamento da consulta' : 'Paying for your appointment',
        paragraphs: [
          pt
            ? `A sua consulta em ${ctx.clinic.name}, ${when}, tem o valor de ${amount}.`
            : `Your appointment at ${ctx.clinic.name}, ${when}, costs ${amount}.`,
          pt
            ? 'Pode pagar por Multibanco ou MB WAY na página de pagamento; a fatura segue por e-mail.'
            : 'You can pay by Multibanco or MB WAY on the payment page; the invoice follows by email.',
        ],
        action: { label: pt ? 'Pagar agora' : 'Pay now', url },
      });
      return { email: mail };
    }
    case 'invoice':
    case 'credit_note': {
      const { invoiceId } = row.payload as { invoiceId: string };
      const inv = await invoiceById(deps.db, invoiceId);
      if (!inv) return null;
      const doc = documentOf(inv);
      const pdf = await invoicePdf(deps, inv);
      const credit = inv.kind === 'credit_note';
      const mail = renderMail({
        locale,
        title: credit
          ? pt
            ? `Nota de crédito ${inv.number}`
            : `Credit note ${inv.number}`
          : pt
            ? `Fatura ${inv.number}`
            : `Invoice ${inv.number}`,
        paragraphs: [
          credit
            ? pt
              ? `Enviamos em anexo a nota de crédito ${inv.number}, que anula a fatura ${doc.refersTo}, no valor de ${euros(inv.totalCents, locale)}.`
              : `Attached is credit note ${inv.number}, cancelling invoice ${doc.refersTo}, for ${euros(inv.totalCents, locale)}.`
            : pt
              ? `Obrigado. Recebemos o seu pagamento de ${euros(inv.totalCents, locale)}. Enviamos em anexo a fatura-recibo ${inv.number}.`
              : `Thank you. We received your payment of ${euros(inv.totalCents, locale)}. Your invoice-receipt ${inv.number} is attached.`,
          ...(deps.invoicing.name === 'builtin'
            ? [
                pt
                  ? 'Documento emitido por software não certificado pela AT (modo de demonstração).'
                  : 'Issued by software not certified by the Portuguese Tax Authority (demo mode).',
              ]
            : []),
        ],
      });
      const file = `${credit ? 'nota-credito' : 'fatura'}-${inv.number.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`;
      return {
        email: { ...mail, attachments: [{ filename: file, content: pdf, contentType: 'application/pdf' }] },
      };
    }
    case 'reminder': {
      const p = row.payload as {
        appointmentId: string;
        startsAt: string;
        hours: number;
        confirmUrl: string;
        cancelUrl: string;
      };
      const [a] = await deps.db
        .select({
          a: appointments,
          clinicName: clinics.name,
          clinicAddress: clinics.address,
          practitionerName: practitioners.displayName,
        })
        .from(appointments)
        .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
        .innerJoin(practitioners, eq(practitioners.id, appointments.practitionerId))
        .where(eq(appointments.id, p.appointmentId));
      if (!a) return null;
      const live = a.a.status === 'confirmed' || a.a.status === 'awaiting_payment';
      if (!live || a.a.startsAt.toISOString() !== p.startsAt || a.a.startsAt.getTime() <= deps.now())
        return null;
      const when = shortWhen(a.a.startsAt, locale);
      const names = SPECIALTY_DEFAULTS[a.a.specialty as SpecialtyCode];
      const service = pt ? names.namePt : names.nameEn;
      if (row.channel === 'sms') {
        return {
          sms: pt
            ? `${a.clinicName}: lembrete da consulta ${when}, código ${a.a.bookingCode}. Confirmar: ${p.confirmUrl} Cancelar: ${p.cancelUrl}`
            : `${a.clinicName}: reminder, appointment ${when}, code ${a.a.bookingCode}. Confirm: ${p.confirmUrl} Cancel: ${p.cancelUrl}`,
        };
      }
      const [o] = await deps.db
        .select({ status: orders.status })
        .from(orders)
        .where(eq(orders.appointmentId, a.a.id));
      return {
        email: renderMail({
          locale,
          title: pt ? 'Lembrete da sua consulta' : 'Appointment reminder',
          paragraphs: [
            pt
              ? `${service} com ${a.practitionerName}, ${when}, em ${a.clinicName} (${a.clinicAddress}).`
              : `${service} with ${a.practitionerName}, ${when}, at ${a.clinicName} (${a.clinicAddress}).`,
            pt
              ? `Código da marcação: ${a.a.bookingCode}. À chegada, faça o check-in no quiosque com este código.`
              : `Booking code: ${a.a.bookingCode}. On arrival, check in at the kiosk with this code.`,
            ...(o?.status === 'pending' && a.a.status === 'awaiting_payment'
              ? [pt ? 'O pagamento ainda está pendente.' : 'Payment is still pending.']
              : []),
          ],
          action: { label: pt ? 'Confirmar presença' : 'Confirm attendance', url: p.confirmUrl },
          links: [{ label: pt ? 'Não posso ir: cancelar' : "I can't come: cancel", url: p.cancelUrl }],
        }),
      };
    }
    default:
      throw new Error(`no renderer for message kind ${row.kind}`);
  }
}
