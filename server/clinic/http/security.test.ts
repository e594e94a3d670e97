/**
 * Medium tests of the local server's security middleware and error answers, through `app.request()`:
 * Host allow-list, launch credentials and staff tokens (bearer and cookie), the actor recorded from the
 * credential,
 * cross-site writes, and the error shape of bad input.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, TEST_CREDENTIALS, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import { screenCredentials, screenOf } from './credentials.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW });
});
afterEach(() => h.close());

const count = (table: string) =>
  (h.deps.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const lastAuditActor = () =>
  (h.deps.db.prepare('SELECT actor FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { actor: string })
    .actor;

describe('screen credentials', () => {
  it('derives one distinct credential per screen from the launch secret, HMAC-SHA256 in base64url', () => {
    const c = screenCredentials(TEST_TOKEN);
    expect(new Set([c.desk, c.kiosk, c.display]).size).toBe(3);
    for (const v of Object.values(c)) expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(screenCredentials(TEST_TOKEN)).toEqual(c); // deterministic per secret
    expect(screenCredentials('another-secret-0123').desk).not.toBe(c.desk);
    expect(screenOf(c, c.kiosk)).toBe('kiosk');
    expect(screenOf(c, TEST_TOKEN)).toBeNull(); // the launch secret itself is no screen credential
  });
});

describe('authentication', () => {
  it('refuses API calls without a credential, with a wrong one, or without the Bearer scheme', async () => {
    for (const authorization of [
      '',
      'Bearer nope',
      TEST_CREDENTIALS.desk,
      `Basic ${TEST_CREDENTIALS.desk}`,
    ]) {
      const res = await h.req('GET', '/api/board', undefined, { authorization });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('records who made a change as the actor: the staff member, never a screen', async () => {
    await h.req('POST', '/api/patients', { fullName: 'Ana Teste Silva' });
    expect(lastAuditActor()).toBe('staff:test.admin');
    await h.req('POST', '/api/patients', { fullName: 'Rui Teste Sá' }, await h.as('receptionist'));
    expect(lastAuditActor()).toBe('staff:test.rececao');
    const asKiosk = await h.req(
      'POST',
      '/api/patients',
      { fullName: 'Eva Teste Reis' },
      { authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` },
    );
    expect(asKiosk.status).toBe(403);
    expect(count('patients')).toBe(42);
  });

  it("the desk's launch credential identifies nobody: it opens no route but the first-run setup", async () => {
    const res = await h.req('GET', '/api/board', undefined, {
      authorization: `Bearer ${TEST_CREDENTIALS.desk}`,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a Host it does not serve (DNS rebinding)', async () => {
    const res = await h.req('GET', '/api/board', undefined, { host: 'evil.example:4310' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: 'forbidden', message: 'host evil.example is not served here' },
    });
  });

  it('refuses cross-site and cross-origin writes, and an Origin of null, even with the cookie', async () => {
    const access = (await h.as('receptionist')).authorization!.slice('Bearer '.length);
    const cookie = { authorization: '', cookie: `__Host-cfd_staff_access=${access}`, 'x-cfd-screen': 'desk' };
    for (const extra of [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'http://evil.example' },
      { origin: 'null' },
    ] as Record<string, string>[]) {
      const res = await h.req('POST', '/api/patients', { fullName: 'Ana Silva' }, { ...cookie, ...extra });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(count('patients')).toBe(40);
    const sameOrigin = await h.req(
      'POST',
      '/api/patients',
      { fullName: 'Ana Silva' },
      { ...cookie, origin: 'http://localhost' },
    );
    expect(sameOrigin.status).toBe(201);
  });

  it("sets the screen's cookie when its page is opened with ?token=, and only for that page", async () => {
    const page = await h.req('GET', `/kiosk/?token=${TEST_CREDENTIALS.kiosk}&lang=en`, undefined, {
      authorization: '',
    });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/kiosk/?lang=en');
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^cfd_kiosk=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const wrongPage = await h.req('GET', `/desk/?token=${TEST_CREDENTIALS.kiosk}`, undefined, {
      authorization: '',
    });
    expect(wrongPage.status).toBe(401);

    // Desk and kiosk open in one browser: each page names its screen and its own cookie is used.
    const access = (await h.as('receptionist')).authorization!.slice('Bearer '.length);
    const both = `${cookie.split(';')[0]}; __Host-cfd_staff_access=${access}`;
    const asKiosk = await h.req(
      'POST',
      '/api/kiosk/code',
      { code: 'ZZZZZZ' },
      {
        authorization: '',
        cookie: both,
        'x-cfd-screen': 'kiosk',
      },
    );
    expect(asKiosk.status).toBe(404); // the kiosk was let in; the code is unknown
    const kioskOnBoard = await h.req('GET', '/api/board', undefined, {
      authorization: '',
      cookie: both,
      'x-cfd-screen': 'kiosk',
    });
    expect(kioskOnBoard.status).toBe(403);
    const asDesk = await h.req('GET', '/api/board?screen=desk', undefined, {
      authorization: '',
      cookie: both,
    });
    expect(asDesk.status).toBe(200);
    const forged = await h.req('GET', '/api/board', undefined, {
      authorization: '',
      cookie: `cfd_desk=${TEST_CREDENTIALS.kiosk}`,
      'x-cfd-screen': 'desk',
    });
    expect(forged.status).toBe(401);
  });
});

describe('bad input', () => {
  it('answers broken JSON with 400 bad_json and writes nothing', async () => {
    const res = await h.req('POST', '/api/patients', '{"fullName": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_json' } });
    expect(count('patients')).toBe(40);
  });

  it('answers schema violations with 400 validation_failed naming each field', async () => {
    const res = await h.req('POST', '/api/patients', { fullName: 'A', nif: '12' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues.map((i) => i.path)).toEqual(['fullName', 'nif']);
    expect(count('patients')).toBe(40);
  });

  it('answers an unknown route with 404 not_found naming it', async () => {
    const res = await h.req('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no route GET /api/nothing-here' },
    });
  });
});
