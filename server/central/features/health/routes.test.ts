/**
 * Tests of the central API skeleton: the health route through `app.request()`, the error shape for an
 * unknown route, the env parser, and the real entry started as a process answering over real HTTP.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCentralApp } from '../../app.ts';
import { parseCentralEnv } from '../../env.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main.ts');

describe('central API skeleton', () => {
  it('answers GET /api/health with the service and the clock', async () => {
    const app = createCentralApp({ now: () => NOW });
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: 'central', now: '2026-11-21T10:00:00.000Z' });
  });

  it('answers an unknown route with 404 not_found in the shared error shape', async () => {
    const res = await createCentralApp({ now: () => NOW }).request('/api/nope', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route POST /api/nope' } });
  });

  it('parses its environment once, refusing a DATABASE_URL that is not PostgreSQL', () => {
    expect(parseCentralEnv({})).toEqual({ port: 4320, host: '127.0.0.1', databaseUrl: null });
    expect(parseCentralEnv({ CENTRAL_PORT: '0', DATABASE_URL: 'postgres://u@localhost/cfd' })).toEqual({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'postgres://u@localhost/cfd',
    });
    expect(() => parseCentralEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
  });

  it('starts as a process and serves /api/health over HTTP', async () => {
    const child = fork(MAIN, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, CENTRAL_PORT: '0' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.on('message', (m: { type?: string; port?: number }) => m.type === 'ready' && resolve(m.port!));
        child.on('exit', (code) => reject(new Error(`central exited with ${code}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, service: 'central' });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
