/**
 * Security middleware of the local server (shared/reference/security.md, "Local server on a desktop"):
 * - `hostAllowList`: the Host header must be one we serve (DNS rebinding);
 * - `pageCredential`: opening a page with `?token=<its screen credential>` stores the credential in an
 *   HttpOnly, SameSite=Strict cookie named after the screen, then drops it from the URL;
 * - `requireCredential`: every /api route needs a screen credential, as `Authorization: Bearer …` or as
 *   the cookie of the screen named by the `x-cfd-screen` header (or `?screen=` for EventSource); the
 *   screen becomes `c.var.actor`. State-changing requests must come from our own origin.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../domain/errors.ts';
import { SCREENS, type Screen } from '../../domain/ready.ts';
import type { AppEnv } from './context.ts';
import { cookieName, screenOf } from './credentials.ts';

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
 * On a page GET with `?token=`: checks that the token is the credential of the page's own screen, sets the
 * screen's cookie and redirects (303) to the same URL without the token.
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

/**
 * Authenticates an /api request and sets `c.var.actor` to the calling screen.
 * @throws AppError unauthorized (401) without a valid credential; forbidden (403) for a cross-site write
 */
export function requireCredential(credentials: Record<Screen, string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    let actor: Screen | null = null;
    if (authorization !== undefined && authorization !== '') {
      const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
      actor = bearer ? screenOf(credentials, bearer) : null;
    } else {
      // Several screens can be open in one browser; the page names its own (header, or query for SSE).
      const hint = c.req.header('x-cfd-screen') ?? c.req.query('screen');
      const candidates = isScreen(hint) ? [hint] : [...SCREENS].reverse();
      for (const screen of candidates) {
        const cookie = getCookie(c, cookieName(screen));
        if (cookie && screenOf(credentials, cookie) === screen) {
          actor = screen;
          break;
        }
      }
    }
    if (!actor) {
      throw new AppError(
        'unauthorized',
        'open this screen from the link the clinic server printed (credential missing or wrong)',
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const site = c.req.header('sec-fetch-site');
      if (site && site !== 'same-origin' && site !== 'none')
        throw new AppError('forbidden', 'cross-site request refused');
      const origin = c.req.header('origin');
      if (origin && originHost(origin) !== c.req.header('host'))
        throw new AppError('forbidden', 'cross-origin request refused');
    }
    c.set('actor', actor);
    await next();
  };
}
