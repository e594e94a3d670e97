/**
 * Tests for the ifthenpay provider (ifthenpay.ts) against a real local HTTP server (node:http on
 * 127.0.0.1, port 0) that answers as ifthenpay's documentation shows: the exact paths, keys and bodies we
 * send, the answers we read, HTTP and network failures, and callback verification and parsing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  centsToIfthenpayAmount,
  createIfthenpayProvider,
  ifthenpayConfigFromEnv,
  ifthenpayExpiryDays,
  parseIfthenpayAmount,
  parseIfthenpayDateTime,
  type IfthenpayConfig,
} from './ifthenpay.ts';
import { ProviderError, type PaymentProvider } from './provider.ts';

/** One request the fake ifthenpay received. */
interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: unknown;
}

/** What the fake answers: a status and a raw body, or 'hang' (never answer). */
type Reply = { status: number; body: string } | 'hang';

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: (s: Seen) => Reply = () => ({ status: 404, body: '' });

const json = (value: unknown, status = 200): Reply => ({ status, body: JSON.stringify(value) });

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      const s: Seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'],
        body: raw === '' ? undefined : JSON.parse(raw),
      };
      seen.push(s);
      const r = reply(s);
      if (r === 'hang') return;
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  reply = () => ({ status: 404, body: '' });
});

const NOW = new Date('2026-12-01T13:00:00Z');
const KEYS = {
  mbKey: 'MBK-TEST01',
  mbwayKey: 'MBW-TEST02',
  gatewayKey: 'GWK-TEST03',
  antiPhishingKey: 'APK-secret-0123456789',
};

function provider(extra: Partial<IfthenpayConfig> = {}): PaymentProvider {
  return createIfthenpayProvider({ ...KEYS, baseUrl, now: () => NOW, timeoutMs: 2000, ...extra });
}

/** Awaits `promise`, expecting a ProviderError; returns its fields for exact comparison. */
async function providerError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  const e = error as ProviderError;
  return { message: e.message, retryable: e.retryable, providerCode: e.providerCode };
}

