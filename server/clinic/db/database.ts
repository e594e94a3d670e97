/**
 * SQLite via better-sqlite3: WAL mode, `synchronous=FULL` (a committed check-in survives power loss;
 * source: SQLite docs on WAL durability), foreign keys on, forward-only numbered migrations.
 * Erasure (issue 14 part 5): `secure_delete=ON` zeroes deleted content in the pages it frees or
 * rewrites, and `checkpointTruncate` moves the WAL into the database and empties it, so a deleted face
 * descriptor survives neither in free pages nor in old WAL frames. The database file and its -wal and
 * -shm are 0600 (SQLite gives -wal and -shm the mode of the database file).
 */
import { digitsOf, foldText } from '../../domain/patient-search.ts';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRIVATE_FILE_MODE, restrictFile } from '../lib/private-fs.ts';

/** An open better-sqlite3 connection. */
export type Db = Database.Database;

/**
 * What a repository needs: the connection and the clinic's one clock (ms since epoch, UTC). Every
 * timestamp a repository writes comes from `now()`, so tests can fix the time and rows agree with it.
 */
export interface DbContext {
  db: Db;
  now: () => number;
}

/** `NNNN-name.sql` files, applied in numeric order; each runs in its own transaction. */
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** One numbered SQL migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNNN-name.sql` migrations from `dir`, in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.sql$/.test(f))
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.replace(/\.sql$/, ''),
      sql: fs.readFileSync(`${dir}/${f}`, 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

/** Thrown when the database was written by a newer build (it has migrations we do not know). */
export class DatabaseTooNewError extends Error {
  constructor(dbVersion: number, appVersion: number) {
    super(`database schema version ${dbVersion} is newer than this app's ${appVersion}; update the app`);
    this.name = 'DatabaseTooNewError';
  }
}

/**
 * Applies pending migrations, each in its own transaction, and returns the names applied.
 * @param now clock for `applied_at` (ms since epoch)
 * @throws DatabaseTooNewError when the database has a migration this build does not know
 */
export function migrate(db: Db, migrations = loadMigrations(), now: () => number = Date.now): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  const applied: string[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date(now()).toISOString(),
      );
    })();
    applied.push(m.name);
  }
  return applied;
}

/**
 * The database file and its WAL companions, as SQLite names them.
 * @returns `[file, file-wal, file-shm]`
 */
export function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * Opens (creating if needed) and migrates the database at `file` (':memory:' for tests). A file
 * database is created 0600, and an existing one (with its -wal and -shm) is made 0600 before opening.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:' && !file.startsWith('file:')) {
    // Created here, not by SQLite (which would use 0644); SQLite copies this mode to -wal and -shm.
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
    for (const f of databaseFiles(file)) restrictFile(f);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // SQL helpers of the patient search (domain/patient-search.ts): folded text and digits only.
  db.function('cfd_fold', { deterministic: true }, (s: unknown) =>
    typeof s === 'string' ? foldText(s) : null,
  );
  db.function('cfd_digits', { deterministic: true }, (s: unknown) =>
    typeof s === 'string' ? digitsOf(s) : null,
  );
  migrate(db);
  cachePreparedStatements(db);
  return db;
}

/** How many prepared statements a connection keeps (least recently prepared dropped first). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes `db.prepare(sql)` return the statement already prepared for the same SQL text (up to
 * `STATEMENT_CACHE_SIZE`, least recently used dropped), so the repositories' `db.prepare(...)` on every
 * call no longer parses and plans the SQL each time (about 5 % of a check-in's CPU before; issue 13,
 * docs/benchmarks.md "Load"). Safe because the server never iterates a statement (`.iterate()`) and the only
 * statements switched to `.pluck()`/`.raw()` have SQL text of their own. SQLite re-prepares a cached
 * statement by itself after a schema change.
 */
function cachePreparedStatements(db: Db): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Database.Statement;
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql); // re-inserted below: Map order is the recency order
    } else {
      stmt = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  }) as Db['prepare'];
}

/** What `PRAGMA wal_checkpoint` reports: busy = 1 when a reader kept it from completing. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * `PRAGMA wal_checkpoint(TRUNCATE)`: copies every WAL frame into the database and truncates the WAL to
 * zero bytes, so old page images (e.g. a deleted descriptor's ciphertext) no longer sit in the -wal
 * file. Call it after a commit that erased personal data, outside any transaction. With one connection
 * per process (ours) it completes; `busy: 1` means another connection's reader held it back.
 */
export function checkpointTruncate(db: Db): CheckpointResult {
  return (db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointResult[])[0]!;
}
