/**
 * A throwaway schema on a real PostgreSQL, for tests and benchmarks: `btree_gist` ensured in `public`
 * (so the exclusion constraint of every scratch schema finds its operators), a new schema
 * `<prefix>_<12 hex>`, the central migrations applied in it through `search_path`, and `drop()` to close
 * the database and remove the schema. Several can run at once on one server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openCentralDatabase, type CentralDatabase, type DatabaseTarget } from '../db/database.ts';

/** An open scratch database. */
export interface ScratchSchema {
  database: CentralDatabase;
  /** Where it is (a second connection can open the same schema). */
  target: DatabaseTarget & { kind: 'postgres' };
  schema: string;
  /** Closes the database and drops the schema. */
  drop(): Promise<void>;
}

/**
 * Runs one statement on its own connection to `url` (for CREATE / DROP of a schema or a database, which
 * cannot run inside a pool's transaction).
 */
export async function runStatement(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

/**
 * Creates a migrated scratch schema on the PostgreSQL at `url`.
 * @param now clock for the migration stamps (ms since epoch)
 * @throws Error when the server refuses or a migration fails (the schema is dropped again first)
 */
export async function openScratchSchema(url: string, prefix: string, now: () => number = Date.now) {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runStatement(url, 'CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public').catch(() => undefined);
  await runStatement(url, `CREATE SCHEMA ${schema}`);
  const dropSchema = () => runStatement(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const target = { kind: 'postgres' as const, url, searchPath: schema };
  let database: CentralDatabase;
  try {
    database = await openCentralDatabase(target, now);
  } catch (err) {
    await dropSchema();
    throw err;
  }
  const scratch: ScratchSchema = {
    database,
    target,
    schema,
    drop: async () => {
      await database.close();
      await dropSchema();
    },
  };
  return scratch;
}
