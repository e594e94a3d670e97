/**
 * The central database on either driver, behind one typed query layer (Drizzle ORM):
 * - embedded **PGlite** (PostgreSQL compiled to WASM) in a folder, or in memory for tests: the default, so
 *   `npm start` needs no database server;
 * - a real **PostgreSQL** through `pg` when `DATABASE_URL` is set.
 *
 * Both give the same `CentralDb` (a Drizzle `PgDatabase`), the same migrations, and LISTEN/NOTIFY for
 * fan-out between central instances (`listen`, `notify`). Migrations are plain SQL files
 * (`migrations/NNNN-name.sql`), applied forward-only in order, each in its own transaction under an
 * advisory lock so that several instances starting at once apply them once; a database that has a
 * migration this build does not know is refused (CONVENTIONS §6).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';

/** The typed query layer both drivers share. */
export type CentralDb = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction handle (same query API as `CentralDb`). */
export type CentralTx = Parameters<Parameters<CentralDb['transaction']>[0]>[0];

/** Where the database is. */
export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null /* null = in memory */ }
  | { kind: 'postgres'; url: string; /** tests: a schema of their own */ searchPath?: string };

/** An open central database. */
export interface CentralDatabase {
  db: CentralDb;
  driver: 'pglite' | 'postgres';
  /** Calls `onPayload` for each NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Sends a NOTIFY (outside any transaction; use `pg_notify` in SQL inside one). */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

/** Runs statements on one connection inside one transaction (migrations need multi-statement SQL). */
type RawTransaction = <T>(
  fn: (q: {
    query: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
    exec: (script: string) => Promise<void>;
  }) => Promise<T>,
) => Promise<T>;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Advisory-lock key that serialises migrations across instances ("cfd-migr" in ASCII). */
const MIGRATION_LOCK_KEY = 0x6366_642d_6d69_6772n;

/** A migration file: version from its name (`0010-init.sql` → 10). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations this build ships, in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f,
      sql: fs.readFileSync(path.join(dir, f), 'utf8'),
    }));
}

/**
 * Opens the database and brings it to the latest migration.
 * @param now clock for migration stamps (ms since epoch)
 * @throws Error `database is newer than this build` when it has a migration this build lacks
 */
export async function openCentralDatabase(
  target: DatabaseTarget,
  now: () => number = Date.now,
): Promise<CentralDatabase> {
  const { opened, rawTransaction } =
    target.kind === 'pglite' ? await openPglite(target.dataDir) : await openPostgres(target);
  try {
    await migrate(rawTransaction, now);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}

interface Opened {
  opened: CentralDatabase;
  rawTransaction: RawTransaction;
}

async function openPglite(dataDir: string | null): Promise<Opened> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { btree_gist } });
  const db = drizzlePglite({ client, schema }) as unknown as CentralDb;
  const rawTransaction: RawTransaction = (fn) =>
    client.transaction((tx) =>
      fn({
        query: async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows,
        exec: async (script) => {
          await tx.exec(script);
        },
      }),
    );
  const opened: CentralDatabase = {
    db,
    driver: 'pglite',
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => {
        await unsub();
      };
    },
    async notify(channel, payload) {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await client.close();
    },
  };
  return { opened, rawTransaction };
}

async function openPostgres(target: { url: string; searchPath?: string }): Promise<Opened> {
  const options = target.searchPath ? `-c search_path=${target.searchPath},public` : undefined;
  const pool = new pg.Pool({ connectionString: target.url, max: 20, ...(options ? { options } : {}) });
  // An idle client's network error must not crash the process; the pool replaces it.
  pool.on('error', (err) =>
    console.error(JSON.stringify({ level: 'error', event: 'db.pool', message: err.message })),
  );
  const db = drizzlePg({ client: pool, schema }) as unknown as CentralDb;
  let listener: pg.Client | null = null;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  async function listenerClient(): Promise<pg.Client> {
    if (listener) return listener;
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    c.on('notification', (n) => handlers.get(n.channel)?.forEach((h) => h(n.payload ?? '')));
    c.on('error', (err) =>
      console.error(JSON.stringify({ level: 'error', event: 'db.listener', message: err.message })),
    );
    listener = c;
    return c;
  }
  const rawTransaction: RawTransaction = async (fn) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn({
        query: async (text, params) => (await c.query(text, params)).rows as Record<string, unknown>[],
        exec: async (script) => {
          await c.query(script);
        },
      });
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  };
  const opened: CentralDatabase = {
    db,
    driver: 'postgres',
    async listen(channel, onPayload) {
      const c = await listenerClient();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await listener?.end();
      await pool.end();
    },
  };
  return { opened, rawTransaction };
}

/** Applies pending migrations in one transaction; refuses a database newer than this build. */
async function migrate(rawTransaction: RawTransaction, now: () => number): Promise<void> {
  const migrations = readMigrations();
  await rawTransaction(async ({ query, exec }) => {
    await query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`);
    const rows = await query('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new Error(
        `database is newer than this build: it has migration(s) ${unknown.join(', ')} that this build lacks`,
      );
    }
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await exec(m.sql);
      await query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date(now()).toISOString(),
      ]);
    }
  });
}
