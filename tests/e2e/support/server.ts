/**
 * Starts the real local server (`server/clinic/main.ts` under tsx) on a free port with a fresh data directory,
 * waits for its `ready` message and, when asked, for the face engine; stops it with SIGTERM.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_DIR } from './faces.ts';

export interface TestServer {
  base: string;
  port: number;
  token: string;
  dataDir: string;
  /** Page URL with the token (sets the auth cookie on first load). */
  page(name: 'desk' | 'kiosk' | 'display', query?: string): string;
  /** JSON API call with the bearer token; throws on a non-2xx answer with the server's error. */
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startServer(
  options: { demo?: boolean; face?: boolean; dataDir?: string; port?: number; token?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-e2e-'));
  const token = options.token ?? 'e2e-token-' + Math.random().toString(36).slice(2).padEnd(12, 'x');
  const child: ChildProcess = fork(path.join(REPO_DIR, 'server/clinic/main.ts'), [], {
    cwd: REPO_DIR,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      CFD_PORT: String(options.port ?? 0),
      CFD_DATA_DIR: dataDir,
      CFD_TOKEN: token,
      CFD_DEMO: options.demo === false ? '0' : '1',
      CFD_FACE: options.face === false ? '0' : '1',
      CFD_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60_000);
    child.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'ready' && m.port) {
        clearTimeout(timer);
        resolve(m.port);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with code ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + route, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: { code: string; message: string } };
    if (!res.ok)
      throw new Error(`${method} ${route} → ${res.status} ${json.error?.code}: ${json.error?.message}`);
    return json;
  };
  if (options.face !== false) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const health = await api<{ face: { ready: boolean } }>('GET', '/api/health');
      if (health.face.ready) break;
      if (Date.now() > deadline) throw new Error('face engine not ready within 90 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    base,
    port,
    token,
    dataDir,
    page: (name, query = '') => `${base}/${name}/?token=${token}${query ? '&' + query : ''}`,
    api,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