describe('createMultibanco', () => {
  const request = { orderRef: 'A1B2C3', amountCents: 43211, expiresAt: new Date('2026-12-04T10:00:00Z') };
  const answer = {
    Amount: '432.11',
    Entity: '90150',
    ExpiryDate: '04-12-2026',
    Message: 'Success',
    OrderId: 'A1B2C3',
    Reference: '123123451',
    RequestId: 'mb5Fq2ZbT0kLx9',
    Status: '0',
  };

  it('posts mbKey, orderId, amount and expiryDays and reads the reference', async () => {
    reply = () => json(answer);
    const issued = await provider().createMultibanco(request);
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/multibanco/reference/init',
        query: {},
        contentType: 'application/json',
        body: { mbKey: 'MBK-TEST01', orderId: 'A1B2C3', amount: '432.11', expiryDays: 3 },
      },
    ]);
    expect(issued).toEqual({
      requestId: 'mb5Fq2ZbT0kLx9',
      entity: '90150',
      reference: '123123451',
      amountCents: 43211,
      // ExpiryDate 04-12-2026 = payable until midnight at the end of that day, Lisbon (UTC+0 in December).
      expiresAt: new Date('2026-12-05T00:00:00Z'),
    });
  });

  it('accepts the numeric Amount, Entity and OrderId of the API reference example', async () => {
    reply = () =>
      json({
        Amount: 10.99,
        Entity: 11990,
        ExpiryDate: '30-10-2021',
        Message: 'Success',
        OrderId: 1887,
        Reference: '000000291',
        RequestId: '5Qd8gtWLAEUJ6n0lkS5g',
        Status: '0',
      });
    const issued = await provider().createMultibanco({ ...request, orderRef: '1887', amountCents: 1099 });
    expect(issued).toEqual({
      requestId: '5Qd8gtWLAEUJ6n0lkS5g',
      entity: '11990',
      reference: '000000291',
      amountCents: 1099,
      // Midnight at the end of 30 October 2021 in Lisbon, still summer time (UTC+1).
      expiresAt: new Date('2021-10-30T23:00:00Z'),
    });
  });

  it('reads a summer ExpiryDate in Lisbon time (UTC+1)', async () => {
    reply = () => json({ ...answer, ExpiryDate: '15-07-2026' });
    const issued = await provider().createMultibanco(request);
    expect(issued.expiresAt).toEqual(new Date('2026-07-15T23:00:00Z'));
  });

  it('without an ExpiryDate, reports the end of today + expiryDays', async () => {
    reply = () => json({ ...answer, ExpiryDate: '' });
    const issued = await provider().createMultibanco(request);
    expect(issued.expiresAt).toEqual(new Date('2026-12-05T00:00:00Z'));
  });

  it('strips spaces from a printed reference', async () => {
    reply = () => json({ ...answer, Reference: '123 123 451' });
    expect((await provider().createMultibanco(request)).reference).toBe('123123451');
  });

  it('a Status other than "0" is a non-retryable refusal carrying the code', async () => {
    reply = () => json({ Status: '-1', Message: 'Invalid mbKey' });
    expect(await providerError(provider().createMultibanco(request))).toEqual({
      message: 'ifthenpay Multibanco reference: refused: Invalid mbKey',
      retryable: false,
      providerCode: '-1',
    });
  });

  it('an answer for another amount is rejected', async () => {
    reply = () => json({ ...answer, Amount: '432.12' });
    expect(await providerError(provider().createMultibanco(request))).toEqual({
      message: 'ifthenpay Multibanco reference: amount "432.12" differs from 43211 cents',
      retryable: false,
      providerCode: 'bad_response',
    });
  });

  it('a malformed reference is rejected', async () => {
    reply = () => json({ ...answer, Reference: '12312345' });
    expect(await providerError(provider().createMultibanco(request))).toEqual({
      message: 'ifthenpay Multibanco reference: reference is not 9 digits: "12312345"',
      retryable: false,
      providerCode: 'bad_response',
    });
  });

  it('HTTP 500 is a retryable ProviderError', async () => {
    reply = () => ({ status: 500, body: 'Internal Server Error' });
    expect(await providerError(provider().createMultibanco(request))).toEqual({
      message: 'ifthenpay Multibanco reference: HTTP 500 Internal Server Error',
      retryable: true,
      providerCode: 'http_500',
    });
  });

  it('HTTP 400 is not retryable', async () => {
    reply = () => ({ status: 400, body: '' });
    expect(await providerError(provider().createMultibanco(request))).toEqual({
      message: 'ifthenpay Multibanco reference: HTTP 400',
      retryable: false,
      providerCode: 'http_400',
    });
  });

  it('malformed JSON is a non-retryable bad_response', async () => {
    reply = () => ({ status: 200, body: '{"Status": "0", "Entity": ' });
    expect(await providerError(provider().createMultibanco(request))).toEqual({
      message: 'ifthenpay Multibanco reference: answer is not JSON: {"Status": "0", "Entity": ',
      retryable: false,
      providerCode: 'bad_response',
    });
  });

  it('JSON of the wrong shape is a non-retryable bad_response', async () => {
    reply = () => json(['0']);
    expect(await providerError(provider().createMultibanco(request))).toEqual({
      message: 'ifthenpay Multibanco reference: unexpected answer: ["0"]',
      retryable: false,
      providerCode: 'bad_response',
    });
  });

  it('an amount out of range is refused before any call', async () => {
    expect(await providerError(provider().createMultibanco({ ...request, amountCents: 0 }))).toEqual({
      message: 'Multibanco amount must be 1…99999999 cents, got 0',
      retryable: false,
      providerCode: 'invalid_request',
    });
    expect(seen).toEqual([]);
  });
});

