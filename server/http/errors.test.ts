/** The shared error handler: a client that hung up mid-body is a quiet 400; a database reset stays a logged 500. */
import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { errorHandler } from './errors.ts';

function appThrowing(err: Error, logged: string[]) {
  const app = new Hono();
  app.onError(errorHandler((e) => logged.push(e.message)));
  app.post('/x', () => {
    throw err;
  });
  return app;
}

it("answers Node's 'aborted' (client hung up while sending its body) 400 bad_json, not logged as unhandled", async () => {
  const logged: string[] = [];
  const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
  const res = await appThrowing(aborted, logged).request('/x', { method: 'POST' });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_json');
  expect(logged).toEqual([]);
});

it('keeps a connection reset of another kind (e.g. the database) a logged 500 internal', async () => {
  const logged: string[] = [];
  const reset = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  const res = await appThrowing(reset, logged).request('/x', { method: 'POST' });
  expect(res.status).toBe(500);
  expect(logged).toEqual(['Connection terminated unexpectedly']);
});
