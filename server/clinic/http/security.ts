/**
 * Security middleware of the local server (shared/reference/security.md, "Local server on a desktop"
 * and "Accounts and sessions"):
 * - `hostAllowList`: the Host header must be one we serve (DNS rebinding);
 * - `pageCredential`: opening a page with `?token=<its launch credential>` (the URLs the server prints
 *   and the Electron app opens) stores it in an HttpOnly, SameSite=Strict cookie named after the screen,
 *   then drops it from the URL;
 * - `authenticate`: finds who is calling — a staff member (access JWT of a live session, in the
 *   `cfd_staff_access` cookie or as `Authorization: Bearer`), a paired device (its durable token, cookie
 *   `cfd_device` or Bearer), or the Electron app's own kiosk / display window (the launch credential of
 *   that screen) — and sets `c.var.caller` and `c.var.actor`. The page names its screen
 *   (`x-cfd-screen`, or `?screen=` for EventSource and links) so the right cookie is used when several
 *   screens are open in one browser. The desk's launch credential identifies nobody: it only allows the
 *   first-run setup (server/clinic/features/staff/routes.ts);
 * - `authorize`: the route's allow-list (server/clinic/http/access.ts) decides; a route missing from it
 *   is refused for everyone; a locked staff session is refused everything but unlock, me and logout;
 *   state-changing requests must come from our own origin (Origin / Sec-Fetch-Site).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import { AppError } from '../../domain/errors.ts';
import { SCREENS, type Screen } from '../../domain/ready.ts';
import type { DbContext } from '../db/database.ts';
import { deviceByToken } from '../features/devices/service.ts';
import { liveSession, readCookie, verifyAccessToken, ACCESS_COOKIE } from '../features/staff/sessions.ts';
import { allowed, ROUTE_ACCESS, routeKey } from './access.ts';
import type { AppEnv, Caller } from './context.ts';
import { cookieName, screenOf } from './credentials.ts';

/** Base name of the paired device's cookie. */
export const DEVICE_COOKIE = 'cfd_device';

/** Routes a locked staff session may still call. */
const LOCK_EXEMPT = new Set(['GET /api/auth/me', 'POST /api/auth/unlock', 'POST /api/auth/logout']);

/** Refuses a Host header (port ignored) not in `allowedHosts`. @throws AppError forbidden (403) */
export function hostAllowList(allowedHosts: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (!allowedHosts.includes(host))
      throw new AppError('forbidden', `host ${host || '(none)'} is not served here`);
    await next();
  };
}

/**
 * On a page GET with `?token=`: checks that the token is the launch credential of the page's own screen,
 * sets the screen's cookie and redirects (303) to the same URL without the token.
 * @throws AppError unauthorized (401) for a wrong token
 */
export function pageCredential(credentials: Record<Screen, string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = c.req.query('token');
    if (token === undefined || c.req.method !== 'GET' || c.req.path.startsWith('/api/')) return next();
    const screen = screenOf(credentials, token);
    const page = c.req.path.split('/')[1];
    if (!screen || screen !== page) throw new AppError('unauthorized', 'wrong token for this screen');
    setCookie(c, cookieName(screen), token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    const url = new URL(c.req.url);
    url.searchParams.delete('token');
    return c.redirect(url.pathname + url.search, 303);
  };
}

/** The host[:port] of an Origin header, or null for 'null' and other unparsable values. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function isScreen(value: string | undefined): value is Screen {
  return (SCREENS as readonly string[]).includes(value ?? '');
}

/** What `authenticate` needs: the database and clock, the staff JWT key and the launch credentials. */
export interface AuthOptions extends DbContext {
  sessionKey: Uint8Array;
  credentials: Record<Screen, string>;
}

/** Whether the request presents the desk's launch credential (cookie `cfd_desk` or Bearer). */
export function hasDeskLaunchCredential(c: Context, credentials: Record<Screen, string>): boolean {
  const bearer = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  const presented = bearer ?? getCookie(c, cookieName('desk'));
  return presented !== undefined && screenOf(credentials, presented) === 'desk';
}

/** A staff caller from an access token, or null (`expired` says a token was there but is no longer good). */
async function staffFrom(
  options: AuthOptions,
  token: string,
): Promise<{ caller: Caller | null; expired: boolean }> {
  const claims = await verifyAccessToken(options.sessionKey, token, options.now());
  if (!claims) return { caller: null, expired: true };
  const s = liveSession(options, claims.sessionId, claims.staffId);
  if (!s) return { caller: null, expired: true };
  return {
    caller: {
      kind: 'staff',
      role: s.role,
      staffId: s.staffId,
      username: s.username,
      displayName: s.displayName,
      practitionerId: s.practitionerId,
      sessionId: s.sessionId,
      expiresAt: s.expiresAt,
      locked: s.locked,
    },
    expired: false,
  };
}