describe('network failures', () => {
  it('a closed port is a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await providerError(
      provider({ baseUrl: `http://127.0.0.1:${port}` }).requestMbway({
        orderRef: 'A1',
        amountCents: 100,
        phone: '351#912345678',
        description: 'x',
      }),
    );
    expect(error.retryable).toBe(true);
    expect(error.providerCode).toBe('network');
    expect(error.message.startsWith('ifthenpay MB WAY request: unreachable (')).toBe(true);
  });

  it('no answer within timeoutMs is a retryable timeout', async () => {
    reply = () => 'hang';
    expect(
      await providerError(
        provider({ timeoutMs: 150 }).queryStatus({ method: 'mbway', requestId: 'r1', orderRef: 'A1' }),
      ),
    ).toEqual({
      message: 'ifthenpay MB WAY status: no answer within 150 ms',
      retryable: true,
      providerCode: 'timeout',
    });
  });
});

describe('requestMbway', () => {
  const request = {
    orderRef: 'A1B2C3',
    amountCents: 10050,
    phone: '351#912345678',
    description: 'Consulta de fisioterapia, 1 Dez',
  };

  it('posts the documented body and answers the request id and the 4-minute window', async () => {
    reply = () =>
      json({
        Amount: '100.50',
        Message: 'Pending',
        OrderId: 'A1B2C3',
        RequestId: 'i2szvoUfPYBMWdSxqO3n',
        Status: '000',
      });
    const issued = await provider().requestMbway(request);
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/spg/payment/mbway',
        query: {},
        contentType: 'application/json',
        body: {
          mbWayKey: 'MBW-TEST02',
          orderId: 'A1B2C3',
          amount: '100.50',
          mobileNumber: '351#912345678',
          email: '',
          description: 'Consulta de fisioterapia, 1 Dez',
        },
      },
    ]);
    expect(issued).toEqual({
      requestId: 'i2szvoUfPYBMWdSxqO3n',
      expiresAt: new Date('2026-12-01T13:04:00Z'),
    });
  });

  it('sends the email and cuts the description to 100 characters', async () => {
    reply = () => json({ RequestId: 'r2', Status: '000', Message: 'Pending' });
    await provider().requestMbway({ ...request, email: 'ana@example.pt', description: 'd'.repeat(120) });
    expect(seen[0]!.body).toEqual({
      mbWayKey: 'MBW-TEST02',
      orderId: 'A1B2C3',
      amount: '100.50',
      mobileNumber: '351#912345678',
      email: 'ana@example.pt',
      description: 'd'.repeat(100),
    });
  });

  it('122 (declined) is not retryable; 100 and 999 are', async () => {
    reply = () => json({ Status: '122', Message: 'Transação recusada ao utilizador' });
    expect(await providerError(provider().requestMbway(request))).toEqual({
      message: 'ifthenpay MB WAY request: refused (122): Transação recusada ao utilizador',
      retryable: false,
      providerCode: '122',
    });
    reply = () => json({ Status: '999', Message: 'Error' });
    expect(await providerError(provider().requestMbway(request))).toEqual({
      message: 'ifthenpay MB WAY request: refused (999): Error',
      retryable: true,
      providerCode: '999',
    });
    reply = () => json({ Status: 100 });
    expect(await providerError(provider().requestMbway(request))).toEqual({
      message: 'ifthenpay MB WAY request: refused (100): (no message)',
      retryable: true,
      providerCode: '100',
    });
  });

  it('an orderRef over 15 characters or a phone not in wire format is refused before any call', async () => {
    expect(
      await providerError(provider().requestMbway({ ...request, orderRef: '1234567890123456' })),
    ).toEqual({
      message: 'orderRef must be 1–15 characters, got 16',
      retryable: false,
      providerCode: 'invalid_request',
    });
    expect(await providerError(provider().requestMbway({ ...request, phone: '912345678' }))).toEqual({
      message: 'phone must be in the wire format CC#number (see domain/payments/phone.ts)',
      retryable: false,
      providerCode: 'invalid_request',
    });
    expect(seen).toEqual([]);
  });
});

