/**
 * Medium tests of staff logins through the real app (`app.request()`, real SQLite, real Argon2id at a
 * test cost): first-run setup, login and its throttling, the session's cookies, refresh-token rotation
 * and reuse detection, idle and absolute timeouts, lock and PIN unlock, own password and PIN, and the
 * admin's account management (last admin kept, deactivation ends sessions). Figures are the rules'
 * (server/domain/staff.ts, server/domain/throttle.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, ARGON2_TEST } from '../../../http/passwords.ts';
import { createHarness, TEST_CREDENTIALS, type Harness } from '../../testing/harness.ts';
import { insertStaff } from './service.ts';

const T0 = Date.parse('2026-11-21T10:00:00Z');
const MIN = 60_000;
let h: Harness;
afterEach(() => h.close());

const anon = { authorization: '' };

/** Makes a staff account directly (hash at the test cost). */
async function account(
  username: string,
  role: 'admin' | 'receptionist' = 'receptionist',
  password = 'sala-de-espera-42',
) {
  return insertStaff(
    h.deps,
    {
      username,
      displayName: `Conta ${username}`,
      role,
      practitionerId: null,
      passwordHash: await hashPassword(password, ARGON2_TEST),
    },
    'seed',
  );
}

/** The cookies an answer sets, as one Cookie header, and the access/refresh values. */
function cookiesOf(res: Response): { header: string; access: string; refresh: string } {
  const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const value = (name: string) => pairs.find((p) => p.startsWith(name + '='))?.split('=')[1] ?? '';
  return {
    header: pairs.join('; '),
    access: value('__Host-cfd_staff_access'),
    refresh: value('__Host-cfd_staff_refresh'),
  };
}

async function login(username: string, password = 'sala-de-espera-42') {
  return h.req('POST', '/api/auth/login', { username, password }, anon);
}

describe('first-run setup', () => {
  it('makes the first admin only with the desk launch credential, once', async () => {
    h = createHarness({ seed: false, now: T0 });
    expect(await (await h.req('GET', '/api/auth/status', undefined, anon)).json()).toEqual({
      setupRequired: true,
    });
    const body = { username: 'Ana.Admin', displayName: 'Ana Admin', password: 'clinica-nova-2026' };
    const without = await h.req('POST', '/api/auth/setup', body, anon);
    expect(without.status).toBe(403);
    const made = await h.req('POST', '/api/auth/setup', body, {
      authorization: `Bearer ${TEST_CREDENTIALS.desk}`,
    });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({
      staff: { username: 'ana.admin', role: 'admin', hasPin: false },
    });
    expect(cookiesOf(made).access).not.toBe('');
    const again = await h.req('POST', '/api/auth/setup', body, {
      authorization: `Bearer ${TEST_CREDENTIALS.desk}`,
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'setup_done' } });
    const weak = createHarness({ seed: false, now: T0 });
    const res = await weak.req(
      'POST',
      '/api/auth/setup',
      { ...body, password: '1234567890' },
      { authorization: `Bearer ${TEST_CREDENTIALS.desk}` },
    );
    expect(res.status).toBe(400);
    weak.close();
  });
});

