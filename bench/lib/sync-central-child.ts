/**
 * The sync benchmark's central process (forked by `startCentralProcess` in `sync-central.ts`): opens a
 * fresh central database on `CFD_BENCH_SYNC_DRIVER` (PGlite in memory, or a scratch schema of
 * `CFD_BENCH_SYNC_DATABASE_URL`, dropped at the end), seeds the demo clinic (same catalogue ids as the
 * clinic's demo seed), serves the central app (deps as `serveCentral` builds them: real clock, memory
 * mailer and SMS, sandbox payments) and the bare reference app on 127.0.0.1, sends `{ ready }`, then runs
 * the harness's commands (`{ id, cmd, args }` → `{ id, result }` or `{ id, error }`). Central's time inside
 * each sync route is recorded around the app's `fetch` (routing, body parsing and validation, the
 * database work, the answer's JSON).
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { Hono } from 'hono';
import { createCentralApp } from '../../server/central/app.ts';
import { accounts, changes, syncInbox, syncRecords } from '../../server/central/db/schema.ts';
import type { CentralDeps } from '../../server/central/deps.ts';
import { pullChanges } from '../../server/central/features/sync/pull.ts';
import { createPairingCode } from '../../server/central/features/sync/credentials.ts';
import { builtinInvoicing } from '../../server/central/invoices/builtin.ts';
import { memoryMailer } from '../../server/central/mail/mailer.ts';
import { createSandboxProvider } from '../../server/central/payments/sandbox.ts';
import { seedDemo } from '../../server/central/seed/demo.ts';
import { memorySms } from '../../server/central/sms/sms.ts';
import { DEMO_CLINIC } from '../../server/domain/demo-clinic.ts';
import { benchConfig, openBenchDatabase, serveFetch, type Driver } from './central-server.ts';
import type { CentralCommands, PushCheck } from './sync-central.ts';

const driver = process.env.CFD_BENCH_SYNC_DRIVER as Driver;
const bench = await openBenchDatabase(driver, process.env.CFD_BENCH_SYNC_DATABASE_URL || undefined);
const db = bench.database.db;

// Central's route times, by route, since the harness last took them.
let routeTimes: { push: number[]; pull: number[] } = { push: [], pull: [] };
let app: ReturnType<typeof createCentralApp> | null = null;
const served = await serveFetch(async (req) => {
  if (!app) return new Response('starting', { status: 503 });
  const t0 = performance.now();
  const res = await app.fetch(req);
  const route = new URL(req.url).pathname;
  if (route === '/api/sync/push') routeTimes.push.push(performance.now() - t0);
  else if (route === '/api/sync/pull') routeTimes.pull.push(performance.now() - t0);
  return res;
});
const sandbox = createSandboxProvider({
  callbackUrl: `${served.origin}/api/payments/callbacks/sandbox`,
  antiPhishingKey: randomBytes(18).toString('base64url'),
});
const deps: CentralDeps = {
  database: bench.database,
  db,
  now: Date.now,
  config: benchConfig(served.origin),
  mailer: memoryMailer(),
  sms: memorySms(),
  payments: sandbox,
  invoicing: builtinInvoicing(),
};
await seedDemo(deps, { patient: false, paymentMode: 'pay_at_clinic' });
app = createCentralApp(deps);

// The bare reference: parse the push body and answer one result per entry; serve prepared pull pages.
let pages: string[] = [];
const bare = new Hono();
bare.post('/bare/push', async (c) => {
  const body = (await c.req.json()) as { entries: { id: string }[] };
  return c.json({ results: body.entries.map((e) => ({ id: e.id, status: 'applied' })) }, 200);
});
bare.get('/bare/pull/:page', (c) => {
  const text = pages[Number(c.req.param('page'))];
  return text === undefined ? c.notFound() : c.body(text, 200, { 'content-type': 'application/json' });
});
const bareServed = await serveFetch(bare.fetch);

/** The bare insert's table: `sync_inbox`'s columns plus the payload (no other index than the key). */
const bareInbox = pgTable(
  'bench_bare_inbox',
  {
    clinicId: uuid('clinic_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    version: integer('version').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.entryId] })],
);

type Handlers = {
  [K in keyof CentralCommands]: (args: CentralCommands[K]['args']) => Promise<CentralCommands[K]['result']>;
};

const handlers: Handlers = {
  pairingCode: async () => (await createPairingCode(deps, DEMO_CLINIC.id)).code,

  async feed({ accounts: people, rows }) {
    const now = new Date();
    for (let i = 0; i < people.length; i += 500)
      await db.insert(accounts).values(
        people.slice(i, i + 500).map((p) => ({
          id: p.id,
          email: p.email,
          emailVerifiedAt: now,
          name: p.name,
          phone: p.phone,
          passwordHash: null,
          locale: 'pt' as const,
          createdAt: now,
          updatedAt: now,
        })),
      );
    let last = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await db
        .insert(changes)
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, clinicId: DEMO_CLINIC.id, createdAt: now })))
        .returning({ seq: changes.seq });
      last = Math.max(last, ...inserted.map((r) => r.seq));
    }
    // The cursor a pull reaches is the commit_seq drawn at commit (central migration 0060), not the seq.
    const [row] = await db
      .select({ commitSeq: changes.commitSeq })
      .from(changes)
      .where(eq(changes.seq, last));
    return row?.commitSeq ?? 0;
  },

  async preparePages({ cursor, limit }) {
    pages = [];
    for (;;) {
      const page = await pullChanges(deps, DEMO_CLINIC.id, { cursor, limit });
      if (page.changes.length === 0) break;
      pages.push(JSON.stringify(page));
      cursor = page.cursor;
      if (!page.more) break;
    }
    return pages.length;
  },

  async takeRouteTimes() {
    const taken = routeTimes;
    routeTimes = { push: [], pull: [] };
    return taken;
  },

  async cpuMs() {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  },

  async checkPush({ entries }): Promise<PushCheck> {
    const inbox = await db.select().from(syncInbox).where(eq(syncInbox.clinicId, DEMO_CLINIC.id));
    const sent = new Set(entries.map((e) => e.id));
    const inboxStatuses: Record<string, number> = {};
    let inboxRows = 0;
    for (const r of inbox)
      if (sent.has(r.entryId)) {
        inboxRows++;
        const key = r.reason ? `${r.status} ${r.entity} ${r.reason}` : r.status;
        inboxStatuses[key] = (inboxStatuses[key] ?? 0) + 1;
      }
    const records = await db.select().from(syncRecords).where(eq(syncRecords.clinicId, DEMO_CLINIC.id));
    const versions = new Map(records.map((r) => [`${r.entity}:${r.entityId}`, r.version]));
    const recordsAtVersion = entries.filter(
      (e) => versions.get(`${e.entity}:${e.entityId}`) === e.version,
    ).length;
    return { inboxRows, inboxStatuses, recordsAtVersion, recordsTotal: records.length };
  },

  async bareInsert({ entries, batchSize, perRow }) {
    await db.execute(sql`DROP TABLE IF EXISTS bench_bare_inbox`);
    await db.execute(
      sql`CREATE TABLE bench_bare_inbox (clinic_id uuid NOT NULL, entry_id uuid NOT NULL, entity text NOT NULL,
          entity_id text NOT NULL, version integer NOT NULL, payload jsonb NOT NULL,
          received_at timestamptz NOT NULL, PRIMARY KEY (clinic_id, entry_id))`,
    );
    const times: number[] = [];
    for (let i = 0; i < entries.length; i += batchSize) {
      const t0 = performance.now();
      const now = new Date();
      const rows = entries.slice(i, i + batchSize).map((e) => ({
        clinicId: DEMO_CLINIC.id,
        entryId: e.id,
        entity: e.entity,
        entityId: e.entityId,
        version: e.version,
        payload: e.payload,
        receivedAt: now,
      }));
      if (perRow)
        for (const row of rows)
          await db.transaction(async (tx) => void (await tx.insert(bareInbox).values(row)));
      else await db.insert(bareInbox).values(rows);
      times.push(performance.now() - t0);
    }
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(bareInbox)
      .where(and(eq(bareInbox.clinicId, DEMO_CLINIC.id)));
    if (Number(row?.n) !== entries.length)
      throw new Error(`bare insert stored ${row?.n} of ${entries.length}`);
    return times;
  },
};

async function close(): Promise<void> {
  sandbox.close();
  await bareServed.close();
  await served.close();
  await bench.drop();
}

process.on('message', (m: { id: number; cmd: keyof CentralCommands | 'close'; args: unknown }) => {
  if (m.cmd === 'close') {
    void close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
    return;
  }
  const handler = handlers[m.cmd] as (args: unknown) => Promise<unknown>;
  handler(m.args).then(
    (result) => process.send?.({ id: m.id, result }),
    (err: unknown) => process.send?.({ id: m.id, error: err instanceof Error ? err.stack : String(err) }),
  );
});
process.on('disconnect', () => void close().finally(() => process.exit(0)));
process.send?.({
  ready: {
    origin: served.origin,
    bareOrigin: bareServed.origin,
    driver,
    where: bench.where,
    serverVersion: bench.serverVersion,
  },
});
