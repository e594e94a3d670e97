/**
 * Medium tests of paired devices through the real app: a code made at the desk pairs one device once,
 * within 10 minutes; the device's cookie is its durable token (HttpOnly, 400 days) with a narrow scope
 * (a display reads the masked feed and nothing else, a kiosk checks in and nothing else); it works for a
 * new app on the same database (a restart); the desk lists and revokes devices; wrong codes are
 * throttled per address; pairing and revocation are audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { ARGON2_TEST } from '../../../http/passwords.ts';
import { createHarness, TEST_SESSION_KEY, TEST_TOKEN, type Harness } from '../../testing/harness.ts';

const T0 = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
afterEach(() => h.close());
const anon = { authorization: '' };

async function makeCode(kind: 'kiosk' | 'display', name: string): Promise<string> {
  const res = await h.req('POST', '/api/devices/pairing-codes', { kind, name }, await h.as('receptionist'));
  expect(res.status).toBe(201);
  const body = (await res.json()) as { code: string; expiresAt: string };
  expect(body.code).toMatch(/^\d{6}$/);
  expect(body.expiresAt).toBe('2026-11-21T10:10:00.000Z');
  return body.code;
}

async function pair(code: string): Promise<{ res: Response; cookie: string }> {
  const res = await h.req('POST', '/api/devices/pair', { code }, anon);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-cfd_device=')) ?? '';
  return { res, cookie };
}

describe('paired devices', () => {
  it('pairs a display once with its code; the token reads the display feed only, and survives a restart', async () => {
    h = createHarness({ now: T0 });
    const code = await makeCode('display', 'TV sala de espera');
    const { res, cookie } = await pair(code);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      device: { kind: 'display', name: 'TV sala de espera', revokedAt: null },
    });
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=34560000/);
    const device = { authorization: '', cookie: cookie.split(';')[0]!, 'x-cfd-screen': 'display' };
    expect((await h.req('GET', '/api/display', undefined, device)).status).toBe(200);
    for (const [method, route] of [
      ['GET', '/api/board'],
      ['GET', '/api/patients?q=ana'],
      ['PATCH', '/api/settings'],
      ['DELETE', `/api/patients/01a232ed-0000-7000-8000-000000000000/face`],
      ['POST', '/api/kiosk/code'],
    ] as const) {
      const r = await h.req(method, route, method === 'GET' || method === 'DELETE' ? undefined : {}, device);
      expect([route, r.status]).toEqual([route, 403]);
    }
    expect((await pair(code)).res.status).toBe(400); // one use

    // A restart: a new app on the same database knows the token.
    const restarted = createApp(h.deps, {
      token: TEST_TOKEN + '-next-launch',
      allowedHosts: ['localhost'],
      rendererDir: null,
      sessionKey: TEST_SESSION_KEY,
      argon2: ARGON2_TEST,
    });
    const again = await restarted.request('/api/display', { headers: { host: 'localhost', ...device } });
    expect(again.status).toBe(200);
  });

  it('lets a paired kiosk check in and nothing else; the desk lists and revokes it at once', async () => {
    h = createHarness({ now: T0 });
    const { cookie } = await pair(await makeCode('kiosk', 'Quiosque entrada'));
    const kiosk = { authorization: '', cookie: cookie.split(';')[0]!, 'x-cfd-screen': 'kiosk' };
    expect((await h.req('POST', '/api/kiosk/code', { code: 'ZZZZZZ' }, kiosk)).status).toBe(404);
    expect((await h.req('GET', '/api/display', undefined, kiosk)).status).toBe(403);
    const list = (await (await h.req('GET', '/api/devices')).json()) as {
      devices: { id: string; lastSeenAt: string }[];
    };
    expect(list.devices).toHaveLength(1);
    expect(list.devices[0]).toMatchObject({
      kind: 'kiosk',
      name: 'Quiosque entrada',
      createdBy: 'staff:test.rececao',
      lastSeenAt: '2026-11-21T10:00:00.000Z',
    });
    const revoked = await h.req(
      'POST',
      `/api/devices/${list.devices[0]!.id}/revoke`,
      undefined,
      await h.as('receptionist'),
    );
    expect(revoked.status).toBe(200);
    expect((await h.req('POST', '/api/kiosk/code', { code: 'ZZZZZZ' }, kiosk)).status).toBe(401);
    const audit = h.deps.db
      .prepare("SELECT actor, action FROM audit_log WHERE entity = 'device' ORDER BY seq")
      .all() as { actor: string; action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['device.pairing_code', 'device.paired', 'device.revoked']);
    expect(audit[2]!.actor).toBe('staff:test.rececao');
  });

  it('refuses an expired code, and throttles wrong codes per address (10 in 15 min)', async () => {
    h = createHarness({ now: T0 });
    const code = await makeCode('display', 'TV');
    h.setNow(T0 + 10 * 60_000);
    expect(await (await pair(code)).res.json()).toMatchObject({ error: { code: 'pairing_code_invalid' } });
    h.setNow(T0);
    const fresh = await makeCode('display', 'TV 2');
    // The expired code was failure 1; eight more, then the tenth locks the address.
    for (let i = 0; i < 8; i++) await pair(fresh === '000000' ? '000001' : '000000');
    const tenth = await pair(fresh === '999999' ? '999998' : '999999');
    expect(tenth.res.status).toBe(400);
    const locked = await pair(fresh);
    expect(locked.res.status).toBe(429);
  });
});