describe('login', () => {
  it('sets HttpOnly SameSite=Strict __Host- cookies (15 min access, 12 h refresh) and audits the login', async () => {
    h = createHarness({ now: T0 });
    await account('marta.rececao');
    const res = await login('Marta.Rececao');
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie();
    const access = set.find((c) => c.startsWith('__Host-cfd_staff_access='))!;
    const refresh = set.find((c) => c.startsWith('__Host-cfd_staff_refresh='))!;
    for (const c of [access, refresh]) {
      expect(c).toMatch(/HttpOnly/);
      expect(c).toMatch(/SameSite=Strict/);
      expect(c).toMatch(/Secure/);
      expect(c).toMatch(/Path=\//);
    }
    expect(access).toMatch(/Max-Age=900/);
    expect(refresh).toMatch(/Max-Age=43200/);
    const me = await h.req('GET', '/api/auth/me', undefined, {
      authorization: '',
      cookie: cookiesOf(res).header,
    });
    expect(await me.json()).toMatchObject({
      staff: { username: 'marta.rececao', role: 'receptionist' },
      sessionExpiresAt: '2026-11-21T22:00:00.000Z',
      lockAfterMin: 5,
      locked: false,
    });
    const audit = h.deps.db
      .prepare("SELECT actor, action FROM audit_log WHERE action LIKE 'staff.log%'")
      .all();
    expect(audit).toEqual([{ actor: 'staff:marta.rececao', action: 'staff.login' }]);
  });

  it('answers unknown users, inactive accounts and wrong passwords alike, then locks after 10 failures', async () => {
    h = createHarness({ now: T0 });
    await account('rui.rececao');
    const answers = [];
    for (const [u, p] of [
      ['nobody.here', 'sala-de-espera-42'],
      ['rui.rececao', 'wrong-password-1'],
    ])
      answers.push(await (await login(u!, p)).json());
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toEqual({
      error: { code: 'invalid_credentials', message: 'wrong username or password' },
    });
    for (let i = 0; i < 9; i++) await login('rui.rececao', 'wrong-password-1');
    const locked = await login('rui.rececao'); // the right password, but 10 failures in 15 min
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({
      error: { code: 'too_many_attempts', details: { retryAfterSec: 60 } },
    });
    h.setNow(T0 + 61_000);
    expect((await login('rui.rececao')).status).toBe(200);
  });
});

describe('session lifetime', () => {
  it('rotates the refresh token, and a reused one ends the whole session', async () => {
    h = createHarness({ now: T0 });
    await account('ines.rececao');
    const first = cookiesOf(await login('ines.rececao'));
    const rotated = await h.req('POST', '/api/auth/refresh', undefined, {
      authorization: '',
      cookie: first.header,
    });
    expect(rotated.status).toBe(200);
    const second = cookiesOf(rotated);
    expect(second.refresh).not.toBe(first.refresh);
    // The old refresh token again: theft assumed, the session is revoked.
    const reused = await h.req('POST', '/api/auth/refresh', undefined, {
      authorization: '',
      cookie: first.header,
    });
    expect(reused.status).toBe(401);
    expect(await reused.json()).toMatchObject({ error: { code: 'session_expired' } });
    const after = await h.req('GET', '/api/board', undefined, { authorization: `Bearer ${second.access}` });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'session_expired' } });
  });

  it('expires the access token after 15 min, the session after 30 idle min or 12 h in all', async () => {
    h = createHarness({ now: T0 });
    await account('joao.rececao');
    let c = cookiesOf(await login('joao.rececao'));
    const board = () => h.req('GET', '/api/board', undefined, { authorization: `Bearer ${c.access}` });
    h.setNow(T0 + 14 * MIN);
    expect((await board()).status).toBe(200);
    h.setNow(T0 + 15 * MIN);
    expect((await board()).status).toBe(401);
    // Refreshing every 29 minutes keeps it alive up to the absolute end.
    let t = T0;
    for (;;) {
      t += 29 * MIN;
      h.setNow(t);
      const r = await h.req('POST', '/api/auth/refresh', undefined, { authorization: '', cookie: c.header });
      if (t < T0 + 12 * 60 * MIN) {
        expect(r.status).toBe(200);
        c = cookiesOf(r);
      } else {
        expect(r.status).toBe(401);
        break;
      }
    }
    const idle = createHarness({ now: T0 });
    await insertStaff(
      idle.deps,
      {
        username: 'idle.user',
        displayName: 'Idle',
        role: 'receptionist',
        practitionerId: null,
        passwordHash: await hashPassword('sala-de-espera-42', ARGON2_TEST),
      },
      'seed',
    );
    const l = await idle.req(
      'POST',
      '/api/auth/login',
      { username: 'idle.user', password: 'sala-de-espera-42' },
      anon,
    );
    idle.setNow(T0 + 30 * MIN);
    const late = await idle.req('POST', '/api/auth/refresh', undefined, {
      authorization: '',
      cookie: cookiesOf(l).header,
    });
    expect(late.status).toBe(401);
    idle.close();
  });
});

