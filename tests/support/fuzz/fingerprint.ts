/**
 * Database fingerprints for the route fuzzers' "a refused request changes nothing" property: a SHA-256 of
 * every row of every table (SQLite) or an md5 per table computed by the database (PostgreSQL / PGlite),
 * minus the tables a refused request may legitimately write — the audit log (a failed login, a refused
 * audit read are recorded) and the login throttle (failed attempts are counted).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { CentralDb } from '../../../server/central/db/database.ts';

/** Tables a refused request may write by design. */
export const FINGERPRINT_EXCLUDED: ReadonlySet<string> = new Set(['audit_log', 'login_throttle']);

/**
 * Counts writes to a SQLite database's tables (but the excluded ones) from now on, with TEMP triggers:
 * they live in the connection, not in the file, so the schema under test is untouched. `writes()` lists
 * the tables written since the last call, in order (empty: nothing changed). Cheaper than hashing every
 * row around each request, and it sees an UPDATE that rewrites a row with its own values too.
 */
export function watchSqliteWrites(db: Database.Database): { writes(): string[] } {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS fuzz_writes (tbl TEXT NOT NULL)');
  const tables = db
    .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  for (const { name } of tables) {
    if (FINGERPRINT_EXCLUDED.has(name)) continue;
    for (const op of ['INSERT', 'UPDATE', 'DELETE'])
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS "fuzz_${name}_${op}" AFTER ${op} ON main."${name}" BEGIN INSERT INTO fuzz_writes (tbl) VALUES ('${name}'); END`,
      );
  }
  const read = db.prepare('SELECT tbl FROM fuzz_writes ORDER BY rowid').pluck();
  const clear = db.prepare('DELETE FROM fuzz_writes');
  return {
    writes: () => {
      const tbls = read.all() as string[];
      if (tbls.length > 0) clear.run();
      return [...new Set(tbls)];
    },
  };
}

/** SHA-256 over the rows of every table of a SQLite database but the excluded ones, in rowid order. */
export function sqliteFingerprint(db: Database.Database): string {
  const hash = createHash('sha256');
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    if (FINGERPRINT_EXCLUDED.has(name)) continue;
    hash.update(`\u0000${name}\u0000`);
    for (const row of db.prepare(`SELECT * FROM "${name}"`).raw().iterate())
      hash.update(JSON.stringify(row, (_, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
  }
  return hash.digest('hex');
}

/** Rows of a raw query, on either driver (both answer `{ rows }`). */
export async function rowsOf<T>(db: CentralDb, query: string): Promise<T[]> {
  return ((await db.execute(sql.raw(query))) as unknown as { rows: T[] }).rows;
}

/**
 * Counts writes to the central database's tables (but the excluded ones) from now on: a row trigger on
 * each table notes the table in `fuzz_writes`. For a test's own scratch database only — it adds that
 * table, a function and the triggers to the schema. `writes()` lists the tables written since its last
 * call (empty: nothing changed) and forgets them.
 */
export async function watchCentralWrites(db: CentralDb): Promise<{ writes(): Promise<string[]> }> {
  const tables = await rowsOf<{ name: string }>(
    db,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  // One statement per query: the extended protocol refuses several.
  await db.execute(sql.raw('CREATE TABLE IF NOT EXISTS fuzz_writes (tbl text NOT NULL)'));
  await db.execute(
    sql.raw(`CREATE OR REPLACE FUNCTION fuzz_note_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO fuzz_writes (tbl) VALUES (TG_TABLE_NAME); RETURN NULL; END $$`),
  );
  for (const { name } of tables)
    if (!FINGERPRINT_EXCLUDED.has(name))
      await db.execute(
        sql.raw(
          `CREATE TRIGGER fuzz_write AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION fuzz_note_write()`,
        ),
      );
  return {
    writes: async () => {
      const rows = await rowsOf<{ tbl: string }>(db, 'DELETE FROM fuzz_writes RETURNING tbl');
      return [...new Set(rows.map((r) => r.tbl))].sort();
    },
  };
}

/** `table: rows/md5` for every table of the central database's current schema but the excluded ones. */
export async function centralFingerprint(db: CentralDb): Promise<string> {
  const tables = await rowsOf<{ name: string }>(
    db,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const names = tables.map((r) => r.name).filter((n) => !FINGERPRINT_EXCLUDED.has(n));
  const parts = names.map(
    (n) =>
      `SELECT '${n}' AS name, count(*)::text || '/' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS fp FROM "${n}" t`,
  );
  const result = await rowsOf<{ name: string; fp: string }>(db, parts.join(' UNION ALL '));
  return result
    .map((r) => `${r.name}:${r.fp}`)
    .sort()
    .join('\n');
}
