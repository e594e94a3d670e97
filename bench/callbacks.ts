/**
 * Payment-callback benchmark (payments issue, part 10): 1,000 provider callbacks, 20 % of them repeat
 * deliveries, against one central instance (server/central/app.ts) served over real HTTP, on each database
 * driver (PGlite in memory always; PostgreSQL too when DATABASE_URL is set), next to a bare Hono route
 * doing one INSERT per request on the same database, same load, same run.
 * Run with `npm run bench:callbacks` or `DATABASE_URL=postgres://… npm run bench:callbacks`; writes
 * `bench/results/callbacks.json` and prints a Markdown summary (copied into `docs/benchmarks.md`). Exits 1
 * when a correctness check fails (after writing the file).
 *
 * Per driver, on a fresh database (`openBenchDatabase`, `serveCentral` with a known anti-phishing key):
 * 1. Seed (`bench/lib/callbacks-seed.ts`): a pay-online clinic and 900 appointments awaiting payment (800 for the
 *    HTTP run, 100 for step 5), each
 *    with a verified patient, a pending order and a pending Multibanco payment (provider 'sandbox', a
 *    request id, entity 12345 and a reference), inserted in bulk.
 * 2. Send: 800 first deliveries (one per order, shuffled) + 200 repeats of 200 orders (100 right after
 *    their first delivery, so both are in flight at once; 100 at a random later point), each a GET
 *    `/api/payments/callbacks/sandbox?key&orderId&amount&requestId&entity&reference&payment_datetime&method`
 *    identical to the first delivery, 16 in flight from a separate process (`callbacks-load-child.ts`).
 *    Measured: wall time, callbacks/s, latency of the 200 answers, non-200 answers.
 * 3. Wait until every recorded callback is processed (`payment_callbacks.processed_at`, polled every
 *    25 ms; the route's two apply workers apply each one after its answer). Measured: time from the first
 *    send to the last `processed_at`, and the server process's CPU per callback over the whole run. Should
 *    some stay unprocessed for 90 s, the job loop's `processPendingCallbacks` is run and they are counted.
 * 4. Check: orders paid = distinct orders; no order with more than one 'paid' payment; one 'applied'
 *    outcome per request id, the rest 'duplicate'; one invoice per paid order numbered 1..N with no gap
 *    (count = max(seq) = distinct seq, min 1); appointments confirmed; invoice emails queued; 0 non-200.
 * 5. In process, one at a time, on 100 more orders (no HTTP, no concurrency): `receiveCallback`, then
 *    `processCallback` of it (applied), then a repeat recorded and processed (duplicate); ms p50 / p95.
 * 6. Bare reference: `GET /api/payments/callbacks/:provider` on a bare Hono app doing one INSERT of the
 *    query parameters into a scratch table of the same database, same paths, same sender.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { Hono } from 'hono';
import { v7 as uuidv7 } from 'uuid';
import type { CentralDatabase } from '../server/central/db/database.ts';
import type { CentralDeps } from '../server/central/deps.ts';
import {
  processCallback,
  processPendingCallbacks,
  receiveCallback,
} from '../server/central/features/payments/service.ts';
import { clinicDate } from '../server/domain/time.ts';
import { CLINIC_SHAPE } from './lib/central-config.ts';
import { nextMonday } from './lib/central-clinic.ts';
import {
  openBenchDatabase,
  packageVersion,
  serveCentral,
  serveFetch,
  type Driver,
} from './lib/central-server.ts';
import {
  APPLY_POLL_MS,
  APPLY_TIMEOUT_MS,
  CALLBACK_KEY,
  CALLBACK_LOAD,
  CALLBACKS_RESULTS_FILE,
} from './lib/callbacks-config.ts';
import { runCallbackLoad, summarizeCallbackLoad, type CallbackLoadSummary } from './lib/callbacks-load.ts';
import { callbacksMarkdownSummary, type CallbackChecks } from './lib/callbacks-report.ts';
import { callbackPath, callbackPlan, seedPayOnlineOrders, type SeededOrder } from './lib/callbacks-seed.ts';
import { summarizeLatency } from './lib/central-load.ts';
import { round } from './lib/metrics.ts';
import { loadAverage, machineUnderLoad } from './lib/report.ts';

const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** The clinic's shape: the central bench clinic over 4 weeks, enough sessions for the orders. */
const SHAPE = { ...CLINIC_SHAPE, weeks: 4, bookedShare: 0.6 };

