/**
 * The payment sandbox's pages (sandbox.ts): where a developer or an end-to-end test plays the bank and
 * the patient's phone. Mounted at '/' by the central API only while the sandbox provider is active and
 * only when listening on loopback. Plain HTML, no script (strict CSP, like the dev mailbox), bilingual
 * EN / PT-PT.
 * - `GET  /dev/payments`: requests newest first. A pending Multibanco reference or link shows entity,
 *   reference ('123 456 789'), amount ('12,50 €'), expiry and a "Pay / Pagar" form; a pending MB WAY
 *   request shows the masked phone and when its window ends, with "Accept / Aceitar" and "Reject /
 *   Recusar". Each form has a "Faults / Falhas" `<details>`; then the delivery log with HTTP statuses.
 *   `?auto=1` reloads every 5 s (meta refresh); `?error=<code>` shows why the last action was refused.
 * - `POST /dev/payments/:requestId/pay | /accept | /reject | /expire`: form posts (x-www-form-urlencoded; fault
 *   fields `duplicate`, `delaySeconds`, `wrongKey`, `wrongAmount` (euros), `drop`, `stale`), then 303 to
 *   /dev/payments (with `?error=` when refused). A post from another origin (Origin header) gets 403.
 * - `GET  /dev/payments/link/:requestId`: the hosted page of a payment link; its form posts to
 *   `/pay` with `from=link`, which then 303s to the link's returnUrl (or back to the hosted page).
 * - `GET  /dev/payments/requests.json`: `{ requests: SandboxRequestView[], deliveries: SandboxDelivery[] }`.
 */
import { crossSiteFormPost } from '../http/auth.ts';
import { Hono, type Context } from 'hono';
import { formatEuros, parseEuros } from '../../domain/money.ts';
import { formatMultibancoReference } from '../../domain/payments/multibanco.ts';
import { escapeHtml } from '../mail/templates.ts';
import {
  SandboxError,
  type SandboxDelivery,
  type SandboxFaults,
  type SandboxProvider,
  type SandboxRequestView,
} from './sandbox.ts';

const CSP_BASE = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";
const CSP = `${CSP_BASE}; form-action 'self'`;

const STATUS_TEXT: Record<SandboxRequestView['status'], string> = {
  pending: 'Pending / Pendente',
  paid: 'Paid / Pago',
  rejected: 'Rejected / Recusado',
  expired: 'Expired / Expirado',
};

const METHOD_TEXT: Record<SandboxRequestView['method'], string> = {
  multibanco: 'Multibanco',
  mbway: 'MB WAY',
  link: 'Payment link / Link de pagamento',
};

/** Bilingual texts of the `?error=` codes an action can come back with. */
const ERROR_TEXT: Record<string, string> = {
  sandbox_request_not_found: 'No such request. / Pedido inexistente.',
  sandbox_not_payable: 'This request is no longer pending. / Este pedido já não está pendente.',
  sandbox_wrong_method: 'Wrong action for this method. / Ação errada para este método.',
  faults_invalid:
    'Invalid faults: delay 0–600 s, amount like 12,50. / Falhas inválidas: atraso 0–600 s, valor como 12,50.',
};

const STYLE = `body{font-family:system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#1f2933;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:0 0 .5rem}h3{font-size:1rem;margin:1.5rem 0 .5rem}
ol.requests{list-style:none;padding:0}ol.requests>li{border:1px solid #9aa5b1;border-radius:6px;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0 0 .5rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.ref{font-family:ui-monospace,monospace;font-size:1.1rem}details{margin:.5rem 0}details div{margin:.3rem 0}
button,.toggle{font-size:1rem;padding:.4rem .9rem;margin-right:.5rem}input[type=text],input[type=number]{font-size:1rem;width:8rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #9aa5b1;padding:.25rem .5rem;text-align:left;font-size:.9rem;overflow-wrap:anywhere}
.alert{border:2px solid #b42318;padding:.5rem 1rem;border-radius:6px;color:#7a1a12}
a{color:#0b4f94}:focus-visible{outline:3px solid #0b4f94;outline-offset:2px}`;

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${head}<title>${title}</title>
<style>
${STYLE}
</style></head>
<body>${body}</body></html>
`;
}

function time(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time>`;
}

