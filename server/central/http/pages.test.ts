/**
 * The portal's pages served by the central API (pages.ts): hashed assets with a long cache, the SPA
 * fallback with its CSP and no-cache, the API's own paths left alone, and no way out of the build folder.
 * Runs on a temporary copy of a build (no vite needed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CSP, portalPages } from './pages.ts';

let dir: string;
let outside: string;
let app: Hono;

const INDEX = '<!doctype html><html lang="pt-PT"><body><div id="root"></div></body></html>';

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-pages-'));
  dir = path.join(base, 'renderer');
  outside = path.join(base, 'secret.txt');
  fs.mkdirSync(path.join(dir, 'portal'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'portal', 'index.html'), INDEX);
  fs.writeFileSync(path.join(dir, 'desk.html'), 'not the portal');
  fs.writeFileSync(path.join(dir, 'assets', 'portal-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'assets', 'portal-abc123.css'), 'body{}');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(outside, 'top secret');
  fs.symlinkSync(outside, path.join(dir, 'assets', 'link.txt'));

  // Mounted as app.ts does: API routes first, the pages after them, our not-found answer.
  app = new Hono();
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no route' } }, 404));
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.get('/openapi.json', (c) => c.json({ openapi: '3.1.0' }));
  app.route('/', portalPages(dir));
});

afterAll(() => {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('portalPages', () => {
  it('answers the portal at / with a strict CSP and no-cache', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(PORTAL_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(INDEX);
  });

  it('falls back to the portal for its own routes (deep links from emails)', async () => {
    for (const route of ['/book', '/verify-email?token=abc', '/appointments/123', '/account']) {
      const res = await app.request(route);
      expect(res.status, route).toBe(200);
      expect(await res.text(), route).toBe(INDEX);
    }
  });

  it('serves hashed assets with a year-long immutable cache and their content type', async () => {
    const js = await app.request('/assets/portal-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await app.request('/assets/portal-abc123.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves the favicon', async () => {
    const res = await app.request('/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers a missing asset 404, not the portal', async () => {
    const res = await app.request('/assets/missing-123.js');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('leaves the API, docs and dev paths to the API (404 when unknown, never the portal)', async () => {
    expect(await (await app.request('/api/health')).json()).toEqual({ ok: true });
    expect(await (await app.request('/openapi.json')).json()).toEqual({ openapi: '3.1.0' });
    for (const route of ['/api', '/api/nope', '/docs', '/docs/x', '/dev', '/dev/mailbox']) {
      const res = await app.request(route);
      expect(res.status, route).toBe(404);
      expect(await res.text(), route).not.toBe(INDEX);
    }
  });

  it('answers only GET (and HEAD)', async () => {
    expect((await app.request('/book', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/book', { method: 'HEAD' })).status).toBe(200);
  });

  it('never serves a file outside the assets folder', async () => {
    for (const route of [
      '/assets/../portal/index.html',
      '/assets/%2e%2e/portal/index.html',
      '/assets/%2e%2e%2fportal%2findex.html',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/assets/%252e%252e%252fsecret.txt',
      '/assets/..%2fdesk.html',
      '/assets/link.txt',
      '/assets/%00.js',
      '/assets/',
    ]) {
      const res = await app.request(route);
      const body = await res.text();
      expect(body, route).not.toContain('top secret');
      expect(body, route).not.toContain('not the portal');
      // A URL the parser normalises ('/assets/%2e%2e/x' → '/x') may get the public portal page; else 404.
      if (res.status !== 404) expect(body, route).toBe(INDEX);
    }
    for (const route of [
      '/assets/..%2fdesk.html',
      '/assets/link.txt',
      '/assets/%2e%2e%2fportal%2findex.html',
    ]) {
      expect((await app.request(route)).status, route).toBe(404);
    }
  });
});