async function rows<T>(database: CentralDatabase, query: SQL): Promise<T[]> {
  return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function one<T>(database: CentralDatabase, query: SQL): Promise<T> {
  return (await rows<T>(database, query))[0]!;
}

/** Counts the route's `payments.callback_failed` log lines (a failed background apply) while active. */
function watchCallbackFailures() {
  const original = console.error;
  const samples: string[] = [];
  let count = 0;
  console.error = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.includes('payments.callback_failed')) {
      count++;
      if (samples.length < 5) samples.push(line.slice(0, 400));
      return;
    }
    original(...args);
  };
  return {
    stop() {
      console.error = original;
      return { count, samples };
    },
  };
}

/** Polls until `expected` callbacks are recorded and none is unprocessed, or `timeoutMs` passes. */
async function waitProcessed(database: CentralDatabase, expected: number, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  let polls = 0;
  for (;;) {
    polls++;
    const s = await one<{ n: number; todo: number }>(
      database,
      sql`SELECT count(*)::int AS n, (count(*) FILTER (WHERE processed_at IS NULL))::int AS todo FROM payment_callbacks`,
    );
    if (s.n >= expected && s.todo === 0) return { ok: true, polls, recorded: s.n, todo: 0 };
    if (Date.now() > end) return { ok: false, polls, recorded: s.n, todo: s.todo };
    await new Promise((r) => setTimeout(r, APPLY_POLL_MS));
  }
}

/** The correctness checks after every callback is processed (see the module comment, step 4). */
async function check(
  database: CentralDatabase,
  distinctOrders: number,
  non200: number,
): Promise<CallbackChecks> {
  const tally = (list: { k: string | null; n: number }[]) =>
    Object.fromEntries(list.map((r) => [r.k ?? 'null', r.n]));
  const outcomes = tally(
    await rows(
      database,
      sql`SELECT outcome AS k, count(*)::int AS n FROM payment_callbacks GROUP BY 1 ORDER BY 1`,
    ),
  );
  const ordersByStatus = tally(
    await rows(database, sql`SELECT status AS k, count(*)::int AS n FROM orders GROUP BY 1 ORDER BY 1`),
  );
  const paymentsByStatus = tally(
    await rows(database, sql`SELECT status AS k, count(*)::int AS n FROM payments GROUP BY 1 ORDER BY 1`),
  );
  const multiPaid = await one<{ n: number }>(
    database,
    sql`SELECT count(*)::int AS n FROM (SELECT order_id FROM payments WHERE status = 'paid' GROUP BY order_id HAVING count(*) > 1) x`,
  );
  const notOnceApplied = await one<{ n: number }>(
    database,
    sql`SELECT count(*)::int AS n FROM (SELECT request_id FROM payment_callbacks GROUP BY request_id
          HAVING count(*) FILTER (WHERE outcome = 'applied') <> 1) x`,
  );
  const inv = await one<{ n: number; min: number | null; max: number | null; distinct: number }>(
    database,
    sql`SELECT count(*)::int AS n, min(seq)::int AS min, max(seq)::int AS max, count(DISTINCT seq)::int AS distinct
        FROM invoices WHERE kind = 'invoice'`,
  );
  const invoicesPerPaidOrder = await one<{ n: number }>(
    database,
    sql`SELECT count(*)::int AS n FROM orders o WHERE o.status = 'paid'
          AND (SELECT count(*) FROM invoices i WHERE i.order_id = o.id AND i.kind = 'invoice') <> 1`,
  );
  const confirmed = await one<{ n: number }>(
    database,
    sql`SELECT count(*)::int AS n FROM appointments WHERE status = 'confirmed'`,
  );
  const emails = await one<{ n: number }>(
    database,
    sql`SELECT count(*)::int AS n FROM messages WHERE kind = 'invoice' AND channel = 'email'`,
  );
  const ordersPaid = ordersByStatus.paid ?? 0;
  const invoices = {
    count: inv.n,
    minSeq: inv.min,
    maxSeq: inv.max,
    distinctSeq: inv.distinct,
    gapless: inv.n === inv.max && inv.min === 1 && inv.distinct === inv.n,
    paidOrdersWithoutExactlyOne: invoicesPerPaidOrder.n,
  };
  const ok =
    ordersPaid === distinctOrders &&
    multiPaid.n === 0 &&
    notOnceApplied.n === 0 &&
    (outcomes.applied ?? 0) === distinctOrders &&
    invoices.gapless &&
    invoices.count === distinctOrders &&
    invoices.paidOrdersWithoutExactlyOne === 0 &&
    non200 === 0;
  return {
    distinctOrders,
    ordersPaid,
    ordersByStatus,
    ordersWithMoreThanOnePaid: multiPaid.n,
    paymentsByStatus,
    outcomes,
    requestIdsNotAppliedExactlyOnce: notOnceApplied.n,
    invoices,
    appointmentsConfirmed: confirmed.n,
    invoiceEmailsQueued: emails.n,
    non200,
    ok,
  };
}

