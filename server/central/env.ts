/**
 * Configuration of the central API, parsed once with zod at start (CONVENTIONS §8).
 * `DATABASE_URL` is read here so the database issue has one place to add it: unset means the embedded
 * PGlite default (a folder under `data/`), `postgres://…` a real PostgreSQL server.
 */
import { z } from 'zod';

const envSchema = z.object({
  /** 0 = any free port (printed, and sent to a parent process in the ready message). */
  CENTRAL_PORT: z.coerce.number().int().min(0).max(65535).default(4320),
  CENTRAL_HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
});

/** The parsed configuration of the central API. */
export interface CentralEnv {
  port: number;
  host: string;
  /** null: the embedded PGlite database. */
  databaseUrl: string | null;
}

/** @throws ZodError naming the bad variable */
export function parseCentralEnv(source: NodeJS.ProcessEnv = process.env): CentralEnv {
  const e = envSchema.parse(source);
  return { port: e.CENTRAL_PORT, host: e.CENTRAL_HOST, databaseUrl: e.DATABASE_URL ?? null };
}
