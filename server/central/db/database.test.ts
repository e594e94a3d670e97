/**
 * The central database layer on each driver: migrations apply once and are recorded, a database newer
 * than the build is refused, the Drizzle schema (db/schema.ts) matches the migrated tables column for
 * column, and NOTIFY reaches a listener.
 */
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCentralDatabase, readMigrations } from './database.ts';
import * as schema from './schema.ts';
import { describeDrivers, openTestDatabase } from '../testing/harness.ts';

/** information_schema data types for Drizzle column types. */
const PG_TYPE: Record<string, string> = {
  PgUUID: 'uuid',
  PgText: 'text',
  PgInteger: 'integer',
  PgBoolean: 'boolean',
  PgTimestamp: 'timestamp with time zone',
  PgDateString: 'date',
  PgJsonb: 'jsonb',
  PgBigSerial53: 'bigint',
  PgBigInt53: 'bigint',
  PgArray: 'ARRAY',
};

/** The rows of a raw `execute` answer (both drivers put them in `rows`). */
function rowsOf<T>(res: unknown): T[] {
  return (res as { rows: T[] }).rows;
}

describeDrivers('central database', (driver) => {
  let opened: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    opened = await openTestDatabase(driver);
  });
  afterAll(async () => opened.drop());

  it('records every shipped migration once', async () => {
    const res = await opened.database.db.execute(
      sql`SELECT version, name FROM schema_migrations ORDER BY version`,
    );
    expect(rowsOf<{ version: number; name: string }>(res).map((r) => [Number(r.version), r.name])).toEqual(
      readMigrations().map((m) => [m.version, m.name]),
    );
  });

  it('has every table and column of the Drizzle schema, with the same type and nullability', async () => {
    const res = await opened.database.db.execute(
      sql`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = current_schema()`,
    );
    const actual = new Map(
      rowsOf<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(res).map(
        (r) => [`${r.table_name}.${r.column_name}`, r],
      ),
    );
    const tables = (Object.values(schema) as unknown[]).filter(
      (v): v is PgTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v,
    );
    expect(tables.length).toBeGreaterThanOrEqual(18);
    for (const table of tables) {
      const config = getTableConfig(table);
      for (const col of config.columns) {
        const key = `${config.name}.${col.name}`;
        const db = actual.get(key);
        expect(db, key).toBeDefined();
        expect(db!.data_type, key).toBe(PG_TYPE[col.columnType] ?? col.columnType);
        expect(db!.is_nullable === 'NO', `${key} not null`).toBe(col.notNull);
      }
    }
  });

  it('delivers a NOTIFY to a listener on the same database', async () => {
    const got: string[] = [];
    const stop = await opened.database.listen('cfd_test_channel', (p) => got.push(p));
    await opened.database.notify('cfd_test_channel', 'hello');
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(got).toEqual(['hello']);
  });

  it('refuses a database that has a migration this build does not know', async () => {
    if (opened.target) {
      await opened.database.db.execute(
        sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9990, '9990-future.sql', now())`,
      );
      await expect(openCentralDatabase(opened.target)).rejects.toThrow(
        'database is newer than this build: it has migration(s) 9990 that this build lacks',
      );
      await opened.database.db.execute(sql`DELETE FROM schema_migrations WHERE version = 9990`);
    } else {
      // PGlite in memory cannot be reopened: use a folder.
      const fs = await import('node:fs');
      const os = await import('node:os');
      const path = await import('node:path');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-pglite-'));
      try {
        const first = await openCentralDatabase({ kind: 'pglite', dataDir: dir });
        await first.db.execute(
          sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9990, '9990-future.sql', now())`,
        );
        await first.close();
        await expect(openCentralDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(
          'database is newer than this build: it has migration(s) 9990 that this build lacks',
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 60_000);
});
