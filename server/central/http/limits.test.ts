/**
 * Medium tests of the central API's request limits and response headers (issue 13, docs/security.md):
 * a null, malformed or foreign Origin on every write route is 403, never 500; one JSON body limit on
 * /api (413 before reading a 256 MiB declared body); a body that is not JSON is 415; clinic-sync and
 * admin credentials need the exact `Bearer ` scheme; security headers (HSTS only over HTTPS); per-address
 * rate limits with an injected clock, shared by two instances on one database; the hourly sweep of
 * forgiven throttle rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThrottle } from '../db/schema.ts';
import { runJobsOnce } from '../jobs.ts';
import {
  createTestCentral,
  openSecondInstance,
  TEST_ADMIN_TOKEN,
  TEST_ORIGIN,
  type TestCentral,
} from '../testing/harness.ts';

let t: TestCentral;
beforeAll(async () => {
  t = await createTestCentral('pglite');
});
afterAll(() => t.close());

const ID = '01a23448-bca4-7586-9dd9-a902fa0ec437';
const call = async (
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: BodyInit,
): Promise<Response> =>
  t.app.request(`${TEST_ORIGIN}${path}`, { method, headers, body, duplex: 'half' } as RequestInit);

describe('Origin on write routes', () => {
  it('answers 403 forbidden, never 500, to a null, malformed or foreign Origin on every write route', async () => {
    const writes = [
      ...new Set(
        t.app.routes
          .filter((r) => r.path.startsWith('/api/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(writes.length).toBeGreaterThan(25);
    for (const key of writes) {
      const [method, route] = key.split(' ') as [string, string];
      const url = route.replace(/:[a-zA-Z]+/g, ID);
      for (const origin of [
        'null',
        'http://[',
        '::::',
        'https://evil.example',
        `${TEST_ORIGIN}.evil.example`,
      ]) {
        const res = await call(method, url, { origin, 'content-type': 'application/json' }, '{}');
        expect([key, origin, res.status]).toEqual([key, origin, 403]);
        expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
    }
  });
});

describe('JSON body limit and Content-Type', () => {
  it('refuses a declared 256 MiB body with 413 before reading it, and a chunked one past 64 KiB', async () => {
    let pulled = 0;
    const lazy = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 1;
          controller.enqueue(new TextEncoder().encode('{}'));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const declared = await call(
      'POST',
      '/api/account/password/forgot',
      { 'content-type': 'application/json', 'content-length': String(256 * 1024 * 1024) },
      lazy,
    );
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      error: { code: 'payload_too_large', details: { maxBytes: 65536 } },
    });
    expect(pulled).toBe(0);

    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        sent += 16 * 1024;
      },
    });
    const chunked = await call('POST', '/api/holds', { 'content-type': 'application/json' }, endless);
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThanOrEqual(64 * 1024 + 2 * 16 * 1024);
  });

  it('answers 415 unsupported_media_type to a JSON route written as text/plain, a form or with no type', async () => {
    const body = JSON.stringify({ email: 'ana@example.pt', password: 'correct horse battery' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', null]) {
      const bytes = new TextEncoder().encode(body); // no Content-Type of its own, unlike a string body
      const res = await call('POST', '/api/account/login', type ? { 'content-type': type } : {}, bytes);
      expect([type, res.status]).toEqual([type, 415]);
      expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    }
  });
});

describe('Bearer scheme', () => {
  it('refuses the admin token and a clinic credential without "Bearer ", in lower case or as Basic', async () => {
    const admin = `/api/admin/clinics/${ID}/pairing-codes`;
    for (const authorization of [
      TEST_ADMIN_TOKEN,
      `bearer ${TEST_ADMIN_TOKEN}`,
      `Basic ${TEST_ADMIN_TOKEN}`,
    ]) {
      const res = await call('POST', admin, { authorization });
      expect([authorization.slice(0, 7), res.status]).toEqual([authorization.slice(0, 7), 401]);
    }
    const credential = 'c'.repeat(43);
    for (const authorization of [credential, `bearer ${credential}`, `Token ${credential}`]) {
      const res = await call('POST', '/api/sync/credential/rotate', {
        authorization,
        'x-cfd-sync-protocol': '1',
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'sync_credential_invalid' } });
    }
  });
});

describe('security headers', () => {
  const names = [
    'x-content-type-options',
    'referrer-policy',
    'cross-origin-opener-policy',
    'x-frame-options',
    'permissions-policy',
  ];
  const common = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
  const pick = (res: Response) => Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));

  it('sends nosniff, no-referrer, COOP and a deny-all CSP on API answers; HSTS only over HTTPS', async () => {
    const api = await call('GET', '/api/health', {});
    expect(pick(api)).toEqual(common);
    expect(api.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(api.headers.get('strict-transport-security')).toBeNull();
    const proxied = await call('GET', '/api/health', { 'x-forwarded-proto': 'https' });
    expect(proxied.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const https = await t.app.request('https://central.example/api/health');
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('gives the Swagger UI page its own CSP: scripts from our origin only, not framable', async () => {
    const docs = await call('GET', '/docs', {});
    expect(docs.status).toBe(200);
    expect(pick(docs)).toEqual(common);
    const csp = docs.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
  });
});

describe('rate limits (per client address, injected clock)', () => {
  const from = (ip: string) => ({ 'x-forwarded-for': ip, 'content-type': 'application/json' });
  const statuses = async (n: number, send: () => Response | Promise<Response>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send()).status);
    return out;
  };

  it('sign-up: 10 per address per hour, then 429 rate_limited with Retry-After; another address is not counted', async () => {
    const signup = (ip: string) => call('POST', '/api/account/signup', from(ip), '{}');
    expect(await statuses(10, () => signup('198.51.100.1'))).toEqual(Array(10).fill(400));
    t.clock.advance(20 * 60_000);
    const refused = await signup('198.51.100.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(40 * 60));
    expect(await refused.json()).toMatchObject({
      error: { code: 'rate_limited', details: { retryAfterSec: 40 * 60 } },
    });
    expect((await signup('198.51.100.2')).status).toBe(400);
    t.clock.advance(40 * 60_000);
    expect((await signup('198.51.100.1')).status).toBe(400);
  });

  it('password reset (request and submit together): 10 per address per 15 min', async () => {
    const ip = '198.51.100.3';
    const forgot = () => call('POST', '/api/account/password/forgot', from(ip), '{}');
    const reset = () => call('POST', '/api/account/password/reset', from(ip), '{}');
    expect(await statuses(5, forgot)).toEqual(Array(5).fill(400));
    expect(await statuses(5, reset)).toEqual(Array(5).fill(400));
    const refused = await forgot();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(15 * 60));
    t.clock.advance(15 * 60_000);
    expect((await reset()).status).toBe(400);
  });

  it('payment-link views: 60 per address per minute, counted across instances (PostgreSQL)', async () => {
    const second = await openSecondInstance(t);
    const path = '/api/pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const headers = from('198.51.100.4');
    const viewOn = (app: TestCentral['app']) => () =>
      app.request(`${TEST_ORIGIN}${path}`, { headers }) as Promise<Response>;
    const first = [...(await statuses(30, viewOn(t.app))), ...(await statuses(30, viewOn(second.app)))];
    expect(first.every((s) => s !== 429)).toBe(true);
    const refused = await viewOn(second.app)();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect((await viewOn(t.app)()).status).toBe(429);
    t.clock.advance(60_000);
    expect((await viewOn(t.app)()).status).not.toBe(429);
    await second.close();
  });
});

describe('throttle table sweep', () => {
  it('deletes rate-limit and login rows whose window and lock ended over 24 h ago, once an hour, keeping the rest', async () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000);
    await t.deps.db.delete(loginThrottle);
    await t.deps.db.insert(loginThrottle).values([
      { key: 'rl:signup:203.0.113.1', failures: 3, windowStartedAt: at(25), lockedUntil: null },
      { key: 'rl:signup:203.0.113.2', failures: 3, windowStartedAt: at(23), lockedUntil: null },
      { key: 'acct:old@example.com', failures: 12, windowStartedAt: at(30), lockedUntil: at(26) },
      // Its window is old but its lock ended 23 h ago: kept until 24 h after the lock.
      { key: 'acct:locked@example.com', failures: 14, windowStartedAt: at(30), lockedUntil: at(23) },
      { key: 'ip:198.51.100.7', failures: 1, windowStartedAt: at(0.1), lockedUntil: null },
    ]);
    const keys = async () =>
      (await t.deps.db.select({ key: loginThrottle.key }).from(loginThrottle)).map((r) => r.key).sort();
    const deps = { ...t.deps, now: () => now };
    await runJobsOnce(deps);
    expect(await keys()).toEqual(['acct:locked@example.com', 'ip:198.51.100.7', 'rl:signup:203.0.113.2']);
    // An old row added now survives the pass half an hour later (the sweep runs once an hour per
    // instance); the pass two and a half hours on deletes it and the rows that have since passed 24 h.
    await t.deps.db.insert(loginThrottle).values({
      key: 'rl:reset:203.0.113.3',
      failures: 1,
      windowStartedAt: at(48),
      lockedUntil: null,
    });
    deps.now = () => now + 30 * 60_000;
    await runJobsOnce(deps);
    expect(await keys()).toContain('rl:reset:203.0.113.3');
    deps.now = () => now + 2.5 * 3_600_000;
    await runJobsOnce(deps);
    expect(await keys()).toEqual(['ip:198.51.100.7']);
  });
});
