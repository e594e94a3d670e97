/**
 * Tests of the sandbox payment provider over real HTTP: a node:http server on 127.0.0.1 plays the
 * central API's callback endpoint (records each query, answers the status the test chooses). Covers
 * reference check digits, callback format and key, retries, every fault, MB WAY accept / reject /
 * expiry on an injected clock, the magic numbers, payment links, stale callbacks and amount parsing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidMultibancoReference } from '../../domain/payments/multibanco.ts';
import { ProviderError } from './provider.ts';
import {
  AUTO_ANSWER_MS,
  centsToCallbackAmount,
  createSandboxProvider,
  parseCallbackAmount,
  SandboxError,
  type SandboxProvider,
} from './sandbox.ts';

const KEY = 'anti-phishing-test-key';
const T0 = Date.parse('2026-12-01T10:00:00.000Z');

/** A fake callback endpoint: records every query; answers `statuses` in turn, then 200. */
interface Receiver {
  url: string;
  hits: URLSearchParams[];
  statuses: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const hits: URLSearchParams[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/payments/callback') hits.push(url.searchParams);
    res.statusCode = statuses.shift() ?? 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/payments/callback`,
    hits,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('sandbox payment provider', () => {
  let receiver: Receiver;
  let clock: number;
  let sandbox: SandboxProvider;

  beforeEach(async () => {
    receiver = await startReceiver();
    clock = T0;
    sandbox = createSandboxProvider({
      callbackUrl: receiver.url,
      antiPhishingKey: KEY,
      now: () => clock,
      retryDelaysMs: [10, 10, 10],
    });
  });
  afterEach(async () => {
    sandbox.close();
    await receiver.close();
  });

  const expiresAt = new Date(T0 + 3 * 86_400_000);
  const multibanco = (amountCents = 1250, orderRef = 'A1B2C3') =>
    sandbox.createMultibanco({ orderRef, amountCents, expiresAt });

  it('issues Multibanco references with valid check digits, never the same twice', async () => {
    const issued = await multibanco(43211);
    expect(issued.requestId).toMatch(/^sbx_[0-9a-f]{16}$/);
    expect(issued.entity).toBe('12345');
    expect(issued.reference).toMatch(/^\d{9}$/);
    expect(isValidMultibancoReference('12345', issued.reference, 43211)).toBe(true);
    expect(isValidMultibancoReference('12345', issued.reference, 43212)).toBe(false);
    expect(issued.amountCents).toBe(43211);
    expect(issued.expiresAt.toISOString()).toBe('2026-12-04T10:00:00.000Z');

    const refs = new Set([issued.reference]);
    for (let i = 0; i < 200; i++) refs.add((await multibanco(43211)).reference);
    expect(refs.size).toBe(201);

    const other = createSandboxProvider({ callbackUrl: receiver.url, antiPhishingKey: KEY, entity: '90150' });
    const ref = await other.createMultibanco({
      orderRef: 'X',
      amountCents: 100,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(ref.entity).toBe('90150');
    expect(isValidMultibancoReference('90150', ref.reference, 100)).toBe(true);
  });

  it('refuses malformed requests with a non-retryable ProviderError', async () => {
    await expect(multibanco(99)).rejects.toThrow(ProviderError);
    await expect(multibanco(100_000_000)).rejects.toThrow(/amountCents/);
    await expect(multibanco(1250, 'X'.repeat(16))).rejects.toThrow(/orderRef/);
    await expect(
      sandbox.createMultibanco({ orderRef: 'A', amountCents: 1250, expiresAt: new Date(T0) }),
    ).rejects.toMatchObject({ retryable: false, providerCode: 'invalid_request' });
    await expect(
      sandbox.requestMbway({ orderRef: 'A', amountCents: 1250, phone: '351#212345678', description: 'x' }),
    ).rejects.toThrow(/mobile/);
    await expect(
      sandbox.requestMbway({ orderRef: 'A', amountCents: 1250, phone: '912345678', description: 'x' }),
    ).rejects.toThrow(/wire format/);
  });

  it('pays a reference: exactly one callback in ifthenpay format with the key, and status paid', async () => {
    const issued = await multibanco(1250, 'ORD-0001');
    clock = T0 + 3_600_000;
    sandbox.pay(issued.requestId);
    await sandbox.idle();

    expect(receiver.hits).toHaveLength(1);
    expect(Object.fromEntries(receiver.hits[0]!)).toEqual({
      key: KEY,
      orderId: 'ORD-0001',
      amount: '12.50',
      requestId: issued.requestId,
      entity: '12345',
      reference: issued.reference,
      payment_datetime: '2026-12-01T11:00:00.000Z',
      method: 'multibanco',
    });
    expect(sandbox.parseCallback(receiver.hits[0]!)).toEqual({
      ok: true,
      callback: {
        requestId: issued.requestId,
        orderRef: 'ORD-0001',
        amountCents: 1250,
        method: 'multibanco',
        paidAt: new Date('2026-12-01T11:00:00.000Z'),
        entity: '12345',
        reference: issued.reference,
      },
    });
    expect(sandbox.deliveries()).toEqual([
      {
        requestId: issued.requestId,
        attempt: 1,
        url:
          `${receiver.url}?key=redacted&orderId=ORD-0001&amount=12.50&requestId=${issued.requestId}` +
          `&entity=12345&reference=${issued.reference}&payment_datetime=2026-12-01T11%3A00%3A00.000Z&method=multibanco`,
        status: 200,
        at: '2026-12-01T11:00:00.000Z',
      },
    ]);
    expect(
      await sandbox.queryStatus({ method: 'multibanco', requestId: issued.requestId, orderRef: 'ORD-0001' }),
    ).toEqual({ status: 'paid', amountCents: 1250, paidAt: new Date('2026-12-01T11:00:00.000Z') });
    expect(() => sandbox.pay(issued.requestId)).toThrow(SandboxError);
    expect(sandbox.requests()[0]).toMatchObject({ status: 'paid', paidAt: '2026-12-01T11:00:00.000Z' });
  });

  it('answers queryStatus pending, expired (lazily, by the clock) and unknown', async () => {
    const issued = await multibanco();
    const q = { method: 'multibanco' as const, requestId: issued.requestId, orderRef: 'A1B2C3' };
    expect(await sandbox.queryStatus(q)).toEqual({ status: 'pending' });
    expect(await sandbox.queryStatus({ ...q, orderRef: 'OTHER' })).toEqual({ status: 'unknown' });
    expect(await sandbox.queryStatus({ ...q, method: 'mbway' })).toEqual({ status: 'unknown' });
    expect(await sandbox.queryStatus({ ...q, requestId: 'sbx_0000' })).toEqual({ status: 'unknown' });
    clock = expiresAt.getTime();
    expect(await sandbox.queryStatus(q)).toEqual({ status: 'expired' });
    expect(() => sandbox.pay(issued.requestId)).toThrow(
      expect.objectContaining({ code: 'sandbox_not_payable' }) as Error,
    );
    expect(() => sandbox.pay('sbx_nope')).toThrow(
      expect.objectContaining({ code: 'sandbox_request_not_found' }) as Error,
    );
  });

  it('duplicate: 2 delivers three identical callbacks', async () => {
    const issued = await multibanco();
    sandbox.pay(issued.requestId, { duplicate: 2 });
    await sandbox.idle();
    expect(receiver.hits).toHaveLength(3);
    const [a, b, c] = receiver.hits.map((h) => h.toString());
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(sandbox.deliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 200],
      [1, 200],
      [1, 200],
    ]);
  });

  it('retries until HTTP 200: 500, 500, 200 → three attempts', async () => {
    receiver.statuses.push(500, 500);
    const issued = await multibanco();
    sandbox.pay(issued.requestId);
    await sandbox.idle();
    expect(receiver.hits).toHaveLength(3);
    expect(sandbox.deliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });

  it('treats 204 and redirects as failures and gives up after 1 + retryDelaysMs.length attempts', async () => {
    receiver.statuses.push(204, 302, 503, 500);
    const issued = await multibanco();
    sandbox.pay(issued.requestId);
    await sandbox.idle();
    expect(sandbox.deliveries().map((d) => d.status)).toEqual([204, 302, 503, 500]);
    expect(receiver.hits).toHaveLength(4);
  });

  it('records a network error when nothing listens, and retries it', async () => {
    const gone = await startReceiver();
    await gone.close();
    const s = createSandboxProvider({ callbackUrl: gone.url, antiPhishingKey: KEY, retryDelaysMs: [5] });
    const issued = await s.createMultibanco({
      orderRef: 'A',
      amountCents: 500,
      expiresAt: new Date(Date.now() + 60_000),
    });
    s.pay(issued.requestId);
    await s.idle();
    expect(s.deliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 'network_error'],
      [2, 'network_error'],
    ]);
    s.close();
  });

  it('tamperKey: what arrives fails parseCallback with callback_key_invalid', async () => {
    const issued = await multibanco();
    sandbox.pay(issued.requestId, { tamperKey: true });
    await sandbox.idle();
    expect(receiver.hits).toHaveLength(1);
    expect(receiver.hits[0]!.get('key')).not.toBe(KEY);
    expect(sandbox.parseCallback(receiver.hits[0]!)).toEqual({
      ok: false,
      code: 'callback_key_invalid',
      message: 'anti-phishing key missing or wrong',
    });
  });

  it('tamperAmountCents: the callback claims the tampered amount; the status keeps the real one', async () => {
    const issued = await multibanco(1250);
    sandbox.pay(issued.requestId, { tamperAmountCents: 999 });
    await sandbox.idle();
    expect(receiver.hits[0]!.get('amount')).toBe('9.99');
    const parsed = sandbox.parseCallback(receiver.hits[0]!);
    expect(parsed.ok && parsed.callback.amountCents).toBe(999);
    expect(
      await sandbox.queryStatus({ method: 'multibanco', requestId: issued.requestId, orderRef: 'A1B2C3' }),
    ).toMatchObject({ status: 'paid', amountCents: 1250 });
  });

  it('drop: paid at the provider, no callback at all', async () => {
    const issued = await multibanco();
    sandbox.pay(issued.requestId, { drop: true });
    await sandbox.idle();
    expect(receiver.hits).toHaveLength(0);
    expect(sandbox.deliveries()).toEqual([]);
    expect(
      await sandbox.queryStatus({ method: 'multibanco', requestId: issued.requestId, orderRef: 'A1B2C3' }),
    ).toEqual({ status: 'paid', amountCents: 1250, paidAt: new Date(T0) });
  });

  it('delayMs waits before delivering; stale re-delivers the same callback after the delay', async () => {
    const issued = await multibanco();
    const started = Date.now();
    sandbox.pay(issued.requestId, { delayMs: 300 });
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.hits).toHaveLength(0);
    await sandbox.idle();
    expect(receiver.hits).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    // stale: the first copy goes at once; the same callback comes again after delayMs.
    const second = await multibanco(2000, 'ORD-2');
    const paidAt = Date.now();
    sandbox.pay(second.requestId, { stale: true, delayMs: 500 });
    while (receiver.hits.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(Date.now() - paidAt).toBeLessThan(500);
    expect(receiver.hits).toHaveLength(2);
    await sandbox.idle();
    expect(Date.now() - paidAt).toBeGreaterThanOrEqual(490);
    expect(receiver.hits).toHaveLength(3);
    expect(receiver.hits[2]!.toString()).toBe(receiver.hits[1]!.toString());
  });

  it('deliverStale re-sends a paid request’s callback, and a late one for an expired request', async () => {
    const paid = await multibanco(1250, 'PAID');
    sandbox.pay(paid.requestId);
    await sandbox.idle();
    clock = T0 + 60_000;
    sandbox.deliverStale(paid.requestId);
    await sandbox.idle();
    expect(receiver.hits).toHaveLength(2);
    expect(receiver.hits[1]!.toString()).toBe(receiver.hits[0]!.toString());

    const late = await multibanco(3000, 'LATE');
    expect(() => sandbox.deliverStale(late.requestId)).toThrow(
      expect.objectContaining({ code: 'sandbox_not_payable' }) as Error,
    );
    clock = expiresAt.getTime() + 1;
    sandbox.deliverStale(late.requestId);
    await sandbox.idle();
    expect(receiver.hits[2]!.get('requestId')).toBe(late.requestId);
    expect(receiver.hits[2]!.get('amount')).toBe('30.00');
    expect(receiver.hits[2]!.get('payment_datetime')).toBe('2026-12-04T09:59:59.000Z');
  });

  it('MB WAY: accept on the injected clock delivers an mbway callback (no entity or reference)', async () => {
    const req = await sandbox.requestMbway({
      orderRef: 'MBW-1',
      amountCents: 4500,
      phone: '351#912345678',
      description: 'Consulta',
    });
    expect(req.expiresAt.toISOString()).toBe('2026-12-01T10:04:00.000Z');
    expect(sandbox.requests()[0]).toMatchObject({
      method: 'mbway',
      phoneMasked: '+351 9•• ••• 678',
      status: 'pending',
      entity: null,
      reference: null,
    });
    clock = T0 + 239_999;
    sandbox.acceptMbway(req.requestId);
    await sandbox.idle();
    expect(Object.fromEntries(receiver.hits[0]!)).toEqual({
      key: KEY,
      orderId: 'MBW-1',
      amount: '45.00',
      requestId: req.requestId,
      payment_datetime: '2026-12-01T10:03:59.999Z',
      method: 'mbway',
    });
    expect(
      await sandbox.queryStatus({ method: 'mbway', requestId: req.requestId, orderRef: 'MBW-1' }),
    ).toEqual({
      status: 'paid',
      amountCents: 4500,
      paidAt: new Date(T0 + 239_999),
    });
    expect(() => sandbox.pay(req.requestId)).toThrow(
      expect.objectContaining({ code: 'sandbox_wrong_method' }) as Error,
    );
  });

  it('MB WAY: reject sends no callback; the window passing expires it', async () => {
    const mk = (orderRef: string) =>
      sandbox.requestMbway({ orderRef, amountCents: 1000, phone: '351#962345678', description: 'x' });
    const rejected = await mk('R');
    sandbox.rejectMbway(rejected.requestId);
    await sandbox.idle();
    expect(receiver.hits).toHaveLength(0);
    expect(
      await sandbox.queryStatus({ method: 'mbway', requestId: rejected.requestId, orderRef: 'R' }),
    ).toEqual({
      status: 'rejected',
    });

    const expiring = await mk('E');
    clock = T0 + 4 * 60_000;
    expect(
      await sandbox.queryStatus({ method: 'mbway', requestId: expiring.requestId, orderRef: 'E' }),
    ).toEqual({
      status: 'expired',
    });
    expect(() => sandbox.acceptMbway(expiring.requestId)).toThrow(
      expect.objectContaining({ code: 'sandbox_not_payable' }) as Error,
    );
  });

  it('MB WAY magic numbers: 910000001 accepts after 1 s, 910000002 rejects, 910000003 stays silent', async () => {
    const mk = (n: string) =>
      sandbox.requestMbway({ orderRef: n.slice(-1), amountCents: 700, phone: `351#${n}`, description: 'x' });
    const started = Date.now();
    const accepts = await mk('910000001');
    const rejects = await mk('910000002');
    const silent = await mk('910000003');
    expect(sandbox.requests().map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    await sandbox.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(AUTO_ANSWER_MS - 20);
    expect(
      (await sandbox.queryStatus({ method: 'mbway', requestId: accepts.requestId, orderRef: '1' })).status,
    ).toBe('paid');
    expect(
      (await sandbox.queryStatus({ method: 'mbway', requestId: rejects.requestId, orderRef: '2' })).status,
    ).toBe('rejected');
    expect(
      (await sandbox.queryStatus({ method: 'mbway', requestId: silent.requestId, orderRef: '3' })).status,
    ).toBe('pending');
    expect(receiver.hits.map((h) => h.get('requestId'))).toEqual([accepts.requestId]);
    clock = T0 + 4 * 60_000;
    expect(
      (await sandbox.queryStatus({ method: 'mbway', requestId: silent.requestId, orderRef: '3' })).status,
    ).toBe('expired');
  });