/** The fault inputs of one request's form; ids are unique per request. */
function faultsFieldset(id: string): string {
  const f = (name: string) => `f-${id}-${name}`;
  return (
    `<details><summary>Faults / Falhas</summary>` +
    `<div><input type="checkbox" id="${f('dup')}" name="duplicate" value="1"> <label for="${f('dup')}">Deliver twice / Entregar duas vezes</label></div>` +
    `<div><label for="${f('delay')}">Delay (seconds) / Atraso (segundos)</label> <input type="number" id="${f('delay')}" name="delaySeconds" min="0" max="600" step="1" inputmode="numeric"></div>` +
    `<div><input type="checkbox" id="${f('key')}" name="wrongKey" value="1"> <label for="${f('key')}">Wrong key / Chave errada</label></div>` +
    `<div><label for="${f('amount')}">Wrong amount (€) / Valor errado (€)</label> <input type="text" id="${f('amount')}" name="wrongAmount" inputmode="decimal" placeholder="12,50"></div>` +
    `<div><input type="checkbox" id="${f('drop')}" name="drop" value="1"> <label for="${f('drop')}">Drop callback / Não enviar callback</label></div>` +
    `<div><input type="checkbox" id="${f('stale')}" name="stale" value="1"> <label for="${f('stale')}">Deliver again later (after the delay) / Entregar de novo mais tarde (após o atraso)</label></div>` +
    `</details>`
  );
}

function renderRequest(r: SandboxRequestView, nowMs: number): string {
  const id = escapeHtml(r.requestId);
  const headingId = `req-${id}`;
  const rows: string[] = [
    `<dt>Status / Estado</dt><dd>${STATUS_TEXT[r.status]}</dd>`,
    `<dt>Order / Encomenda</dt><dd>${escapeHtml(r.orderRef)}</dd>`,
  ];
  if (r.method === 'multibanco') {
    rows.push(
      `<dt>Entity / Entidade</dt><dd class="ref">${escapeHtml(r.entity ?? '')}</dd>`,
      `<dt>Reference / Referência</dt><dd class="ref">${escapeHtml(formatMultibancoReference(r.reference ?? ''))}</dd>`,
    );
  }
  if (r.method === 'mbway')
    rows.push(`<dt>Phone / Telemóvel</dt><dd>${escapeHtml(r.phoneMasked ?? '')}</dd>`);
  if (r.description) rows.push(`<dt>Description / Descrição</dt><dd>${escapeHtml(r.description)}</dd>`);
  rows.push(`<dt>Amount / Valor</dt><dd>${escapeHtml(formatEuros(r.amountCents, 'pt'))}</dd>`);
  if (r.status === 'pending') {
    const left = Math.max(0, Math.ceil((Date.parse(r.expiresAt) - nowMs) / 1000));
    const label = r.method === 'mbway' ? 'Window ends / Prazo termina' : 'Expires / Expira';
    rows.push(`<dt>${label}</dt><dd>${time(r.expiresAt)} (${left} s)</dd>`);
  } else if (r.paidAt) {
    rows.push(`<dt>Paid at / Pago em</dt><dd>${time(r.paidAt)}</dd>`);
  }
  rows.push(`<dt>Request / Pedido</dt><dd><code>${id}</code></dd>`);
  let form = '';
  if (r.status === 'pending' && r.method === 'mbway') {
    form =
      `<form method="post" action="/dev/payments/${id}/accept" aria-label="MB WAY ${id}">${faultsFieldset(id)}` +
      `<button type="submit">Accept / Aceitar</button>` +
      `<button type="submit" formaction="/dev/payments/${id}/reject">Reject / Recusar</button>` +
      `<button type="submit" formaction="/dev/payments/${id}/expire">Expire now / Expirar agora</button></form>`;
  } else if (r.status === 'pending') {
    form =
      `<form method="post" action="/dev/payments/${id}/pay" aria-label="${METHOD_TEXT[r.method]} ${id}">${faultsFieldset(id)}` +
      `<button type="submit">Pay / Pagar</button>` +
      `<button type="submit" formaction="/dev/payments/${id}/expire">Expire now / Expirar agora</button></form>`;
  }
  return (
    `<li><article aria-labelledby="${headingId}">` +
    `<h2 id="${headingId}">${METHOD_TEXT[r.method]} · ${escapeHtml(formatEuros(r.amountCents, 'pt'))}</h2>` +
    `<dl>${rows.join('')}</dl>${form}</article></li>`
  );
}

