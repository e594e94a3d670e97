/**
 * The local server's `login_throttle` rows (migration 0080): one counter per key, read and advanced by
 * the pure policy of server/domain/throttle.ts. Keys: `staff:<username>` and `ip:<addr>` for staff
 * logins, `pair:<addr>` for device pairing. Times in ms since epoch.
 */
import { afterFailure, type ThrottlePolicy, type ThrottleState } from '../../../domain/throttle.ts';
import type { DbContext } from '../../db/database.ts';

/** The state of `key`, or null when it has no failures on record. */
export function readThrottle(ctx: DbContext, key: string): ThrottleState | null {
  const row = ctx.db
    .prepare('SELECT failures, window_started_at, locked_until FROM login_throttle WHERE key = ?')
    .get(key) as { failures: number; window_started_at: number; locked_until: number | null } | undefined;
  return row
    ? { failures: row.failures, windowStartedAt: row.window_started_at, lockedUntil: row.locked_until }
    : null;
}

/** Records one more failure of `key` at the clock's now under `policy`. */
export function recordFailure(ctx: DbContext, key: string, policy: ThrottlePolicy): void {
  const s = afterFailure(readThrottle(ctx, key), ctx.now(), policy);
  ctx.db
    .prepare(
      `INSERT INTO login_throttle (key, failures, window_started_at, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET failures = excluded.failures,
         window_started_at = excluded.window_started_at, locked_until = excluded.locked_until`,
    )
    .run(key, s.failures, s.windowStartedAt, s.lockedUntil);
}

/** Forgets `key` (a successful login). */
export function clearThrottle(ctx: DbContext, key: string): void {
  ctx.db.prepare('DELETE FROM login_throttle WHERE key = ?').run(key);
}
