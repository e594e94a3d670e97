/**
 * Medium tests of the kiosk's staff-PIN exit (`POST /api/kiosk/exit-check`, ./exit.ts) through the real
 * app on a fresh SQLite, with real Argon2id PIN hashes at the test cost: a staff PIN passes, a wrong one
 * is 401 wrong_pin, an inactive account's PIN does not count, the 5th wrong PIN locks the kiosk for
 * 1 minute (429 even with the right PIN), only the kiosk may call, and every attempt is audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ARGON2_TEST, hashPassword } from '../../../http/passwords.ts';
import { createHarness, TEST_CREDENTIALS, type Harness } from '../../testing/harness.ts';
import { insertStaff } from '../staff/service.ts';

const T0 = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
afterEach(() => h.close());

const asKiosk = { authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` };

async function staffWithPin(username: string, pin: string, active = true) {
  const view = await insertStaff(
    h.deps,
    {
      username,
      displayName: `Conta ${username}`,
      role: 'receptionist',
      practitionerId: null,
      passwordHash: await hashPassword('sala-de-espera-42', ARGON2_TEST),
    },
    'seed',
  );
  h.deps.db
    .prepare('UPDATE staff SET pin_hash = ?, active = ? WHERE id = ?')
    .run(await hashPassword(pin, ARGON2_TEST), active ? 1 : 0, view.id);
  return view.id;
}

const check = (pin: unknown, headers: Record<string, string> = asKiosk) =>
  h.req('POST', '/api/kiosk/exit-check', { pin }, headers);

function audit() {
  return h.deps.db
    .prepare(
      "SELECT actor, action, entity_id, detail FROM audit_log WHERE action LIKE 'kiosk.exit%' ORDER BY rowid",
    )
    .all() as { actor: string; action: string; entity_id: string | null; detail: string }[];
}

describe('POST /api/kiosk/exit-check', () => {
  it('accepts an active staff member’s PIN and refuses others, auditing each', async () => {
    h = createHarness({ now: T0 });
    const ana = await staffWithPin('ana', '2580');
    await staffWithPin('rui', '7391', false);
    const ok = await check('2580');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    const wrong = await check('1111');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'wrong_pin', message: 'wrong PIN' } });
    // An inactive account's PIN does not open the kiosk.
    expect((await check('7391')).status).toBe(401);
    expect(audit()).toEqual([
      { actor: 'kiosk', action: 'kiosk.exit', entity_id: ana, detail: '{"staff":"ana"}' },
      { actor: 'kiosk', action: 'kiosk.exit_failed', entity_id: null, detail: '{}' },
      { actor: 'kiosk', action: 'kiosk.exit_failed', entity_id: null, detail: '{}' },
    ]);
  });

  it('locks the kiosk for 1 minute at the 5th wrong PIN, and a right PIN afterwards clears the count', async () => {
    h = createHarness({ now: T0 });
    await staffWithPin('ana', '2580');
    for (let i = 0; i < 4; i++) expect((await check('1111')).status).toBe(401);
    expect((await check('2580')).status).toBe(200);
    // The success forgave the 4 failures: 4 more are still 401.
    for (let i = 0; i < 4; i++) expect((await check('1111')).status).toBe(401);
    expect((await check('1111')).status).toBe(401);
    const locked = await check('2580');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
    h.setNow(T0 + 59_000);
    expect((await check('2580')).status).toBe(429);
    h.setNow(T0 + 60_000);
    expect((await check('2580')).status).toBe(200);
  });

  it('is the kiosk’s only: staff and the display are refused; a malformed PIN is 400', async () => {
    h = createHarness({ now: T0 });
    await staffWithPin('ana', '2580');
    expect((await check('2580', await h.as('admin'))).status).toBe(403);
    expect((await check('2580', { authorization: `Bearer ${TEST_CREDENTIALS.display}` })).status).toBe(403);
    expect((await check('2580', { authorization: '' })).status).toBe(401);
    for (const bad of ['12', '123456789', 'abcd', 2580]) expect((await check(bad)).status).toBe(400);
    expect(audit()).toEqual([]);
  });
});
