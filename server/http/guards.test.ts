/**
 * The JSON body guard over real HTTP (@hono/node-server, as both servers run): a write without a body
 * (a DELETE, or a POST with Content-Length 0) is not asked for a Content-Type; a body that is not JSON
 * still is. @hono/node-server gives a bodiless DELETE an empty body stream, which the guard used to take
 * for a body (the face-data deletion at the desk answered 415).
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorHandler } from './errors.ts';
import { apiBodyGuard } from './guards.ts';

let server: ServerType;
let base = '';

beforeAll(async () => {
  const app = new Hono();
  app.onError(errorHandler(() => undefined));
  app.use('/api/*', apiBodyGuard({ maxBytes: 1024 }));
  app.delete('/api/thing', (c) => c.json({ deleted: true }));
  app.post('/api/thing', async (c) => c.json({ got: await c.req.text() }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('lets a write without a body through without a Content-Type (DELETE, POST with length 0)', async () => {
  const del = await fetch(`${base}/api/thing`, { method: 'DELETE' });
  expect([del.status, await del.json()]).toEqual([200, { deleted: true }]);
  const post = await fetch(`${base}/api/thing`, { method: 'POST' });
  expect([post.status, await post.json()]).toEqual([200, { got: '' }]);
});

it('still refuses a body that is not JSON, and takes one that is', async () => {
  const text = await fetch(`${base}/api/thing`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'x',
  });
  expect(text.status).toBe(415);
  const json = await fetch(`${base}/api/thing`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a":1}',
  });
  expect([json.status, await json.json()]).toEqual([200, { got: '{"a":1}' }]);
});
