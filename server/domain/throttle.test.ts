/** Small tests of the login-throttle policy: window, lock, exponential backoff, cap, forgiveness. */
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_POLICY,
  accountKey,
  afterFailure,
  IP_POLICY,
  ipKey,
  lockRemainingMs,
  type ThrottleState,
} from './throttle.ts';

const MIN = 60_000;

function fail(times: number, state: ThrottleState | null, now: number, policy = ACCOUNT_POLICY) {
  let s = state;
  for (let i = 0; i < times; i++) s = afterFailure(s, now, policy);
  return s!;
}

describe('login throttle policy', () => {
  it('allows 9 failures unlocked and locks for 1 minute at the 10th', () => {
    const s9 = fail(9, null, 0);
    expect(s9).toEqual({ failures: 9, windowStartedAt: 0, lockedUntil: null });
    expect(lockRemainingMs(s9, 0)).toBe(0);
    const s10 = afterFailure(s9, 1000, ACCOUNT_POLICY);
    expect(s10).toEqual({ failures: 10, windowStartedAt: 0, lockedUntil: 1000 + MIN });
    expect(lockRemainingMs(s10, 1000)).toBe(MIN);
    expect(lockRemainingMs(s10, 1000 + MIN)).toBe(0);
  });

  it('doubles the lock with each further failure, capped at one hour', () => {
    let s = fail(10, null, 0);
    const locks: number[] = [];
    for (let i = 0; i < 9; i++) {
      const now = s.lockedUntil!;
      s = afterFailure(s, now, ACCOUNT_POLICY);
      locks.push((s.lockedUntil! - now) / MIN);
    }
    expect(locks).toEqual([2, 4, 8, 16, 32, 60, 60, 60, 60]);
  });

  it('forgives failures 15 minutes after the window started, or after the last lock ended', () => {
    const s5 = fail(5, null, 0);
    expect(afterFailure(s5, 15 * MIN - 1, ACCOUNT_POLICY).failures).toBe(6);
    expect(afterFailure(s5, 15 * MIN, ACCOUNT_POLICY)).toEqual({
      failures: 1,
      windowStartedAt: 15 * MIN,
      lockedUntil: null,
    });
    const locked = fail(10, null, 0);
    expect(afterFailure(locked, MIN + 15 * MIN - 1, ACCOUNT_POLICY).failures).toBe(11);
    expect(afterFailure(locked, MIN + 15 * MIN, ACCOUNT_POLICY).failures).toBe(1);
  });

  it('gives client addresses 100 failures before the first lock, and names keys by kind', () => {
    expect(fail(99, null, 0, IP_POLICY).lockedUntil).toBeNull();
    expect(fail(100, null, 0, IP_POLICY).lockedUntil).toBe(MIN);
    expect(accountKey('Ana@Example.PT')).toBe('acct:ana@example.pt');
    expect(ipKey('203.0.113.9')).toBe('ip:203.0.113.9');
  });
});
