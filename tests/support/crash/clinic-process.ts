/**
 * The clinic's local server as a child process for the crash suites (issue 13 part 4): `server/clinic/main.ts`
 * (bundled by tests/support/crash/bundle.ts, or under tsx as the sync fault tests run it) on a data folder the caller owns, with the demo catalogue
 * seeded beforehand straight into the database (no face engine, no demo patients on the board), a fixed
 * launch token and a first admin set up over HTTP. It can be SIGKILLed at any moment and started again on
 * the same data (the same port, so clients keep their URL); `start` resolves on the `ready` message
 * (server/domain/ready.ts). The staff access token survives restarts (the session key and the session
 * row live in the data folder).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { openDatabase } from '../../../server/clinic/db/database.ts';
import { screenCredentials } from '../../../server/clinic/http/credentials.ts';
import { ChangeBus } from '../../../server/clinic/lib/events.ts';
import { ROOT_DIR } from '../../../server/clinic/paths.ts';
import { restartableChild } from '../child-process.ts';
import { seedDemoClinic } from '../../../server/clinic/seed/demo.ts';

/** The launch token every crash clinic runs with (CFD_TOKEN, ≥ 16 characters). */
export const CRASH_LAUNCH_TOKEN = 'crash-launch-token-crash-launch-token';
/** The first admin the harness sets up. */
export const CRASH_ADMIN = {
  username: 'crashadmin',
  displayName: 'Crash Admin',
  password: 'crash-admin-pass-2026',
};

/** A clinic server process on a data folder. */
export interface ClinicProcess {
  /** `http://127.0.0.1:<port>` (a free port at the first start, the same one after restarts). */
  readonly url: string;
  /** Whether the process is running. */
  readonly up: boolean;
  /** The running process's id, or null. */
  readonly pid: number | null;
  /** The admin's access token (`Authorization: Bearer`), set by `start` on the first start. */
  readonly accessToken: string;
  /** The SQLite file. */
  readonly dbFile: string;
  /** What the process wrote to stderr, across restarts (crash diagnostics). */
  readonly stderr: string[];
  /** What the process wrote to stdout (its JSON log at CFD_LOG_LEVEL=error), across restarts. */
  readonly stdout: string[];
  /** Starts the process; resolves on `ready`. @throws Error when it exits first or takes over 60 s */
  start(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Options of `clinicProcess`. */
export interface ClinicProcessOptions {
  /** The data folder (CFD_DATA_DIR); the database is `<dataDir>/clinic.sqlite`. */
  dataDir: string;
  /** The server entry to run: a bundled `main.mjs` (tests/support/crash/bundle.ts); default the source under tsx. */
  entry?: string;
  /**
   * Runs the server through a wrapper: the program and its arguments, which must end by executing
   * the Node binary with the remaining arguments (e.g. `['bash', '-c', 'ulimit -f 64; exec "$0" "$@"',
   * process.execPath]`); default `node` itself.
   */
  wrapper?: string[];
}

/**
 * Seeds the demo catalogue into `<dataDir>/clinic.sqlite` (migrated, empty before) and returns a handle
 * that has not started yet.
 */
export function clinicProcess(options: ClinicProcessOptions): ClinicProcess {
  const dbFile = path.join(options.dataDir, 'clinic.sqlite');
  const db = openDatabase(dbFile);
  try {
    seedDemoClinic({ db, now: Date.now, events: new ChangeBus() });
  } finally {
    db.close();
  }
  let accessToken = '';
  const stderr: string[] = [];
  const stdout: string[] = [];

  async function setupAdmin(url: string): Promise<string> {
    const desk = screenCredentials(CRASH_LAUNCH_TOKEN).desk;
    const res = await fetch(`${url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${desk}` },
      body: JSON.stringify(CRASH_ADMIN),
    });
    if (!res.ok) throw new Error(`admin setup: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => /^(__Host-)?cfd_staff_access=/.test(c));
    if (!cookie) throw new Error('admin setup answered without an access cookie');
    return cookie.split(';')[0]!.split('=')[1]!;
  }

  const server = restartableChild(
    'clinic server',
    60_000,
    (port) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CFD_PORT: String(port),
        CFD_DATA_DIR: options.dataDir,
        CFD_TOKEN: CRASH_LAUNCH_TOKEN,
        CFD_DEMO: '0',
        CFD_FACE: '0',
        CFD_LOG_LEVEL: 'error',
      };
      delete env.CFD_CENTRAL_URL;
      delete env.CFD_DB;
      const script = options.entry ?? path.join(ROOT_DIR, 'server/clinic/main.ts');
      const tsx = options.entry ? [] : ['--import', 'tsx'];
      const proc = fork(script, [], {
        cwd: ROOT_DIR,
        ...(options.wrapper
          ? { execPath: options.wrapper[0]!, execArgv: [...options.wrapper.slice(1), ...tsx] }
          : { execArgv: tsx }),
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      proc.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
      proc.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
      return proc;
    },
    () => stderr.join(''),
  );

  async function start(): Promise<void> {
    await server.start();
    if (!accessToken) accessToken = await setupAdmin(server.url);
  }

  return {
    get url() {
      return server.url;
    },
    get up() {
      return server.up;
    },
    get pid() {
      return server.pid;
    },
    get accessToken() {
      return accessToken;
    },
    dbFile,
    stderr,
    stdout,
    start,
    kill: (signal) => server.kill(signal),
  };
}
