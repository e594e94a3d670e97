/**
 * Screen credentials of the local server. One launch secret (`CFD_TOKEN`, random per launch unless set)
 * yields one credential per screen, HMAC-SHA256(secret, "screen:<name>") in base64url, so a request's
 * credential tells which screen sent it, and that screen is the actor recorded in the audit log.
 * Staff logins and paired device tokens (a later issue) replace this scheme.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SCREENS, type Screen } from '../../domain/ready.ts';

/** The credential of each screen, derived from the launch secret (43 base64url characters each). */
export function screenCredentials(secret: string): Record<Screen, string> {
  const derive = (screen: Screen) =>
    createHmac('sha256', secret).update(`screen:${screen}`).digest('base64url');
  return { desk: derive('desk'), kiosk: derive('kiosk'), display: derive('display') };
}

/** Constant-time comparison of two secrets (false for different lengths). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The screen whose credential `presented` is, or null. Compares against every screen in constant time. */
export function screenOf(credentials: Record<Screen, string>, presented: string): Screen | null {
  let found: Screen | null = null;
  for (const screen of SCREENS) if (sameSecret(presented, credentials[screen])) found = screen;
  return found;
}

/** Name of the HttpOnly cookie that holds a screen's credential in the browser. */
export const cookieName = (screen: Screen): string => `cfd_${screen}`;
