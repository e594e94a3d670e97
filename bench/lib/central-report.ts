/**
 * The central benchmark's printed report: the Markdown summary of central.json (one table, PGlite and
 * PostgreSQL columns next to the bare reference, each central figure followed by its ratio to the bare
 * one) that is copied into `docs/benchmarks.md`. Pure: builds strings only.
 */
import type { BenchClinic, FreePair } from './central-clinic.ts';
import type { LatencySummary, LoadResult } from './central-load.ts';

/** One driver's measures (central.json `drivers.pglite` / `drivers.postgres`). */
export interface DriverMeasures {
  driver: 'pglite' | 'postgres';
  /** Where the database was. */
  where: string;
  serverVersion: string;
  /** Time to write the bench clinic, ms. */
  seedMs: number;
  /** The bench clinic's counts (`BenchClinic['stats']`). */
  clinic: BenchClinic['stats'];
  availability: {
    path: string;
    answerBytes: number;
    days: number;
    /** Distinct starts offered, and (practitioner, start) pairs offered; the same on an empty calendar. */
    slots: number;
    offeredPairs: number;
    emptyCalendarPairs: number;
    load: LoadResult;
    sequential: LoadResult;
  };
  holds: {
    /** Non-overlapping free (practitioner, start) pairs over all loaded weeks. */
    poolNonOverlappingFreePairs: number;
    /** Requests prepared (distinct slot and patient each) for each run. */
    prepared: { autocannon: number; paced: number };
    autocannon: LoadResult;
    paced: LoadResult;
    /** Rows with status 'held' in the clinic after all runs (race included). */
    heldRowsAtEnd: number;
  };
  race: {
    slot: FreePair;
    result: LoadResult;
    liveRowsAtSlot: number;
    fiveXx: number;
    ok: boolean;
  };
}

/** The bare reference's measures (central.json `bare`). */
export interface BareMeasures {
  getBytes: number;
  get: LoadResult;
  sequential: LoadResult;
  postAutocannon: LoadResult;
  postPaced: LoadResult;
}

