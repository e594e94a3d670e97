/**
 * Central API entry (`npm run central`; `npm start` runs it beside the clinic). Runs under plain Node:
 * opens the database (embedded PGlite in the data folder, or PostgreSQL from DATABASE_URL) and brings it to
 * the latest migration, starts mail (the SMTP sink or SMTP_URL), SMS (the dev outbox or SMS_URL), the
 * payment provider (the sandbox, or ifthenpay when its keys are set) and invoicing (built-in PDF, or
 * InvoiceXpress), seeds the demo clinic into an empty database, serves the API, the portal,
 * /openapi.json and /docs, runs the job loop (callbacks, polling, expiry, outbox), prints its URLs and,
 * when it has a parent process, sends `{ type: 'ready', port }`. Stops cleanly on SIGTERM/SIGINT.
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
import { ARGON2_PRODUCTION } from '../http/passwords.ts';
import { builtinInvoicing } from './invoices/builtin.ts';
import { createInvoicexpressProvider, invoicexpressConfigFromEnv } from './invoices/invoicexpress.ts';
import { startJobs } from './jobs.ts';
import { startMail } from './mail/index.ts';
import { createIfthenpayProvider, ifthenpayConfigFromEnv } from './payments/ifthenpay.ts';
import type { PaymentProvider } from './payments/provider.ts';
import { createSandboxProvider, type SandboxProvider } from './payments/sandbox.ts';
import { sandboxRoutes } from './payments/sandbox-routes.ts';
import { startSms } from './sms/index.ts';
import { smsOutboxRoutes } from './sms/outbox-routes.ts';
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
const sms = startSms({ smsUrl: env.smsUrl });
const ifthenpay = ifthenpayConfigFromEnv(process.env);
const invoicexpress = invoicexpressConfigFromEnv(process.env);

/** A secret kept (mode 0600) in the data folder, made on first use: the sandbox key, the demo admin token. */
function keptSecret(name: string): string {
  const file = path.join(env.dataDir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

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
    adminToken: env.adminToken ?? (env.demo ? keptSecret('admin.token') : null),
  };
}

const rendererDir = path.join(ROOT_DIR, 'dist', 'renderer');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
let app: ReturnType<typeof createCentralApp> | null = null;
let sandbox: SandboxProvider | null = null;
let stopJobs: (() => Promise<void>) | null = null;
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
  const cfg = config(port);
  let payments: PaymentProvider;
  if (ifthenpay) {
    payments = createIfthenpayProvider(ifthenpay);
  } else {
    sandbox = createSandboxProvider({
      // The sandbox calls our callback over real HTTP, like a provider would.
      callbackUrl: `http://127.0.0.1:${port}/api/payments/callbacks/sandbox`,
      antiPhishingKey: keptSecret('sandbox-callback.key'),
      log: (event) => console.log(JSON.stringify({ level: 'info', ...event })),
    });
    payments = sandbox;
  }
  const deps: CentralDeps = {
    database,
    db: database.db,
    now: Date.now,
    config: cfg,
    mailer: mail.mailer,
    sms: sms.sender,
    payments,
    invoicing: invoicexpress ? createInvoicexpressProvider(invoicexpress) : builtinInvoicing(),
  };
  const seeded = env.demo ? await seedDemo(deps) : false;
  app = createCentralApp(deps, {
    rendererDir: fs.existsSync(path.join(rendererDir, 'portal', 'index.html')) ? rendererDir : null,
    extraRoutes: (a) => {
      // The dev mailbox shows reset links: only on a loopback address, never to a network.
      if (mail.sink && LOOPBACK.has(env.host)) a.route('/', mailboxRoutes(mail.sink));
      if (sms.sink && LOOPBACK.has(env.host)) a.route('/', smsOutboxRoutes(sms.sink));
      if (sandbox && LOOPBACK.has(env.host)) a.route('/', sandboxRoutes(sandbox));
    },
  });
  stopJobs = startJobs(deps);
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
      ...(sms.sink && LOOPBACK.has(env.host)
        ? [`  SMS outbox:  ${base}/dev/sms  (every SMS lands here; set SMS_URL for a real gateway)`]
        : []),
      ...(sandbox && LOOPBACK.has(env.host)
        ? [
            `  Payments:    ${base}/dev/payments  (sandbox: pay references, accept MB WAY; set IFTHENPAY_* for real)`,
          ]
        : [`  Payments:    ${ifthenpay ? 'ifthenpay' : 'sandbox'}`]),
      `  Invoices:    ${invoicexpress ? 'InvoiceXpress (AT-certified)' : 'built-in PDF — NOT a certified invoice (set INVOICEXPRESS_* for legal invoices)'}`,
      `  Database:    ${database.driver === 'pglite' ? `embedded PGlite in ${path.join(env.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`,
      ...(env.demo ? [`  Demo patient login: ${DEMO_PATIENT.email} / ${DEMO_PATIENT.password}`] : []),
      ...(cfg.adminToken && !env.adminToken
        ? [`  Admin token (reconciliation, refunds): ${cfg.adminToken}`]
        : []),
      '',
    ].join('\n'),
  );
  process.send?.({ type: 'ready', port });
}

async function stop(): Promise<void> {
  server.close();
  await stopJobs?.();
  sandbox?.close();
  await mail.close();
  await database.close();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
