/**
 * Central API benchmark settings (`bench/central.ts`): the bench clinic's shape and load, the load
 * generator settings of each measure, and where the results go. Shared by the harness and its modules;
 * the pure parts (`central-clinic.ts`, `central-report.ts`) take these as arguments where they can.
 */
import path from 'node:path';
import type { SpecialtyCode } from '../../server/domain/specialties.ts';
import { REPO_ROOT } from './config.ts';

/** Where the figures go. */
export const CENTRAL_RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/central.json');

const H = 60;

/**
 * The bench clinic: 10 practitioners who all do one 45-minute specialty, on the demo clinic's hours
 * (Monday–Friday 09:00–13:00 and 14:00–19:00, Saturday 09:00–13:00, Europe/Lisbon), 15-minute start grid,
 * no buffer, 60 minutes' notice. `weeks` weeks from the next Monday are loaded to `bookedShare` (see
 * `central-clinic.ts`): the first four are the availability measure's window, the rest supply enough
 * distinct free slots for the booking measures (one hold per slot). The horizon covers them all.
 */
export const CLINIC_SHAPE = {
  practitioners: 10,
  specialty: 'msk_physio' as SpecialtyCode,
  durationMin: 45,
  priceCents: 4500,
  stepMin: 15,
  bufferMin: 0,
  minNoticeMin: 60,
  /** Weekly blocks of every practitioner, and the clinic's opening hours (the same blocks). */
  blocks: [
    ...[1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, startMin: 9 * H, endMin: 13 * H },
      { weekday, startMin: 14 * H, endMin: 19 * H },
    ]),
    { weekday: 6, startMin: 9 * H, endMin: 13 * H },
  ],
  /** Weeks loaded from the next Monday. */
  weeks: 32,
  /** Share of each practitioner's 45-minute session tiles that are booked (confirmed appointments). */
  bookedShare: 0.6,
  /** Seed of the bookings' and the hold order's pseudo-random draws. */
  seed: 20261207,
} as const;

/** Days the availability measure asks for (the API's maximum). */
export const AVAILABILITY_DAYS = 28;

/** Availability under load: autocannon, closed loop. */
export const AVAILABILITY_LOAD = { connections: 10, durationSec: 15, warmupSec: 3 } as const;

/** Availability one request at a time over one keep-alive connection. */
export const AVAILABILITY_SEQUENTIAL = { requests: 200, warmup: 5 } as const;

/** `availability()` and JSON.stringify of its answer timed in process (no HTTP, no database). */
export const AVAILABILITY_COMPUTE = { count: 20, warmup: 3 } as const;

/**
 * Holds at a fixed rate. autocannon's `overallRate` gives each of the `connections` a budget of
 * rate / connections requests per second, spent back-to-back at the start of each second; the paced run
 * sends one request every 1000 / rate ms over a keep-alive pool (open loop) and stops sending once
 * `maxOutstanding` requests (5 s of arrivals) await an answer, a server that far behind being unable to
 * sustain the rate (this also bounds the run's time). Each request is a different patient and a different
 * free slot; `spare` = extra requests prepared in case the autocannon run goes past rate × duration.
 */
export const HOLD_LOAD = {
  rate: 200,
  connections: 20,
  durationSec: 15,
  warmupSec: 1,
  spare: 0.1,
  maxOutstanding: 1000,
} as const;

/** The race: this many distinct patients hold the same practitioner and start at once. */
export const RACE_ATTEMPTS = 1000;

/** Access-token lifetime of the bench's patients (the production maximum, 15 minutes). */
export const ACCESS_TTL_SEC = 900;
