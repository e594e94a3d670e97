/**
 * What the central benchmark serves over real HTTP (`@hono/node-server` on 127.0.0.1, a free port):
 * - the central app (`createCentralApp`) on a fresh database of one driver: PGlite in memory, or a new
 *   schema of the PostgreSQL at DATABASE_URL (as `openTestDatabase('postgres')` in
 *   server/central/testing/harness.ts does; dropped at the end), with a real clock (`Date.now`), a memory
 *   mailer, and `publicUrl` = the server's own origin (the CSRF check compares `Origin` with it);
 * - the bare reference: a Hono app with `GET /bare` answering a precomputed JSON text and `POST /bare`
 *   parsing a small JSON body and answering 201 with a small JSON body.
 */
import { builtinInvoicing } from '../../server/central/invoices/builtin.ts';
import { createSandboxProvider, type SandboxProvider } from '../../server/central/payments/sandbox.ts';
import { memorySms } from '../../server/central/sms/sms.ts';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { createCentralApp } from '../../server/central/app.ts';
import { openCentralDatabase, type CentralDatabase } from '../../server/central/db/database.ts';
import { openScratchSchema } from '../../server/central/testing/scratch-schema.ts';
import type { CentralConfig, CentralDeps } from '../../server/central/deps.ts';
import { memoryMailer } from '../../server/central/mail/mailer.ts';
import { ACCESS_TTL_SEC } from './central-config.ts';
import { REPO_ROOT } from './config.ts';

/** The drivers the benchmark can run on. */
export type Driver = 'pglite' | 'postgres';

/** A fresh, migrated database and how to get rid of it. */
export interface BenchDatabase {
  driver: Driver;
  database: CentralDatabase;
  /** Where it is, in words (for the report). */
  where: string;
  /** `SHOW server_version` of the engine (PGlite's embedded PostgreSQL, or the server's). */
  serverVersion: string;
  /** Closes the database (PostgreSQL: and drops the schema). */
  drop(): Promise<void>;
}

/**
 * Opens a fresh database on `driver`: PGlite in memory (no data folder), or a new schema `bench_<hex>` of
 * the PostgreSQL at `url` (btree_gist ensured in `public` first) with `search_path` set to it.
 * @throws Error when the driver is postgres and `url` is missing, or the server refuses
 */
export async function openBenchDatabase(driver: Driver, url: string | undefined): Promise<BenchDatabase> {
  if (driver === 'pglite') {
    const database = await openCentralDatabase({ kind: 'pglite', dataDir: null });
    return {
      driver,
      database,
      where: 'PGlite, in memory (no data folder), in the server process',
      serverVersion: await serverVersion(database),
      drop: () => database.close(),
    };
  }
  if (!url) throw new Error('postgres driver needs DATABASE_URL');
  const { database, schema, drop } = await openScratchSchema(url, 'bench');
  const u = new URL(url);
  return {
    driver,
    database,
    where: `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}, schema ${schema} (dropped at the end), pool of 20`,
    serverVersion: await serverVersion(database),
    drop,
  };
}

async function serverVersion(database: CentralDatabase): Promise<string> {
  const res = (await database.db.execute(sql`SHOW server_version`)) as unknown as {
    rows: { server_version: string }[];
  };
  return res.rows[0]?.server_version ?? 'unknown';
}

/** A server listening on 127.0.0.1. */
export interface Served {
  origin: string;
  close(): Promise<void>;
}

/** Serves `fetch` on 127.0.0.1 at a free port; resolves once it listens. */
export async function serveFetch(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<Served & { server: Server }> {
  let server!: Server;
  const info = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, resolve) as Server;
  });
  return {
    server,
    origin: `http://127.0.0.1:${info.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The central app's settings for the bench: its own origin, a random key, production Argon2 cost. */
export function benchConfig(origin: string): CentralConfig {
  return {
    publicUrl: origin,
    jwtSecret: new Uint8Array(randomBytes(32)),
    jwtIssuer: 'cfd-central',
    jwtAudience: 'cfd-portal',
    accessTtlSec: ACCESS_TTL_SEC,
    refreshIdleSec: 30 * 24 * 3600,
    refreshAbsoluteSec: 30 * 24 * 3600,
    argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
    adminToken: null,
  };
}

/**
 * The central app over `database`, served on real HTTP: deps as the test harness builds them but with
 * the real clock and `publicUrl` = the server's origin.
 */
export async function serveCentral(
  database: CentralDatabase,
  opts: { callbackKey?: string; retryDelaysMs?: number[] } = {},
): Promise<Served & { deps: CentralDeps; sandbox: SandboxProvider }> {
  let app: ReturnType<typeof createCentralApp> | null = null;
  const served = await serveFetch((req) =>
    app ? app.fetch(req) : new Response('starting', { status: 503 }),
  );
  // The sandbox delivers its callbacks to this server over real HTTP, like a provider.
  const sandbox = createSandboxProvider({
    callbackUrl: `${served.origin}/api/payments/callbacks/sandbox`,
    antiPhishingKey: opts.callbackKey ?? randomBytes(18).toString('base64url'),
    ...(opts.retryDelaysMs ? { retryDelaysMs: opts.retryDelaysMs } : {}),
  });
  const deps: CentralDeps = {
    database,
    db: database.db,
    now: Date.now,
    config: benchConfig(served.origin),
    mailer: memoryMailer(),
    sms: memorySms(),
    payments: sandbox,
    invoicing: builtinInvoicing(),
  };
  app = createCentralApp(deps);
  return {
    origin: served.origin,
    deps,
    sandbox,
    close: async () => {
      sandbox.close();
      await served.close();
    },
  };
}

/** The small JSON the bare `POST /bare` answers (about the size of a hold answer). */
const BARE_POST_ANSWER = {
  hold: {
    id: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    expiresAt: '2026-12-07T09:07:30.000Z',
    startsAt: '2026-12-07T10:00:00.000Z',
    endsAt: '2026-12-07T10:45:00.000Z',
    practitionerId: '0b5e0c1a-0000-4000-8000-00000000c200',
    practitionerName: 'Dr.ª Fisioterapeuta 01',
    specialty: 'msk_physio',
    priceCents: 4500,
  },
};

/**
 * The bare reference app: `GET /bare` answers `getBody` (precomputed JSON text, sent as it is) and
 * `POST /bare` parses the JSON body and answers 201 `{ hold: … }` (a fixed object of a hold's size)
 * or 400 when the body has no `startsAt`.
 */
export function bareApp(getBody: string) {
  const app = new Hono();
  app.get('/bare', (c) => c.body(getBody, 200, { 'content-type': 'application/json' }));
  app.post('/bare', async (c) => {
    const body = (await c.req.json()) as { startsAt?: unknown };
    if (typeof body.startsAt !== 'string') return c.json({ error: { code: 'validation_failed' } }, 400);
    return c.json(BARE_POST_ANSWER, 201);
  });
  return app;
}

/** Version of an installed package (its package.json in node_modules), or 'unknown'. */
export function packageVersion(name: string): string {
  try {
    const file = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