describe('queryStatus', () => {
  const q = { method: 'mbway' as const, requestId: 'i2szvoUfPYBMWdSxqO3n', orderRef: 'A1B2C3' };
  const statusAnswer = (Status: string, Message: string) => ({
    CreatedAt: '01-12-2026 13:00:05',
    Message,
    RequestId: 'i2szvoUfPYBMWdSxqO3n',
    Status,
    UpdateAt: '01-12-2026 13:02:10',
  });

  it('GETs the status with mbWayKey and requestId; 000 = paid at UpdateAt (Lisbon)', async () => {
    reply = () => json(statusAnswer('000', 'Success'));
    expect(await provider().queryStatus(q)).toEqual({
      status: 'paid',
      paidAt: new Date('2026-12-01T13:02:10Z'),
    });
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/spg/payment/mbway/status',
        query: { mbWayKey: 'MBW-TEST02', requestId: 'i2szvoUfPYBMWdSxqO3n' },
        contentType: undefined,
        body: undefined,
      },
    ]);
  });

  it.each([
    ['020', 'Transaction rejected by the user', 'rejected'],
    ['122', 'Transaction declined to the user', 'rejected'],
    ['101', 'Transaction expired', 'expired'],
    ['123', 'Pending', 'pending'],
    ['888', 'Pending payment', 'pending'],
    ['999', 'Request not found', 'unknown'],
  ])('%s → %s', async (code, message, status) => {
    reply = () => json(statusAnswer(code, message));
    expect(await provider().queryStatus(q)).toEqual({ status });
  });

  it('Multibanco and links have no status query: unknown, without a call', async () => {
    expect(await provider().queryStatus({ ...q, method: 'multibanco' })).toEqual({ status: 'unknown' });
    expect(await provider().queryStatus({ ...q, method: 'link' })).toEqual({ status: 'unknown' });
    expect(seen).toEqual([]);
  });
});

describe('createPaymentLink', () => {
  const request = {
    orderRef: '1234',
    amountCents: 2150,
    description: 'Consulta 1 Dez',
    expiresAt: new Date('2026-12-05T00:00:00Z'),
    returnUrl: 'https://portal.example.pt/pay/tok',
  };

  it('posts to /gateway/pinpay/{gatewayKey} and answers the RedirectUrl and its id', async () => {
    reply = () =>
      json({
        PinCode: 1234567890,
        RedirectUrl: 'https://gateway.ifthenpay.com/url/r54aiUE1dX',
        PinpayUrl: 'https://pinpay.pt/1234567890',
      });
    expect(await provider().createPaymentLink(request)).toEqual({
      requestId: 'r54aiUE1dX',
      url: 'https://gateway.ifthenpay.com/url/r54aiUE1dX',
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/gateway/pinpay/GWK-TEST03',
        query: {},
        contentType: 'application/json',
        body: {
          id: '1234',
          amount: '21.50',
          description: 'Consulta 1 Dez',
          lang: 'pt',
          // expiresAt is midnight at the end of 4 December (Lisbon): the link's last day is the 4th.
          expiredate: '20261204',
          otp: 'true',
          success_url: 'https://portal.example.pt/pay/tok',
          error_url: 'https://portal.example.pt/pay/tok',
          cancel_url: 'https://portal.example.pt/pay/tok',
        },
      },
    ]);
  });

  it('an answer without a RedirectUrl URL is a non-retryable bad_response', async () => {
    reply = () => json({ Message: 'Invalid' });
    expect(await providerError(provider().createPaymentLink(request))).toEqual({
      message: 'ifthenpay payment link: unexpected answer: {"Message":"Invalid"}',
      retryable: false,
      providerCode: 'bad_response',
    });
    reply = () => json({ PinCode: 1, RedirectUrl: 'not a url' });
    expect(await providerError(provider().createPaymentLink(request))).toEqual({
      message: 'ifthenpay payment link: RedirectUrl is not a URL: "not a url"',
      retryable: false,
      providerCode: 'bad_response',
    });
  });

  it('without a gateway key it fails before any call', async () => {
    const p = createIfthenpayProvider({ mbKey: 'm', mbwayKey: 'w', antiPhishingKey: 'k', baseUrl });
    expect(await providerError(p.createPaymentLink(request))).toEqual({
      message: 'ifthenpay payment link: no gateway key configured',
      retryable: false,
      providerCode: 'not_configured',
    });
    expect(seen).toEqual([]);
  });
});

