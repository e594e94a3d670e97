/**
 * The sync benchmark's central side, as the harness sees it: `startCentralProcess` forks
 * `sync-central-child.ts`, which runs the central API (`createCentralApp`, one driver, the demo clinic
 * seeded) and a bare Hono app, each served over real HTTP on 127.0.0.1, in a process of its own, so the
 * clinic's code (this process) and central's do not share an event loop. The harness drives it with the
 * commands below over IPC; every answer is JSON.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeedAccount, FeedRow } from './sync-data.ts';

/** The child's first message: where it serves, and what it runs on. */
export interface CentralReady {
  /** The central API, `http://127.0.0.1:<port>`. */
  origin: string;
  /** The bare reference app (`POST /bare/push`, `GET /bare/pull/:page`). */
  bareOrigin: string;
  driver: 'pglite' | 'postgres';
  /** Where the database is, in words; and `SHOW server_version`. */
  where: string;
  serverVersion: string;
}

/** Central's count of what a push left, for the entries the clinic sent. */
export interface PushCheck {
  /** `sync_inbox` rows of the clinic for the entry ids sent (one per entry if nothing doubled). */
  inboxRows: number;
  /** Their statuses, e.g. `{ applied: 5000 }`. */
  inboxStatuses: Record<string, number>;
  /** Entries whose row's `sync_records` snapshot is at the entry's version. */
  recordsAtVersion: number;
  /** `sync_records` rows of the clinic (all entities, the seed's included). */
  recordsTotal: number;
}

/** The commands (name → argument and answer). */
export interface CentralCommands {
  /** A one-time pairing code for the demo clinic, as an admin makes it. */
  pairingCode: { args: null; result: string };
  /** Inserts the accounts and appends the rows to the demo clinic's feed (bulk, setup); the last seq. */
  feed: { args: { accounts: FeedAccount[]; rows: FeedRow[] }; result: number };
  /**
   * Reads the demo clinic's feed after `cursor` in pages of `limit` as the pull route would answer them,
   * and keeps each page's JSON text for the bare `GET /bare/pull/:page`; the page count.
   */
  preparePages: { args: { cursor: number; limit: number }; result: number };
  /** Central's route times since the last call (and clears them), ms per request, by route. */
  takeRouteTimes: { args: null; result: { push: number[]; pull: number[] } };
  /** The process's CPU time used so far (user + system), ms. */
  cpuMs: { args: null; result: number };
  /** What central holds for the pushed entries. */
  checkPush: {
    args: { entries: { id: string; entity: string; entityId: string; version: number }[] };
    result: PushCheck;
  };
  /**
   * The bare database reference: the entries inserted into a scratch table shaped like `sync_inbox` plus
   * the payload, `batchSize` rows per INSERT statement (one statement, own transaction, per batch); or,
   * with `perRow`, one single-row INSERT in its own transaction per entry (what a transaction per entry
   * costs at the least); ms per `batchSize` entries.
   */
  bareInsert: {
    args: {
      entries: { id: string; entity: string; entityId: string; version: number; payload: unknown }[];
      batchSize: number;
      perRow?: boolean;
    };
    result: number[];
  };
}

/** A running central process. */
export interface CentralProcess {
  ready: CentralReady;
  /** Runs a command in the child. @throws Error with the child's stack when it fails there */
  call<K extends keyof CentralCommands>(
    cmd: K,
    args: CentralCommands[K]['args'],
  ): Promise<CentralCommands[K]['result']>;
  /** Closes the servers and the database (PostgreSQL: drops the schema), then the process. */
  close(): Promise<void>;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sync-central-child.ts');

/**
 * Forks central on `driver` (PostgreSQL: a scratch schema of `databaseUrl`); resolves once it serves.
 * @param execArgv extra Node flags for the child (e.g. `--cpu-prof`)
 * @throws Error when the child exits before it is ready
 */
export async function startCentralProcess(
  driver: 'pglite' | 'postgres',
  databaseUrl: string | undefined,
  execArgv: string[] = [],
): Promise<CentralProcess> {
  const child: ChildProcess = fork(CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...execArgv],
    env: { ...process.env, CFD_BENCH_SYNC_DRIVER: driver, CFD_BENCH_SYNC_DATABASE_URL: databaseUrl ?? '' },
  });
  let next = 0;
  const pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  let onReady!: (r: CentralReady) => void;
  let onFail!: (e: Error) => void;
  const readyPromise = new Promise<CentralReady>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  child.on('message', (m: { ready?: CentralReady; id?: number; result?: unknown; error?: string }) => {
    if (m.ready) return onReady(m.ready);
    const p = pending.get(m.id!);
    if (!p) return;
    pending.delete(m.id!);
    if (m.error !== undefined) p.reject(new Error(`central process: ${m.error}`));
    else p.resolve(m.result);
  });
  child.on('exit', (code) => {
    const err = new Error(`central process exited with ${code}`);
    onFail(err);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  const ready = await readyPromise;
  return {
    ready,
    call(cmd, args) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
        child.send({ id, cmd, args });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ id: -1, cmd: 'close', args: null });
      });
    },
  };
}
