/**
 * Sync benchmark (issue 9): 5,000 changes pushed from a clinic to central and 5,000 pulled back, with the
 * clinic's real sync code (`pushOutbox`, `pullChanges`, `SyncClient`) against the real central API over
 * real HTTP, on each database driver (PGlite in memory always; PostgreSQL too when DATABASE_URL is set),
 * next to a bare reference measured in the same run. Run with `npm run bench:sync` or
 * `DATABASE_URL=postgres://… npm run bench:sync`; writes `bench/results/sync.json` and prints the Markdown
 * summary that `docs/benchmarks.md` ("Sync") shows. Exits 1 when a correctness check fails (after writing
 * the file). `CFD_BENCH_SYNC_PROFILE=<dir>` also writes a V8 CPU profile of each central process there.
 *
 * Per driver:
 * - central (`bench/lib/sync-central-child.ts`) runs in its own process: a fresh database with the demo
 *   clinic, the central app and a bare Hono app, both on 127.0.0.1; this process is the clinic: a real
 *   SQLite database (`bench/lib/sync-clinic.ts`) with the demo clinic, paired through central's real
 *   pairing code and `POST /api/sync/pair`. One unmeasured pass pushes the demo seed (and warms both sides).
 * - Push: `planDays` (bench/lib/sync-data.ts) written through the clinic's repositories and payment service
 *   queues exactly 5,000 outbox entries (patients, appointments at their last visit state, payments);
 *   `pushOutbox` drains them in batches of 500. Checked: 5,000 acknowledged and `applied`, the outbox empty,
 *   central's inbox has one row per entry and its snapshots are at each entry's version.
 * - Pull: `buildFeed` puts 5,000 changes in central's feed for the clinic (online bookings, some moved, some
 *   cancelled; accounts and feed rows inserted in bulk as the booking service would record them);
 *   `pullChanges` applies them in pages of 500. Checked: every booking once, at the status, start and
 *   version the feed says, one patient per account, nothing echoed into the outbox.
 * - Bare reference: the same 500-entry push bodies POSTed to a route that only parses them and answers one
 *   result per entry; the entries inserted into a scratch table, 500 rows per INSERT (central's database);
 *   the pull's pages (precomputed) fetched and parsed; the pulled rows inserted into a scratch SQLite file,
 *   500 per transaction (the clinic's database).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { outboxBacklog, readOutbox } from '../server/clinic/db/changes.ts';
import { mulberry32 } from '../server/clinic/simulation/rng.ts';
import { readPullCursor } from '../server/clinic/sync/apply.ts';
import { SyncClient } from '../server/clinic/sync/client.ts';
import { pullChanges, pushOutbox } from '../server/clinic/sync/engine.ts';
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION, SYNC_PUSH_FORMAT } from '../server/domain/sync.ts';
import { packageVersion } from './lib/central-server.ts';
import { summarizeLatency } from './lib/central-load.ts';
import { round } from './lib/metrics.ts';
import { loadAverage, machineUnderLoad } from './lib/report.ts';
import { startCentralProcess, type CentralProcess } from './lib/sync-central.ts';
import {
  bareSqliteInsert,
  checkPull,
  openBenchClinic,
  pullCheckOk,
  TimedSyncClient,
  writeDays,
} from './lib/sync-clinic.ts';
import { batchFigures, buildFeed, planDays, SYNC_BENCH, SYNC_RESULTS_FILE } from './lib/sync-data.ts';
import { syncMarkdownSummary, type DriverResult, type PhaseResult } from './lib/sync-report.ts';

type Driver = 'pglite' | 'postgres';

const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** ms per element, rounded to 2 decimals. */
const ms2 = (xs: readonly number[]) => xs.map((x) => round(x, 2));

/** Times `texts` POSTed one after the other to the bare push route (after one untimed request); ms each. */
async function bareHttpPush(origin: string, bodies: readonly string[]): Promise<number[]> {
  const headers = {
    'content-type': 'application/json',
    [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION),
  };
  const post = async (body: string) => {
    const res = await fetch(`${origin}/bare/push`, { method: 'POST', headers, body });
    const json = (await res.json()) as { results: unknown[] };
    if (res.status !== 200 || !Array.isArray(json.results))
      throw new Error(`bare push answered ${res.status}`);
    return json.results.length;
  };
  await post(bodies[0]!);
  const times: number[] = [];
  for (const body of bodies) {
    const t0 = performance.now();
    await post(body);
    times.push(performance.now() - t0);
  }
  return times;
}

