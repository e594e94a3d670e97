/**
 * Central API benchmark: the central app (server/central/app.ts) served over real HTTP on each database
 * driver (PGlite in memory always; PostgreSQL too when DATABASE_URL is set), under load from a separate
 * process (`bench/lib/central-load.ts`), next to a bare Hono app measured the same way in the same run.
 * Run with `npm run bench:central` or `DATABASE_URL=postgres://… npm run bench:central`; writes
 * `bench/results/central.json` and prints a Markdown summary (copied into `docs/benchmarks.md`).
 *
 * What is measured, per driver, on a fresh database holding the bench clinic (`bench/lib/central-clinic.ts`:
 * 10 practitioners, one 45-minute specialty, ~60 % of their sessions booked, some time off):
 * 1. Availability for 4 weeks × 10 practitioners: `GET /api/clinics/{id}/availability?specialty=…&from=<next
 *    Monday>&days=28` with autocannon (10 connections, 15 s, after 3 s of warm-up), and one request at a
 *    time (200, after 5 of warm-up), next to `availability()` itself timed in process (no HTTP, no database).
 * 2. Holds at 200 req/s: `POST /api/holds`, every request a different logged-in patient (own access
 *    cookie) and a different free slot (non-overlapping free (practitioner, start) pairs of the clinic's
 *    availability, shuffled), first with autocannon `overallRate` (20 connections, 15 s, after 1 s of
 *    warm-up), then evenly paced (open loop, one request every 5 ms, 15 s, sending stopped early once 1,000
 *    requests await an answer). Holds only, no confirm.
 * 3. The race: 1,000 distinct patients POST /api/holds for the same practitioner and start at once, on
 *    connections opened beforehand. Asserted: exactly one 201, 999 × 409 `slot_unavailable`, no 5xx, and
 *    one live row at that slot in the database; the script exits 1 otherwise (after writing the results).
 * 4. The bare reference (once, after the drivers): `GET /bare` answering the availability answer's text
 *    (precomputed, sent as it is) and `POST /bare` parsing the hold's JSON body and answering 201, with the
 *    same autocannon, sequential and paced settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, count, eq } from 'drizzle-orm';
import { availability, type AvailabilityDay } from '../server/domain/availability.ts';
import { addDays, clinicDate } from '../server/domain/time.ts';
import { appointments } from '../server/central/db/schema.ts';
import { countLiveAt } from '../server/central/features/booking/repo.ts';
import { ACCESS_COOKIE } from '../server/central/http/auth.ts';
import {
  AVAILABILITY_COMPUTE,
  AVAILABILITY_DAYS,
  AVAILABILITY_LOAD,
  AVAILABILITY_SEQUENTIAL,
  CENTRAL_RESULTS_FILE,
  CLINIC_SHAPE,
  HOLD_LOAD,
  RACE_ATTEMPTS,
} from './lib/central-config.ts';
import {
  availabilityInput,
  BENCH_CLINIC_ID,
  buildBenchClinic,
  insertBenchClinic,
  insertPatients,
  mulberry32,
  nextMonday,
  nonOverlappingPairs,
  offeredPairs,
  shuffle,
  type BenchPatient,
  type FreePair,
} from './lib/central-clinic.ts';
import {
  startLoadGenerator,
  type LoadGenerator,
  type LoadJob,
  summarizeLatency,
  type LoadResult,
  type RequestSpec,
} from './lib/central-load.ts';
import { centralMarkdownSummary, type BareMeasures, type DriverMeasures } from './lib/central-report.ts';
import {
  bareApp,
  openBenchDatabase,
  packageVersion,
  serveCentral,
  serveFetch,
  type Driver,
} from './lib/central-server.ts';
import { round } from './lib/metrics.ts';
import { loadAverage, machineUnderLoad } from './lib/report.ts';

/**
 * Runs a job, adding the main process's CPU time per answer (`serverCpuMsPerResponse`): during a job this
 * process only serves (the load is generated in the child), so that is the server's cost of a request.
 */
async function measured(load: LoadGenerator, job: LoadJob): Promise<LoadResult> {
  const before = process.cpuUsage();
  const result = await load.run(job);
  const used = process.cpuUsage(before);
  return {
    ...result,
    serverCpuMsPerResponse: round((used.user + used.system) / 1000 / Math.max(1, result.responses), 2),
  };
}

const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** A hold request: the patient's cookie, our origin (CSRF), the pair's practitioner and start. */
function holdRequest(
  origin: string,
  pair: FreePair,
  patient: BenchPatient,
  pathname = '/api/holds',
): RequestSpec {
  return {
    method: 'POST',
    path: pathname,
    headers: {
      'content-type': 'application/json',
      origin,
      cookie: `${ACCESS_COOKIE}=${patient.accessToken}`,
    },
    body: JSON.stringify({
      clinicId: BENCH_CLINIC_ID,
      specialty: CLINIC_SHAPE.specialty,
      practitionerId: pair.practitionerId,
      startsAt: pair.startsAt,
    }),
  };
}

