/**
 * Tests of password hashing: the production Argon2id cost (`ARGON2_PRODUCTION`, what main.ts configures)
 * yields `$argon2id$v=19$m=19456,t=2,p=1$…` and meets security.md;
 * verification, the dummy hash for unknown emails, and rehash detection.
 */
import { describe, expect, it } from 'vitest';
import {
  ARGON2_PRODUCTION,
  ARGON2_TEST,
  dummyHash,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords.ts';

describe('password hashing', () => {
  it('hashes with the production parameters as $argon2id$v=19$m=19456,t=2,p=1$', async () => {
    const params = ARGON2_PRODUCTION;
    expect(params).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    // security.md: memory ≥ 19 MiB, iterations ≥ 2, parallelism 1.
    expect(params.memoryCost).toBeGreaterThanOrEqual(19 * 1024);
    const h = await hashPassword('correct horse battery staple', params);
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(h, 'correct horse battery staple', params)).toBe(true);
    expect(await verifyPassword(h, 'correct horse battery stapler', params)).toBe(false);
    expect(needsRehash(h, params)).toBe(false);
  });

  it('salts every hash, answers false for a missing or malformed hash, and spots an old cost', async () => {
    const params = ARGON2_TEST;
    const a = await hashPassword('same password here', params);
    const b = await hashPassword('same password here', params);
    expect(a).not.toBe(b);
    expect(await verifyPassword(null, 'same password here', params)).toBe(false);
    expect(await verifyPassword('not-a-hash', 'same password here', params)).toBe(false);
    expect(await dummyHash(params)).toBe(await dummyHash(params));
    expect(await dummyHash(params)).toMatch(/^\$argon2id\$v=19\$m=1024,t=2,p=1\$/);
    expect(needsRehash(a, { ...params, memoryCost: 19_456 })).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv', params)).toBe(true);
  });
});
