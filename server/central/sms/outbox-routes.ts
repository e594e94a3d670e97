/**
 * The dev SMS outbox page, over the in-memory sink (sink.ts); mounted only when `SMS_URL` is unset, like
 * the dev mailbox (mail/mailbox-routes.ts), so a developer or an end-to-end test can read a text and
 * follow its link without a gateway.
 * - `GET /dev/sms`: HTML, newest first (phone, time, body, links as anchors); `?auto=1` reloads every
 *   5 s with a meta refresh (the page runs no script and its CSP allows none).
 * - `GET /dev/sms/messages.json`: `{ messages: SinkSms[] }`, newest first.
 * It shows whatever the sink holds (payment links included): it exists only with the dev sink.
 */
import { Hono } from 'hono';
import { escapeHtml } from '../mail/templates.ts';
import type { SinkSms, SmsSink } from './sink.ts';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function renderSms(m: SinkSms, index: number): string {
  const links = m.links
    .filter((l) => /^https?:\/\//i.test(l))
    .map((l) => `<li><a href="${escapeHtml(l)}">${escapeHtml(l)}</a></li>`)
    .join('');
  const headingId = `sms-${index}`;
  return (
    `<li><article aria-labelledby="${headingId}">` +
    `<h2 id="${headingId}">${escapeHtml(m.to)}</h2>` +
    `<dl><dt>Sent / Enviada</dt><dd><time datetime="${escapeHtml(m.sentAt)}">${escapeHtml(m.sentAt)}</time></dd>` +
    `<dt>Key / Chave</dt><dd>${escapeHtml(m.idempotencyKey)}</dd></dl>` +
    `<h3>Text / Texto</h3><pre>${escapeHtml(m.body)}</pre>` +
    (links ? `<h3>Links / Ligações</h3><ul class="links">${links}</ul>` : '') +
    `</article></li>`
  );
}

/** The whole page for `messages` (newest first); `auto` adds a 5-second meta refresh. */
export function renderSmsOutbox(messages: SinkSms[], auto: boolean): string {
  const count = messages.length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${auto ? '<meta http-equiv="refresh" content="5">' : ''}<title>Dev SMS outbox / SMS de teste</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1f2933;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:0 0 .5rem}h3{font-size:.95rem;margin:.75rem 0 .25rem}
ol.messages{list-style:none;padding:0}ol.messages>li{border:1px solid #9aa5b1;border-radius:6px;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;word-break:break-word;background:#f0f4f8;padding:.75rem;border-radius:4px}
a{color:#0b4f94;word-break:break-all}button,.toggle{font-size:1rem;padding:.4rem .9rem}
:focus-visible{outline:3px solid #0b4f94;outline-offset:2px}
</style></head>
<body><header><h1>Dev SMS outbox / <span lang="pt-PT">SMS de teste</span></h1>
<p>Text messages sent by the central API, kept in memory (newest first, last 200). Nothing leaves this machine.
<span lang="pt-PT">Mensagens SMS enviadas pela API central e retidas localmente.</span></p>
<form method="get" action="/dev/sms">${auto ? '<input type="hidden" name="auto" value="1">' : ''}
<button type="submit">Refresh / Atualizar</button>
<a class="toggle" href="/dev/sms${auto ? '' : '?auto=1'}">${auto ? 'Stop auto-refresh / Parar atualização automática' : 'Auto-refresh every 5 s / Atualizar a cada 5 s'}</a>
<a href="/dev/sms/messages.json">JSON</a></form>
<p role="status">${count} ${count === 1 ? 'message / mensagem' : 'messages / mensagens'}</p></header>
<main>${count ? `<ol class="messages">${messages.map(renderSms).join('')}</ol>` : '<p>No messages yet. / Ainda não há mensagens.</p>'}</main>
</body></html>
`;
}

/** `GET /dev/sms` (HTML) and `GET /dev/sms/messages.json` over `sink`; mount at '/'. */
export function smsOutboxRoutes(sink: SmsSink) {
  return new Hono()
    .get('/dev/sms', (c) => {
      c.header('content-security-policy', CSP);
      c.header('cache-control', 'no-store');
      return c.html(renderSmsOutbox(sink.messages(), c.req.query('auto') === '1'));
    })
    .get('/dev/sms/messages.json', (c) => {
      c.header('cache-control', 'no-store');
      return c.json({ messages: sink.messages() });
    });
}