/**
 * The cost of each step without HTTP or concurrency: for each of `orders`, one at a time,
 * `receiveCallback` (key check, parse, INSERT), `processCallback` of it (applied), then a repeat delivery
 * recorded and processed (duplicate). ms p50 / p95.
 */
async function timeInProcess(deps: CentralDeps, orders: SeededOrder[]) {
  const receive: number[] = [];
  const apply: number[] = [];
  const repeat: number[] = [];
  const outcomes: Record<string, number> = {};
  for (const o of orders) {
    const params = new URL(callbackPath(o, CALLBACK_KEY), 'http://x').searchParams;
    let t = performance.now();
    const id = await receiveCallback(deps, 'sandbox', params, '127.0.0.1');
    receive.push(performance.now() - t);
    t = performance.now();
    const first = await processCallback(deps, id);
    apply.push(performance.now() - t);
    const again = await receiveCallback(deps, 'sandbox', params, '127.0.0.1');
    t = performance.now();
    const second = await processCallback(deps, again);
    repeat.push(performance.now() - t);
    for (const k of [first, second]) outcomes[String(k)] = (outcomes[String(k)] ?? 0) + 1;
  }
  const pick = (ms: number[]) => {
    const l = summarizeLatency(ms);
    return { n: l.n, p50: l.p50, p95: l.p95 };
  };
  return {
    receiveCallbackMs: pick(receive),
    processCallbackAppliedMs: pick(apply),
    processCallbackDuplicateMs: pick(repeat),
    outcomes,
  };
}

/** The bare reference: one INSERT of the query parameters per GET, on `database`, same paths. */
async function measureBare(database: CentralDatabase, paths: string[]) {
  await database.db.execute(
    sql`CREATE TABLE bench_bare_callbacks (id uuid PRIMARY KEY, provider text NOT NULL, request_id text,
          params jsonb NOT NULL, received_at timestamptz NOT NULL)`,
  );
  const app = new Hono();
  app.get('/api/health', (c) => c.text('ok'));
  app.get('/api/payments/callbacks/:provider', async (c) => {
    const params = c.req.query();
    await database.db.execute(
      sql`INSERT INTO bench_bare_callbacks (id, provider, request_id, params, received_at)
          VALUES (${uuidv7()}, ${c.req.param('provider')}, ${params.requestId ?? null}, ${JSON.stringify(params)}::jsonb, ${new Date().toISOString()})`,
    );
    return c.text('OK', 200);
  });
  const served = await serveFetch(app.fetch);
  try {
    const cpu = process.cpuUsage();
    const result = await runCallbackLoad({
      origin: served.origin,
      warmPath: '/api/health',
      paths,
      concurrency: CALLBACK_LOAD.concurrency,
    });
    const used = process.cpuUsage(cpu);
    const rowsWritten = await one<{ n: number }>(
      database,
      sql`SELECT count(*)::int AS n FROM bench_bare_callbacks`,
    );
    return {
      load: summarizeCallbackLoad(result),
      rowsWritten: rowsWritten.n,
      serverCpuMsPerRequest: round((used.user + used.system) / 1000 / paths.length, 2),
    };
  } finally {
    await served.close();
  }
}