/** A device caller from a launch credential or a device token, or null. */
function deviceFrom(options: AuthOptions, token: string, want?: Screen): Caller | null {
  const screen = screenOf(options.credentials, token);
  if (screen === 'kiosk' || screen === 'display')
    return want && want !== screen ? null : { kind: 'device', role: screen, deviceId: null };
  if (screen === 'desk') return null;
  const device = deviceByToken(options, token);
  if (!device || (want && want !== device.kind)) return null;
  return { kind: 'device', role: device.kind, deviceId: device.id };
}

/**
 * Sets `c.var.caller` (null when the request carries no valid credential) and `c.var.actor`. Never
 * refuses by itself: `authorize` decides with the route's allow-list. A present but expired or revoked
 * staff token is remembered so the 401 can say `session_expired`.
 */
export function authenticate(options: AuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let caller: Caller | null = null;
    let expired = false;
    const authorization = c.req.header('authorization');
    if (authorization !== undefined && authorization !== '') {
      const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
      if (bearer) {
        if (bearer.split('.').length === 3) ({ caller, expired } = await staffFrom(options, bearer));
        else caller = deviceFrom(options, bearer);
      }
    } else {
      const hint = c.req.header('x-cfd-screen') ?? c.req.query('screen');
      const screen = isScreen(hint) ? hint : undefined;
      const access = readCookie(c, ACCESS_COOKIE);
      if ((screen === undefined || screen === 'desk') && access)
        ({ caller, expired } = await staffFrom(options, access));
      if (!caller && screen !== 'desk') {
        for (const s of screen ? [screen] : (['display', 'kiosk'] as const)) {
          const launch = getCookie(c, cookieName(s));
          caller = launch ? deviceFrom(options, launch, s) : null;
          if (caller) break;
        }
        const device = readCookie(c, DEVICE_COOKIE);
        if (!caller && device) caller = deviceFrom(options, device, screen);
      }
    }
    c.set('caller', caller);
    c.set('actor', actorOf(caller));
    c.set('sessionExpired', !caller && expired);
    await next();
  };
}

/** How the audit log names a caller. */
function actorOf(caller: Caller | null): AppEnv['Variables']['actor'] {
  if (!caller) return 'system';
  if (caller.kind === 'staff') return `staff:${caller.username}`;
  return caller.deviceId === null ? caller.role : `${caller.role}:${caller.deviceId}`;
}

/** The allow-list key of the route that will answer this request, or null for no route (404). */
export function matchedRouteKey(c: Context): string | null {
  const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'));
  const last = routes.at(-1);
  return last ? routeKey(last.method, last.path) : null;
}

/**
 * Refuses the request unless the route's allow-list admits the caller (server/clinic/http/access.ts).
 * @throws AppError unauthorized / session_expired (401) without credentials on a non-public route;
 *   session_locked (423); forbidden (403) for a caller not on the list or a cross-site write;
 *   route_not_in_matrix (403) for a route the allow-list does not name
 */
export function authorize(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = matchedRouteKey(c);
    if (key === null) return next(); // no such route: the 404 handler answers
    const rule = ROUTE_ACCESS[key];
    if (rule === undefined) throw new AppError('route_not_in_matrix', `${key} has no access rule`);
    const caller = c.var.caller;
    if (rule !== 'public') {
      if (!caller) {
        if (c.var.sessionExpired) throw new AppError('session_expired', 'session ended: log in again');
        throw new AppError(
          'unauthorized',
          'log in, or pair this screen with the desk (credential missing or wrong)',
        );
      }
      if (caller.kind === 'staff' && caller.locked && !LOCK_EXEMPT.has(key))
        throw new AppError('session_locked', 'this desk is locked: unlock it to go on');
      if (!allowed(key, caller.role)) throw new AppError('forbidden', `${caller.role} may not call ${key}`);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const site = c.req.header('sec-fetch-site');
      if (site && site !== 'same-origin' && site !== 'none')
        throw new AppError('forbidden', 'cross-site request refused');
      const origin = c.req.header('origin');
      if (origin && originHost(origin) !== c.req.header('host'))
        throw new AppError('forbidden', 'cross-origin request refused');
    }
    await next();
  };
}