/** Times GETs of the bare pull pages 0 … pages − 1 (after one untimed request), parsed; ms each. */
async function bareHttpPull(origin: string, pages: number): Promise<number[]> {
  const get = async (page: number) => {
    const res = await fetch(`${origin}/bare/pull/${page}`);
    const json = (await res.json()) as { changes: unknown[] };
    if (res.status !== 200 || !Array.isArray(json.changes))
      throw new Error(`bare pull answered ${res.status}`);
  };
  await get(0);
  const times: number[] = [];
  for (let p = 0; p < pages; p++) {
    const t0 = performance.now();
    await get(p);
    times.push(performance.now() - t0);
  }
  return times;
}

/** JSON.stringify and JSON.parse of each text's value, in this process, ms each (median of 5 runs). */
function jsonCost(texts: readonly string[]) {
  const stringify: number[] = [];
  const parse: number[] = [];
  for (const text of texts) {
    const value: unknown = JSON.parse(text);
    const s: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      JSON.stringify(value);
      s.push(performance.now() - t0);
      t0 = performance.now();
      JSON.parse(text);
      p.push(performance.now() - t0);
    }
    stringify.push(summarizeLatency(s).p50);
    parse.push(summarizeLatency(p).p50);
  }
  return {
    bytes: summarizeLatency(texts.map((t) => Buffer.byteLength(t))).p50,
    stringifyMs: summarizeLatency(stringify),
    parseMs: summarizeLatency(parse),
  };
}

/** The phase's figures with the bare reference: floor per batch = bare HTTP + bare database. */
function phase(
  client: TimedSyncClient,
  totalMs: number,
  routeMs: number[],
  bare: { httpMs: number[]; dbMs: number[] },
  cpu: { centralMs: number; clinicMs: number },
): PhaseResult {
  const batches = client.batches.map((b, i) => ({ ...b, serverMs: routeMs[i] ?? null }));
  if (routeMs.length !== batches.length)
    throw new Error(`central timed ${routeMs.length} requests for ${batches.length} batches`);
  const figures = batchFigures(batches, totalMs);
  const floor = bare.httpMs.map((h, i) => h + (bare.dbMs[i] ?? 0));
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  return {
    figures,
    batches: batches.map((b) => ({
      n: b.n,
      startMs: round(b.startMs, 2),
      httpMs: round(b.httpMs, 2),
      doneMs: round(b.doneMs, 2),
      serverMs: b.serverMs === null ? null : round(b.serverMs, 2),
    })),
    cpu: {
      centralMs: round(cpu.centralMs, 0),
      clinicMs: round(cpu.clinicMs, 0),
      centralMsPerChange: round(cpu.centralMs / figures.changes, 3),
      clinicMsPerChange: round(cpu.clinicMs / figures.changes, 3),
    },
    bare: {
      httpMs: ms2(bare.httpMs),
      dbMs: ms2(bare.dbMs),
      httpTotalMs: round(sum(bare.httpMs), 1),
      dbTotalMs: round(sum(bare.dbMs), 1),
      floorTotalMs: round(sum(floor), 1),
      floorBatchMs: summarizeLatency(floor),
    },
  };
}