/** What one driver measured. */
export interface DriverCallbackMeasures {
  driver: Driver;
  where: string;
  seedMs: number;
  orders: number;
  deliveries: number;
  load: CallbackLoadSummary;
  /** From the first send to the last `processed_at`, ms; and from the last answer to it. */
  fullyAppliedMs: number;
  appliedAfterLastAnswerMs: number;
  /** The wait ended with every callback processed by the route's own background apply. */
  drainedByRoute: boolean;
  pollsWhileWaiting: number;
  /** Callbacks the job loop's pass had to process after the wait timed out (0 expected). */
  leftForJobLoop: number;
  /** The route's `payments.callback_failed` log lines (a background apply that threw). */
  callbackFailures: { count: number; samples: string[] };
  /** Server process CPU (user + system) from the first send to fully applied, per callback, ms. */
  serverCpuMsPerCallback: number;
  checks: CallbackChecks;
  inProcess: Awaited<ReturnType<typeof timeInProcess>>;
  bare: Awaited<ReturnType<typeof measureBare>>;
}

async function measureDriver(driver: Driver, url: string | undefined): Promise<DriverCallbackMeasures> {
  log(`${driver}: opening a fresh database…`);
  const bench = await openBenchDatabase(driver, url);
  let central: Awaited<ReturnType<typeof serveCentral>> | null = null;
  try {
    central = await serveCentral(bench.database, { callbackKey: CALLBACK_KEY });
    const t = performance.now();
    const seeded = await seedPayOnlineOrders(
      bench.database.db,
      SHAPE,
      nextMonday(clinicDate(Date.now())),
      CALLBACK_LOAD.orders + CALLBACK_LOAD.inProcessOrders,
      Date.now(),
    );
    const seedMs = round(performance.now() - t, 0);
    log(`${driver}: ${seeded.length} pending Multibanco orders written in ${seedMs} ms`);

    const plan = callbackPlan(
      CALLBACK_LOAD.orders,
      CALLBACK_LOAD.repeats,
      CALLBACK_LOAD.adjacentRepeats,
      CALLBACK_LOAD.seed,
    );
    const paths = plan.map((d) => callbackPath(seeded[d.order]!, CALLBACK_KEY));

    log(`${driver}: sending ${paths.length} callbacks, ${CALLBACK_LOAD.concurrency} in flight…`);
    const failures = watchCallbackFailures();
    const cpu = process.cpuUsage();
    const result = await runCallbackLoad({
      origin: central.origin,
      warmPath: '/api/health',
      paths,
      concurrency: CALLBACK_LOAD.concurrency,
    });
    const load = summarizeCallbackLoad(result);
    log(
      `${driver}: answered in ${load.durationMs} ms (${load.achievedRps}/s); waiting for the inbox to drain…`,
    );
    const waited = await waitProcessed(bench.database, load.statuses['200'] ?? 0, APPLY_TIMEOUT_MS);
    const used = process.cpuUsage(cpu);
    let leftForJobLoop = 0;
    if (!waited.ok) {
      leftForJobLoop = waited.todo;
      log(
        `${driver}: ${waited.todo} callbacks still unprocessed after ${APPLY_TIMEOUT_MS} ms; running the job loop's pass`,
      );
      while ((await processPendingCallbacks(central.deps, 100)) > 0);
    }
    const callbackFailures = failures.stop();
    const span = await one<{ last: string | Date | null }>(
      bench.database,
      sql`SELECT max(processed_at) AS last FROM payment_callbacks`,
    );
    const lastProcessedAt = span.last === null ? NaN : new Date(span.last).getTime();
    const sendStartedAt = result.startedAtEpochMs;
    const answeredAt = result.endedAtEpochMs;
    const fullyAppliedMs = round(lastProcessedAt - sendStartedAt, 0);
    log(`${driver}: fully applied ${fullyAppliedMs} ms after the first send; checking…`);
    const checks = await check(bench.database, CALLBACK_LOAD.orders, load.non200);
    log(`${driver}: checks ${checks.ok ? 'passed' : 'FAILED'}`);
    log(`${driver}: one at a time in process (${CALLBACK_LOAD.inProcessOrders} orders)…`);
    const inProcess = await timeInProcess(central.deps, seeded.slice(CALLBACK_LOAD.orders));
    await central.close();
    central = null;

    log(`${driver}: bare reference (one INSERT per GET)…`);
    const bare = await measureBare(bench.database, paths);
    return {
      driver,
      where: bench.where,
      seedMs,
      orders: CALLBACK_LOAD.orders,
      deliveries: paths.length,
      load,
      fullyAppliedMs,
      appliedAfterLastAnswerMs: round(lastProcessedAt - answeredAt, 0),
      drainedByRoute: waited.ok,
      pollsWhileWaiting: waited.polls,
      leftForJobLoop,
      callbackFailures,
      serverCpuMsPerCallback: round((used.user + used.system) / 1000 / paths.length, 2),
      checks,
      inProcess,
      bare,
    };
  } finally {
    await central?.close();
    await bench.drop();
  }
}