  it('payment link: a hosted URL on the callback origin; paying it sends a link callback', async () => {
    const link = await sandbox.createPaymentLink({
      orderRef: 'LNK-1',
      amountCents: 3500,
      description: 'Fisioterapia',
      expiresAt,
      returnUrl: 'http://127.0.0.1:5173/pay/abc',
    });
    expect(link.url).toBe(`${new URL(receiver.url).origin}/dev/payments/link/${link.requestId}`);
    sandbox.pay(link.requestId);
    await sandbox.idle();
    expect(Object.fromEntries(receiver.hits[0]!)).toEqual({
      key: KEY,
      orderId: 'LNK-1',
      amount: '35.00',
      requestId: link.requestId,
      payment_datetime: '2026-12-01T10:00:00.000Z',
      method: 'link',
    });
    expect(sandbox.parseCallback(receiver.hits[0]!)).toEqual({
      ok: true,
      callback: {
        requestId: link.requestId,
        orderRef: 'LNK-1',
        amountCents: 3500,
        method: 'link',
        paidAt: new Date(T0),
      },
    });
  });

  it('close() stops pending retries and idle() then resolves at once', async () => {
    const s = createSandboxProvider({
      callbackUrl: receiver.url,
      antiPhishingKey: KEY,
      retryDelaysMs: [60_000],
    });
    receiver.statuses.push(500);
    const issued = await s.createMultibanco({
      orderRef: 'A',
      amountCents: 500,
      expiresAt: new Date(Date.now() + 60_000),
    });
    s.pay(issued.requestId);
    while (s.deliveries().length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    s.close();
    await s.idle();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(s.deliveries().map((d) => d.status)).toEqual([500]);
  });
});