async function measureDriver(driver: Driver, url: string | undefined): Promise<DriverResult> {
  const profileDir = process.env.CFD_BENCH_SYNC_PROFILE;
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  log(`${driver}: starting central in its own process…`);
  const central: CentralProcess = await startCentralProcess(driver, url, execArgv);
  const clinic = openBenchClinic();
  const { deps } = clinic;
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  try {
    const origin = central.ready.origin;
    const paired = await new SyncClient({ centralUrl: origin }).pair(await central.call('pairingCode', null));
    const client = new TimedSyncClient({
      centralUrl: origin,
      credential: paired.credential,
      timeoutMs: 300_000,
    });

    // Unmeasured: the demo seed's backlog and the empty feed (both sides warm up).
    const seedBacklog = outboxBacklog(deps).pending;
    const warm = await pushOutbox(deps, client);
    await pullChanges(deps, client);
    if (warm.rejected.length > 0 || outboxBacklog(deps).pending !== 0)
      throw new Error(
        `the seed's push left ${outboxBacklog(deps).pending} entries (${warm.rejected.length} rejected)`,
      );
    await central.call('takeRouteTimes', null);

    log(`${driver}: writing the clinic's days (${SYNC_BENCH.entries} outbox entries)…`);
    const plan = planDays(SYNC_BENCH.entries, mulberry32(SYNC_BENCH.seed));
    let t0 = performance.now();
    writeDays(clinic, plan, SYNC_BENCH);
    const writeMs = performance.now() - t0;
    const entries = readOutbox(deps, { limit: 10_000 });
    if (entries.length !== SYNC_BENCH.entries)
      throw new Error(`the days queued ${entries.length} entries, not ${SYNC_BENCH.entries}`);
    const byEntity: Record<string, number> = {};
    for (const e of entries) byEntity[e.entity] = (byEntity[e.entity] ?? 0) + 1;
    const bodies: string[] = [];
    for (let i = 0; i < entries.length; i += SYNC_BENCH.batchSize)
      bodies.push(
        JSON.stringify({ format: SYNC_PUSH_FORMAT, entries: entries.slice(i, i + SYNC_BENCH.batchSize) }),
      );

    log(`${driver}: bare HTTP push…`);
    const bareHttpPushMs = await bareHttpPush(central.ready.bareOrigin, bodies);

    log(`${driver}: push…`);
    const pushLoad = loadAverage();
    let centralCpu = await central.call('cpuMs', null);
    let clinicCpu = cpuNow();
    client.startPhase();
    const pushReport = await pushOutbox(deps, client);
    const pushTotal = client.finish();
    const pushCpu = {
      clinicMs: cpuNow() - clinicCpu,
      centralMs: (await central.call('cpuMs', null)) - centralCpu,
    };
    const pushRoutes = (await central.call('takeRouteTimes', null)).push;
    const pendingAfterPush = outboxBacklog(deps).pending;
    const pushCheck = await central.call('checkPush', {
      entries: entries.map((e) => ({ id: e.id, entity: e.entity, entityId: e.entityId, version: e.version })),
    });
    log(`${driver}: bare insert into central's database…`);
    const bareInsertMs = await central.call('bareInsert', {
      entries: entries.map((e) => ({
        id: e.id,
        entity: e.entity,
        entityId: e.entityId,
        version: e.version,
        payload: e.payload,
      })),
      batchSize: SYNC_BENCH.batchSize,
    });
    // A sample (the first 1,000 entries): on a busy disk a PostgreSQL commit can take 15 ms or more.
    const sample = entries.slice(0, SYNC_BENCH.transactionSample);
    const perEntryTxMs = await central.call('bareInsert', {
      entries: sample.map((e) => ({
        id: e.id,
        entity: e.entity,
        entityId: e.entityId,
        version: e.version,
        payload: e.payload,
      })),
      batchSize: SYNC_BENCH.batchSize,
      perRow: true,
    });
    const perEntryTotal = perEntryTxMs.reduce((a, b) => a + b, 0);
    const push = {
      ...phase(client, pushTotal, pushRoutes, { httpMs: bareHttpPushMs, dbMs: bareInsertMs }, pushCpu),
      bareTransactionPerEntry: {
        what: `the first ${sample.length} rows again, one single-row INSERT in its own transaction each (ms per 500)`,
        entries: sample.length,
        batchMs: ms2(perEntryTxMs),
        msPerTransaction: round(perEntryTotal / sample.length, 3),
        projectedMs: round((perEntryTotal / sample.length) * entries.length, 0),
      },
    };
    const pushOk =
      pushReport.sent === SYNC_BENCH.entries &&
      pushReport.acknowledged === SYNC_BENCH.entries &&
      pushReport.statuses.applied === SYNC_BENCH.entries &&
      pendingAfterPush === 0 &&
      pushCheck.inboxRows === SYNC_BENCH.entries &&
      pushCheck.inboxStatuses.applied === SYNC_BENCH.entries &&
      pushCheck.recordsAtVersion === SYNC_BENCH.entries;

    log(`${driver}: filling central's feed…`);
    const takenCodes = new Set(
      (deps.db.prepare('SELECT booking_code FROM appointments').all() as { booking_code: string }[]).map(
        (r) => r.booking_code,
      ),
    );
    const feed = buildFeed(SYNC_BENCH.feed, mulberry32(SYNC_BENCH.seed + 1), takenCodes);
    const cursorBefore = readPullCursor(deps);
    const lastSeq = await central.call('feed', { accounts: feed.accounts, rows: feed.rows });
    const pages = await central.call('preparePages', { cursor: cursorBefore, limit: SYNC_BENCH.pageSize });
    log(`${driver}: bare HTTP pull (${pages} pages) and bare SQLite insert…`);
    const bareHttpPullMs = await bareHttpPull(central.ready.bareOrigin, pages);
    const bareSqliteMs = bareSqliteInsert(clinic.dir, feed.rows, SYNC_BENCH.pageSize);

    log(`${driver}: pull…`);
    const pullLoad = loadAverage();
    centralCpu = await central.call('cpuMs', null);
    clinicCpu = cpuNow();
    client.startPhase();
    const pullReport = await pullChanges(deps, client, { limit: SYNC_BENCH.pageSize });
    const pullTotal = client.finish();
    const pullCpu = {
      clinicMs: cpuNow() - clinicCpu,
      centralMs: (await central.call('cpuMs', null)) - centralCpu,
    };
    const pullRoutes = (await central.call('takeRouteTimes', null)).pull;
    const pullCheck = checkPull(deps, feed);
    const pull = phase(
      client,
      pullTotal,
      pullRoutes,
      { httpMs: bareHttpPullMs, dbMs: bareSqliteMs },
      pullCpu,
    );
    const pullOk =
      pullReport.received === feed.rows.length &&
      pullReport.cursor === lastSeq &&
      pullReport.skipped === 0 &&
      pullCheckOk(pullCheck);

    t0 = performance.now();
    const json = { push: jsonCost(bodies) };
    log(`${driver}: JSON cost measured in ${round(performance.now() - t0, 0)} ms`);
    return {
      driver,
      where: central.ready.where,
      serverVersion: central.ready.serverVersion,
      setup: {
        seedBacklog,
        plan: plan.expected,
        visits: plan.visits.length,
        outboxByEntity: byEntity,
        writeDaysMs: round(writeMs, 0),
        feed: {
          changes: feed.rows.length,
          accounts: feed.accounts.length,
          appointments: feed.expected.appointments.size,
          cancelled: feed.expected.cancelled,
          lastSeq,
        },
      },
      push: {
        ...push,
        loadAverageAtStart: pushLoad,
        statuses: pushReport.statuses,
        check: { ...pushCheck, acknowledged: pushReport.acknowledged, pendingAfter: pendingAfterPush },
        ok: pushOk,
      },
      pull: {
        ...pull,
        loadAverageAtStart: pullLoad,
        report: pullReport,
        check: pullCheck,
        ok: pullOk,
      },
      json,
    };
  } finally {
    clinic.close();
    await central.close();
  }
}

