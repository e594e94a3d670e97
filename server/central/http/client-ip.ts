/**
 * The caller's IP address for throttling and the audit log: the first hop of `X-Forwarded-For` when a
 * load balancer sets it, else the socket's remote address, else 'unknown' (in-process test requests).
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Best-known client address. */
export function clientIp(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded.slice(0, 64);
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
