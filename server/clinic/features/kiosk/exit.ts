/**
 * The kiosk's staff-PIN exit: `POST /api/kiosk/exit-check` `{ pin }` checks a PIN against the PINs of the
 * active staff (Argon2id hashes set through `/api/auth/pin`, server/clinic/features/staff/service.ts)
 * for Electron main, which takes the kiosk window out of kiosk mode only on `{ ok: true }`
 * (electron/main/ipc.ts `kiosk:leave`). Callers: the kiosk only (server/clinic/http/access.ts).
 * Throttled per kiosk (`kiosk-exit:<actor>` in `login_throttle`, the pure policy of
 * server/domain/throttle.ts with 5 failures per 15 min, then locks of 1, 2, 4 … ≤ 60 min) and audited:
 * `kiosk.exit` (detail: which staff account's PIN) or `kiosk.exit_failed`.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../../domain/errors.ts';
import { ACCOUNT_POLICY, lockRemainingMs, type ThrottlePolicy } from '../../../domain/throttle.ts';
import { verifyPassword, type Argon2Params } from '../../../http/passwords.ts';
import { validate } from '../../../http/validate.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { clearThrottle, readThrottle, recordFailure } from '../staff/throttle-repo.ts';

/** Wrong PINs per kiosk within 15 min before it is locked (then 1, 2, 4 … ≤ 60 min). */
export const KIOSK_EXIT_POLICY: ThrottlePolicy = { ...ACCOUNT_POLICY, maxFailures: 5 };

/** The throttle key of a kiosk (its audit actor: `kiosk` for the app's window, `kiosk:<id>` paired). */
export function kioskExitKey(actor: Actor): string {
  return `kiosk-exit:${actor}`;
}

/** `POST /api/kiosk/exit-check` body: a PIN of 4–8 digits. */
export const exitCheckInput = z.object({ pin: z.string().regex(/^\d{4,8}$/, '4–8 digits') });

/**
 * Checks `pin` against every active staff member's PIN (all are verified, so the time does not say
 * which one matched). On a match: clears the kiosk's throttle and audits `kiosk.exit`.
 * @throws AppError too_many_attempts (429, `details.retryAfterSec`) while the kiosk is locked (the PIN is
 *   not checked), wrong_pin (401) otherwise when no PIN matches (counted, audited `kiosk.exit_failed`)
 */
export async function checkExitPin(
  deps: ClinicDeps & { argon2: Argon2Params },
  pin: string,
  actor: Actor,
): Promise<void> {
  const key = kioskExitKey(actor);
  const wait = lockRemainingMs(readThrottle(deps, key), deps.now());
  if (wait > 0)
    throw new AppError('too_many_attempts', 'too many wrong PINs: try again later', {
      retryAfterSec: Math.ceil(wait / 1000),
    });
  const rows = deps.db
    .prepare('SELECT id, username, pin_hash FROM staff WHERE active = 1 AND pin_hash IS NOT NULL ORDER BY id')
    .all() as { id: string; username: string; pin_hash: string }[];
  let match: { id: string; username: string } | null = null;
  for (const row of rows) {
    if ((await verifyPassword(row.pin_hash, pin, deps.argon2)) && !match) match = row;
  }
  if (!match) {
    deps.db.transaction(() => {
      recordFailure(deps, key, KIOSK_EXIT_POLICY);
      writeAudit(deps, actor, 'kiosk.exit_failed', null, null);
    })();
    throw new AppError('wrong_pin', 'wrong PIN');
  }
  deps.db.transaction(() => {
    clearThrottle(deps, key);
    writeAudit(deps, actor, 'kiosk.exit', 'staff', match.id, { staff: match.username });
  })();
}

/** The exit-check route (mount under /api); answers `{ ok: true }`, or 401 wrong_pin / 429 (see above). */
export function kioskExitRoutes(deps: ClinicDeps & { argon2: Argon2Params }) {
  return new Hono<AppEnv>().post('/kiosk/exit-check', validate('json', exitCheckInput), async (c) => {
    await checkExitPin(deps, c.req.valid('json').pin, c.var.actor);
    return c.json({ ok: true as const });
  });
}