describe('sandbox callback parsing', () => {
  const sandbox = createSandboxProvider({ callbackUrl: 'http://127.0.0.1:9/cb', antiPhishingKey: KEY });
  const base = {
    key: KEY,
    orderId: 'ORD-1',
    amount: '12.50',
    requestId: 'sbx_0123456789abcdef',
    entity: '12345',
    reference: '123000118',
    payment_datetime: '2026-12-01T10:00:00.000Z',
    method: 'multibanco',
  };
  const parse = (over: Record<string, string | null>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...base, ...over })) if (v !== null) p.set(k, v);
    return sandbox.parseCallback(p);
  };
  const amountOf = (amount: string) => {
    const r = parse({ amount });
    return r.ok ? r.callback.amountCents : r.code;
  };

  it('parses amounts exactly: two decimals required, no grouping', () => {
    expect(amountOf('12.50')).toBe(1250);
    expect(amountOf('0.10')).toBe(10);
    expect(amountOf('0.29')).toBe(29);
    expect(amountOf('1000.00')).toBe(100000);
    expect(amountOf('999999.99')).toBe(99999999);
    for (const bad of [
      '12.5',
      '12',
      '012.50',
      '1,000.00',
      '12,50',
      '-1.00',
      ' 1.00',
      '1.005',
      '',
      '1e3.00',
    ]) {
      expect(amountOf(bad)).toBe('validation_failed');
    }
    expect(parseCallbackAmount('12.5')).toBeNull();
    expect(centsToCallbackAmount(10)).toBe('0.10');
    expect(centsToCallbackAmount(100000)).toBe('1000.00');
  });

  it('checks the key first, in constant time over digests (any length)', () => {
    expect(parse({})).toMatchObject({ ok: true });
    expect(parse({ key: null })).toMatchObject({ ok: false, code: 'callback_key_invalid' });
    expect(parse({ key: '' })).toMatchObject({ ok: false, code: 'callback_key_invalid' });
    expect(parse({ key: KEY + 'x' })).toMatchObject({ ok: false, code: 'callback_key_invalid' });
    expect(parse({ key: 'short', amount: 'garbage' })).toMatchObject({
      ok: false,
      code: 'callback_key_invalid',
    });
  });

  it('rejects malformed fields with validation_failed', () => {
    const failures: Record<string, string | null>[] = [
      { method: 'card' },
      { method: null },
      { requestId: null },
      { requestId: 'has space' },
      { payment_datetime: '2026-12-01 10:00:00' },
      { payment_datetime: '2026-12-01T10:00:00+01:00' },
      { payment_datetime: '2026-13-01T10:00:00Z' },
      { entity: '1234' },
      { reference: '12300011' },
      { orderId: 'X'.repeat(16) },
    ];
    for (const over of failures) expect(parse(over)).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(parse({ orderId: null, method: 'mbway', entity: null, reference: null })).toEqual({
      ok: true,
      callback: {
        requestId: 'sbx_0123456789abcdef',
        orderRef: null,
        amountCents: 1250,
        method: 'mbway',
        paidAt: new Date('2026-12-01T10:00:00.000Z'),
      },
    });
  });
});
