/**
 * Tests of the dev SMS outbox page and JSON (outbox-routes.ts) through `app.request()`: messages newest
 * first, content escaped, links as anchors, strict CSP and no script, auto-refresh.
 */
import { describe, expect, it } from 'vitest';
import { smsOutboxRoutes } from './outbox-routes.ts';
import { createSmsSink } from './sink.ts';

describe('smsOutboxRoutes', () => {
  it('lists messages as JSON and as an accessible, escaped HTML page', async () => {
    let t = Date.parse('2026-07-15T09:30:00Z');
    const sink = createSmsSink({ now: () => (t += 1000) });
    const app = smsOutboxRoutes(sink);

    const empty = await (await app.request('/dev/sms')).text();
    expect(empty).toContain('<p role="status">0 messages / mensagens</p>');
    expect(empty).toContain('<p>No messages yet. / Ainda não há mensagens.</p>');

    await sink.send({
      to: '+351912345678',
      body: 'Consulta amanhã às 10:00. Pague: https://pay.example.pt/p?a=1&b=2',
      idempotencyKey: 'k1',
    });
    await sink.send({ to: '+351962345678', body: '<script>alert("x")</script> & Co', idempotencyKey: 'k2' });

    const jsonRes = await app.request('/dev/sms/messages.json');
    expect(jsonRes.status).toBe(200);
    expect(jsonRes.headers.get('cache-control')).toBe('no-store');
    const json = (await jsonRes.json()) as { messages: { to: string; links: string[]; sentAt: string }[] };
    expect(json.messages.map((m) => [m.to, m.sentAt, m.links])).toEqual([
      ['+351962345678', '2026-07-15T09:30:02.000Z', []],
      ['+351912345678', '2026-07-15T09:30:01.000Z', ['https://pay.example.pt/p?a=1&b=2']],
    ]);

    const res = await app.request('/dev/sms');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Dev SMS outbox / SMS de teste</title>');
    expect(html).toContain('<h1>Dev SMS outbox / <span lang="pt-PT">SMS de teste</span></h1>');
    expect(html).toContain('<p role="status">2 messages / mensagens</p>');
    expect(html).toContain('<h2 id="sms-0">+351962345678</h2>');
    expect(html).toContain('<time datetime="2026-07-15T09:30:02.000Z">2026-07-15T09:30:02.000Z</time>');
    expect(html).toContain('<pre>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</pre>');
    expect(html).not.toContain('<script');
    expect(html).toContain(
      '<a href="https://pay.example.pt/p?a=1&amp;b=2">https://pay.example.pt/p?a=1&amp;b=2</a>',
    );
    expect(html.indexOf('+351962345678')).toBeLessThan(html.indexOf('+351912345678'));
    expect(html).not.toContain('http-equiv="refresh"');

    const auto = await (await app.request('/dev/sms?auto=1')).text();
    expect(auto).toContain('<meta http-equiv="refresh" content="5">');
    expect(auto).toContain('<input type="hidden" name="auto" value="1">');
    expect(auto).toContain(
      '<a class="toggle" href="/dev/sms">Stop auto-refresh / Parar atualização automática</a>',
    );
  });
});
