/**
 * Password hashing for patient accounts (central) and staff accounts (clinic): Argon2id (@node-rs/argon2, PHC string
 * `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`, 16-byte random salt, 32-byte output) with
 * the cost the server is configured with (security.md / OWASP: memory ≥ 19 MiB = 19456 KiB, 2 passes,
 * parallelism 1; tests lower it). Logins for unknown emails verify against a dummy hash of the same cost
 * so that they take as long as a wrong password (no account enumeration by timing).
 */
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/** Argon2 cost parameters: memoryCost in KiB, timeCost in passes, parallelism in lanes. */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** A cheap cost for tests only (1 MiB, 2 passes): hashes in about a millisecond. */
export const ARGON2_TEST: Argon2Params = { memoryCost: 1024, timeCost: 2, parallelism: 1 };

/** The production cost (security.md / OWASP: 19 MiB, 2 passes, 1 lane); main.ts configures it. */
export const ARGON2_PRODUCTION: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes `password` with Argon2id (the library's default algorithm and version 0x13) at `params`. */
export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return hash(password, {
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  });
}

const dummies = new Map<string, Promise<string>>();

/** A hash of a random secret at `params`, made once per cost setting: what unknown emails verify against. */
export function dummyHash(params: Argon2Params): Promise<string> {
  const key = `${params.memoryCost}/${params.timeCost}/${params.parallelism}`;
  let h = dummies.get(key);
  if (!h) {
    h = hashPassword(randomBytes(24).toString('base64url'), params);
    dummies.set(key, h);
    // A failure is not cached: the next caller tries again.
    h.catch(() => dummies.delete(key));
  }
  return h;
}

/**
 * Checks `password` against `stored`; with `stored` null (no such account) it verifies against the dummy
 * hash and answers false, taking the same time. A malformed stored hash answers false.
 */
export async function verifyPassword(
  stored: string | null,
  password: string,
  params: Argon2Params,
): Promise<boolean> {
  const target = stored ?? (await dummyHash(params));
  let ok: boolean;
  try {
    ok = await verify(target, password);
  } catch {
    ok = false;
  }
  return stored !== null && ok;
}

/** True when `stored` was made with another algorithm or cost than `params` (rehash at the next login). */
export function needsRehash(stored: string, params: Argon2Params): boolean {
  if (!stored.startsWith('$argon2id$')) return true;
  try {
    const o = parseOptions(stored);
    return (
      o.memoryCost !== params.memoryCost ||
      o.timeCost !== params.timeCost ||
      o.parallelism !== params.parallelism
    );
  } catch {
    return true;
  }
}
