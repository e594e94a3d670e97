/**
 * Starts the real local server (`server/clinic/main.ts`, as bundled by global-setup.ts) on a free port with a fresh data directory,
 * waits for its `ready` message and, when asked, for the face engine; stops it with SIGTERM.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readyMessage, type ReadyMessage } from '../../../server/domain/ready.ts';
import type { Board } from '../../../server/clinic/features/appointments/service.ts';
import { REPO_DIR } from './faces.ts';
import { E2E_BUNDLES } from './global-setup.ts';

export interface TestServer {
  base: string;
  port: number;
  /** The launch secret (`CFD_TOKEN`); pass it to a restart so the screens' credentials stay valid. */
  secret: string;
  /** The desk's launch credential (allows only the first-run setup; staff log in). */
  token: string;
  dataDir: string;
  /** Page URL with its screen's credential (sets the screen's cookie on first load). */
  page(name: 'desk' | 'kiosk' | 'display', query?: string): string;
  /**
   * JSON API call as the demo admin (logged in on first use; with no account yet, the admin is made
   * through the first-run setup with the desk's launch credential); throws on a non-2xx answer.
   */
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts a server and resolves once it is ready (and, unless `face: false`, once its face engine is).
 * Defaults: demo data on, face engine on, fresh temp data directory, free port, random launch secret.
 * @returns a TestServer handle; `stop()` sends SIGTERM and resolves when the process exits
 * @throws Error when the process exits early, is not ready within 60 s, or the face engine is not within 90 s
 */
export async function startServer(
  options: {
    demo?: boolean;
    face?: boolean;
    dataDir?: string;
    port?: number;
    token?: string;
    /** Extra environment for the process (e.g. `CFD_CENTRAL_URL`). */
    env?: Record<string, string>;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-e2e-'));
  const token = options.token ?? 'e2e-token-' + Math.random().toString(36).slice(2).padEnd(12, 'x');
  const child: ChildProcess = fork(E2E_BUNDLES.clinic, [], {
    cwd: REPO_DIR,
    env: {
      ...process.env,
      CFD_PORT: String(options.port ?? 0),
      CFD_DATA_DIR: dataDir,
      CFD_TOKEN: token,
      CFD_DEMO: options.demo === false ? '0' : '1',
      CFD_FACE: options.face === false ? '0' : '1',
      CFD_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60_000);
    child.on('message', (m: unknown) => {
      const parsed = readyMessage.safeParse(m);
      if (parsed.success) {
        clearTimeout(timer);
        resolve(parsed.data);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with code ${code}`)));
  });
  const port = ready.port;
  const base = `http://127.0.0.1:${port}`;
  const deskToken = new URL(ready.urls.desk).searchParams.get('token')!;
  let access: string | null = null;
  const api = async <T>(method: string, route: string, body?: unknown, retried = false): Promise<T> => {
    access ??= await staffAccess(base, deskToken);
    const res = await fetch(base + route, {
      method,
      headers: {
        authorization: `Bearer ${access}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: { code: string; message: string } };
    if (res.status === 401 && !retried) {
      access = null; // the access token lasts 15 minutes: log in again once
      return api<T>(method, route, body, true);
    }
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
    secret: token,
    token: deskToken,
    dataDir,
    page: (name, query = '') => `${ready.urls[name]}${query ? '&' + query : ''}`,
    api,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The demo admin's login (server/clinic/seed/staff.ts), also used to make the first admin. */
export const E2E_ADMIN = { username: 'admin', password: 'admin-demo-2026', displayName: 'Administração' };

/**
 * Logs the demo admin in over HTTP and returns their access token (from the Set-Cookie answer); makes
 * the admin first through the first-run setup when the clinic has no account.
 * @throws Error when the server refuses both
 */
export async function staffAccess(base: string, deskLaunchToken: string): Promise<string> {
  const post = (route: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(base + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...extra },
      body: JSON.stringify(body),
    });
  const status = (await (await fetch(base + '/api/auth/status')).json()) as { setupRequired: boolean };
  const res = status.setupRequired
    ? await post('/api/auth/setup', E2E_ADMIN, { authorization: `Bearer ${deskLaunchToken}` })
    : await post('/api/auth/login', { username: E2E_ADMIN.username, password: E2E_ADMIN.password });
  if (!res.ok) throw new Error(`staff login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => /^(__Host-)?cfd_staff_access=/.test(c));
  if (!cookie) throw new Error('staff login answered without an access cookie');
  return cookie.split(';')[0]!.split('=')[1]!;
}

/** What `bookNewPatient` made: the practitioner booked, the new patient and the appointment. */
export interface NewBooking {
  practitioner: Board['practitioners'][number];
  patient: { id: string };
  appointment: { id: string; bookingCode: string };
}

/**
 * Registers a new patient `fullName` and books them an evaluation with the clinic's first practitioner,
 * starting `minutesFromNow` minutes from now (through the desk API, as a receptionist would).
 */
export async function bookNewPatient(
  server: TestServer,
  fullName: string,
  minutesFromNow: number,
): Promise<NewBooking> {
  const board = await server.api<Board>('GET', '/api/board');
  const practitioner = board.practitioners[0]!;
  const specialty = board.specialties.find((s) => s.code === 'evaluation')!;
  const patient = await server.api<{ id: string }>('POST', '/api/patients', { fullName });
  const appointment = await server.api<{ id: string; bookingCode: string }>('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: specialty.id,
    practitionerId: practitioner.id,
    startsAt: new Date(Date.now() + minutesFromNow * 60_000).toISOString(),
  });
  return { practitioner, patient, appointment };
}
