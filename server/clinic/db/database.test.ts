/** Medium tests of the SQLite layer: pragmas, file modes, forward-only migrations, STRICT tables, rollback. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkpointTruncate,
  databaseFiles,
  DatabaseTooNewError,
  loadMigrations,
  migrate,
  openDatabase,
  STATEMENT_CACHE_SIZE,
} from './database.ts';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

function tempFile() {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-db-')), 'clinic.sqlite');
}

describe('database', () => {
  it('prepares each SQL text once per connection and keeps at most STATEMENT_CACHE_SIZE statements', () => {
    const db = openDatabase(':memory:');
    const first = db.prepare('SELECT 1 AS one');
    expect(db.prepare('SELECT 1 AS one')).toBe(first);
    expect(db.prepare('SELECT 2 AS two')).not.toBe(first);
    for (let i = 0; i < STATEMENT_CACHE_SIZE; i++) db.prepare(`SELECT ${i + 10} AS n`);
    // 'SELECT 1' was the least recently used: dropped and prepared anew; it still runs.
    const again = db.prepare('SELECT 1 AS one');
    expect(again).not.toBe(first);
    expect(again.get()).toEqual({ one: 1 });
    db.close();
  });

  it('opens in WAL mode with full sync and foreign keys, all migrations applied once', () => {
    const file = tempFile();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1); // deleted content is zeroed
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
      version: number;
    }[];
    expect(versions.map((v) => v.version)).toEqual(loadMigrations().map((m) => m.version));
    expect(migrate(db)).toEqual([]); // idempotent
    db.close();
  });

  it('stamps each applied migration with the injected clock', () => {
    const db = openDatabase(':memory:');
    const extra = [
      ...loadMigrations(),
      { version: 9000, name: '9000-extra', sql: 'CREATE TABLE extra (x TEXT) STRICT;' },
    ];
    expect(migrate(db, extra, () => Date.parse('2026-11-21T10:00:00Z'))).toEqual(['9000-extra']);
    expect(db.prepare('SELECT name, applied_at FROM schema_migrations WHERE version = 9000').get()).toEqual({
      name: '9000-extra',
      applied_at: '2026-11-21T10:00:00.000Z',
    });
    db.close();
  });

  it('refuses a database written by a newer app', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9990, '9990-future', 'x')",
    ).run();
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    const latest = loadMigrations().at(-1)!.version;
    expect(() => openDatabase(file)).toThrow(
      `database schema version 9990 is newer than this app's ${latest}; update the app`,
    );
  });

  it('rejects values of the wrong type (STRICT tables)', () => {
    const db = openDatabase(tempFile());
    expect(() =>
      db.prepare("INSERT INTO rooms (id, name, created_at, updated_at) VALUES ('r2', x'00', 'x', 'x')").run(),
    ).toThrow(/cannot store BLOB/);
    db.close();
  });

  it('rolls back a failed migration and leaves the version unchanged', () => {
    const db = openDatabase(tempFile());
    const bad = [
      ...loadMigrations(),
      {
        version: 9000,
        name: '9000-broken',
        sql: 'CREATE TABLE ok (x TEXT) STRICT; SELECT * FROM missing_table;',
      },
    ];
    expect(() => migrate(db, bad)).toThrow(/missing_table/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get()).toBeUndefined();
    expect((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(
      loadMigrations().at(-1)!.version,
    );
    db.close();
  });

  it('creates the database, its -wal and its -shm 0600', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO rooms (id, name, created_at, updated_at) VALUES ('r1', 'Sala', 'x', 'x')").run();
    for (const f of databaseFiles(file)) expect([f, mode(f)]).toEqual([f, 0o600]);
    db.close();
  });

  it('makes existing world-readable database files 0600 at open', () => {
    const file = tempFile();
    openDatabase(file).close();
    fs.writeFileSync(`${file}-wal`, ''); // as an older build could leave them
    fs.writeFileSync(`${file}-shm`, '');
    for (const f of databaseFiles(file)) fs.chmodSync(f, 0o644);
    const db = openDatabase(file);
    for (const f of databaseFiles(file)) expect([f, mode(f)]).toEqual([f, 0o600]);
    db.close();
  });

  it('checkpoints and truncates the WAL', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO rooms (id, name, created_at, updated_at) VALUES ('r1', 'Sala', 'x', 'x')").run();
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    expect(checkpointTruncate(db)).toMatchObject({ busy: 0 });
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    expect(db.prepare("SELECT name FROM rooms WHERE id = 'r1'").get()).toEqual({ name: 'Sala' });
    db.close();
  });
});