describe('parseCallback', () => {
  const mb = {
    key: KEYS.antiPhishingKey,
    orderId: 'A1B2C3',
    amount: '432.11',
    requestId: 'mb5Fq2ZbT0kLx9',
    entity: '90150',
    reference: '123123451',
    payment_datetime: '01-12-2026 13:05:00',
  };
  const mbway = {
    key: KEYS.antiPhishingKey,
    orderId: 'A1B2C3',
    amount: '100.50',
    requestId: 'i2szvoUfPYBMWdSxqO3n',
    payment_datetime: '15-07-2026 10:00:00',
  };
  const parse = (params: Record<string, string>) => provider().parseCallback(new URLSearchParams(params));
  const without = (params: Record<string, string>, name: string) =>
    Object.fromEntries(Object.entries(params).filter(([k]) => k !== name));

  it('right key, Multibanco: entity and reference, naive Lisbon time', () => {
    expect(parse(mb)).toEqual({
      ok: true,
      callback: {
        requestId: 'mb5Fq2ZbT0kLx9',
        orderRef: 'A1B2C3',
        amountCents: 43211,
        method: 'multibanco',
        paidAt: new Date('2026-12-01T13:05:00Z'),
        entity: '90150',
        reference: '123123451',
      },
    });
  });

  it('right key, MB WAY: no entity or reference; a summer time is UTC+1', () => {
    expect(parse(mbway)).toEqual({
      ok: true,
      callback: {
        requestId: 'i2szvoUfPYBMWdSxqO3n',
        orderRef: 'A1B2C3',
        amountCents: 10050,
        method: 'mbway',
        paidAt: new Date('2026-07-15T09:00:00Z'),
      },
    });
  });

  it('a query string as ifthenpay sends it (space as %20 or +) parses the same', () => {
    const query =
      `key=${KEYS.antiPhishingKey}&orderId=A1B2C3&amount=432.11&requestId=mb5Fq2ZbT0kLx9` +
      '&entity=90150&reference=123123451&payment_datetime=01-12-2026+13%3A05%3A00';
    expect(provider().parseCallback(new URLSearchParams(query))).toEqual(parse(mb));
  });

  it('a method parameter wins; ISO times with Z are read as written; no orderId → null', () => {
    expect(
      parse({ ...without(mbway, 'orderId'), method: 'link', payment_datetime: '2026-12-01T13:05:00.000Z' }),
    ).toEqual({
      ok: true,
      callback: {
        requestId: 'i2szvoUfPYBMWdSxqO3n',
        orderRef: null,
        amountCents: 10050,
        method: 'link',
        paidAt: new Date('2026-12-01T13:05:00Z'),
      },
    });
  });

  it('Pay By Link / PINPAY format: id and payment_method, no requestId → link, requestId = order id', () => {
    expect(
      parse({
        key: KEYS.antiPhishingKey,
        id: '1234',
        amount: '21.50',
        payment_datetime: '28-10-2021 10:55:21',
        payment_method: 'MBWAY',
      }),
    ).toEqual({
      ok: true,
      callback: {
        requestId: '1234',
        orderRef: '1234',
        amountCents: 2150,
        method: 'link',
        // 28 October 2021 was still summer time in Lisbon (UTC+1; the change was on the 31st).
        paidAt: new Date('2021-10-28T09:55:21Z'),
      },
    });
  });

  it('without payment_datetime the callback is dated now', () => {
    const parsed = parse(without(mbway, 'payment_datetime'));
    expect(parsed.ok && parsed.callback.paidAt).toEqual(NOW);
  });

  it.each([
    ['wrong key of the same length', { ...mb, key: 'APK-secret-0123456780' }],
    ['wrong-length key', { ...mb, key: 'APK' }],
    ['longer key with the right prefix', { ...mb, key: `${KEYS.antiPhishingKey}0` }],
    ['empty key', { ...mb, key: '' }],
    ['no key', without(mb, 'key')],
  ])('%s → callback_key_invalid', (_name, params) => {
    expect(parse(params)).toEqual({
      ok: false,
      code: 'callback_key_invalid',
      message: 'anti-phishing key missing or wrong',
    });
  });

  it('checks the key before anything else', () => {
    expect(parse({ key: 'nope', amount: 'garbage' })).toEqual({
      ok: false,
      code: 'callback_key_invalid',
      message: 'anti-phishing key missing or wrong',
    });
  });

  it.each([['12,50'], ['12.505'], ['-1.00'], [''], ['1e3'], [' 12.50'], ['12.'], ['.50'], ['1234567890.00']])(
    'malformed amount %j → validation_failed',
    (amount) => {
      expect(parse({ ...mb, amount })).toEqual({
        ok: false,
        code: 'validation_failed',
        message: `amount is not a decimal with '.': ${JSON.stringify(amount)}`,
      });
    },
  );

  it('missing or empty requestId → validation_failed', () => {
    const expected = { ok: false, code: 'validation_failed', message: 'requestId missing' };
    expect(parse(without(mb, 'requestId'))).toEqual(expected);
    expect(parse({ ...mb, requestId: ' ' })).toEqual(expected);
  });

  it('malformed entity, reference, method or date → validation_failed', () => {
    expect(parse({ ...mb, entity: '9015' })).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'entity is not 5 digits',
    });
    expect(parse({ ...mb, reference: '12312345X' })).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'reference is not 9 digits',
    });
    expect(parse({ ...mbway, method: 'multibanco' })).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'Multibanco callback without entity and reference',
    });
    expect(parse({ ...mbway, method: 'card' })).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'unknown method "card"',
    });
    expect(parse({ ...mb, payment_datetime: '31-02-2026 10:00:00' })).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'payment_datetime not understood: "31-02-2026 10:00:00"',
    });
  });
});

