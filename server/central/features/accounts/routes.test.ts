/**
 * Route tests of patient accounts through `app.request()` on a fresh migrated database of each driver
 * (PGlite always, PostgreSQL when DATABASE_URL is set), with the in-memory mailer and the test clock:
 * sign-up and verification, no enumeration, validation codes, login throttling, refresh rotation and
 * reuse detection, logout, JWT tampering, password reset and change, email change, profile, GDPR export
 * and erasure, and isolation between two patients. Each test uses its own emails and client address so
 * that the shared database and throttle rows do not couple them.
 */
import { and, eq } from 'drizzle-orm';
import { hc } from 'hono/client';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralAppType } from '../../app.ts';
import {
  accounts,
  appointments,
  auditLog,
  changes,
  clinics,
  emailTokens,
  loginThrottle,
  messages,
  practitioners,
  sessions,
} from '../../db/schema.ts';
import { ACCESS_COOKIE, hashToken, REFRESH_COOKIE } from '../../http/auth.ts';
import { enqueue } from '../../outbox/outbox.ts';
import {
  client,
  createTestCentral,
  describeDrivers,
  TEST_ORIGIN,
  type TestCentral,
} from '../../testing/harness.ts';

const NOW = '2026-11-23T09:00:00Z';
const PASSWORD = 'correct horse battery staple';
const MIN = 60_000;

type Body = { error?: { code: string; message: string; details?: Record<string, unknown> } } & Record<
  string,
  unknown
>;
type AccountBody = { account: { id: string; email: string; name: string } & Record<string, unknown> };

let seq = 0;
/** A fresh email and client address for one test. */
function fresh(label: string) {
  seq += 1;
  return { email: `${label}.${seq}@example.pt`, ip: `198.51.100.${seq}` };
}

