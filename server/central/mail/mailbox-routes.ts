/**
 * The dev mailbox: a page listing what the in-process SMTP sink caught (mounted by main.ts only when
 * `SMTP_URL` is unset), so a developer or an end-to-end test can open a verification or reset link
 * without a real mail server.
 * - `GET /dev/mailbox`: HTML, newest first (recipient, subject, time, text body, links as anchors);
 *   `?auto=1` reloads every 5 s (a meta refresh: the page runs no script, and its CSP allows none).
 * - `GET /dev/mailbox/messages.json`: `{ messages: SinkMessage[] }`, newest first.
 * It exposes whatever the sink holds (reset links included): it exists only with the sink, which is
 * for development; a deployment sets `SMTP_URL`.
 */
import { Hono } from 'hono';
import { escapeHtml } from './templates.ts';
import type { MailSink, SinkMessage } from './sink.ts';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function renderMessage(m: SinkMessage, index: number): string {
  const links = m.links
    .filter((l) => /^https?:\/\//i.test(l))
    .map((l) => `<li><a href="${escapeHtml(l)}">${escapeHtml(l)}</a></li>`)
    .join('');
  const headingId = `msg-${index}`;
  return (
    `<li><article aria-labelledby="${headingId}">` +
    `<h2 id="${headingId}">${escapeHtml(m.subject || '(no subject)')}</h2>` +
    `<dl><dt>To / Para</dt><dd>${escapeHtml(m.to)}</dd>` +
    `<dt>From / De</dt><dd>${escapeHtml(m.from)}</dd>` +
    `<dt>Received / Recebida</dt><dd><time datetime="${escapeHtml(m.receivedAt)}">${escapeHtml(m.receivedAt)}</time></dd></dl>` +
    (links ? `<h3>Links / Ligações</h3><ul class="links">${links}</ul>` : '') +
    (m.attachments.length
      ? `<h3>Attachments / Anexos</h3><ul>${m.attachments
          .map(
            (a) =>
              `<li>${escapeHtml(a.filename)} (${escapeHtml(a.contentType)}, ${Math.ceil(a.size / 1024)} KB)</li>`,
          )
          .join('')}</ul>`
      : '') +
    `<h3>Text / Texto</h3><pre>${escapeHtml(m.text)}</pre>` +
    `</article></li>`
  );
}

/** The whole page for `messages` (newest first); `auto` adds a 5-second meta refresh. */
export function renderMailbox(messages: SinkMessage[], auto: boolean): string {
  const count = messages.length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${auto ? '<meta http-equiv="refresh" content="5">' : ''}<title>Dev mailbox / Caixa de correio de teste</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1f2933;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:0 0 .5rem}h3{font-size:.95rem;margin:.75rem 0 .25rem}
ol.messages{list-style:none;padding:0}ol.messages>li{border:1px solid #9aa5b1;border-radius:6px;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;word-break:break-word;background:#f0f4f8;padding:.75rem;border-radius:4px}
a{color:#0b4f94;word-break:break-all}button,.toggle{font-size:1rem;padding:.4rem .9rem}
:focus-visible{outline:3px solid #0b4f94;outline-offset:2px}
</style></head>
<body><header><h1>Dev mailbox / <span lang="pt-PT">Caixa de correio de teste</span></h1>
<p>Messages sent by the central API, caught by the in-process SMTP sink (newest first, last 200). Nothing leaves this machine.
<span lang="pt-PT">Mensagens enviadas pela API central e retidas localmente.</span></p>
<form method="get" action="/dev/mailbox">${auto ? '<input type="hidden" name="auto" value="1">' : ''}
<button type="submit">Refresh / Atualizar</button>
<a class="toggle" href="/dev/mailbox${auto ? '' : '?auto=1'}">${auto ? 'Stop auto-refresh / Parar atualização automática' : 'Auto-refresh every 5 s / Atualizar a cada 5 s'}</a>
<a href="/dev/mailbox/messages.json">JSON</a></form>
<p role="status">${count} ${count === 1 ? 'message / mensagem' : 'messages / mensagens'}</p></header>
<main>${count ? `<ol class="messages">${messages.map(renderMessage).join('')}</ol>` : '<p>No messages yet. / Ainda não há mensagens.</p>'}</main>
</body></html>
`;
}

/** `GET /dev/mailbox` (HTML) and `GET /dev/mailbox/messages.json` over `sink`; mount at '/'. */
export function mailboxRoutes(sink: MailSink) {
  return new Hono()
    .get('/dev/mailbox', (c) => {
      c.header('content-security-policy', CSP);
      c.header('cache-control', 'no-store');
      return c.html(renderMailbox(sink.messages(), c.req.query('auto') === '1'));
    })
    .get('/dev/mailbox/messages.json', (c) => {
      c.header('cache-control', 'no-store');
      return c.json({ messages: sink.messages() });
    });
}
