/**
 * Central API entry (`npm run central`; `npm start` runs it beside the clinic). Runs under plain Node:
 * opens the database (embedded PGlite in the data folder, or PostgreSQL from DATABASE_URL) and brings it to
 * the latest migration, starts mail (the SMTP sink or SMTP_URL), seeds the demo clinic into an empty
 * database, serves the API, the portal, /openapi.json and /docs, prints its URLs and, when it has a parent
 * process, sends `{ type: 'ready', port }`. Stops cleanly on SIGTERM/SIGINT.
 */
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createCentralApp } from './app.ts';
import { openCentralDatabase } from './db/database.ts';
import type { CentralConfig, CentralDeps } from './deps.ts';
import { parseCentralEnv } from './env.ts';
import { ARGON2_PRODUCTION } from './features/accounts/passwords.ts';
import { startMail } from './mail/index.ts';
import { mailboxRoutes } from './mail/mailbox-routes.ts';
import { ROOT_DIR } from './paths.ts';
import { seedDemo } from './seed/demo.ts';
import { DEMO_PATIENT } from '../domain/demo-clinic.ts';

const env = parseCentralEnv();
fs.mkdirSync(env.dataDir, { recursive: true, mode: 0o700 });

/** The JWT key: JWT_SECRET, else a random key kept (mode 0600) in the data folder. */
function jwtSecret(): Uint8Array {
  if (env.jwtSecret) return new TextEncoder().encode(env.jwtSecret);
  const file = path.join(env.dataDir, 'jwt.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return new TextEncoder().encode(fs.readFileSync(file, 'utf8').trim());
}

const database = await openCentralDatabase(
  env.databaseUrl
    ? { kind: 'postgres', url: env.databaseUrl }
    : { kind: 'pglite', dataDir: path.join(env.dataDir, 'pglite') },
);
const mail = await startMail({ smtpUrl: env.smtpUrl, from: env.mailFrom });

function config(port: number): CentralConfig {
  return {
    publicUrl: env.publicUrl ?? `http://127.0.0.1:${port}`,
    jwtSecret: jwtSecret(),
    jwtIssuer: 'cfd-central',
    jwtAudience: 'cfd-portal',
    accessTtlSec: 10 * 60,
    refreshIdleSec: 30 * 24 * 3600,
    refreshAbsoluteSec: 30 * 24 * 3600,
    argon2: ARGON2_PRODUCTION,
  };
}

const rendererDir = path.join(ROOT_DIR, 'dist', 'renderer');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
let app: ReturnType<typeof createCentralApp> | null = null;
const server = serve(
  {
    // Until the app is built (the port is known, the demo seeded) every request gets 503.
    fetch: (req, ...rest) => (app ? app.fetch(req, ...rest) : new Response('starting', { status: 503 })),
    port: env.port,
    hostname: env.host,
  },
  (info: AddressInfo) => void ready(info.port),
);

/** Builds the app for the bound port, seeds the demo, prints the URLs and tells the parent. */
async function ready(port: number): Promise<void> {
  const deps: CentralDeps = {
    database,
    db: database.db,
    now: Date.now,
    config: config(port),
    mailer: mail.mailer,
  };
  const seeded = env.demo ? await seedDemo(deps) : false;
  app = createCentralApp(deps, {
    rendererDir: fs.existsSync(path.join(rendererDir, 'portal', 'index.html')) ? rendererDir : null,
    extraRoutes: (a) => {
      // The dev mailbox shows reset links: only on a loopback address, never to a network.
      if (mail.sink && LOOPBACK.has(env.host)) a.route('/', mailboxRoutes(mail.sink));
    },
  });
  const base = deps.config.publicUrl;
  console.log(
    JSON.stringify({
      level: 'info',
      event: 'central.listening',
      port,
      host: env.host,
      database: database.driver,
      seeded,
    }),
  );
  console.log(
    [
      '',
      'Central API and patient portal are running.',
      `  Portal:      ${base}/`,
      `  API docs:    ${base}/docs  (OpenAPI: ${base}/openapi.json)`,
      ...(mail.sink && LOOPBACK.has(env.host)
        ? [`  Dev mailbox: ${base}/dev/mailbox  (every email the portal sends lands here)`]
        : []),
      `  Database:    ${database.driver === 'pglite' ? `embedded PGlite in ${path.join(env.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`,
      ...(env.demo ? [`  Demo patient login: ${DEMO_PATIENT.email} / ${DEMO_PATIENT.password}`] : []),
      '',
    ].join('\n'),
  );
  process.send?.({ type: 'ready', port });
}

async function stop(): Promise<void> {
  server.close();
  await mail.close();
  await database.close();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