/** GETs a path and parses the JSON answer. @throws Error on a non-200 answer */
async function getJson<T>(url: string): Promise<{ text: string; body: T }> {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return { text, body: JSON.parse(text) as T };
}

/** Holds prepared for the autocannon run (warm-up included, plus the spare) and for the paced run. */
const AUTOCANNON_HOLDS = Math.ceil(
  Math.round(HOLD_LOAD.rate * (HOLD_LOAD.warmupSec + HOLD_LOAD.durationSec) * (1 + HOLD_LOAD.spare) * 1000) /
    1000,
);
const PACED_HOLDS = HOLD_LOAD.rate * HOLD_LOAD.durationSec;

async function measureDriver(driver: Driver, load: LoadGenerator, url: string | undefined) {
  log(`${driver}: opening a fresh database…`);
  const bench = await openBenchDatabase(driver, url);
  let central: Awaited<ReturnType<typeof serveCentral>> | null = null;
  try {
    central = await serveCentral(bench.database);
    const { origin, deps } = central;
    const db = bench.database.db;

    const first = nextMonday(clinicDate(Date.now()));
    const clinic = buildBenchClinic(CLINIC_SHAPE, first, Date.now());
    let t = performance.now();
    await insertBenchClinic(db, clinic);
    const seedMs = round(performance.now() - t, 0);
    log(
      `${driver}: bench clinic written (${clinic.stats.booked} appointments, ${clinic.stats.timeOffRows} time off) in ${seedMs} ms`,
    );

    // The measured answer, and the same 4 weeks on an empty calendar for comparison.
    const availPath =
      `/api/clinics/${BENCH_CLINIC_ID}/availability?specialty=${CLINIC_SHAPE.specialty}` +
      `&from=${first}&days=${AVAILABILITY_DAYS}`;
    const answer = await getJson<{ days: AvailabilityDay[] }>(`${origin}${availPath}`);
    const emptyCalendar = availability(
      availabilityInput(clinic, CLINIC_SHAPE, first, AVAILABILITY_DAYS, Date.now(), false),
    );

    // The pool of slots to hold: every loaded week, 28 days per request.
    const poolDays: AvailabilityDay[] = [];
    for (let d = 0; d < CLINIC_SHAPE.weeks * 7; d += AVAILABILITY_DAYS) {
      const days = Math.min(AVAILABILITY_DAYS, CLINIC_SHAPE.weeks * 7 - d);
      const r = await getJson<{ days: AvailabilityDay[] }>(
        `${origin}/api/clinics/${BENCH_CLINIC_ID}/availability?specialty=${CLINIC_SHAPE.specialty}&from=${addDays(first, d)}&days=${days}`,
      );
      poolDays.push(...r.body.days);
    }
    const pool = shuffle(
      nonOverlappingPairs(poolDays, CLINIC_SHAPE.durationMin + CLINIC_SHAPE.bufferMin),
      mulberry32(CLINIC_SHAPE.seed + 1),
    );
    // One slot per hold plus the race's; one patient per hold plus the racers.
    const holds = AUTOCANNON_HOLDS + PACED_HOLDS;
    if (pool.length < holds + 1) {
      throw new Error(`only ${pool.length} non-overlapping free slots; the holds need ${holds + 1}`);
    }
    t = performance.now();
    const patients = await insertPatients(db, deps.config, holds + RACE_ATTEMPTS, Date.now(), driver);
    log(`${driver}: ${patients.length} patients with sessions in ${round(performance.now() - t, 0)} ms`);

    log(`${driver}: availability under load (${AVAILABILITY_LOAD.connections} connections)…`);
    const availLoad = await measured(load, {
      kind: 'autocannon',
      origin,
      connections: AVAILABILITY_LOAD.connections,
      durationSec: AVAILABILITY_LOAD.durationSec,
      warmupSec: AVAILABILITY_LOAD.warmupSec,
      requests: [{ method: 'GET', path: availPath }],
    });
    log(`${driver}: availability one at a time…`);
    const availSeq = await measured(load, {
      kind: 'sequential',
      origin,
      request: { method: 'GET', path: availPath },
      count: AVAILABILITY_SEQUENTIAL.requests,
      warmup: AVAILABILITY_SEQUENTIAL.warmup,
    });

    let p = 0;
    const take = (n: number) => {
      const out: RequestSpec[] = [];
      for (let i = 0; i < n; i++, p++) out.push(holdRequest(origin, pool[p]!, patients[p]!));
      return out;
    };
    log(`${driver}: holds, autocannon overallRate ${HOLD_LOAD.rate}…`);
    const holdsAutocannon = await measured(load, {
      kind: 'autocannon',
      origin,
      connections: HOLD_LOAD.connections,
      durationSec: HOLD_LOAD.durationSec,
      warmupSec: HOLD_LOAD.warmupSec,
      overallRate: HOLD_LOAD.rate,
      requests: take(AUTOCANNON_HOLDS),
    });
    log(`${driver}: holds, paced ${HOLD_LOAD.rate} req/s…`);
    const holdsPaced = await measured(load, {
      kind: 'paced',
      origin,
      rate: HOLD_LOAD.rate,
      durationSec: HOLD_LOAD.durationSec,
      maxOutstanding: HOLD_LOAD.maxOutstanding,
      requests: take(PACED_HOLDS),
    });

    const raceSlot = pool[p]!;
    const racers = patients.slice(p, p + RACE_ATTEMPTS);
    log(`${driver}: the race, ${racers.length} patients at ${raceSlot.startsAt}…`);
    const race = await measured(load, {
      kind: 'burst',
      origin,
      preconnectPath: '/api/health',
      requests: racers.map((patient) => holdRequest(origin, raceSlot, patient)),
    });
    const liveRowsAtSlot = await countLiveAt(db, raceSlot.practitionerId, new Date(raceSlot.startsAt));
    const fiveXx = Object.entries(race.statuses)
      .filter(([k]) => k.startsWith('5'))
      .reduce((n, [, c]) => n + c, 0);
    const raceOk =
      race.statuses['201'] === 1 &&
      race.statuses['409 slot_unavailable'] === RACE_ATTEMPTS - 1 &&
      fiveXx === 0 &&
      race.errors === 0 &&
      liveRowsAtSlot === 1;
    const [held] = await db
      .select({ n: count() })
      .from(appointments)
      .where(and(eq(appointments.clinicId, BENCH_CLINIC_ID), eq(appointments.status, 'held')));

    const measures: DriverMeasures = {
      driver,
      where: bench.where,
      serverVersion: bench.serverVersion,
      seedMs,
      clinic: clinic.stats,
      availability: {
        path: availPath,
        answerBytes: Buffer.byteLength(answer.text),
        days: answer.body.days.length,
        slots: answer.body.days.reduce((n, d) => n + d.slots.length, 0),
        offeredPairs: offeredPairs(answer.body.days),
        emptyCalendarPairs: offeredPairs(emptyCalendar),
        load: availLoad,
        sequential: availSeq,
      },
      holds: {
        poolNonOverlappingFreePairs: pool.length,
        prepared: { autocannon: AUTOCANNON_HOLDS, paced: PACED_HOLDS },
        autocannon: holdsAutocannon,
        paced: holdsPaced,
        heldRowsAtEnd: Number(held?.n ?? 0),
      },
      race: {
        slot: raceSlot,
        result: race,
        liveRowsAtSlot,
        fiveXx,
        ok: raceOk,
      },
    };
    return { measures, answerText: answer.text, sampleHold: holdRequest(origin, pool[p + 1]!, patients[0]!) };
  } finally {
    await central?.close();
    await bench.drop();
  }
}

