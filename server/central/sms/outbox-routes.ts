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
import { DEV_PAGE_CSP, renderDevListPage } from '../mail/dev-page.ts';
import { escapeHtml } from '../mail/templates.ts';
import type { SinkSms, SmsSink } from './sink.ts';

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
  return renderDevListPage({
    titleEn: 'Dev SMS outbox',
    titlePt: 'SMS de teste',
    introEn:
      'Text messages sent by the central API, kept in memory (newest first, last 200). Nothing leaves this machine.',
    introPt: 'Mensagens SMS enviadas pela API central e retidas localmente.',
    path: '/dev/sms',
    auto,
    count: messages.length,
    itemsHtml: messages.map(renderSms).join(''),
    one: 'message / mensagem',
    many: 'messages / mensagens',
    empty: 'No messages yet. / Ainda não há mensagens.',
  });
}

/** `GET /dev/sms` (HTML) and `GET /dev/sms/messages.json` over `sink`; mount at '/'. */
export function smsOutboxRoutes(sink: SmsSink) {
  return new Hono()
    .get('/dev/sms', (c) => {
      c.header('content-security-policy', DEV_PAGE_CSP);
      c.header('cache-control', 'no-store');
      return c.html(renderSmsOutbox(sink.messages(), c.req.query('auto') === '1'));
    })
    .get('/dev/sms/messages.json', (c) => {
      c.header('cache-control', 'no-store');
      return c.json({ messages: sink.messages() });
    });
}
