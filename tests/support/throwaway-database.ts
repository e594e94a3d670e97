/**
 * A throwaway PostgreSQL database for a test that runs central in its own process (the fault and crash
 * suites): created on the server of DATABASE_URL under a random name, dropped (forcing out any
 * connection a killed process left) when the test is done.
 */
import { randomBytes } from 'node:crypto';
import { runStatement } from '../../server/central/testing/scratch-schema.ts';

/** A created database: its URL, and `drop()` to remove it. */
export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<12 hex>` on the server of DATABASE_URL.
 * @throws Error when DATABASE_URL is not set
 */
export async function createThrowawayDatabase(prefix: string): Promise<ThrowawayDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runStatement(base, `CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => runStatement(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
