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
import { DEV_PAGE_CSP, renderDevListPage } from './dev-page.ts';
import { escapeHtml } from './templates.ts';
import type { MailSink, SinkMessage } from './sink.ts';

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
  return renderDevListPage({
    titleEn: 'Dev mailbox',
    titlePt: 'Caixa de correio de teste',
    introEn:
      'Messages sent by the central API, caught by the in-process SMTP sink (newest first, last 200). Nothing leaves this machine.',
    introPt: 'Mensagens enviadas pela API central e retidas localmente.',
    path: '/dev/mailbox',
    auto,
    count: messages.length,
    itemsHtml: messages.map(renderMessage).join(''),
    one: 'message / mensagem',
    many: 'messages / mensagens',
    empty: 'No messages yet. / Ainda não há mensagens.',
  });
}

/** `GET /dev/mailbox` (HTML) and `GET /dev/mailbox/messages.json` over `sink`; mount at '/'. */
export function mailboxRoutes(sink: MailSink) {
  return new Hono()
    .get('/dev/mailbox', (c) => {
      c.header('content-security-policy', DEV_PAGE_CSP);
      c.header('cache-control', 'no-store');
      return c.html(renderMailbox(sink.messages(), c.req.query('auto') === '1'));
    })
    .get('/dev/mailbox/messages.json', (c) => {
      c.header('cache-control', 'no-store');
      return c.json({ messages: sink.messages() });
    });
}