describe('lock and PIN', () => {
  it('locks the session, refuses everything but me/unlock/logout, and unlocks with the PIN', async () => {
    h = createHarness({ now: T0 });
    await account('eva.rececao');
    const c = cookiesOf(await login('eva.rececao'));
    const as = { authorization: `Bearer ${c.access}` };
    expect(
      (await h.req('PUT', '/api/auth/pin', { pin: '1234', password: 'sala-de-espera-42' }, as)).status,
    ).toBe(400);
    expect((await h.req('PUT', '/api/auth/pin', { pin: '2580', password: 'nope' }, as)).status).toBe(401);
    expect(
      (await h.req('PUT', '/api/auth/pin', { pin: '2580', password: 'sala-de-espera-42' }, as)).status,
    ).toBe(200);
    expect((await h.req('POST', '/api/auth/lock', undefined, as)).status).toBe(200);
    const board = await h.req('GET', '/api/board', undefined, as);
    expect(board.status).toBe(423);
    expect(await board.json()).toMatchObject({ error: { code: 'session_locked' } });
    expect(await (await h.req('GET', '/api/auth/me', undefined, as)).json()).toMatchObject({ locked: true });
    const wrong = await h.req('POST', '/api/auth/unlock', { pin: '0000' }, as);
    expect(await wrong.json()).toMatchObject({
      error: { code: 'invalid_credentials', details: { attemptsLeft: 4 } },
    });
    expect((await h.req('POST', '/api/auth/unlock', { pin: '2580' }, as)).status).toBe(200);
    expect((await h.req('GET', '/api/board', undefined, as)).status).toBe(200);
  });

  it('ends the session after 5 wrong PINs', async () => {
    h = createHarness({ now: T0 });
    await account('lia.rececao');
    const c = cookiesOf(await login('lia.rececao'));
    const as = { authorization: `Bearer ${c.access}` };
    await h.req('PUT', '/api/auth/pin', { pin: '2580', password: 'sala-de-espera-42' }, as);
    await h.req('POST', '/api/auth/lock', undefined, as);
    const codes = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (
          (await (await h.req('POST', '/api/auth/unlock', { pin: '9999' }, as)).json()) as {
            error: { code: string };
          }
        ).error.code,
      );
    expect(codes).toEqual([
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'session_expired',
    ]);
    expect((await h.req('POST', '/api/auth/unlock', { pin: '2580' }, as)).status).toBe(401);
  });
});

describe('accounts (admin)', () => {
  it('creates, changes and deactivates accounts; the last admin stays; deactivation ends sessions', async () => {
    h = createHarness({ now: T0 });
    const created = await h.req('POST', '/api/staff', {
      username: 'paulo.fisio',
      displayName: 'Paulo Fisio',
      role: 'practitioner',
      practitionerId: null,
      password: 'sala-de-espera-42',
    });
    expect(created.status).toBe(400); // a practitioner account names its practitioner
    const rec = await h.req('POST', '/api/staff', {
      username: 'sara.rececao',
      displayName: 'Sara Rececao',
      role: 'receptionist',
      password: 'sala-de-espera-42',
    });
    expect(rec.status).toBe(201);
    const sara = (await rec.json()) as { id: string };
    const dup = await h.req('POST', '/api/staff', {
      username: 'SARA.rececao',
      displayName: 'Outra',
      role: 'receptionist',
      password: 'sala-de-espera-42',
    });
    expect(await dup.json()).toMatchObject({ error: { code: 'username_taken' } });
    const c = cookiesOf(await login('sara.rececao'));
    expect(
      (await h.req('GET', '/api/board', undefined, { authorization: `Bearer ${c.access}` })).status,
    ).toBe(200);
    expect((await h.req('PATCH', `/api/staff/${sara.id}`, { active: false })).status).toBe(200);
    expect(
      (await h.req('GET', '/api/board', undefined, { authorization: `Bearer ${c.access}` })).status,
    ).toBe(401);
    expect((await login('sara.rececao')).status).toBe(401);

    const admin = (h.deps.db.prepare("SELECT id FROM staff WHERE role = 'admin'").get() as { id: string }).id;
    const last = await h.req('PATCH', `/api/staff/${admin}`, { role: 'receptionist' });
    expect(last.status).toBe(409);
    expect(await last.json()).toMatchObject({ error: { code: 'last_admin' } });
    const receptionist = await h.req('GET', '/api/staff', undefined, await h.as('receptionist'));
    expect(receptionist.status).toBe(403);
    const actions = h.deps.db
      .prepare(
        "SELECT actor, action FROM audit_log WHERE action IN ('staff.create', 'staff.update') ORDER BY seq",
      )
      .all();
    expect(actions).toEqual([
      { actor: 'staff:test.admin', action: 'staff.create' },
      { actor: 'staff:test.admin', action: 'staff.update' },
    ]);
  });
});