async function runBenchmark() {
  const started = performance.now();
  const url = process.env.DATABASE_URL || undefined;
  const drivers: Driver[] = url ? ['pglite', 'postgres'] : ['pglite'];
  const loadAverageAtStart = loadAverage();
  const results: Partial<Record<Driver, DriverResult>> = {};
  for (const driver of drivers) results[driver] = await measureDriver(driver, url);
  return {
    date: new Date().toISOString(),
    command: url ? 'DATABASE_URL=postgres://… npm run bench:sync' : 'npm run bench:sync',
    durationSeconds: round((performance.now() - started) / 1000, 1),
    // Other work on the machine competes for its cores (1, 5 and 15-minute load averages).
    machine: machineUnderLoad(loadAverageAtStart),
    versions: {
      node: process.version,
      pglite: packageVersion('@electric-sql/pglite'),
      pgliteServerVersion: results.pglite?.serverVersion ?? 'not run',
      postgresServerVersion: results.postgres?.serverVersion ?? 'not run',
      pg: packageVersion('pg'),
      'drizzle-orm': packageVersion('drizzle-orm'),
      'better-sqlite3': packageVersion('better-sqlite3'),
      hono: packageVersion('hono'),
      '@hono/node-server': packageVersion('@hono/node-server'),
    },
    settings: {
      ...SYNC_BENCH,
      processes:
        'central (app + bare app + database driver) in a forked Node process (bench/lib/sync-central-child.ts); the clinic (SQLite, pushOutbox/pullChanges, SyncClient over fetch) in the harness process',
      batchTimes:
        'httpMs: request → answer parsed; doneMs: request → acknowledged (push: outbox rows deleted; pull: page and cursor committed), plus reading the next batch; serverMs: central app.fetch of the route',
      bareReference:
        'push: the same bodies POSTed to a Hono route that parses them and answers one result per entry, plus the entries inserted 500 rows per INSERT into a scratch table (sync_inbox columns + payload) of the same database; pull: the real pages, precomputed, fetched and parsed, plus the rows inserted 500 per transaction into a scratch SQLite file',
    },
    drivers: { pglite: results.pglite ?? null, postgres: results.postgres ?? null },
  };
}

const report = await runBenchmark();
fs.mkdirSync(path.dirname(SYNC_RESULTS_FILE), { recursive: true });
fs.writeFileSync(SYNC_RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
console.log('');
console.log(syncMarkdownSummary(report));
console.log('');
console.log(`wrote ${path.relative(process.cwd(), SYNC_RESULTS_FILE)} in ${report.durationSeconds} s`);
const failed = Object.values(report.drivers).flatMap((d) =>
  d && (!d.push.ok || !d.pull.ok)
    ? [`${d.driver} (push ${d.push.ok ? 'ok' : 'WRONG'}, pull ${d.pull.ok ? 'ok' : 'WRONG'})`]
    : [],
);
if (failed.length > 0) {
  console.error(`correctness check failed on ${failed.join(', ')}: see check in ${SYNC_RESULTS_FILE}`);
  process.exit(1);
}
process.exit(0);