/** The parts of central.json the summary shows. */
export interface CentralSummaryInput {
  date: string;
  durationSeconds: number;
  machine: {
    cpu: string;
    cores: number;
    node: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  versions: Record<string, string>;
  settings: {
    availabilityLoad: { connections: number; durationSec: number };
    availabilitySequential: { requests: number };
    holdLoad: { rate: number; connections: number; durationSec: number; maxOutstanding: number };
    raceAttempts: number;
  };
  drivers: { pglite: DriverMeasures; postgres: DriverMeasures | null };
  availabilityCompute: {
    availabilityMs: { n: number; p50: number; p95: number };
    stringifyMs: { n: number; p50: number; p95: number };
  };
  bare: BareMeasures;
}

/** A number with `digits` decimals; '—' for NaN or undefined. */
export function num(x: number | undefined, digits = 1): string {
  return x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

/** `central / bare` as `×12` (≥ 10), `×3.4` or `×0.05`; '—' when either is missing or bare is 0. */
export function ratio(central: number | undefined, bare: number | undefined): string {
  if (central === undefined || bare === undefined || !bare || Number.isNaN(central)) return '—';
  const r = central / bare;
  return `×${r >= 10 ? r.toFixed(0) : r >= 0.1 ? r.toFixed(1) : r.toPrecision(1)}`;
}

/** Latency percentiles as `p50 / p95 / p99` (ms, 1 decimal). */
export function triple(l: LatencySummary | undefined): string {
  return l ? `${num(l.p50)} / ${num(l.p95)} / ${num(l.p99)}` : '—';
}

/** Ratios of the three percentiles. */
function tripleRatio(c: LatencySummary | undefined, b: LatencySummary | undefined): string {
  if (!c || !b) return '—';
  return `${ratio(c.p50, b.p50)} / ${ratio(c.p95, b.p95)} / ${ratio(c.p99, b.p99)}`;
}

/** A status tally as `201 × 2990, 409 slot_unavailable × 10` (largest first), plus socket errors. */
export function statuses(r: LoadResult | undefined): string {
  if (!r) return '—';
  const parts = Object.entries(r.statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} × ${n}`);
  if (r.errors > 0) parts.push(`no answer × ${r.errors}`);
  return parts.join(', ') || 'none';
}

/** Server CPU per request (ms) with its ratio to the bare one. */
function cpu(c: LoadResult, b: LoadResult): string {
  return `${num(c.serverCpuMsPerResponse, 2)} (${ratio(c.serverCpuMsPerResponse, b.serverCpuMsPerResponse)})`;
}

/** A paced run's answers, and when it stopped sending with `cap` requests awaiting an answer. */
export function pacedAnswers(r: LoadResult, cap: number): string {
  const stopped =
    r.stoppedEarlyAtMs != null
      ? `; stopped sending after ${num(r.stoppedEarlyAtMs / 1000)} s (${r.sent} sent) with ${cap} awaiting an answer`
      : '';
  return `${statuses(r)}${stopped}`;
}

/** The Markdown summary of a run (no top-level heading). */
export function centralMarkdownSummary(r: CentralSummaryInput): string {
  const s = r.settings;
  const pg = r.drivers.postgres;
  const pl = r.drivers.pglite;
  const b = r.bare;
  const row = (label: string, f: (d: DriverMeasures) => string, bare: string) =>
    `| ${label} | ${f(pl)} | ${pg ? f(pg) : 'not run'} | ${bare} |`;
  const lines = [
    `Run of ${r.date.slice(0, 10)}: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}; ` +
      `PGlite ${r.versions.pglite} (PostgreSQL ${pl.serverVersion} in WASM)` +
      (pg ? `, PostgreSQL ${pg.serverVersion}` : ', PostgreSQL not run (DATABASE_URL unset)') +
      `; ${r.durationSeconds} s in all; load average (1 min) ${r.machine.loadAverageAtStart[0]} at the start, ` +
      `${r.machine.loadAverageAtEnd[0]} at the end.`,
    '',
    '| measure | PGlite | PostgreSQL | bare Hono |',
    '|---|---|---|---|',
    row(
      `GET availability, ${s.availabilityLoad.connections} connections × ${s.availabilityLoad.durationSec} s: req/s`,
      (d) =>
        `${num(d.availability.load.achievedRps)} (${ratio(d.availability.load.achievedRps, b.get.achievedRps)})`,
      num(b.get.achievedRps),
    ),
    row(
      '… latency p50 / p95 / p99, ms',
      (d) => triple(d.availability.load.latencyMs),
      triple(b.get.latencyMs),
    ),
    row(
      '… ratio to bare (p50 / p95 / p99)',
      (d) => tripleRatio(d.availability.load.latencyMs, b.get.latencyMs),
      '—',
    ),
    row(
      '… server process CPU per request, ms',
      (d) => cpu(d.availability.load, b.get),
      num(b.get.serverCpuMsPerResponse, 2),
    ),
    row(
      `GET availability, one at a time (${s.availabilitySequential.requests}): p50 / p95, ms`,
      (d) =>
        `${num(d.availability.sequential.latencyMs.p50, 2)} / ${num(d.availability.sequential.latencyMs.p95, 2)} ` +
        `(${ratio(d.availability.sequential.latencyMs.p50, b.sequential.latencyMs.p50)} / ` +
        `${ratio(d.availability.sequential.latencyMs.p95, b.sequential.latencyMs.p95)})`,
      `${num(b.sequential.latencyMs.p50, 2)} / ${num(b.sequential.latencyMs.p95, 2)}`,
    ),
    row('… answer size, bytes', (d) => String(d.availability.answerBytes), String(b.getBytes)),
    row(
      `POST /api/holds, autocannon overallRate ${s.holdLoad.rate}, ${s.holdLoad.connections} connections × ${s.holdLoad.durationSec} s: achieved req/s`,
      (d) =>
        `${num(d.holds.autocannon.achievedRps)} (${ratio(d.holds.autocannon.achievedRps, b.postAutocannon.achievedRps)})`,
      num(b.postAutocannon.achievedRps),
    ),
    row(
      '… latency p50 / p95 / p99, ms',
      (d) => triple(d.holds.autocannon.latencyMs),
      triple(b.postAutocannon.latencyMs),
    ),
    row(
      '… ratio to bare (p50 / p95 / p99)',
      (d) => tripleRatio(d.holds.autocannon.latencyMs, b.postAutocannon.latencyMs),
      '—',
    ),
    row('… answers', (d) => statuses(d.holds.autocannon), statuses(b.postAutocannon)),
    row(
      '… server process CPU per request, ms',
      (d) => cpu(d.holds.autocannon, b.postAutocannon),
      num(b.postAutocannon.serverCpuMsPerResponse, 2),
    ),
    row(
      `POST /api/holds, paced ${s.holdLoad.rate} req/s (one every ${num(1000 / s.holdLoad.rate, 0)} ms, open loop) × ${s.holdLoad.durationSec} s: achieved req/s`,
      (d) =>
        `${num(d.holds.paced.achievedRps)} (${ratio(d.holds.paced.achievedRps, b.postPaced.achievedRps)})`,
      num(b.postPaced.achievedRps),
    ),
    row(
      '… latency from scheduled send p50 / p95 / p99, ms',
      (d) => triple(d.holds.paced.latencyFromScheduleMs),
      triple(b.postPaced.latencyFromScheduleMs),
    ),
    row(
      '… ratio to bare (p50 / p95 / p99)',
      (d) => tripleRatio(d.holds.paced.latencyFromScheduleMs, b.postPaced.latencyFromScheduleMs),
      '—',
    ),
    row(
      '… answers',
      (d) => pacedAnswers(d.holds.paced, s.holdLoad.maxOutstanding),
      pacedAnswers(b.postPaced, s.holdLoad.maxOutstanding),
    ),
    row(
      `Race: ${s.raceAttempts} patients hold one slot at once: wall time, ms`,
      (d) => num(d.race.result.durationMs, 0),
      '—',
    ),
    row(
      '… answers (live rows at the slot afterwards)',
      (d) =>
        `${statuses(d.race.result)} (${d.race.liveRowsAtSlot}${d.race.ok ? ', as expected' : ', **NOT as expected**'})`,
      '—',
    ),
  ];
  const a = pl.availability;
  const c = r.availabilityCompute;
  lines.push(
    '',
    `The availability answer: ${a.days} days, ${a.slots} starts, ${a.offeredPairs} (practitioner, start) pairs ` +
      `of the ${a.emptyCalendarPairs} an empty calendar offers (${pl.clinic.booked} appointments over ` +
      `${pl.clinic.weeks} weeks, ${Math.round(pl.clinic.bookedShareOfWorkingTiles * 100)} % of the working ` +
      `45-minute tiles; ${pl.clinic.timeOffRows} time-off rows). In process, without HTTP or database, ` +
      `\`availability()\` on the same 4 weeks takes ${num(c.availabilityMs.p50)} ms (p50; p95 ` +
      `${num(c.availabilityMs.p95)}) and \`JSON.stringify\` of its answer ${num(c.stringifyMs.p50)} ms ` +
      `(${c.availabilityMs.n} calls each).`,
  );
  return lines.join('\n');
}
