/**
 * Tests of the payment sandbox's pages through `app.request()`: the HTML page (bilingual, accessible,
 * strict CSP, newest first, formatted reference and amount, fault inputs), the form posts that pay,
 * accept and reject (303 back, faults applied, refusals explained), the hosted link page and the JSON.
 * Callbacks go over real HTTP to a node:http receiver on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxRoutes } from './sandbox-routes.ts';
import { createSandboxProvider, type SandboxProvider } from './sandbox.ts';

const KEY = 'routes-test-key';
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const NBSP = '\u00a0';

describe('payment sandbox routes', () => {
  let server: Server;
  let callbackUrl: string;
  let hits: URLSearchParams[];
  let clock: number;
  let sandbox: SandboxProvider;
  let app: ReturnType<typeof sandboxRoutes>;

  beforeEach(async () => {
    hits = [];
    server = createServer((req, res) => {
      hits.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/payments/callback`;
    clock = T0;
    sandbox = createSandboxProvider({
      callbackUrl,
      antiPhishingKey: KEY,
      now: () => clock,
      retryDelaysMs: [10],
    });
    app = sandboxRoutes(sandbox);
  });
  afterEach(async () => {
    sandbox.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = (path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  const expiresAt = new Date(T0 + 3 * 86_400_000);

  it('renders an empty, bilingual page with a strict CSP and no caching', async () => {
    const res = await app.request('/dev/payments');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Payment sandbox / Pagamentos de teste</title>');
    expect(html).toContain('<h1>Payment sandbox / <span lang="pt-PT">Pagamentos de teste</span></h1>');
    expect(html).toContain('0 requests / pedidos');
    expect(html).toContain('No callbacks sent yet. / Ainda não foram enviados callbacks.');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(await (await app.request('/dev/payments?auto=1')).text()).toContain(
      '<meta http-equiv="refresh" content="5">',
    );
  });

  it('shows a pending reference (entity, formatted reference, amount, expiry) and an MB WAY request, newest first', async () => {
    const mb = await sandbox.createMultibanco({ orderRef: 'ORD-1', amountCents: 1250, expiresAt });
    clock = T0 + 1000;
    const mbw = await sandbox.requestMbway({
      orderRef: 'ORD-2',
      amountCents: 123456,
      phone: '351#912345678',
      description: 'Consulta <b>',
    });
    clock = T0 + 61_000;
    const html = await (await app.request('/dev/payments')).text();
    const ref = mb.reference;
    expect(html).toContain('2 requests / pedidos');
    expect(html).toContain('<dt>Entity / Entidade</dt><dd class="ref">12345</dd>');
    expect(html).toContain(
      `<dt>Reference / Referência</dt><dd class="ref">${ref.slice(0, 3)} ${ref.slice(3, 6)} ${ref.slice(6)}</dd>`,
    );
    expect(html).toContain(`<dt>Amount / Valor</dt><dd>12,50${NBSP}€</dd>`);
    expect(html).toContain(
      '<dt>Expires / Expira</dt><dd><time datetime="2026-12-04T10:00:00.000Z">2026-12-04 10:00:00Z</time> (259139 s)</dd>',
    );
    expect(html).toContain(`<form method="post" action="/dev/payments/${mb.requestId}/pay"`);
    expect(html).toContain('<button type="submit">Pay / Pagar</button>');
    expect(html).toContain('<dt>Phone / Telemóvel</dt><dd>+351 9•• ••• 678</dd>');
    expect(html).toContain(`<dt>Amount / Valor</dt><dd>1234,56${NBSP}€</dd>`);
    expect(html).toContain('Consulta &lt;b&gt;');
    expect(html).toContain(
      '<dt>Window ends / Prazo termina</dt><dd><time datetime="2026-12-01T10:04:01.000Z">2026-12-01 10:04:01Z</time> (180 s)</dd>',
    );
    expect(html).toContain(`<form method="post" action="/dev/payments/${mbw.requestId}/accept"`);
    expect(html).toContain('<button type="submit">Accept / Aceitar</button>');
    expect(html).toContain(
      `<button type="submit" formaction="/dev/payments/${mbw.requestId}/reject">Reject / Recusar</button>`,
    );
    expect(html).toContain('<summary>Faults / Falhas</summary>');
    for (const [name, label] of [
      ['dup', 'Deliver twice / Entregar duas vezes'],
      ['delay', 'Delay (seconds) / Atraso (segundos)'],
      ['key', 'Wrong key / Chave errada'],
      ['amount', 'Wrong amount (€) / Valor errado (€)'],
      ['drop', 'Drop callback / Não enviar callback'],
    ]) {
      expect(html).toContain(`<label for="f-${mb.requestId}-${name}">${label}</label>`);
      expect(html).toContain(`id="f-${mb.requestId}-${name}"`);
    }
    expect(html.indexOf(mbw.requestId)).toBeLessThan(html.indexOf(mb.requestId));
  });

  it('Pay posts 303 back, delivers the callback over HTTP and logs it on the page', async () => {
    const mb = await sandbox.createMultibanco({ orderRef: 'ORD-1', amountCents: 1250, expiresAt });
    const res = await post(`/dev/payments/${mb.requestId}/pay`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dev/payments');
    await sandbox.idle();
    expect(hits).toHaveLength(1);
    expect(hits[0]!.get('key')).toBe(KEY);
    expect(hits[0]!.get('amount')).toBe('12.50');
    const html = await (await app.request('/dev/payments')).text();
    expect(html).toContain('<dt>Status / Estado</dt><dd>Paid / Pago</dd>');
    expect(html).not.toContain(`action="/dev/payments/${mb.requestId}/pay"`);
    expect(html).toContain(`<td><code>${mb.requestId}</code></td><td>1</td><td>200 OK</td>`);
    expect(html).toContain('key=redacted');
    expect(html).not.toContain(KEY);

    const again = await post(`/dev/payments/${mb.requestId}/pay`);
    expect(again.headers.get('location')).toBe('/dev/payments?error=sandbox_not_payable');
    expect(await (await app.request('/dev/payments?error=sandbox_not_payable')).text()).toContain(
      '<p class="alert" role="alert">This request is no longer pending. / Este pedido já não está pendente.</p>',
    );
  });

  it('applies the form faults: deliver twice with a wrong amount; drop; wrong key', async () => {
    const a = await sandbox.createMultibanco({ orderRef: 'A', amountCents: 1250, expiresAt });
    await post(`/dev/payments/${a.requestId}/pay`, { duplicate: '1', wrongAmount: '9,99', delaySeconds: '' });
    await sandbox.idle();
    expect(hits.map((h) => h.get('amount'))).toEqual(['9.99', '9.99']);

    const b = await sandbox.createMultibanco({ orderRef: 'B', amountCents: 1250, expiresAt });
    await post(`/dev/payments/${b.requestId}/pay`, { drop: '1' });
    const c = await sandbox.createMultibanco({ orderRef: 'C', amountCents: 1250, expiresAt });
    await post(`/dev/payments/${c.requestId}/pay`, { wrongKey: '1' });
    await sandbox.idle();
    expect(hits.map((h) => h.get('orderId'))).toEqual(['A', 'A', 'C']);
    expect(sandbox.parseCallback(hits[2]!)).toMatchObject({ ok: false, code: 'callback_key_invalid' });
    expect(
      await sandbox.queryStatus({ method: 'multibanco', requestId: b.requestId, orderRef: 'B' }),
    ).toMatchObject({
      status: 'paid',
    });

    const d = await sandbox.createMultibanco({ orderRef: 'D', amountCents: 1250, expiresAt });
    const badForms: Record<string, string>[] = [
      { delaySeconds: '-1' },
      { delaySeconds: '601' },
      { wrongAmount: '1.234,56' },
    ];
    for (const bad of badForms) {
      const res = await post(`/dev/payments/${d.requestId}/pay`, bad);
      expect(res.headers.get('location')).toBe('/dev/payments?error=faults_invalid');
    }
    expect(sandbox.requests().find((r) => r.requestId === d.requestId)!.status).toBe('pending');
  });

  it('Accept and Reject answer MB WAY requests; refusals come back as ?error=', async () => {
    const mk = (orderRef: string) =>
      sandbox.requestMbway({ orderRef, amountCents: 2000, phone: '351#932345678', description: 'x' });
    const accepted = await mk('ACC');
    const rejected = await mk('REJ');
    expect((await post(`/dev/payments/${accepted.requestId}/accept`)).status).toBe(303);
    expect((await post(`/dev/payments/${rejected.requestId}/reject`)).headers.get('location')).toBe(
      '/dev/payments',
    );
    await sandbox.idle();
    expect(hits.map((h) => [h.get('orderId'), h.get('method')])).toEqual([['ACC', 'mbway']]);
    expect(sandbox.requests().map((r) => r.status)).toEqual(['rejected', 'paid']);

    const mb = await sandbox.createMultibanco({ orderRef: 'MB', amountCents: 1250, expiresAt });
    expect((await post(`/dev/payments/${mb.requestId}/accept`)).headers.get('location')).toBe(
      '/dev/payments?error=sandbox_wrong_method',
    );
    expect((await post('/dev/payments/sbx_missing/pay')).headers.get('location')).toBe(
      '/dev/payments?error=sandbox_request_not_found',
    );
  });

  it('refuses a post from another origin, accepts one from its own', async () => {
    const mb = await sandbox.createMultibanco({ orderRef: 'X', amountCents: 1250, expiresAt });
    const evil = await post(`/dev/payments/${mb.requestId}/pay`, {}, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(sandbox.requests()[0]!.status).toBe('pending');
    const own = await post(`/dev/payments/${mb.requestId}/pay`, {}, { origin: 'http://localhost' });
    expect(own.status).toBe(303);
  });

  it('hosts a payment link page; paying it returns to the returnUrl', async () => {
    const link = await sandbox.createPaymentLink({
      orderRef: 'LNK',
      amountCents: 3500,
      description: 'Fisioterapia',
      expiresAt,
      returnUrl: 'http://127.0.0.1:5173/pay/tok',
    });
    const path = new URL(link.url).pathname;
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:5173");
    const html = await res.text();
    expect(html).toContain('<h1>Sandbox payment / <span lang="pt-PT">Pagamento de teste</span></h1>');
    expect(html).toContain(`<form method="post" action="/dev/payments/${link.requestId}/pay">`);
    expect(html).toContain(`<button type="submit">Pay 35,00${NBSP}€ / Pagar 35,00${NBSP}€</button>`);
    expect(html).toContain('<dd>Fisioterapia</dd>');

    const paid = await post(`/dev/payments/${link.requestId}/pay`, { from: 'link' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('http://127.0.0.1:5173/pay/tok');
    await sandbox.idle();
    expect(hits.map((h) => h.get('method'))).toEqual(['link']);
    const after = await (await app.request(path)).text();
    expect(after).toContain('<p role="status">Paid / Pago</p>');
    expect(after).toContain('<a href="http://127.0.0.1:5173/pay/tok">Back to the shop / Voltar</a>');

    const twice = await post(`/dev/payments/${link.requestId}/pay`, { from: 'link' });
    expect(twice.headers.get('location')).toBe(path);
    expect((await app.request('/dev/payments/link/sbx_missing')).status).toBe(404);
  });

  it('lists requests and deliveries as JSON', async () => {
    const mb = await sandbox.createMultibanco({ orderRef: 'J', amountCents: 1250, expiresAt });
    sandbox.pay(mb.requestId);
    await sandbox.idle();
    const res = await app.request('/dev/payments/requests.json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      requests: [
        {
          requestId: mb.requestId,
          method: 'multibanco',
          orderRef: 'J',
          amountCents: 1250,
          entity: '12345',
          reference: mb.reference,
          phoneMasked: null,
          status: 'paid',
          createdAt: '2026-12-01T10:00:00.000Z',
          expiresAt: '2026-12-04T10:00:00.000Z',
          paidAt: '2026-12-01T10:00:00.000Z',
          description: null,
          returnUrl: null,
        },
      ],
      deliveries: [
        {
          requestId: mb.requestId,
          attempt: 1,
          url: sandbox.deliveries()[0]!.url,
          status: 200,
          at: '2026-12-01T10:00:00.000Z',
        },
      ],
    });
  });
});
