/**
 * Serves the built patient portal (vite build output, dist/renderer) from the central API, same origin
 * as the API so the session cookies (`__Host-`, SameSite=Strict) reach it:
 * - `/assets/*`: Vite's content-hashed files, cached for a year (`immutable`);
 * - `/favicon.svg`;
 * - any other GET outside the API's own paths (`/api`, `/docs`, `/openapi.json`, `/dev`): the portal's
 *   `index.html` (single-page app: its router reads the path), never cached, under a strict
 *   Content-Security-Policy (security.md: `object-src 'none'; base-uri 'none'; frame-ancestors 'none'`).
 * Files are read only from inside `rendererDir`: a path that resolves outside it (`..`, encoded or not,
 * or a symlink) is not found. Mount it after the API routes:
 * `if (options.rendererDir) app.route('/', portalPages(options.rendererDir))`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Hono, type Next } from 'hono';

/**
 * The portal's CSP: scripts, styles, images and requests from our own origin only (React's `style`
 * attributes need 'unsafe-inline' for styles; images may be data: URLs), no plugins, no `<base>`, never
 * framed.
 */
export const PORTAL_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Paths that belong to the API process, never to the portal's fallback (a miss there is a 404). */
const NOT_PORTAL = /^\/(api|docs|dev)(\/|$)|^\/openapi\.json$/;

/** Content types of the files Vite emits (anything else is served as bytes). */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The real path of `relative` inside `dir`, or null when it is missing, not a regular file, or resolves
 * (through `..` or a symlink) outside `dir`.
 */
function fileInside(dir: string, relative: string): string | null {
  if (relative.includes('\0')) return null;
  let root: string;
  let real: string;
  try {
    root = fs.realpathSync(dir);
    real = fs.realpathSync(path.resolve(root, relative));
  } catch {
    return null;
  }
  if (real !== root && !real.startsWith(root + path.sep)) return null;
  try {
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** Not ours: let the next handler (or the mounting app's not-found answer) respond. */
async function fallThrough(next: Next): Promise<undefined> {
  await next();
  return undefined;
}

/**
 * The portal's pages as a Hono app, to mount at `/` after the API routes.
 * @param rendererDir the vite build output (dist/renderer): `portal/index.html`, `assets/`, `favicon.svg`
 * @returns GET handlers for `/assets/*`, `/favicon.svg` and the SPA fallback; other paths fall through
 *   to the parent app's not-found answer
 */
export function portalPages(rendererDir: string) {
  const root = path.resolve(rendererDir);
  const assetsDir = path.join(root, 'assets');

  const app = new Hono();

  app.get('/assets/*', async (c, next) => {
    // The raw path, decoded once: `%2e%2e%2f` must be judged as the `../` it means.
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice('/assets/'.length));
    } catch {
      return fallThrough(next);
    }
    const file = fileInside(assetsDir, relative);
    if (!file) return fallThrough(next);
    return c.body(fs.readFileSync(file), 200, {
      'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('/favicon.svg', async (c, next) => {
    const file = fileInside(root, 'favicon.svg');
    if (!file) return fallThrough(next);
    return c.body(fs.readFileSync(file), 200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('*', async (c, next) => {
    if (NOT_PORTAL.test(c.req.path) || c.req.path.startsWith('/assets/')) return fallThrough(next);
    const file = fileInside(root, 'portal/index.html');
    if (!file) return fallThrough(next);
    return c.body(fs.readFileSync(file), 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': PORTAL_CSP,
      'x-content-type-options': 'nosniff',
    });
  });

  return app;
}
