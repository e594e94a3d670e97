/**
 * The real central API as its own process for the clinic's sync fault tests: `server/central/main.ts`,
 * bundled once per process handle with esbuild (tests/support/crash/bundle.ts: a start is a plain `node
 * main.mjs` in about a second, where tsx compiled the whole server again at every start), on a free port (port 0, read from its `{ type: 'ready', port }` message), the demo clinic
 * seeded, a fixed admin token. Its database is either embedded PGlite in a temp data folder
 * (`CENTRAL_DATA_DIR/pglite`) or, for `'postgres'`, a database of its own (`cfd_fault_<12 hex>`, created on
 * the server of `DATABASE_URL` and dropped by `close`). It can be SIGKILLed and started again on the same
 * data (same data folder or database, same port). Central's sync tables are read with `readSync`: on PostgreSQL
 * at any time, on PGlite only while the process is down (an embedded database has one owner).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createThrowawayDatabase } from './throwaway-database.ts';
import { restartableChild } from './child-process.ts';
import { bundleServer } from './crash/bundle.ts';
import { eq } from 'drizzle-orm';
import { openCentralDatabase } from '../../server/central/db/database.ts';
import { syncInbox, syncRecords } from '../../server/central/db/schema.ts';
import type { Driver } from '../../server/central/testing/harness.ts';
import { DEMO_CLINIC } from '../../server/domain/demo-clinic.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The admin bearer token the process runs with (≥ 24 characters). */
export const PROCESS_ADMIN_TOKEN = 'fault-admin-token-fault-admin-token';

/** A central API process and its data. */
export interface CentralProcess {
  driver: Driver;
  /** `http://127.0.0.1:<port>`: a free port at the first start, the same port after a restart. */
  readonly url: string;
  /** Whether the process is running. */
  readonly up: boolean;
  /** Lines the process wrote to stdout (its JSON log and banner), oldest first, across restarts. */
  log: string[];
  /** Starts the process on the same data; resolves once it sent `ready`. @throws Error if it exits first */
  start(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A one-time pairing code for the demo clinic from the admin route. */
  pairingCode(clinicId?: string): Promise<string>;
  /**
   * Central's sync tables for the demo clinic (or `clinicId`): its stored snapshots (`sync_records`) and
   * its inbox (`sync_inbox`, one row per entry applied) as entry id → rows with that id.
   * @throws Error on PGlite while the process is up (kill or stop it first)
   */
  readSync(clinicId?: string): Promise<{
    records: { entity: string; entityId: string; version: number; payload: Record<string, unknown> }[];
    inbox: Map<string, number>;
  }>;
  /**
   * How many inbox rows (entries applied) central has committed, read while it runs: PostgreSQL only.
   * @throws Error on PGlite (its database is inside the process)
   */
  inboxCount(): Promise<number>;
  /** Stops the process (SIGKILL if still up), removes the data folder and drops the database. */
  close(): Promise<void>;
}

/**
 * The environment of a central process started by a test: this process's, with the port (0 = a free one;
 * a restart passes the same one, which the clinic's pairing names), the data folder, the demo seed, the
 * admin token and the database (`databaseUrl`, or embedded PGlite in the data folder when null); the
 * SMTP, SMS and public URL settings of the test run removed (its sinks and defaults), `extra` on top.
 */
export function centralProcessEnv(options: {
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  adminToken: string;
  extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CENTRAL_PORT: String(options.port),
    CENTRAL_DATA_DIR: options.dataDir,
    CENTRAL_DEMO: '1',
    ADMIN_TOKEN: options.adminToken,
    ...options.extra,
  };
  delete env.SMTP_URL;
  delete env.PUBLIC_URL;
  delete env.SMS_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/**
 * Creates the data (a temp folder; on `'postgres'` a new database) and starts central on it.
 * @throws Error when `'postgres'` is asked without DATABASE_URL, or central does not start in 90 s
 */
export async function startCentralProcess(driver: Driver): Promise<CentralProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-central-proc-'));
  let databaseUrl: string | null = null;
  let dropDatabase = async () => {};
  if (driver === 'postgres') {
    const db = await createThrowawayDatabase('cfd_fault');
    databaseUrl = db.url;
    dropDatabase = db.drop;
  }
  const bundle = await bundleServer('server/central/main.ts', 'server/central/db/migrations');
  const log: string[] = [];
  const server = restartableChild('central', 90_000, (port) => {
    const proc = fork(bundle.entry, [], {
      cwd: ROOT,
      env: centralProcessEnv({ port, dataDir, databaseUrl, adminToken: PROCESS_ADMIN_TOKEN }),
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let rest = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      log.push(...lines.filter((l) => l.trim() !== ''));
    });
    return proc;
  });

  const handle: CentralProcess = {
    driver,
    get url() {
      return server.url;
    },
    get up() {
      return server.up;
    },
    log,
    start: () => server.start(),
    kill: (signal) => server.kill(signal),
    async pairingCode(clinicId = DEMO_CLINIC.id) {
      const res = await fetch(`${handle.url}/api/admin/clinics/${clinicId}/pairing-codes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PROCESS_ADMIN_TOKEN}` },
      });
      if (res.status !== 201) throw new Error(`pairing code: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { code: string }).code;
    },
    async inboxCount() {
      if (!databaseUrl) throw new Error('inboxCount needs PostgreSQL');
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        return (await c.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM sync_inbox')).rows[0]!.n;
      } finally {
        await c.end();
      }
    },
    async readSync(clinicId = DEMO_CLINIC.id) {
      if (!databaseUrl && server.up) throw new Error('PGlite is owned by the running central: kill it first');
      const database = await openCentralDatabase(
        databaseUrl
          ? { kind: 'postgres', url: databaseUrl }
          : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
      );
      try {
        const records = await database.db
          .select()
          .from(syncRecords)
          .where(eq(syncRecords.clinicId, clinicId));
        const inbox = new Map<string, number>();
        for (const r of await database.db
          .select({ entryId: syncInbox.entryId })
          .from(syncInbox)
          .where(eq(syncInbox.clinicId, clinicId)))
          inbox.set(r.entryId, (inbox.get(r.entryId) ?? 0) + 1);
        return {
          records: records.map((r) => ({
            entity: r.entity,
            entityId: r.entityId,
            version: r.version,
            payload: r.payload,
          })),
          inbox,
        };
      } finally {
        await database.close();
      }
    },
    async close() {
      await server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      bundle.remove();
      await dropDatabase();
    },
  };
  try {
    await server.start();
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}
