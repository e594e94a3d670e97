/**
 * Serves the built pages (vite build output): `/` → `/desk/`, `/<screen>` → `/<screen>/`, and the static
 * files with a strict Content-Security-Policy, no-store HTML and immutable hashed assets.
 */
import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import path from 'node:path';
import { SCREENS } from '../../domain/ready.ts';
import type { AppEnv } from './context.ts';

/** The pages' CSP: our own origin only; camera frames and images as blob:/data: URLs. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Mounts the pages in `rendererDir` (absolute, or relative to the working directory) on `app`. */
export function mountPages(app: Hono<AppEnv>, rendererDir: string): void {
  const root = path.relative(process.cwd(), rendererDir) || '.';
  app.get('/', (c) => c.redirect('/desk/'));
  for (const page of SCREENS) app.get(`/${page}`, (c) => c.redirect(`/${page}/`));
  // serveStatic calls `onFound` after it built its response, so headers set there with `c.header` are
  // lost (@hono/node-server 2.x): note the file, then set the headers on the response itself.
  const found = new WeakMap<object, string>();
  app.use('/*', async (c, next) => {
    await next();
    const p = found.get(c);
    if (p === undefined) return;
    c.res.headers.set(
      'Cache-Control',
      p.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable',
    );
    c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });
  app.use(
    '/*',
    serveStatic({
      root,
      onFound: (p, c) => {
        found.set(c, p);
      },
    }),
  );
}
