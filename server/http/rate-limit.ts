/**
 * Per-key request limits kept in this process's memory (docs/security.md "Rate limits"), with an
 * injected clock:
 * - `take(key, limit)`: a fixed window — at most `limit.max` calls per key per `limit.windowMs`;
 * - `lockedFor` / `fail` / `forgive`: failure lockouts with backoff, the pure policy of
 *   server/domain/throttle.ts (`afterFailure`) kept in a Map instead of a table.
 * State is per process: right for the clinic's single local server. The central API, whose instances sit
 * behind a load balancer, counts in PostgreSQL instead (server/central/http/rate-limit.ts).
 * Refusals are 429 `rate_limited` with `details.retryAfterSec`; server/http/errors.ts copies it into a
 * `Retry-After` header.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors.ts';
import {
  afterFailure,
  isForgiven,
  lockRemainingMs,
  type RateLimit,
  type ThrottlePolicy,
  type ThrottleState,
} from '../domain/throttle.ts';

/** Keys kept before expired ones are swept (bounds memory under a flood of distinct keys). */
const SWEEP_AT = 10_000;

/** In-memory fixed windows and failure lockouts; `now` in ms since epoch. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number; windowMs: number }>();
  private readonly failures = new Map<string, { state: ThrottleState; policy: ThrottlePolicy }>();

  constructor(private readonly now: () => number) {}

  /** Counts one call of `key`; returns 0 when allowed, else the ms until its window ends. */
  take(key: string, limit: RateLimit): number {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + w.windowMs) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { start: now, count: 0, windowMs: limit.windowMs };
      this.windows.set(key, w);
    }
    if (w.count >= limit.max) return w.start + w.windowMs - now;
    w.count += 1;
    return 0;
  }

  /** Ms `key` stays locked by its failures (0 = not locked). */
  lockedFor(key: string): number {
    return lockRemainingMs(this.failures.get(key)?.state ?? null, this.now());
  }

  /** Records one failure of `key` under `policy` (may start or lengthen a lock). */
  fail(key: string, policy: ThrottlePolicy): void {
    const now = this.now();
    if (this.failures.size >= SWEEP_AT) this.sweep(now);
    const state = afterFailure(this.failures.get(key)?.state ?? null, now, policy);
    this.failures.set(key, { state, policy });
  }

  /** Forgets the failures of `key` (a success). */
  forgive(key: string): void {
    this.failures.delete(key);
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now >= w.start + w.windowMs) this.windows.delete(k);
    for (const [k, f] of this.failures)
      if (lockRemainingMs(f.state, now) === 0 && isForgiven(f.state, now, f.policy)) this.failures.delete(k);
  }
}

/** The 429 answer for a wait of `waitMs`. */
export function rateLimited(waitMs: number, what: string): AppError {
  const retryAfterSec = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('rate_limited', `too many ${what}: try again in ${retryAfterSec} s`, { retryAfterSec });
}

/** One limit of `rateLimit`: the key of the request (null = not counted) and its figure. */
export interface KeyedLimit extends RateLimit {
  key: (c: Context) => string | null;
}

/**
 * Middleware: counts the request against each limit (all of them, in order) and refuses it when one
 * is exhausted.
 * @throws AppError rate_limited (429, details.retryAfterSec)
 */
export function rateLimit(limiter: RateLimiter, what: string, limits: KeyedLimit[]): MiddlewareHandler {
  return async (c, next) => {
    for (const limit of limits) {
      const key = limit.key(c);
      if (key === null) continue;
      const wait = limiter.take(key, limit);
      if (wait > 0) throw rateLimited(wait, what);
    }
    await next();
  };
}
