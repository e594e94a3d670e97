/**
 * Medium tests of the accounts SQL on each driver: the unique-email index is recognised as such (the
 * sign-up race), an emailed token is used once even by concurrent requests, and throttle rows lock and
 * update.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashToken } from '../../http/auth.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import * as repo from './repo.ts';

describeDrivers('accounts repo', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver);
  });
  afterAll(async () => t.close());

  const newAccount = (email: string) =>
    repo.insertAccount(
      t.deps.db,
      {
        name: 'Ana',
        email,
        phone: '+351912345678',
        nif: null,
        birthDate: null,
        passwordHash: 'x',
        locale: 'pt',
      },
      t.clock(),
    );

  it('refuses a second live account with the same email (any case) as a unique violation', async () => {
    await newAccount('same@example.pt');
    const err = await newAccount('SAME@example.pt').catch((e: unknown) => e);
    expect(repo.isUniqueViolation(err)).toBe(true);
    expect(repo.isUniqueViolation(new Error('other'))).toBe(false);
    expect((await repo.findLiveAccountByEmail(t.deps.db, 'Same@Example.pt'))!.email).toBe('same@example.pt');
  });

  it('lets exactly one of two concurrent uses of a token win', async () => {
    const account = await newAccount('token@example.pt');
    await repo.insertEmailToken(
      t.deps.db,
      { tokenHash: hashToken('tok'), accountId: account.id, purpose: 'reset_password' },
      t.clock(),
      60_000,
    );
    const results = await Promise.all([
      t.deps.db.transaction((tx) =>
        repo.consumeEmailToken(tx, hashToken('tok'), 'reset_password', t.clock()),
      ),
      t.deps.db.transaction((tx) =>
        repo.consumeEmailToken(tx, hashToken('tok'), 'reset_password', t.clock()),
      ),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await repo.consumeEmailToken(t.deps.db, hashToken('tok'), 'verify_email', t.clock())).toBeNull();
  });

  it('creates, locks, writes and deletes throttle rows', async () => {
    const now = t.clock();
    await t.deps.db.transaction(async (tx) => {
      expect(await repo.lockThrottle(tx, 'acct:x@example.pt', now)).toBeNull();
      await repo.writeThrottle(tx, 'acct:x@example.pt', {
        failures: 3,
        windowStartedAt: now,
        lockedUntil: null,
      });
    });
    const states = await repo.readThrottle(t.deps.db, ['acct:x@example.pt', 'ip:none']);
    expect([...states]).toEqual([
      ['acct:x@example.pt', { failures: 3, windowStartedAt: now, lockedUntil: null }],
    ]);
    await repo.deleteThrottle(t.deps.db, 'acct:x@example.pt');
    expect((await repo.readThrottle(t.deps.db, ['acct:x@example.pt'])).size).toBe(0);
  });
});
