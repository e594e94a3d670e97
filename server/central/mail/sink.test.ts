/**
 * Tests of the dev mail path: startMail without SMTP_URL starts the SMTP sink and sends to it through
 * nodemailer over real SMTP; the sink parses the message (subject, text, HTML, links) and the mailbox
 * routes list it as JSON and as an accessible HTML page. Also the sink's capacity and link extraction.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMail, type MailSetup } from './index.ts';
import { mailboxRoutes } from './mailbox-routes.ts';
import { extractLinks, SINK_CAPACITY, startMailSink } from './sink.ts';
import { verifyEmailMail } from './templates.ts';

const LINK = 'http://127.0.0.1:4320/verify-email?token=AbC_123-xyz';

describe('mail sink and dev mailbox', () => {
  let mail: MailSetup;
  beforeAll(async () => {
    mail = await startMail({ smtpUrl: null, from: 'Clínica <no-reply@clinic.local>' });
  });
  afterAll(async () => mail.close());

  it('receives a message sent through nodemailer and parses it with its links', async () => {
    const sink = mail.sink!;
    expect(sink.host).toBe('127.0.0.1');
    expect(sink.port).toBeGreaterThan(0);
    await mail.mailer.send({ to: 'ana@example.pt', ...verifyEmailMail({ locale: 'pt', name: 'Ana' }, LINK) });
    const m = await sink.waitFor((x) => x.to === 'ana@example.pt');
    expect(m).toMatchObject({
      from: '"Clínica" <no-reply@clinic.local>',
      to: 'ana@example.pt',
      subject: 'Confirme o seu endereço de e-mail',
      links: [LINK],
    });
    expect(m.text).toContain(`Confirmar e-mail: ${LINK}`);
    expect(m.html).toContain(`href="${LINK}"`);
    expect(Date.parse(m.receivedAt)).not.toBeNaN();
    expect(m.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists messages newest first as JSON and as an accessible HTML page', async () => {
    await mail.mailer.send({
      to: 'bob@example.pt',
      subject: 'Second <b>',
      text: 'see https://x.pt/b',
      html: '',
    });
    await mail.sink!.waitFor((x) => x.to === 'bob@example.pt');
    const app = mailboxRoutes(mail.sink!);
    const json = (await (await app.request('/dev/mailbox/messages.json')).json()) as {
      messages: { to: string; links: string[] }[];
    };
    expect(json.messages.map((x) => x.to)).toEqual(['bob@example.pt', 'ana@example.pt']);
    expect(json.messages[0]!.links).toEqual(['https://x.pt/b']);

    const res = await app.request('/dev/mailbox');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Dev mailbox / <span lang="pt-PT">Caixa de correio de teste</span></h1>');
    expect(html).toContain('<button type="submit">Refresh / Atualizar</button>');
    expect(html).toContain('2 messages / mensagens');
    expect(html).toContain(`<a href="${LINK}">${LINK}</a>`);
    expect(html).toContain('Second &lt;b&gt;');
    expect(html.indexOf('bob@example.pt')).toBeLessThan(html.indexOf('ana@example.pt'));
    expect(await (await app.request('/dev/mailbox?auto=1')).text()).toContain(
      '<meta http-equiv="refresh" content="5">',
    );
  });

  it('keeps the newest 200 messages and extracts only http(s) links', async () => {
    const sink = await startMailSink();
    const transport = nodemailer.createTransport({
      host: sink.host,
      port: sink.port,
      secure: false,
      ignoreTLS: true,
      pool: true,
    });
    try {
      for (let i = 0; i < SINK_CAPACITY + 3; i++) {
        await transport.sendMail({
          from: 'a@x.pt',
          to: `n${i}@x.pt`,
          subject: `#${i}`,
          text: `message ${i}`,
        });
      }
      const all = sink.messages();
      expect(all).toHaveLength(SINK_CAPACITY);
      expect(all[0]!.subject).toBe(`#${SINK_CAPACITY + 2}`);
      expect(all.at(-1)!.subject).toBe('#3');
      sink.clear();
      expect(sink.messages()).toEqual([]);
      await expect(sink.waitFor(() => true, 50)).rejects.toThrow(/no matching message/);
    } finally {
      transport.close();
      await sink.close();
    }
    expect(
      extractLinks(
        '<a href="https://a.pt/x?y=1&amp;z=2">a</a> <a href=\'javascript:alert(1)\'>b</a> <a href="mailto:x@y">c</a>',
        'Go to https://a.pt/x?y=1&z=2. Or (http://b.pt/c), then https://a.pt/x?y=1&z=2',
      ),
    ).toEqual(['https://a.pt/x?y=1&z=2', 'http://b.pt/c']);
  });
});
