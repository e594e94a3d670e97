/**
 * Medium tests of the local server's request limits and response headers (issue 13, docs/security.md):
 * a foreign, null or malformed Origin on every write route of the access matrix is 403, never 500; one
 * JSON body limit on /api refuses a 256 MiB declared body and a chunked one without reading them; a body
 * that is not JSON is 415 and changes nothing; security headers on API answers and pages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { ARGON2_TEST } from '../../http/passwords.ts';
import { DEFAULT_JSON_LIMIT_BYTES } from '../../http/guards.ts';
import {
  createHarness,
  TEST_CREDENTIALS,
  TEST_SESSION_KEY,
  TEST_TOKEN,
  type Harness,
} from '../testing/harness.ts';
import { ROUTE_ACCESS } from './access.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW });
});
afterEach(() => h.close());

const patients = () => (h.deps.db.prepare('SELECT COUNT(*) AS n FROM patients').get() as { n: number }).n;
const ID = '01a23448-bca4-7586-9dd9-a902fa0ec437';

describe('Origin on write routes', () => {
  it('answers 403 forbidden, never 500, to a null, malformed or foreign Origin on every write route', async () => {
    const writes = Object.entries(ROUTE_ACCESS).filter(([key]) => !key.startsWith('GET '));
    expect(writes.length).toBeGreaterThan(40);
    for (const [key, rule] of writes) {
      const [method, route] = key.split(' ') as [string, string];
      const url = route.replace(/:[a-zA-Z]+/g, ID);
      // Call as someone the route admits, so only the Origin check can refuse.
      const who =
        rule === 'public'
          ? { authorization: '' }
          : rule.includes('admin')
            ? await h.as('admin')
            : rule.includes('receptionist')
              ? await h.as('receptionist')
              : rule.includes('kiosk')
                ? { authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` }
                : { authorization: `Bearer ${TEST_CREDENTIALS.display}` };
      for (const origin of ['null', 'http://[', '::::', 'http://evil.example', 'http://localhost:1']) {
        const res = await h.req(method, url, {}, { ...who, origin });
        expect([key, origin, res.status]).toEqual([key, origin, 403]);
        expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
    }
  });
});

describe('JSON body limit', () => {
  const post = (body: BodyInit, headers: Record<string, string>) =>
    h.app.request('/api/patients', {
      method: 'POST',
      headers: { host: 'localhost', 'content-type': 'application/json', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  it('refuses a declared 256 MiB body with 413 payload_too_large before reading it', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 1;
          controller.enqueue(new TextEncoder().encode('{"fullName":"Ana Silva"}'));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const res = await post(body, {
      ...(await h.as('admin')),
      'content-length': String(256 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'request body over 65536 bytes',
        details: { maxBytes: 65536 },
      },
    });
    expect(pulled).toBe(0);
    expect(patients()).toBe(40);
  });

  it('reads a chunked body without length only up to 64 KiB, then cancels it: 413, handler never ran', async () => {
    const CHUNK = 16 * 1024;
    let sent = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // An endless body: '{"fullName":"' then spaces, 16 KiB at a time.
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
        sent += CHUNK;
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await post(body, await h.as('admin'));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThanOrEqual(DEFAULT_JSON_LIMIT_BYTES + 2 * CHUNK);
    expect(patients()).toBe(40);
  });

  it('lets a body under the limit through, read once, with or without a length', async () => {
    const json = JSON.stringify({ fullName: 'Ana Silva' });
    const declared = await post(json, { ...(await h.as('admin')), 'content-length': String(json.length) });
    expect(declared.status).toBe(201);
    const chunked = await post(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(json.slice(0, 10)));
          controller.enqueue(new TextEncoder().encode(json.slice(10).replace('Ana', 'Rui')));
          controller.close();
        },
      }),
      await h.as('admin'),
    );
    expect(chunked.status).toBe(201);
    expect(await chunked.json()).toMatchObject({ fullName: 'Rui Silva' });
    expect(patients()).toBe(42);
  });
});

describe('Content-Type', () => {
  it('refuses a settings change sent as text/plain, as a form or with no type: 415, setting unchanged', async () => {
    const before = await (await h.req('GET', '/api/settings')).json();
    const change = JSON.stringify({ clinicName: 'Outra Clínica' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', null]) {
      const res = await h.req(
        'PATCH',
        '/api/settings',
        new TextEncoder().encode(change),
        type ? { 'content-type': type } : {},
      );
      expect([type, res.status]).toEqual([type, 415]);
      expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    }
    expect(await (await h.req('GET', '/api/settings')).json()).toEqual(before);
    const json = await h.req('PATCH', '/api/settings', JSON.parse(change), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ clinicName: 'Outra Clínica' });
  });
});

describe('Bearer scheme', () => {
  it('refuses a staff or device token without "Bearer ", in lower case or under another scheme', async () => {
    const staff = (await h.as('admin')).authorization!.slice('Bearer '.length);
    for (const authorization of [
      staff,
      `bearer ${staff}`,
      `Token ${staff}`,
      `Bearer  ${staff}`,
      TEST_CREDENTIALS.kiosk,
      `bearer ${TEST_CREDENTIALS.kiosk}`,
    ]) {
      const res = await h.req('GET', '/api/health', undefined, { authorization });
      expect([authorization.slice(0, 8), res.status]).toEqual([authorization.slice(0, 8), 401]);
    }
    expect((await h.req('GET', '/api/health', undefined, { authorization: `Bearer ${staff}` })).status).toBe(
      200,
    );
  });
});

describe('security headers', () => {
  const common = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
  const pick = (res: Response, names: string[]) =>
    Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));

  it('sends nosniff, a deny-all CSP and camera=() on API answers and errors', async () => {
    for (const res of [
      await h.req('GET', '/api/health'),
      await h.req('GET', '/api/health', undefined, { authorization: '' }),
      await h.req('GET', '/api/nope'),
    ]) {
      expect(pick(res, [...Object.keys(common), 'content-security-policy', 'permissions-policy'])).toEqual({
        ...common,
        'content-security-policy':
          "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        'permissions-policy': 'camera=()',
      });
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it("keeps the pages' own CSP and allows the camera only on the kiosk and desk pages", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-pages-'));
    for (const page of ['desk', 'kiosk', 'display']) {
      fs.mkdirSync(path.join(dir, page));
      fs.writeFileSync(path.join(dir, page, 'index.html'), '<!doctype html><script src="a.js"></script>');
    }
    const app = createApp(h.deps, {
      token: TEST_TOKEN,
      allowedHosts: ['localhost'],
      rendererDir: dir,
      sessionKey: TEST_SESSION_KEY,
      argon2: ARGON2_TEST,
    });
    const get = (p: string) => app.request(p, { headers: { host: 'localhost' } });
    const kiosk = await get('/kiosk/');
    expect(kiosk.status).toBe(200);
    const csp = kiosk.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    for (const [page, camera] of [
      ['/kiosk/', 'camera=(self)'],
      ['/desk/', 'camera=(self)'],
      ['/display/', 'camera=()'],
    ] as const) {
      const res = await get(page);
      expect(res.status).toBe(200);
      expect(pick(res, [...Object.keys(common), 'permissions-policy'])).toEqual({
        ...common,
        'permissions-policy': camera,
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