async function runBenchmark() {
  const started = performance.now();
  const url = process.env.DATABASE_URL || undefined;
  const drivers: Driver[] = url ? ['pglite', 'postgres'] : ['pglite'];
  const loadAverageAtStart = loadAverage();
  const results: Partial<Record<Driver, DriverCallbackMeasures>> = {};
  for (const driver of drivers) results[driver] = await measureDriver(driver, url);
  return {
    date: new Date().toISOString(),
    command: url ? 'DATABASE_URL=postgres://… npm run bench:callbacks' : 'npm run bench:callbacks',
    durationSeconds: round((performance.now() - started) / 1000, 1),
    machine: machineUnderLoad(loadAverageAtStart),
    versions: {
      node: process.version,
      pglite: packageVersion('@electric-sql/pglite'),
      pg: packageVersion('pg'),
      'drizzle-orm': packageVersion('drizzle-orm'),
      hono: packageVersion('hono'),
      '@hono/node-server': packageVersion('@hono/node-server'),
    },
    settings: {
      load: CALLBACK_LOAD,
      applyTimeoutMs: APPLY_TIMEOUT_MS,
      applyPollMs: APPLY_POLL_MS,
      clinic: { weeks: SHAPE.weeks, practitioners: SHAPE.practitioners, priceCents: SHAPE.priceCents },
      sender:
        'a separate Node process (bench/lib/callbacks-load-child.ts): node:http keep-alive pool, fixed concurrency (closed loop), one warm-up GET /api/health per connection',
      bareReference:
        'Hono on @hono/node-server on the same database: GET /api/payments/callbacks/:provider inserts the query parameters (jsonb) into a scratch table, answers 200 OK',
    },
    drivers: { pglite: results.pglite!, postgres: results.postgres ?? null },
  };
}

const report = await runBenchmark();
fs.mkdirSync(path.dirname(CALLBACKS_RESULTS_FILE), { recursive: true });
fs.writeFileSync(CALLBACKS_RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
console.log('');
console.log(callbacksMarkdownSummary(report));
console.log('');
console.log(`wrote ${path.relative(process.cwd(), CALLBACKS_RESULTS_FILE)} in ${report.durationSeconds} s`);
const failed = Object.values(report.drivers).filter((d) => d && !d.checks.ok);
if (failed.length > 0) {
  console.error(`callback checks failed on ${failed.map((d) => d!.driver).join(', ')}`);
  process.exit(1);
}
process.exit(0);
