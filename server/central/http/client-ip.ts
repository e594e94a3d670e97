/**
 * The caller's IP address for throttling and the audit log: the first hop of `X-Forwarded-For` when a
 * load balancer sets it and it looks like an address, else the socket's remote address, else 'unknown'
 * (in-process test requests). The balancer must overwrite the header with the client's address.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Best-known client address. */
export function clientIp(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded && /^[0-9A-Fa-f:.]{2,45}$/.test(forwarded)) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
