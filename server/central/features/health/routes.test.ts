/**
 * Tests of the central API's plumbing: health through `app.request()` on each driver, the error shape for
 * an unknown route, the generated OpenAPI document and docs page, security headers, the CSRF check, the
 * env parser, and the real entry started as a process answering over real HTTP.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCentralEnv } from '../../env.ts';
import { createTestCentral, describeDrivers, TEST_ORIGIN, type TestCentral } from '../../testing/harness.ts';

const NOW = '2026-11-21T10:00:00Z';
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main.ts');

describeDrivers('central API plumbing', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
  });
  afterAll(async () => t.close());

  it('answers GET /api/health with the service and the clock, with security headers', async () => {
    const res = await t.app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: 'central', now: '2026-11-21T10:00:00.000Z' });
    // Served over plain http here (the test public URL): no HSTS, which would be ignored or stick to a
    // development host; behind a TLS proxy that says so, it is sent (docs/security.md).
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const proxied = await t.app.request('/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('answers an unknown route with 404 not_found in the shared error shape', async () => {
    const res = await t.app.request('/api/nope', { method: 'POST', headers: { origin: TEST_ORIGIN } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route POST /api/nope' } });
  });

  it('refuses a cross-site write (Origin or Sec-Fetch-Site) with 403 before any handler', async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: TEST_ORIGIN },
    ]) {
      const res = await t.app.request('/api/nope', { method: 'POST', headers });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });

  it('serves an OpenAPI 3.1 document listing the health route, and the docs page from npm assets', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/health');
    const page = await t.app.request('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/docs/assets/swagger-ui-bundle.js');
    const js = await t.app.request('/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    expect((await t.app.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });
});

describe('central env', () => {
  it('parses its environment once, refusing a DATABASE_URL that is not PostgreSQL', () => {
    const env = parseCentralEnv({});
    expect(env.port).toBe(4320);
    expect(env.databaseUrl).toBeNull();
    expect(env.smtpUrl).toBeNull();
    expect(
      parseCentralEnv({ CENTRAL_PORT: '0', DATABASE_URL: 'postgres://u@localhost/cfd' }).databaseUrl,
    ).toBe('postgres://u@localhost/cfd');
    expect(() => parseCentralEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => parseCentralEnv({ SMTP_URL: 'http://x' })).toThrow(/SMTP_URL must be/);
    expect(() => parseCentralEnv({ JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('starts as a process on embedded PGlite and serves /api/health over HTTP', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-central-'));
    const child = fork(MAIN, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        CENTRAL_PORT: '0',
        CENTRAL_DATA_DIR: dataDir,
        DATABASE_URL: '',
        CENTRAL_DEMO: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.on('message', (m: { type?: string; port?: number }) => {
          if (m.type === 'ready' && m.port) resolve(m.port);
        });
        child.on('exit', (code) => reject(new Error(`central exited ${code}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { service: string }).service).toBe('central');
    } finally {
      child.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