describe('amounts, dates and expiry', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1250, '12.50'],
    [43211, '432.11'],
    [99_999_999, '999999.99'],
  ])('centsToIfthenpayAmount(%i) = %s, and back', (cents, text) => {
    expect(centsToIfthenpayAmount(cents)).toBe(text);
    expect(parseIfthenpayAmount(text)).toBe(cents);
  });

  it('centsToIfthenpayAmount throws RangeError on non-integer or negative cents', () => {
    expect(() => centsToIfthenpayAmount(12.5)).toThrowError(
      new RangeError('amount must be non-negative integer cents, got 12.5'),
    );
    expect(() => centsToIfthenpayAmount(-1)).toThrowError(
      new RangeError('amount must be non-negative integer cents, got -1'),
    );
  });

  it('parseIfthenpayAmount reads digits: 0.29 is 29 cents (no float error), 12.5 and 12 too', () => {
    expect(parseIfthenpayAmount('0.29')).toBe(29);
    expect(parseIfthenpayAmount('12.5')).toBe(1250);
    expect(parseIfthenpayAmount('12')).toBe(1200);
    expect(parseIfthenpayAmount('12,50')).toBe(null);
  });

  it.each([
    ['01-12-2026 13:05:00', '2026-12-01T13:05:00.000Z'],
    ['01-12-2026 13:05', '2026-12-01T13:05:00.000Z'],
    ['2026-12-01 13:05:00', '2026-12-01T13:05:00.000Z'],
    ['15-07-2026 10:00:00', '2026-07-15T09:00:00.000Z'],
    ['2026-07-15T10:00:00', '2026-07-15T09:00:00.000Z'],
    ['2026-07-15T10:00:00+01:00', '2026-07-15T09:00:00.000Z'],
    ['2026-07-15T10:00:00Z', '2026-07-15T10:00:00.000Z'],
  ])('parseIfthenpayDateTime(%j) = %s', (input, iso) => {
    expect(parseIfthenpayDateTime(input)?.toISOString()).toBe(iso);
  });

  it.each([['31-02-2026 10:00:00'], ['01-13-2026 10:00:00'], ['01-12-2026 24:00:00'], ['yesterday'], ['']])(
    'parseIfthenpayDateTime(%j) = null',
    (input) => {
      expect(parseIfthenpayDateTime(input)).toBe(null);
    },
  );

  it.each([
    ['2026-12-04T10:00:00Z', 3],
    ['2026-12-01T20:00:00Z', 0],
    ['2026-12-02T00:00:00Z', 0],
    ['2026-12-02T00:00:01Z', 1],
    ['2026-11-30T10:00:00Z', 0],
    ['2027-01-01T10:00:00Z', 31],
    ['2027-01-02T10:00:00Z', 45],
    ['2027-03-01T10:00:00Z', 90],
    ['2030-01-01T10:00:00Z', 730],
  ])('ifthenpayExpiryDays(now, %s) = %i', (expiresAt, days) => {
    expect(ifthenpayExpiryDays(NOW, new Date(expiresAt))).toBe(days);
  });
});