/**
 * What the availability answer costs without HTTP or database: `availability()` on the bench clinic's
 * 4 weeks (same inputs as the route builds), and `JSON.stringify` of its answer, in this process, `count`
 * calls each after `warmup`; ms p50 / p95.
 */
function timeAvailabilityCompute(count: number, warmup: number) {
  const first = nextMonday(clinicDate(Date.now()));
  const clinic = buildBenchClinic(CLINIC_SHAPE, first, Date.now());
  const input = availabilityInput(clinic, CLINIC_SHAPE, first, AVAILABILITY_DAYS, Date.now(), true);
  const compute: number[] = [];
  const stringify: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const days = availability(input);
    const t1 = performance.now();
    JSON.stringify({ timeZone: 'Europe/Lisbon', specialty: CLINIC_SHAPE.specialty, durationMin: 45, days });
    const t2 = performance.now();
    if (i >= warmup) {
      compute.push(t1 - t0);
      stringify.push(t2 - t1);
    }
  }
  const pick = (ms: number[]) => {
    const l = summarizeLatency(ms);
    return { n: l.n, p50: l.p50, p95: l.p95 };
  };
  return { availabilityMs: pick(compute), stringifyMs: pick(stringify) };
}

async function measureBare(
  load: LoadGenerator,
  getBody: string,
  sampleHold: RequestSpec,
): Promise<BareMeasures> {
  log('bare: serving GET /bare and POST /bare…');
  const served = await serveFetch(bareApp(getBody).fetch);
  try {
    const post = { ...sampleHold, path: '/bare', headers: { ...sampleHold.headers, origin: served.origin } };
    const get = await measured(load, {
      kind: 'autocannon',
      origin: served.origin,
      connections: AVAILABILITY_LOAD.connections,
      durationSec: AVAILABILITY_LOAD.durationSec,
      warmupSec: AVAILABILITY_LOAD.warmupSec,
      requests: [{ method: 'GET', path: '/bare' }],
    });
    const sequential = await measured(load, {
      kind: 'sequential',
      origin: served.origin,
      request: { method: 'GET', path: '/bare' },
      count: AVAILABILITY_SEQUENTIAL.requests,
      warmup: AVAILABILITY_SEQUENTIAL.warmup,
    });
    const postAutocannon = await measured(load, {
      kind: 'autocannon',
      origin: served.origin,
      connections: HOLD_LOAD.connections,
      durationSec: HOLD_LOAD.durationSec,
      warmupSec: HOLD_LOAD.warmupSec,
      overallRate: HOLD_LOAD.rate,
      requests: [post],
    });
    const postPaced = await measured(load, {
      kind: 'paced',
      origin: served.origin,
      rate: HOLD_LOAD.rate,
      durationSec: HOLD_LOAD.durationSec,
      maxOutstanding: HOLD_LOAD.maxOutstanding,
      requests: [post],
    });
    return { getBytes: Buffer.byteLength(getBody), get, sequential, postAutocannon, postPaced };
  } finally {
    await served.close();
  }
}

