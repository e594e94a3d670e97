/**
 * Rate limits shared by every central instance behind the load balancer (docs/security.md "Rate
 * limits"): a fixed window per key kept in PostgreSQL, in the `login_throttle` table under keys
 * prefixed `rl:` (its `failures` column counts the window's requests, `window_started_at` starts it).
 * One atomic upsert per request counts it and, when the window is over, starts a new one; so two
 * instances count into the same row and the figure holds for the whole deployment.
 */
import { lt, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimit } from '../../domain/throttle.ts';
import { rateLimited } from '../../http/rate-limit.ts';
import type { CentralDb } from '../db/database.ts';
import { loginThrottle } from '../db/schema.ts';

/**
 * Counts one request of `key` under `limit` at `now` (ms); returns 0 when allowed, else the ms until
 * its window ends.
 */
export async function takeShared(db: CentralDb, key: string, limit: RateLimit, now: number): Promise<number> {
  const start = new Date(now);
  const expired = new Date(now - limit.windowMs);
  const [row] = await db
    .insert(loginThrottle)
    .values({ key: `rl:${key}`, failures: 1, windowStartedAt: start, lockedUntil: null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`CASE WHEN ${loginThrottle.windowStartedAt} <= ${expired.toISOString()}::timestamptz THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${loginThrottle.windowStartedAt} <= ${expired.toISOString()}::timestamptz THEN ${start.toISOString()}::timestamptz ELSE ${loginThrottle.windowStartedAt} END`,
      },
    })
    .returning({ count: loginThrottle.failures, startedAt: loginThrottle.windowStartedAt });
  if (!row || row.count <= limit.max) return 0;
  return Math.max(1, row.startedAt.getTime() + limit.windowMs - now);
}

/** How old a `login_throttle` row must be before `sweepThrottle` deletes it: 24 h, far past any window. */
export const THROTTLE_ROW_TTL_MS = 24 * 3_600_000;

/**
 * Deletes the `login_throttle` rows (`rl:` rate-limit windows and login throttles alike) whose window and
 * lock both ended more than `THROTTLE_ROW_TTL_MS` before `now` (ms): every such row is already forgiven
 * (login windows are 15 min, locks ≤ 1 h, rate-limit windows ≤ 1 h), so deleting it changes no answer.
 * Without it the table grows by a row per client address and key for ever. Returns the rows deleted.
 */
export async function sweepThrottle(db: CentralDb, now: number): Promise<number> {
  const before = new Date(now - THROTTLE_ROW_TTL_MS).toISOString();
  const gone = await db
    .delete(loginThrottle)
    .where(
      lt(
        sql`GREATEST(${loginThrottle.windowStartedAt}, COALESCE(${loginThrottle.lockedUntil}, ${loginThrottle.windowStartedAt}))`,
        sql`${before}::timestamptz`,
      ),
    )
    .returning({ key: loginThrottle.key });
  return gone.length;
}

/** One limit of `sharedRateLimit`: the request's key (null = not counted) and its figure. */
export interface SharedLimit extends RateLimit {
  key: (c: Context) => string | null;
}

/**
 * Middleware: counts the request against each limit, shared by all instances; refuses it when one is
 * exhausted.
 * @throws AppError rate_limited (429, details.retryAfterSec; server/http/errors.ts adds Retry-After)
 */
export function sharedRateLimit(
  deps: { db: CentralDb; now: () => number },
  what: string,
  limits: SharedLimit[],
): MiddlewareHandler {
  return async (c, next) => {
    for (const limit of limits) {
      const key = limit.key(c);
      if (key === null) continue;
      const wait = await takeShared(deps.db, key, limit, deps.now());
      if (wait > 0) throw rateLimited(wait, what);
    }
    await next();
  };
}