/** A browser: the harness client (cookie jar, Origin) from one client address. */
function browser(t: TestCentral, ip: string) {
  const c = client(t);
  const h = { 'x-forwarded-for': ip, 'user-agent': 'vitest-browser' };
  return {
    jar: c.jar,
    get: (path: string) => c.get(path, h),
    post: (path: string, body?: unknown) => c.post(path, body, h),
    patch: async (path: string, body: unknown) =>
      t.app.request(`${TEST_ORIGIN}${path}`, {
        method: 'PATCH',
        headers: {
          ...h,
          origin: TEST_ORIGIN,
          'content-type': 'application/json',
          cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        body: JSON.stringify(body),
      }),
  };
}

/** The `token` query parameter of the newest mail's link to `path` sent to `to`. */
function linkToken(t: TestCentral, to: string, path: string): string {
  const mail = [...t.mail].reverse().find((m) => m.to === to);
  if (!mail) throw new Error(`no mail to ${to}`);
  const re = new RegExp(`${TEST_ORIGIN}${path}\\?token=([A-Za-z0-9_-]+)`);
  const m = re.exec(mail.text);
  if (!m) throw new Error(`no ${path} link in mail "${mail.subject}"`);
  expect(mail.html).toContain(`${TEST_ORIGIN}${path}?token=${m[1]}`);
  return m[1]!;
}

function signupBody(email: string, extra: Record<string, unknown> = {}) {
  return { name: 'Ana Silva', email, phone: '912 345 678', password: PASSWORD, locale: 'pt', ...extra };
}

async function json(res: Response): Promise<Body> {
  return (await res.json()) as Body;
}

/** Signs up and verifies `email` in browser `b` (now logged in); returns the account id. */
async function signedUp(t: TestCentral, b: ReturnType<typeof browser>, email: string, extra = {}) {
  expect((await b.post('/api/account/signup', signupBody(email, extra))).status).toBe(202);
  const res = await b.post('/api/account/verify-email', { token: linkToken(t, email, '/verify-email') });
  expect(res.status).toBe(200);
  return ((await res.json()) as AccountBody).account.id;
}

describeDrivers('patient accounts', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
  });
  afterAll(async () => t.close());

  const countAccounts = async (email: string) =>
    (await t.deps.db.select().from(accounts).where(eq(accounts.email, email))).length;

  describe('sign-up and verification', () => {
    it('signs up, emails a 24 h single-use link, verifies, logs in with Secure HttpOnly cookies, then /me', async () => {
      const { email, ip } = fresh('ana');
      const b = browser(t, ip);
      const res = await b.post('/api/account/signup', {
        ...signupBody(email),
        email: `  ${email.toUpperCase()} `,
        nif: 'PT 123 456 789',
        birthDate: '1985-04-12',
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ ok: true });
      const mail = t.mail.at(-1)!;
      expect(mail.to).toBe(email);
      expect(mail.subject).toBe('Confirme o seu endereço de e-mail');
      expect(mail.text).toContain('Olá Ana Silva,');
      expect(mail.text).toContain('24 horas');
      const token = linkToken(t, email, '/verify-email');
      const [stored] = await t.deps.db
        .select()
        .from(emailTokens)
        .where(eq(emailTokens.tokenHash, hashToken(token)));
      expect(stored).toMatchObject({ purpose: 'verify_email', usedAt: null });
      expect(stored!.expiresAt.getTime() - t.clock()).toBe(24 * 3600_000);
      expect((await b.get('/api/account/me')).status).toBe(401);

      const verified = await b.post('/api/account/verify-email', { token });
      expect(verified.status).toBe(200);
      const cookies = verified.headers.getSetCookie();
      expect(cookies).toHaveLength(2);
      for (const c of cookies) {
        expect(c).toMatch(/^__Host-cfd_(access|refresh)=/);
        expect(c).toContain('Path=/');
        expect(c).toContain('Secure');
        expect(c).toContain('HttpOnly');
        expect(c).toContain('SameSite=Strict');
      }
      const body = (await verified.json()) as AccountBody;
      expect(body.account).toEqual({
        id: body.account.id,
        name: 'Ana Silva',
        email,
        phone: '+351912345678',
        nif: '123456789',
        birthDate: '1985-04-12',
        locale: 'pt',
        emailVerified: true,
      });
      const me = await b.get('/api/account/me');
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ account: body.account });

      const again = await b.post('/api/account/verify-email', { token });
      expect(again.status).toBe(400);
      expect((await json(again)).error!.code).toBe('token_invalid');
      const audits = await t.deps.db
        .select({ action: auditLog.action, actor: auditLog.actor, ip: auditLog.ip })
        .from(auditLog)
        .where(eq(auditLog.entityId, body.account.id))
        .orderBy(auditLog.id);
      expect(audits.map((a) => a.action)).toEqual(['account.signup', 'account.verify_email', 'account.read']);
      expect(audits.every((a) => a.ip === ip)).toBe(true);
      expect(audits[1]!.actor).toBe(`account:${body.account.id}`);
    });

    it('refuses a verification link after 24 h', async () => {
      const { email, ip } = fresh('late');
      const b = browser(t, ip);
      await b.post('/api/account/signup', signupBody(email, { locale: 'en' }));
      expect(t.mail.at(-1)!.subject).toBe('Confirm your email address');
      const token = linkToken(t, email, '/verify-email');
      t.clock.advance(24 * 3600_000);
      const res = await b.post('/api/account/verify-email', { token });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 'token_invalid', message: 'the link is unknown, already used or expired' },
      });
    });

    it('answers a duplicate sign-up 202 with an "already registered" email and creates nothing', async () => {
      const { email, ip } = fresh('dup');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      const before = t.mail.length;
      const res = await b.post('/api/account/signup', {
        ...signupBody(email.toUpperCase()),
        name: 'Someone Else',
        password: 'another long passphrase',
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ ok: true });
      expect(t.mail.length).toBe(before + 1);
      const mail = t.mail.at(-1)!;
      expect(mail.to).toBe(email);
      expect(mail.subject).toBe('Já tem uma conta com este endereço');
      expect(mail.text).toContain(`${TEST_ORIGIN}/login`);
      expect(mail.text).toContain(`${TEST_ORIGIN}/forgot-password`);
      expect(mail.text).not.toContain('token=');
      expect(await countAccounts(email)).toBe(1);
    });

    it('lets one of two racing sign-ups for one email win; the other gets the notice', async () => {
      const { email, ip } = fresh('race');
      const b = browser(t, ip);
      const [r1, r2] = await Promise.all([
        b.post('/api/account/signup', signupBody(email)),
        b.post('/api/account/signup', signupBody(email)),
      ]);
      expect([r1.status, r2.status]).toEqual([202, 202]);
      expect(await countAccounts(email)).toBe(1);
      const subjects = t.mail.filter((m) => m.to === email).map((m) => m.subject);
      expect(subjects.sort()).toEqual([
        'Confirme o seu endereço de e-mail',
        'Já tem uma conta com este endereço',
      ]);
    });

    it('refuses weak and common passwords with weak_password, and bad NIF, phone, name, dates with validation_failed', async () => {
      const { email } = fresh('bad');
      const cases: [Record<string, unknown>, string, Record<string, unknown> | string][] = [
        [{ password: 'short1' }, 'weak_password', { field: 'password', reason: 'too_short' }],
        [{ password: 'x'.repeat(129) }, 'weak_password', { field: 'password', reason: 'too_long' }],
        [{ password: 'password123' }, 'weak_password', { field: 'password', reason: 'common' }],
        [{ password: 'QwertyUiop' }, 'weak_password', { field: 'password', reason: 'common' }],
        [{ password: '1234567890' }, 'weak_password', { field: 'password', reason: 'common' }],
        [{ password: 'aaaaaaaaaaaa' }, 'weak_password', { field: 'password', reason: 'common' }],
        [{ password: email }, 'weak_password', { field: 'password', reason: 'context' }],
        [{ nif: '123456780' }, 'validation_failed', 'nif'],
        [{ phone: '212345678' }, 'validation_failed', 'phone'],
        [{ phone: '+351 212 345 678' }, 'validation_failed', 'phone'],
        [{ name: '   ' }, 'validation_failed', 'name'],
        [{ name: 'Ana\u202Eavlis' }, 'validation_failed', 'name'],
        [{ name: 'x'.repeat(121) }, 'validation_failed', 'name'],
        [{ email: 'not-an-email' }, 'validation_failed', 'email'],
        [{ birthDate: '2027-01-01' }, 'validation_failed', 'birthDate'],
        [{ birthDate: new Date(t.clock()).toISOString().slice(0, 10) }, 'validation_failed', 'birthDate'],
        [{ birthDate: '1899-12-31' }, 'validation_failed', 'birthDate'],
        [{ birthDate: '2023-02-29' }, 'validation_failed', 'birthDate'],
        [{ locale: 'fr' }, 'validation_failed', 'locale'],
        [{ password: 'password123', nif: '123456780' }, 'validation_failed', 'nif'],
      ];
      for (const [extra, code, expected] of cases) {
        // Each from its own address: sign-ups are limited to 10 an hour per address (docs/security.md).
        const b = browser(t, fresh('bad-ip').ip);
        const res = await b.post('/api/account/signup', signupBody(email, extra));
        expect(res.status, JSON.stringify(extra)).toBe(400);
        const err = (await json(res)).error!;
        expect(err.code, JSON.stringify(extra)).toBe(code);
        if (typeof expected === 'string') {
          const paths = (err.details!.issues as { path: string }[]).map((i) => i.path);
          expect(paths, JSON.stringify(extra)).toContain(expected);
        } else {
          expect(err.details, JSON.stringify(extra)).toMatchObject({
            ...expected,
            minLength: 10,
            maxLength: 128,
          });
        }
      }
      expect(await countAccounts(email)).toBe(0);
      expect(t.mail.some((m) => m.to === email)).toBe(false);
    });

    it('accepts a 90-character passphrase and an international phone, stored in E.164', async () => {
      const { email, ip } = fresh('intl');
      const b = browser(t, ip);
      await signedUp(t, b, email, {
        password:
          'the quick brown fox jumps over the lazy dog while the physiotherapist fixes my knee, 2026!',
        phone: '+44 20 7946 0958',
      });
      const me = (await (await b.get('/api/account/me')).json()) as AccountBody;
      expect(me.account.phone).toBe('+442079460958');
      expect(me.account.nif).toBeNull();
      expect(me.account.birthDate).toBeNull();
    });
  });

  describe('login', () => {
    it('answers a wrong password and an unknown email with the same 401 body', async () => {
      const { email, ip } = fresh('login');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      const wrong = await b.post('/api/account/login', { email, password: 'wrong password here' });
      const unknown = await b.post('/api/account/login', { email: `nobody.${email}`, password: PASSWORD });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const expected = { error: { code: 'invalid_credentials', message: 'wrong email or password' } };
      expect(await wrong.json()).toEqual(expected);
      expect(await unknown.json()).toEqual(expected);
      expect(wrong.headers.getSetCookie()).toEqual([]);

      const ok = await browser(t, ip).post('/api/account/login', {
        email: email.toUpperCase(),
        password: PASSWORD,
      });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as AccountBody).account.email).toBe(email);
    });

    it('locks an account after 10 failures (429 + Retry-After), backs off exponentially, and resets on success', async () => {
      const { email, ip } = fresh('lock');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      const attempt = (password: string) => b.post('/api/account/login', { email, password });
      for (let i = 1; i <= 10; i++) expect((await attempt(`wrong password ${i}`)).status).toBe(401);
      const locked = await attempt(PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('60');
      expect(await locked.json()).toEqual({
        error: {
          code: 'too_many_attempts',
          message: 'too many failed attempts; try again later',
          details: { retryAfterSec: 60 },
        },
      });
      t.clock.advance(30_000);
      expect((await attempt(PASSWORD)).headers.get('retry-after')).toBe('30');
      t.clock.advance(30_000);
      expect((await attempt('wrong again!!')).status).toBe(401);
      const doubled = await attempt(PASSWORD);
      expect(doubled.status).toBe(429);
      expect(doubled.headers.get('retry-after')).toBe('120');
      t.clock.advance(2 * MIN);
      expect((await attempt(PASSWORD)).status).toBe(200);
      const rows = await t.deps.db
        .select()
        .from(loginThrottle)
        .where(eq(loginThrottle.key, `acct:${email}`));
      expect(rows).toEqual([]);
      expect((await attempt('wrong once more')).status).toBe(401);
    });

    it('locks unknown emails the same way (no enumeration through the lock)', async () => {
      const { email, ip } = fresh('ghost');
      const b = browser(t, ip);
      for (let i = 1; i <= 10; i++) {
        expect((await b.post('/api/account/login', { email, password: `guess number ${i}` })).status).toBe(
          401,
        );
      }
      expect((await b.post('/api/account/login', { email, password: 'guess number 11' })).status).toBe(429);
      t.clock.advance(MIN);
    });

    it('limits one client address to 100 failures per 15 minutes across accounts', async () => {
      const ip = '203.0.113.77';
      const b = browser(t, ip);
      for (let i = 1; i <= 100; i++) {
        const res = await b.post('/api/account/login', {
          email: `spray${i}@example.pt`,
          password: 'Summer2026!!',
        });
        expect(res.status).toBe(401);
      }
      const res = await b.post('/api/account/login', {
        email: 'spray101@example.pt',
        password: 'Summer2026!!',
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('60');
      const other = await browser(t, '203.0.113.78').post('/api/account/login', {
        email: 'spray101@example.pt',
        password: 'Summer2026!!',
      });
      expect(other.status).toBe(401);
    });

    it('answers 403 email_not_verified only after the right password, and re-sends the link', async () => {
      const { email, ip } = fresh('unverified');
      const b = browser(t, ip);
      await b.post('/api/account/signup', signupBody(email));
      const first = linkToken(t, email, '/verify-email');
      expect((await b.post('/api/account/login', { email, password: 'not the password' })).status).toBe(401);
      const before = t.mail.length;
      const res = await b.post('/api/account/login', { email, password: PASSWORD });
      expect(res.status).toBe(403);
      expect((await json(res)).error!.code).toBe('email_not_verified');
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(t.mail.length).toBe(before + 1);
      const second = linkToken(t, email, '/verify-email');
      expect(second).not.toBe(first);
      expect((await b.post('/api/account/verify-email', { token: second })).status).toBe(200);
      expect((await b.post('/api/account/login', { email, password: PASSWORD })).status).toBe(200);
    });
  });

  describe('sessions', () => {
    it('rotates the refresh token; presenting a used one revokes the whole session and clears cookies', async () => {
      const { email, ip } = fresh('rotate');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      const first = b.jar.get(REFRESH_COOKIE)!;
      const res = await b.post('/api/account/refresh');
      expect(res.status).toBe(200);
      expect(((await res.json()) as AccountBody).account.email).toBe(email);
      const second = b.jar.get(REFRESH_COOKIE)!;
      expect(second).not.toBe(first);
      expect((await b.get('/api/account/me')).status).toBe(200);

      const thief = browser(t, '192.0.2.66');
      thief.jar.set(REFRESH_COOKIE, first);
      const reuse = await thief.post('/api/account/refresh');
      expect(reuse.status).toBe(401);
      expect((await json(reuse)).error!.code).toBe('unauthorized');
      expect(reuse.headers.getSetCookie().every((c) => /Max-Age=0/i.test(c))).toBe(true);
      expect(thief.jar.size).toBe(0);

      // The legitimate holder's newer token and access cookie are dead too: the family is revoked.
      expect((await b.get('/api/account/me')).status).toBe(401);
      expect((await b.post('/api/account/refresh')).status).toBe(401);
      const audits = await t.deps.db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(eq(auditLog.action, 'session.refresh_refused'));
      expect(audits.map((a) => a.details)).toContainEqual({ reason: 'reused' });
    });

    it('expires the access token with the clock; refresh renews it; idle sessions end', async () => {
      const { email, ip } = fresh('expiry');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      t.clock.advance(599_000);
      expect((await b.get('/api/account/me')).status).toBe(200);
      t.clock.advance(2_000);
      expect((await b.get('/api/account/me')).status).toBe(401);
      expect((await b.post('/api/account/refresh')).status).toBe(200);
      expect((await b.get('/api/account/me')).status).toBe(200);
      t.clock.advance(30 * MIN);
      const idle = await b.post('/api/account/refresh');
      expect(idle.status).toBe(401);
      expect(b.jar.size).toBe(0);
    });

    it('logs out: 204, cookies cleared, the old access and refresh cookies are refused', async () => {
      const { email, ip } = fresh('logout');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      const access = b.jar.get(ACCESS_COOKIE)!;
      const refreshToken = b.jar.get(REFRESH_COOKIE)!;
      const res = await b.post('/api/account/logout');
      expect(res.status).toBe(204);
      expect(b.jar.size).toBe(0);
      b.jar.set(ACCESS_COOKIE, access);
      expect((await b.get('/api/account/me')).status).toBe(401);
      b.jar.delete(ACCESS_COOKIE);
      b.jar.set(REFRESH_COOKIE, refreshToken);
      expect((await b.post('/api/account/refresh')).status).toBe(401);
      // Without any session cookie, logout still answers 204.
      expect((await browser(t, ip).post('/api/account/logout')).status).toBe(204);
    });

    it('logs out with only an expired access token', async () => {
      const { email, ip } = fresh('logout2');
      const b = browser(t, ip);
      const id = await signedUp(t, b, email);
      b.jar.delete(REFRESH_COOKIE);
      t.clock.advance(15 * MIN);
      expect((await b.post('/api/account/logout')).status).toBe(204);
      const rows = await t.deps.db.select().from(sessions).where(eq(sessions.accountId, id));
      expect(rows.map((r) => r.revokedReason)).toEqual(['logout']);
    });

    it('refuses forged, unsigned, wrong-audience, wrong-issuer and wrong-algorithm access tokens', async () => {
      const { email, ip } = fresh('jwt');
      const b = browser(t, ip);
      const id = await signedUp(t, b, email);
      const [s] = await t.deps.db.select().from(sessions).where(eq(sessions.accountId, id));
      const cfg = t.deps.config;
      const iat = Math.floor(t.clock() / 1000);
      const sign = (opts: { key?: Uint8Array; aud?: string; iss?: string; alg?: string }) =>
        new SignJWT({ sid: s!.id })
          .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
          .setSubject(id)
          .setIssuer(opts.iss ?? cfg.jwtIssuer)
          .setAudience(opts.aud ?? cfg.jwtAudience)
          .setIssuedAt(iat)
          .setExpirationTime(iat + 600)
          .sign(opts.key ?? cfg.jwtSecret);
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
        sub: id,
        sid: s!.id,
        iss: cfg.jwtIssuer,
        aud: cfg.jwtAudience,
        iat,
        exp: iat + 600,
      })}.`;
      const genuine = await sign({});
      const tokens = [
        await sign({ key: new TextEncoder().encode('another-secret-another-secret-1234') }),
        none,
        await sign({ aud: 'someone-else' }),
        await sign({ iss: 'evil' }),
        await sign({ alg: 'HS512' }),
        genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'BB' : 'AA'),
      ];
      for (const token of tokens) {
        const res = await t.app.request('/api/account/me', {
          headers: { cookie: `${ACCESS_COOKIE}=${token}` },
        });
        expect(res.status, token).toBe(401);
        expect((await json(res)).error!.code).toBe('unauthorized');
      }
      const ok = await t.app.request('/api/account/me', {
        headers: { cookie: `${ACCESS_COOKIE}=${genuine}` },
      });
      expect(ok.status).toBe(200);
    });

    it('enforces the absolute session lifetime even when refreshed often', async () => {
      const t2 = await createTestCentral(driver, {
        now: NOW,
        config: { refreshIdleSec: 30 * 60, refreshAbsoluteSec: 3600 },
      });
      try {
        const b = browser(t2, '192.0.2.10');
        await signedUp(t2, b, 'abs@example.pt');
        for (let i = 0; i < 2; i++) {
          t2.clock.advance(25 * MIN);
          expect((await b.post('/api/account/refresh')).status).toBe(200);
        }
        t2.clock.advance(10 * MIN);
        expect((await b.post('/api/account/refresh')).status).toBe(401);
      } finally {
        await t2.close();
      }
    });

    it('refuses a request body over 16 KiB with 413 payload_too_large', async () => {
      const res = await browser(t, '192.0.2.12').post('/api/account/login', {
        email: 'big@example.pt',
        password: 'x'.repeat(20_000),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        error: { code: 'payload_too_large', message: 'request body over 16384 bytes' },
      });
    });

    it('refuses every logged-in route without a session (401 unauthorized)', async () => {
      const b = browser(t, '192.0.2.11');
      const calls = [
        b.get('/api/account/me'),
        b.patch('/api/account/me', { name: 'X' }),
        b.get('/api/account/export'),
        b.post('/api/account/password', { currentPassword: PASSWORD, newPassword: 'brand new secret' }),
        b.post('/api/account/email', { newEmail: 'x@example.pt', password: PASSWORD }),
        b.post('/api/account/delete', { password: PASSWORD }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(401);
        expect((await json(res)).error!.code).toBe('unauthorized');
      }
    });
  });

  describe('passwords', () => {
    it('resets a forgotten password with a single-use 30-minute link that ends every session', async () => {
      const { email, ip } = fresh('reset');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      const before = t.mail.length;
      const unknown = await b.post('/api/account/password/forgot', { email: `nobody.${email}` });
      expect(unknown.status).toBe(202);
      expect(await unknown.json()).toEqual({ ok: true });
      expect(t.mail.length).toBe(before);

      expect((await b.post('/api/account/password/forgot', { email })).status).toBe(202);
      const older = linkToken(t, email, '/reset-password');
      expect(t.mail.at(-1)!.subject).toBe('Definir uma nova palavra-passe');
      expect(t.mail.at(-1)!.text).toContain('30 minutos');
      expect((await b.post('/api/account/password/forgot', { email })).status).toBe(202);
      const token = linkToken(t, email, '/reset-password');
      const stale = await b.post('/api/account/password/reset', {
        token: older,
        password: 'a brand new secret',
      });
      expect((await json(stale)).error!.code).toBe('token_invalid');

      const weak = await b.post('/api/account/password/reset', { token, password: 'password123' });
      expect(weak.status).toBe(400);
      expect((await json(weak)).error!.code).toBe('weak_password');

      const res = await b.post('/api/account/password/reset', { token, password: 'a brand new secret' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      expect((await b.get('/api/account/me')).status).toBe(401);
      const reuse = await b.post('/api/account/password/reset', { token, password: 'yet another secret' });
      expect(reuse.status).toBe(400);
      expect((await json(reuse)).error!.code).toBe('token_invalid');

      expect((await b.post('/api/account/login', { email, password: PASSWORD })).status).toBe(401);
      expect((await b.post('/api/account/login', { email, password: 'a brand new secret' })).status).toBe(
        200,
      );

      await b.post('/api/account/password/forgot', { email });
      const late = linkToken(t, email, '/reset-password');
      t.clock.advance(30 * MIN);
      const expired = await b.post('/api/account/password/reset', {
        token: late,
        password: 'too late secret',
      });
      expect(expired.status).toBe(400);
      expect((await json(expired)).error!.code).toBe('token_invalid');
    });

    it('changes the password: other sessions end, this browser gets new cookies', async () => {
      const { email, ip } = fresh('change');
      const a = browser(t, ip);
      await signedUp(t, a, email);
      const other = browser(t, ip);
      expect((await other.post('/api/account/login', { email, password: PASSWORD })).status).toBe(200);
      const oldAccess = a.jar.get(ACCESS_COOKIE);

      const wrong = await a.post('/api/account/password', {
        currentPassword: 'not my password',
        newPassword: 'a brand new secret',
      });
      expect(wrong.status).toBe(401);
      expect((await json(wrong)).error!.code).toBe('invalid_credentials');
      const weak = await a.post('/api/account/password', {
        currentPassword: PASSWORD,
        newPassword: 'qwertyuiop',
      });
      expect(weak.status).toBe(400);
      expect((await json(weak)).error).toMatchObject({
        code: 'weak_password',
        details: { field: 'newPassword' },
      });

      const res = await a.post('/api/account/password', {
        currentPassword: PASSWORD,
        newPassword: 'a brand new secret',
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as AccountBody).account.email).toBe(email);
      expect(a.jar.get(ACCESS_COOKIE)).not.toBe(oldAccess);
      expect((await a.get('/api/account/me')).status).toBe(200);
      expect((await other.get('/api/account/me')).status).toBe(401);
      expect((await other.post('/api/account/refresh')).status).toBe(401);
      expect((await other.post('/api/account/login', { email, password: 'a brand new secret' })).status).toBe(
        200,
      );
    });

    it('throttles re-authentication like a login: 10 wrong current passwords, then 429', async () => {
      const { email, ip } = fresh('reauth');
      const b = browser(t, ip);
      await signedUp(t, b, email);
      for (let i = 1; i <= 10; i++) {
        const res = await b.post('/api/account/password', {
          currentPassword: `wrong guess ${i}`,
          newPassword: 'a brand new secret',
        });
        expect(res.status).toBe(401);
      }
      const locked = await b.post('/api/account/delete', { password: PASSWORD });
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('60');
      expect((await b.get('/api/account/me')).status).toBe(200);
      t.clock.advance(MIN);
      expect(
        (
          await b.post('/api/account/password', {
            currentPassword: PASSWORD,
            newPassword: 'a brand new secret',
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('email change', () => {
    it('confirms a new address by a link sent to it, notifies the old one, refuses a taken address', async () => {
      const { email, ip } = fresh('move');
      const taken = fresh('taken').email;
      const b = browser(t, ip);
      await signedUp(t, b, email);
      await signedUp(t, browser(t, ip), taken);
      const newEmail = fresh('moved').email;

      const wrong = await b.post('/api/account/email', { newEmail, password: 'not my password' });
      expect(wrong.status).toBe(401);
      expect((await json(wrong)).error!.code).toBe('invalid_credentials');
      const clash = await b.post('/api/account/email', { newEmail: taken.toUpperCase(), password: PASSWORD });
      expect(clash.status).toBe(409);
      expect((await json(clash)).error!.code).toBe('email_taken');
      const same = await b.post('/api/account/email', { newEmail: email, password: PASSWORD });
      expect((await json(same)).error!.code).toBe('validation_failed');

      const before = t.mail.length;
      const res = await b.post('/api/account/email', { newEmail, password: PASSWORD });
      expect(res.status).toBe(202);
      expect(t.mail.length).toBe(before + 2);
      const notice = t.mail.find((m, i) => i >= before && m.to === email)!;
      expect(notice.subject).toBe('Pedido de alteração do seu e-mail');
      expect(notice.text).toContain(newEmail);
      expect(notice.text).not.toContain('token=');
      const token = linkToken(t, newEmail, '/confirm-email');
      expect(((await (await b.get('/api/account/me')).json()) as AccountBody).account.email).toBe(email);

      const confirmed = await browser(t, ip).post('/api/account/email/confirm', { token });
      expect(confirmed.status).toBe(200);
      const body = (await confirmed.json()) as AccountBody;
      expect(body.account).toMatchObject({ email: newEmail, emailVerified: true });
      expect(confirmed.headers.getSetCookie()).toEqual([]);
      const reuse = await b.post('/api/account/email/confirm', { token });
      expect((await json(reuse)).error!.code).toBe('token_invalid');
      expect((await b.post('/api/account/login', { email, password: PASSWORD })).status).toBe(401);
      expect((await b.post('/api/account/login', { email: newEmail, password: PASSWORD })).status).toBe(200);
    });
  });

  describe('profile, export, erasure', () => {
    /** A clinic and practitioner, and appointments for `accountId` (ISO start → status). */
    async function seedAppointments(accountId: string, rows: [string, string][]) {
      const clinicId = crypto.randomUUID();
      const practitionerId = crypto.randomUUID();
      await t.deps.db.insert(clinics).values({
        id: clinicId,
        slug: `c-${clinicId.slice(0, 8)}`,
        name: 'Clínica Teste',
        createdAt: new Date(t.clock()),
      } as typeof clinics.$inferInsert);
      await t.deps.db.insert(practitioners).values({
        id: practitionerId,
        clinicId,
        name: 'Dr. Rui',
        displayName: 'Rui',
      } as typeof practitioners.$inferInsert);
      const ids: string[] = [];
      for (const [start, status] of rows) {
        const id = crypto.randomUUID();
        ids.push(id);
        const startsAt = new Date(start);
        const endsAt = new Date(startsAt.getTime() + 45 * MIN);
        await t.deps.db.insert(appointments).values({
          id,
          clinicId,
          practitionerId,
          accountId,
          specialty: 'physio',
          startsAt,
          endsAt,
          blockedUntil: endsAt,
          status: status as 'confirmed',
          bookingCode: id.slice(0, 6).toUpperCase() + ids.length,
          priceCents: 4500,
          paymentMode: 'pay_at_clinic',
          createdAt: new Date(t.clock()),
          updatedAt: new Date(t.clock()),
          version: 1,
        });
      }
      return ids;
    }

    it('updates the profile fields, clears NIF and birth date with null, refuses unknown fields', async () => {
      const { email, ip } = fresh('patch');
      const b = browser(t, ip);
      const id = await signedUp(t, b, email, { nif: '123456789', birthDate: '1990-01-02' });
      const res = await b.patch('/api/account/me', {
        name: ' Ana Sofia Silva ',
        phone: '+351 936 000 111',
        nif: null,
        birthDate: null,
        locale: 'en',
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as AccountBody).account).toEqual({
        id,
        name: 'Ana Sofia Silva',
        email,
        phone: '+351936000111',
        nif: null,
        birthDate: null,
        locale: 'en',
        emailVerified: true,
      });
      const sneaky = await b.patch('/api/account/me', { email: 'other@example.pt' });
      expect(sneaky.status).toBe(400);
      expect((await json(sneaky)).error!.code).toBe('validation_failed');
      const future = await b.patch('/api/account/me', { birthDate: '2030-01-01' });
      expect((await json(future)).error!.code).toBe('validation_failed');
      const [row] = await t.deps.db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'account.update')));
      expect(row!.details).toEqual({ fields: ['birthDate', 'locale', 'name', 'nif', 'phone'] });
    });

    it('exports only the caller’s data, as an attachment', async () => {
      const a = fresh('exa');
      const bb = fresh('exb');
      const ba = browser(t, a.ip);
      const bbr = browser(t, bb.ip);
      const idA = await signedUp(t, ba, a.email);
      const idB = await signedUp(t, bbr, bb.email);
      const [a1, a2] = await seedAppointments(idA, [
        ['2026-11-01T10:00:00Z', 'completed'],
        ['2026-12-01T10:00:00Z', 'confirmed'],
      ]);
      const [b1] = await seedAppointments(idB, [['2026-12-02T10:00:00Z', 'confirmed']]);

      const res = await ba.get('/api/account/export');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="my-data.json"');
      const data = (await res.json()) as {
        exportedAt: string;
        account: { id: string };
        appointments: Record<string, unknown>[];
        sessions: Record<string, unknown>[];
      };
      expect(data.exportedAt).toBe(new Date(t.clock()).toISOString());
      expect(data.account.id).toBe(idA);
      expect(data.appointments.map((x) => x.id)).toEqual([a1, a2]);
      expect(data.appointments[0]).toMatchObject({
        accountId: idA,
        startsAt: '2026-11-01T10:00:00.000Z',
        endsAt: '2026-11-01T10:45:00.000Z',
        status: 'completed',
        priceCents: 4500,
        cancelledBy: null,
        version: 1,
      });
      expect(JSON.stringify(data)).not.toContain(b1!);
      expect(JSON.stringify(data)).not.toContain(bb.email);
      expect(data.sessions).toEqual([
        {
          createdAt: expect.any(String),
          lastUsedAt: expect.any(String),
          revokedAt: null,
          userAgent: 'vitest-browser',
        },
      ]);
      const audits = await t.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, idA), eq(auditLog.action, 'account.export')));
      expect(audits).toHaveLength(1);
    });

    it('keeps two patients apart: each session reads and changes only its own account', async () => {
      const a = fresh('sep-a');
      const bb = fresh('sep-b');
      const ba = browser(t, a.ip);
      const bbr = browser(t, bb.ip);
      const idA = await signedUp(t, ba, a.email);
      const idB = await signedUp(t, bbr, bb.email);
      expect(((await (await ba.get('/api/account/me')).json()) as AccountBody).account.id).toBe(idA);
      expect(((await (await bbr.get('/api/account/me')).json()) as AccountBody).account.id).toBe(idB);
      await ba.patch('/api/account/me', { name: 'Changed By A' });
      expect(((await (await bbr.get('/api/account/me')).json()) as AccountBody).account.name).toBe(
        'Ana Silva',
      );
      const exportB = (await (await bbr.get('/api/account/export')).json()) as { account: { id: string } };
      expect(exportB.account.id).toBe(idB);
      // No route takes an account id: the account is always the session's, so A's erasure erases A only.
      const del = await ba.post('/api/account/delete', { password: PASSWORD });
      expect(del.status).toBe(204);
      expect((await bbr.get('/api/account/me')).status).toBe(200);
    });

    it('erases an account: personal fields blanked, future appointments cancelled, past kept, logged out', async () => {
      const { email, ip } = fresh('erase');
      const b = browser(t, ip);
      const id = await signedUp(t, b, email, { nif: '123456789', birthDate: '1980-05-06' });
      const [past, future, futureHeld, alreadyCancelled] = await seedAppointments(id, [
        ['2026-10-01T10:00:00Z', 'completed'],
        ['2026-12-10T10:00:00Z', 'confirmed'],
        ['2026-12-11T10:00:00Z', 'held'],
        ['2026-12-12T10:00:00Z', 'cancelled'],
      ]);
      await b.post('/api/account/password/forgot', { email });
      // A queued SMS (e.g. a reminder) must not go out after erasure, nor keep the number.
      await enqueue(t.deps.db, t.clock(), {
        clinicId: null,
        accountId: id,
        appointmentId: null,
        channel: 'sms',
        kind: 'reminder',
        recipient: '+351912345678',
        dedupeKey: `erase-test:${id}`,
        payload: {},
      });
      const wrong = await b.post('/api/account/delete', { password: 'not my password' });
      expect(wrong.status).toBe(401);
      expect((await json(wrong)).error!.code).toBe('invalid_credentials');

      const res = await b.post('/api/account/delete', { password: PASSWORD });
      expect(res.status).toBe(204);
      expect(b.jar.size).toBe(0);
      const [row] = await t.deps.db.select().from(accounts).where(eq(accounts.id, id));
      expect(row).toMatchObject({
        name: 'deleted',
        email: null,
        emailVerifiedAt: null,
        phone: null,
        nif: null,
        birthDate: null,
        passwordHash: null,
      });
      expect(row!.deletedAt!.toISOString()).toBe(new Date(t.clock()).toISOString());
      const [queued] = await t.deps.db
        .select()
        .from(messages)
        .where(eq(messages.dedupeKey, `erase-test:${id}`));
      expect([queued!.status, queued!.recipient]).toEqual(['cancelled', '']);
      const appts = new Map(
        (await t.deps.db.select().from(appointments).where(eq(appointments.accountId, id))).map((a) => [
          a.id,
          a,
        ]),
      );
      expect(appts.get(past!)).toMatchObject({ status: 'completed', version: 1, cancelledBy: null });
      expect(appts.get(future!)).toMatchObject({ status: 'cancelled', version: 2, cancelledBy: 'patient' });
      expect(appts.get(futureHeld!)).toMatchObject({
        status: 'cancelled',
        version: 2,
        cancelledBy: 'patient',
      });
      expect(appts.get(alreadyCancelled!)).toMatchObject({
        status: 'cancelled',
        version: 1,
        cancelledBy: null,
      });
      const feed = await t.deps.db
        .select()
        .from(changes)
        .where(eq(changes.accountId, id))
        .orderBy(changes.entityId);
      expect(
        feed.map((c) => ({
          id: c.entityId,
          entity: c.entity,
          op: c.op,
          version: c.version,
          payload: c.payload,
        })),
      ).toEqual(
        [future!, futureHeld!].sort().map((x) => ({
          id: x,
          entity: 'appointment',
          op: 'update',
          version: 2,
          payload: { id: x, status: 'cancelled' },
        })),
      );
      const ses = await t.deps.db.select().from(sessions).where(eq(sessions.accountId, id));
      expect(ses.every((s) => s.revokedReason === 'erasure' && s.userAgent === '')).toBe(true);
      expect(await t.deps.db.select().from(emailTokens).where(eq(emailTokens.accountId, id))).toEqual([]);

      expect((await b.post('/api/account/login', { email, password: PASSWORD })).status).toBe(401);
      expect((await b.post('/api/account/signup', signupBody(email))).status).toBe(202);
      expect(t.mail.at(-1)!.subject).toBe('Confirme o seu endereço de e-mail');
      const again = await t.deps.db.select().from(accounts).where(eq(accounts.email, email));
      expect(again).toHaveLength(1);
      expect(again[0]!.id).not.toBe(id);
    });
  });

  describe('contract', () => {
    it('documents every account route in /openapi.json and serves the typed hc client', async () => {
      const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, object> };
      for (const p of [
        '/api/account/signup',
        '/api/account/verify-email',
        '/api/account/login',
        '/api/account/refresh',
        '/api/account/logout',
        '/api/account/password/forgot',
        '/api/account/password/reset',
        '/api/account/password',
        '/api/account/email',
        '/api/account/email/confirm',
        '/api/account/me',
        '/api/account/export',
        '/api/account/delete',
      ]) {
        expect(Object.keys(doc.paths), p).toContain(p);
      }
      expect(Object.keys(doc.paths['/api/account/me']!).sort()).toEqual(['get', 'patch']);
      expect(
        Object.keys(
          (doc.paths['/api/account/login'] as { post: { responses: object } }).post.responses,
        ).sort(),
      ).toEqual(['200', '400', '401', '403', '413', '415', '429']);

      const api = hc<CentralAppType>(TEST_ORIGIN, {
        fetch: (input: RequestInfo | URL, init?: RequestInit) => t.app.request(input, init),
        headers: { origin: TEST_ORIGIN },
      });
      const res = await api.api.account.login.$post({
        json: { email: 'typed@example.pt', password: 'whatever it is' },
      });
      expect(res.status).toBe(401);
    });
  });
});
