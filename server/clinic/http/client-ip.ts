/**
 * The caller's address for throttling and the audit log: the socket's remote address, or 'unknown' for
 * in-process test requests. The local server has no proxy in front of it, so `X-Forwarded-For` is
 * ignored (trusting it would let anyone pick their own throttle key).
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Best-known client address. */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
