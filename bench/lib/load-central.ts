/**
 * The central half of `npm run bench:load` (issue 13, part 3): the central API (server/central/app.ts) on
 * a fresh database (PGlite in memory by default, PostgreSQL in a scratch schema when DATABASE_URL is set;
 * bench/lib/central-server.ts) holding the bench clinic (bench/lib/central-clinic.ts: 10 practitioners,
 * 8 weeks ~60 % booked), served in this process, under `rate` req/s from the load generator's process:
 * availability reads (`GET /api/clinics/{id}/availability`, 7 days, 80 %) and bookings (`POST
 * /api/holds`, the booking's first step, each a different logged-in patient and free slot, 20 %), each
 * kind with its own percentiles; then the bare reference (`GET /bare` answering the availability's text
 * as it is) at the reads' rate.
 */
import { addDays, clinicDate } from '../../server/domain/time.ts';
import type { AvailabilityDay } from '../../server/domain/availability.ts';
import { ACCESS_COOKIE } from '../../server/central/http/auth.ts';
import { CLINIC_SHAPE } from './central-config.ts';
import {
  BENCH_CLINIC_ID,
  buildBenchClinic,
  insertBenchClinic,
  insertPatients,
  mulberry32,
  nextMonday,
  nonOverlappingPairs,
  shuffle,
} from './central-clinic.ts';
import type { LoadJob, LoadResult, RequestSpec } from './central-load.ts';
import { bareApp, openBenchDatabase, serveCentral, serveFetch, type Driver } from './central-server.ts';

/** What the central run does; rates in req/s, times in s. */
export interface CentralLoadConfig {
  rate: number;
  durationSec: number;
  warmupSec: number;
}

/** The bench clinic, loaded for 8 weeks (bench/central.ts loads 32; 8 give the bookings enough free slots). */
const SHAPE = { ...CLINIC_SHAPE, weeks: 8 };

/** Share of each kind in the central mix. */
export const CENTRAL_MIX = { availability: 0.8, booking: 0.2 } as const;
/** Days per availability request (a patient's week). */
export const CENTRAL_AVAILABILITY_DAYS = 7;

/** The results of the central run (bench/results/load.json `central`). */
export interface CentralLoadResult {
  config: CentralLoadConfig;
  driver: Driver;
  availability: LoadResult;
  booking: LoadResult;
  total: { responses: number; errors: number; non2xx: number; achievedRps: number };
  bareAtRate: LoadResult;
  availabilityBytes: number;
}

const non2xx = (r: LoadResult) =>
  Object.entries(r.statuses)
    .filter(([k]) => !k.startsWith('2'))
    .reduce((n, [, v]) => n + v, 0);

/** Runs the central mix with `run` (the load generator's job runner). */
export async function runCentralLoad(
  config: CentralLoadConfig,
  run: (job: LoadJob) => Promise<LoadResult>,
): Promise<CentralLoadResult> {
  const driver: Driver = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  const bench = await openBenchDatabase(driver, process.env.DATABASE_URL);
  let central: Awaited<ReturnType<typeof serveCentral>> | null = null;
  let bare: Awaited<ReturnType<typeof serveFetch>> | null = null;
  try {
    central = await serveCentral(bench.database);
    const { origin, deps } = central;
    const db = bench.database.db;
    const first = nextMonday(clinicDate(Date.now()));
    const clinic = buildBenchClinic(SHAPE, first, Date.now());
    await insertBenchClinic(db, clinic);
    const availPath =
      `/api/clinics/${BENCH_CLINIC_ID}/availability?specialty=${CLINIC_SHAPE.specialty}` +
      `&from=${first}&days=${CENTRAL_AVAILABILITY_DAYS}`;
    const answer = await fetch(`${origin}${availPath}`);
    const availText = await answer.text();
    if (answer.status !== 200) throw new Error(`availability answered ${answer.status}: ${availText}`);

    const rates = {
      availability: Math.round(config.rate * CENTRAL_MIX.availability),
      booking: Math.round(config.rate * CENTRAL_MIX.booking),
    };
    const holds = Math.ceil(rates.booking * (config.durationSec + config.warmupSec) * 1.2) + 10;
    // Free slots to hold, 28 days per request, from the loaded weeks.
    const poolDays: AvailabilityDay[] = [];
    for (let d = 0; d < SHAPE.weeks * 7; d += 28) {
      const res = await fetch(
        `${origin}/api/clinics/${BENCH_CLINIC_ID}/availability?specialty=${CLINIC_SHAPE.specialty}&from=${addDays(first, d)}&days=28`,
      );
      poolDays.push(...((await res.json()) as { days: AvailabilityDay[] }).days);
    }
    const pool = shuffle(
      nonOverlappingPairs(poolDays, CLINIC_SHAPE.durationMin + CLINIC_SHAPE.bufferMin),
      mulberry32(CLINIC_SHAPE.seed + 3),
    );
    if (pool.length < holds) throw new Error(`only ${pool.length} free slots; the bookings need ${holds}`);
    const patients = await insertPatients(db, deps.config, holds, Date.now(), 'load');
    const bookings = patients.map((p, i): RequestSpec => ({
      method: 'POST',
      path: '/api/holds',
      headers: {
        'content-type': 'application/json',
        origin,
        cookie: `${ACCESS_COOKIE}=${p.accessToken}`,
      },
      body: JSON.stringify({
        clinicId: BENCH_CLINIC_ID,
        specialty: CLINIC_SHAPE.specialty,
        practitionerId: pool[i]!.practitionerId,
        startsAt: pool[i]!.startsAt,
      }),
    }));
    const conn = (rate: number) => Math.max(1, Math.min(20, Math.ceil(rate / 15)));
    const job = (o: string, rate: number, requests: RequestSpec[], durationSec = config.durationSec) =>
      run({
        kind: 'autocannon',
        origin: o,
        connections: conn(rate),
        durationSec,
        warmupSec: config.warmupSec,
        overallRate: rate,
        requests,
      });
    const [availability, booking] = await Promise.all([
      job(origin, rates.availability, [{ method: 'GET', path: availPath }]),
      job(origin, rates.booking, bookings),
    ]);
    bare = await serveFetch(bareApp(availText).fetch);
    const bareAtRate = await job(
      bare.origin,
      rates.availability,
      [{ method: 'GET', path: '/bare' }],
      Math.min(10, config.durationSec),
    );
    const kinds = [availability, booking];
    return {
      config,
      driver,
      availability,
      booking,
      total: {
        responses: kinds.reduce((n, r) => n + r.responses, 0),
        errors: kinds.reduce((n, r) => n + r.errors, 0),
        non2xx: kinds.reduce((n, r) => n + non2xx(r), 0),
        achievedRps: Math.round((availability.achievedRps + booking.achievedRps) * 10) / 10,
      },
      bareAtRate,
      availabilityBytes: Buffer.byteLength(availText),
    };
  } finally {
    await bare?.close();
    await central?.close();
    await bench.drop();
  }
}
