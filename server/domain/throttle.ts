/**
 * Login throttling policy (security.md, OWASP ASVS 2.2.1): pure state transitions over one counter per
 * key, kept by each server in a `login_throttle` table (the central API's under `SELECT … FOR UPDATE`, so
 * every instance shares them; the clinic's local server for staff logins).
 *
 * Per key (`acct:<email>`: `ACCOUNT_POLICY`; `ip:<addr>`: `IP_POLICY`): failures count within a window
 * of 15 minutes from the first one. Reaching the limit (10 per account, 100 per address) locks the key
 * for 1 minute; each further failure after a lock doubles it (2, 4, 8 … minutes), capped at 1 hour.
 * While locked, attempts are answered 429 without checking the password and do not count. A key is
 * forgiven 15 minutes after its window started (no lock) or after its last lock ended; a successful
 * login deletes the account key (service.ts).
 */

/** Limits of one kind of key; times in ms. */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
}

const MIN = 60_000;

/** Per account (`acct:<email>`): 10 failures per 15 min, then locks of 1, 2, 4 … ≤ 60 min. */
export const ACCOUNT_POLICY: ThrottlePolicy = {
  maxFailures: 10,
  windowMs: 15 * MIN,
  baseLockMs: MIN,
  maxLockMs: 60 * MIN,
};

/** Per client address (`ip:<addr>`): 100 failures per 15 min, then the same backoff. */
export const IP_POLICY: ThrottlePolicy = { ...ACCOUNT_POLICY, maxFailures: 100 };

/** A key's state; times in ms since epoch. */
export interface ThrottleState {
  failures: number;
  windowStartedAt: number;
  lockedUntil: number | null;
}

/** Milliseconds the key stays locked after `now` (0 = not locked). */
export function lockRemainingMs(state: ThrottleState | null, now: number): number {
  return state?.lockedUntil != null && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

/** True when the key's failures are forgiven at `now` (see the module doc). */
export function isForgiven(state: ThrottleState, now: number, policy: ThrottlePolicy): boolean {
  const since = state.lockedUntil ?? state.windowStartedAt;
  return now >= since + policy.windowMs;
}

/** The key's state after one more failure at `now`. */
export function afterFailure(
  state: ThrottleState | null,
  now: number,
  policy: ThrottlePolicy,
): ThrottleState {
  const base =
    state && !isForgiven(state, now, policy)
      ? state
      : { failures: 0, windowStartedAt: now, lockedUntil: null };
  const failures = base.failures + 1;
  if (failures < policy.maxFailures)
    return { failures, windowStartedAt: base.windowStartedAt, lockedUntil: null };
  const doublings = Math.min(failures - policy.maxFailures, 30);
  const lockMs = Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** doublings);
  return { failures, windowStartedAt: base.windowStartedAt, lockedUntil: now + lockMs };
}

/** The throttle key of an account, by its lowercased email. */
export function accountKey(email: string): string {
  return `acct:${email.toLowerCase()}`;
}

/** The throttle key of a client address. */
export function ipKey(ip: string): string {
  return `ip:${ip}`;
}

/** A fixed-window rate limit: at most `max` requests per key in each window of `windowMs` ms. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/**
 * Booking codes at the kiosk (issue 13): failed lookups per kiosk device — 10 within 10 minutes lock
 * that kiosk's code entry for 1 minute, then 2, 4 … ≤ 15 minutes (a patient who mistypes a few times is
 * never locked; a guesser gets ~10 tries per lock).
 */
export const KIOSK_CODE_FAILURE_POLICY: ThrottlePolicy = {
  maxFailures: 10,
  windowMs: 10 * MIN,
  baseLockMs: MIN,
  maxLockMs: 15 * MIN,
};

/** Booking-code lookups (any answer) per kiosk device: 10 per minute. */
export const KIOSK_CODE_DEVICE_LIMIT: RateLimit = { max: 10, windowMs: MIN };
/** Booking-code lookups (any answer) across all kiosks of a clinic: 60 per minute. */
export const KIOSK_CODE_GLOBAL_LIMIT: RateLimit = { max: 60, windowMs: MIN };

/** Patient sign-ups per client address: 10 per hour. */
export const SIGNUP_IP_LIMIT: RateLimit = { max: 10, windowMs: 60 * MIN };
/** Password-reset requests and submissions per client address: 10 per 15 minutes. */
export const PASSWORD_RESET_IP_LIMIT: RateLimit = { max: 10, windowMs: 15 * MIN };
/** Payment-link views (`/api/pay/{token}…`) per client address: 60 per minute. */
export const PAY_LINK_IP_LIMIT: RateLimit = { max: 60, windowMs: MIN };