async function runBenchmark() {
  const started = performance.now();
  const url = process.env.DATABASE_URL || undefined;
  const drivers: Driver[] = url ? ['pglite', 'postgres'] : ['pglite'];
  const loadAverageAtStart = loadAverage();
  const load = startLoadGenerator();
  try {
    const results: Partial<Record<Driver, Awaited<ReturnType<typeof measureDriver>>>> = {};
    for (const driver of drivers) results[driver] = await measureDriver(driver, load, url);
    const first = results.pglite!;
    log('availability() and JSON.stringify in process…');
    const availabilityCompute = timeAvailabilityCompute(
      AVAILABILITY_COMPUTE.count,
      AVAILABILITY_COMPUTE.warmup,
    );
    const bare = await measureBare(load, first.answerText, first.sampleHold);
    return {
      date: new Date().toISOString(),
      command: url ? 'DATABASE_URL=postgres://… npm run bench:central' : 'npm run bench:central',
      durationSeconds: round((performance.now() - started) / 1000, 1),
      // Other work on the machine competes for its cores (1, 5 and 15-minute load averages).
      machine: machineUnderLoad(loadAverageAtStart),
      versions: {
        node: process.version,
        pglite: packageVersion('@electric-sql/pglite'),
        pgliteServerVersion: first.measures.serverVersion,
        postgresServerVersion: results.postgres?.measures.serverVersion ?? 'not run',
        pg: packageVersion('pg'),
        'drizzle-orm': packageVersion('drizzle-orm'),
        hono: packageVersion('hono'),
        '@hono/node-server': packageVersion('@hono/node-server'),
        autocannon: packageVersion('autocannon'),
      },
      settings: {
        clinic: CLINIC_SHAPE,
        availabilityDays: AVAILABILITY_DAYS,
        availabilityLoad: AVAILABILITY_LOAD,
        availabilitySequential: AVAILABILITY_SEQUENTIAL,
        holdLoad: HOLD_LOAD,
        raceAttempts: RACE_ATTEMPTS,
        loadGenerator:
          'a separate Node process (bench/lib/central-load-child.ts): autocannon for the load runs, node:http keep-alive for the sequential, paced and race runs',
        bareReference:
          'Hono on @hono/node-server: GET /bare answers the PGlite run’s availability answer text as it is; POST /bare parses the hold body and answers 201 with a hold-sized JSON',
      },
      drivers: { pglite: first.measures, postgres: results.postgres?.measures ?? null },
      availabilityCompute,
      bare,
    };
  } finally {
    await load.close();
  }
}

const report = await runBenchmark();
fs.mkdirSync(path.dirname(CENTRAL_RESULTS_FILE), { recursive: true });
fs.writeFileSync(CENTRAL_RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
console.log('');
console.log(centralMarkdownSummary(report));
console.log('');
console.log(`wrote ${path.relative(process.cwd(), CENTRAL_RESULTS_FILE)} in ${report.durationSeconds} s`);
const failed = Object.values(report.drivers).filter((d) => d && !d.race.ok);
if (failed.length > 0) {
  console.error(
    `race assertion failed on ${failed.map((d) => d!.driver).join(', ')}: expected 1 × 201, ` +
      `${RACE_ATTEMPTS - 1} × 409 slot_unavailable, no 5xx, one live row`,
  );
  process.exit(1);
}
process.exit(0);