function renderDeliveries(deliveries: SandboxDelivery[]): string {
  if (!deliveries.length) return '<p>No callbacks sent yet. / Ainda não foram enviados callbacks.</p>';
  const rows = deliveries
    .slice()
    .reverse()
    .map(
      (d) =>
        `<tr><td>${time(d.at)}</td><td><code>${escapeHtml(d.requestId)}</code></td><td>${d.attempt}</td>` +
        `<td>${d.status === 200 ? '200 OK' : escapeHtml(String(d.status))}</td><td>${escapeHtml(d.url)}</td></tr>`,
    )
    .join('');
  return (
    `<table><caption>Newest first / Mais recentes primeiro</caption><thead><tr>` +
    `<th scope="col">Time / Hora</th><th scope="col">Request / Pedido</th><th scope="col">Attempt / Tentativa</th>` +
    `<th scope="col">HTTP</th><th scope="col">URL</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

/**
 * The sandbox page (requests newest first, then the delivery log newest first).
 * @param auto adds a 5-second meta refresh.
 * @param error an `?error=` code to explain (unknown codes are ignored).
 * @param nowMs the sandbox clock, epoch ms, for the seconds left.
 */
export function renderSandboxPage(
  requests: SandboxRequestView[],
  deliveries: SandboxDelivery[],
  opts: { auto: boolean; error: string | null; nowMs: number },
): string {
  const { auto, error, nowMs } = opts;
  const count = requests.length;
  const errorText = error ? ERROR_TEXT[error] : undefined;
  return page(
    'Payment sandbox / Pagamentos de teste',
    `<header><h1>Payment sandbox / <span lang="pt-PT">Pagamentos de teste</span></h1>
<p>Test payments: nothing is charged. Pay a reference or answer an MB WAY request here; the sandbox calls the central API back like the real provider.
<span lang="pt-PT">Pagamentos de teste: nada é cobrado. Pague uma referência ou responda a um pedido MB WAY; o sandbox notifica a API central como o fornecedor real.</span></p>
<form method="get" action="/dev/payments">${auto ? '<input type="hidden" name="auto" value="1">' : ''}
<button type="submit">Refresh / Atualizar</button>
<a class="toggle" href="/dev/payments${auto ? '' : '?auto=1'}">${auto ? 'Stop auto-refresh / Parar atualização automática' : 'Auto-refresh every 5 s / Atualizar a cada 5 s'}</a>
<a href="/dev/payments/requests.json">JSON</a></form>
${errorText ? `<p class="alert" role="alert">${errorText}</p>` : ''}<p role="status">${count} ${count === 1 ? 'request / pedido' : 'requests / pedidos'}</p></header>
<main>${count ? `<ol class="requests">${requests.map((r) => renderRequest(r, nowMs)).join('')}</ol>` : '<p>No payment requests yet. / Ainda não há pedidos de pagamento.</p>'}
<section aria-labelledby="log"><h3 id="log">Callbacks sent / Callbacks enviados</h3>${renderDeliveries(deliveries)}</section></main>`,
    auto ? '<meta http-equiv="refresh" content="5">' : '',
  );
}

/** The hosted page of one payment link (what PayByLink would show the buyer). */
export function renderLinkPage(r: SandboxRequestView | undefined, nowMs: number): string {
  const title = 'Pay / Pagar';
  if (!r || r.method !== 'link') {
    return page(title, '<main><h1>Payment not found / Pagamento não encontrado</h1></main>');
  }
  const id = escapeHtml(r.requestId);
  const amount = escapeHtml(formatEuros(r.amountCents, 'pt'));
  const back = r.returnUrl ? `<p><a href="${escapeHtml(r.returnUrl)}">Back to the shop / Voltar</a></p>` : '';
  const action =
    r.status === 'pending'
      ? `<form method="post" action="/dev/payments/${id}/pay"><input type="hidden" name="from" value="link">` +
        `<button type="submit">Pay ${amount} / Pagar ${amount}</button></form>` +
        `<p>Expires / Expira: ${time(r.expiresAt)} (${Math.max(0, Math.ceil((Date.parse(r.expiresAt) - nowMs) / 1000))} s)</p>`
      : `<p role="status">${STATUS_TEXT[r.status]}</p>${back}`;
  return page(
    title,
    `<main><h1>Sandbox payment / <span lang="pt-PT">Pagamento de teste</span></h1>
<p>Test payment: nothing is charged. / <span lang="pt-PT">Pagamento de teste: nada é cobrado.</span></p>
<dl><dt>Order / Encomenda</dt><dd>${escapeHtml(r.orderRef)}</dd>${r.description ? `<dt>Description / Descrição</dt><dd>${escapeHtml(r.description)}</dd>` : ''}
<dt>Amount / Valor</dt><dd>${amount}</dd></dl>${action}</main>`,
  );
}

/**
 * Reads the fault fields of a posted form (see the module comment).
 * @returns the faults, or null when a field is malformed (delay not 0–600 whole seconds, amount not
 *   parseable by parseEuros).
 */
export function parseFaultsForm(
  body: Record<string, string | File | (string | File)[]>,
): SandboxFaults | null {
  const text = (name: string): string => {
    const v = body[name];
    return typeof v === 'string' ? v.trim() : '';
  };
  const faults: SandboxFaults = {};
  if (text('duplicate')) faults.duplicate = 1;
  if (text('wrongKey')) faults.tamperKey = true;
  if (text('drop')) faults.drop = true;
  if (text('stale')) faults.stale = true;
  const delay = text('delaySeconds');
  if (delay) {
    if (!/^\d{1,3}$/.test(delay) || Number(delay) > 600) return null;
    faults.delayMs = Number(delay) * 1000;
  }
  const amount = text('wrongAmount');
  if (amount) {
    try {
      faults.tamperAmountCents = parseEuros(amount);
    } catch {
      return null;
    }
  }
  return faults;
}

/**
 * The sandbox's routes over `sandbox` (see the module comment); mount at '/' only while the sandbox is
 * the active provider and only on loopback.
 */
export function sandboxRoutes(sandbox: SandboxProvider) {
  const now = () => sandbox.now();
  const back = (c: Context, error?: string) =>
    c.redirect(error ? `/dev/payments?error=${encodeURIComponent(error)}` : '/dev/payments', 303);

  const act = async (c: Context, action: 'pay' | 'accept' | 'reject' | 'expire') => {
    if (crossSiteFormPost(c, new URL(c.req.url).origin)) return c.text('Forbidden', 403);
    const requestId = c.req.param('requestId')!;
    const body = await c.req.parseBody();
    // The hosted link page's form: back to that page (which shows the status) or on to the returnUrl.
    const linkPage = `/dev/payments/link/${encodeURIComponent(requestId)}`;
    const fromLink = body['from'] === 'link';
    const faults = parseFaultsForm(body);
    if (!faults) return back(c, 'faults_invalid');
    try {
      if (action === 'pay') sandbox.pay(requestId, faults);
      else if (action === 'accept') sandbox.acceptMbway(requestId, faults);
      else if (action === 'reject') sandbox.rejectMbway(requestId);
      else sandbox.expireNow(requestId);
    } catch (err) {
      if (fromLink && err instanceof SandboxError) return c.redirect(linkPage, 303);
      if (err instanceof SandboxError) return back(c, err.code);
      if (err instanceof RangeError) return back(c, 'faults_invalid');
      throw err;
    }
    if (fromLink) {
      const r = sandbox.requests().find((x) => x.requestId === requestId);
      return c.redirect(r?.returnUrl ?? linkPage, 303);
    }
    return back(c);
  };

  return new Hono()
    .get('/dev/payments', (c) => {
      c.header('content-security-policy', CSP);
      c.header('cache-control', 'no-store');
      return c.html(
        renderSandboxPage(sandbox.requests(), sandbox.deliveries(), {
          auto: c.req.query('auto') === '1',
          error: c.req.query('error') ?? null,
          nowMs: now(),
        }),
      );
    })
    .get('/dev/payments/requests.json', (c) => {
      c.header('cache-control', 'no-store');
      return c.json({ requests: sandbox.requests(), deliveries: sandbox.deliveries() });
    })
    .get('/dev/payments/link/:requestId', (c) => {
      const r = sandbox.requests().find((x) => x.requestId === c.req.param('requestId'));
      // The form's 303 goes on to the link's returnUrl, and form-action also governs that redirect.
      const returnOrigin = r?.returnUrl ? new URL(r.returnUrl).origin : null;
      c.header(
        'content-security-policy',
        `${CSP_BASE}; form-action 'self'${returnOrigin ? ` ${returnOrigin}` : ''}`,
      );
      c.header('cache-control', 'no-store');
      return c.html(
        renderLinkPage(r && r.method === 'link' ? r : undefined, now()),
        r?.method === 'link' ? 200 : 404,
      );
    })
    .post('/dev/payments/:requestId/pay', (c) => act(c, 'pay'))
    .post('/dev/payments/:requestId/accept', (c) => act(c, 'accept'))
    .post('/dev/payments/:requestId/reject', (c) => act(c, 'reject'))
    .post('/dev/payments/:requestId/expire', (c) => act(c, 'expire'));
}