describe('ifthenpayConfigFromEnv', () => {
  const env = {
    IFTHENPAY_MB_KEY: 'MBK-1',
    IFTHENPAY_MBWAY_KEY: 'MBW-2',
    IFTHENPAY_ANTI_PHISHING_KEY: 'APK-3',
  };

  it('reads the keys; the base URL defaults to https://api.ifthenpay.com', () => {
    expect(ifthenpayConfigFromEnv(env)).toEqual({
      baseUrl: 'https://api.ifthenpay.com',
      mbKey: 'MBK-1',
      mbwayKey: 'MBW-2',
      antiPhishingKey: 'APK-3',
    });
    expect(
      ifthenpayConfigFromEnv({
        ...env,
        IFTHENPAY_GATEWAY_KEY: 'GWK-4',
        IFTHENPAY_BASE_URL: 'https://sandbox.example.test',
      }),
    ).toEqual({
      baseUrl: 'https://sandbox.example.test',
      mbKey: 'MBK-1',
      mbwayKey: 'MBW-2',
      antiPhishingKey: 'APK-3',
      gatewayKey: 'GWK-4',
    });
  });

  it.each([['IFTHENPAY_MB_KEY'], ['IFTHENPAY_MBWAY_KEY'], ['IFTHENPAY_ANTI_PHISHING_KEY']])(
    'null when %s is unset or empty',
    (name) => {
      expect(ifthenpayConfigFromEnv({ ...env, [name]: undefined })).toBe(null);
      expect(ifthenpayConfigFromEnv({ ...env, [name]: '' })).toBe(null);
      expect(ifthenpayConfigFromEnv({ ...env, [name]: '  ' })).toBe(null);
    },
  );

  it('an empty gateway key or base URL counts as unset; a bad base URL throws', () => {
    expect(ifthenpayConfigFromEnv({ ...env, IFTHENPAY_GATEWAY_KEY: '', IFTHENPAY_BASE_URL: '' })).toEqual({
      baseUrl: 'https://api.ifthenpay.com',
      mbKey: 'MBK-1',
      mbwayKey: 'MBW-2',
      antiPhishingKey: 'APK-3',
    });
    expect(() => ifthenpayConfigFromEnv({ ...env, IFTHENPAY_BASE_URL: 'api.ifthenpay.com' })).toThrowError(
      new RangeError('IFTHENPAY_BASE_URL must be an http(s) URL, got "api.ifthenpay.com"'),
    );
  });
});
