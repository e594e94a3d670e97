/**
 * The desk's analytics over recorded visits (pure aggregation; the SQL is in ./repo.ts): per clinic day or
 * per week (Monday to Sunday, Europe/Lisbon), and over the whole range.
 *
 * A visit belongs to the clinic day of its booked time (`starts_at`; a walk-in is booked at its arrival).
 * Cancelled visits are left out of every figure. Definitions, all durations in minutes:
 * - visits: appointments booked in the bucket, not cancelled (still-scheduled ones included);
 * - done, noShows: visits whose status is done / no_show now (a no-show who came later counts as come);
 * - lateArrivals: booked visits (not walk-ins) that arrived more than `LATE_AFTER_MIN` after the booked time;
 * - waits: the actual wait, `called_at − arrived_at`, of every visit called at least once;
 * - estimateError: for visits with both the wait shown at check-in (`wait_estimate_min`, whole minutes)
 *   and an actual wait: the mean of |shown − actual|, the share where actual > shown (under-predicted),
 *   and the share where the actual wait lay inside the band shown (`waitBand` / `inBand` of
 *   server/domain/wait.ts; the queue position is not stored, and it only tells 'next' from 'lt5', which
 *   `inBand` treats alike);
 * - sessions: `ended_at − session_started_at` of every visit with both stamps, per bucket and, over the
 *   whole range, per specialty and per practitioner.
 * Means and 90th percentiles (`percentile`: linear interpolation between closest ranks, NumPy's default,
 * as bench/lib/metrics.ts) are rounded to 0.1 min, shares (0..1) to 0.001; both are null without a sample.
 */
import type { PractitionerId, SpecialtyId } from '../../../domain/ids.ts';
import type { AnalyticsBucket, AnalyticsQuery } from '../../../domain/schemas.ts';
import type { SpecialtyCode } from '../../../domain/specialties.ts';
import { addDays, CLINIC_TZ, clinicDate, clinicDayBounds, weekStart } from '../../../domain/time.ts';
import { inBand, waitBand } from '../../../domain/wait.ts';
import type { ClinicDeps } from '../../deps.ts';
import { listVisitsBetween, type VisitRow } from './repo.ts';
import { percentile } from '../../../domain/stats.ts';

/** A booked visit arriving more than this many minutes after its booked time is a late arrival. */
export const LATE_AFTER_MIN = 5;

const MIN = 60_000;

/** Count, mean and 90th percentile of durations, minutes (0.1); mean and p90 are null when count is 0. */
export interface MinuteStats {
  count: number;
  meanMin: number | null;
  p90Min: number | null;
}

/** How far the wait shown at check-in was from the actual wait. */
export interface EstimateError {
  /** Visits with both a wait shown at check-in and an actual wait. */
  count: number;
  /** Mean of |shown − actual|, minutes (0.1). */
  meanAbsErrorMin: number | null;
  /** Share (0..1, 0.001) of those whose actual wait was longer than shown. */
  underPredictedShare: number | null;
  /** Share (0..1, 0.001) of those whose actual wait lay inside the band shown. */
  inBandShare: number | null;
}

/** The figures of a set of visits (a bucket, or the whole range); see the module comment. */
export interface Metrics {
  visits: number;
  done: number;
  noShows: number;
  lateArrivals: number;
  /** Actual waits, `called_at − arrived_at`. */
  waits: MinuteStats;
  estimateError: EstimateError;
  /** Session lengths, `ended_at − session_started_at`. */
  sessions: MinuteStats;
}

/** One day or week: its first and last clinic day inside the range ('YYYY-MM-DD', both included). */
export interface BucketMetrics extends Metrics {
  /** The day, or the week's Monday (the range's first day when the range starts mid-week). */
  start: string;
  /** The day, or the week's Sunday (the range's last day when the range ends mid-week). */
  end: string;
}

/** Session lengths of one specialty over the whole range. */
export interface SpecialtySessions extends MinuteStats {
  specialtyId: SpecialtyId;
  code: SpecialtyCode;
  namePt: string;
  nameEn: string;
}

/** Session lengths of one practitioner over the whole range. */
export interface PractitionerSessions extends MinuteStats {
  practitionerId: PractitionerId;
  displayName: string;
}

/** `GET /api/analytics`: every bucket of the range (empty ones included), totals and session groups. */
export interface AnalyticsReport {
  /** First and last clinic day of the range, both included ('YYYY-MM-DD'). */
  from: string;
  to: string;
  by: AnalyticsBucket;
  /** The zone clinic days are counted in. */
  timeZone: typeof CLINIC_TZ;
  /** Minutes after the booked time beyond which a booked visit is a late arrival. */
  lateAfterMin: number;
  totals: Metrics;
  /** In date order, one per day or week of the range. */
  buckets: BucketMetrics[];
  /** Specialties with at least one session in the range, by Portuguese name. */
  sessionsBySpecialty: SpecialtySessions[];
  /** Practitioners with at least one session in the range, by name. */
  sessionsByPractitioner: PractitionerSessions[];
}

/** The p-th percentile by linear interpolation (server/domain/stats.ts). */
export { percentile };

const round = (x: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const share = (n: number, of: number) => (of === 0 ? null : round(n / of, 3));

/** Count, mean and p90 of `minutes`, rounded to 0.1 min; null mean and p90 when empty. */
export function minuteStats(minutes: readonly number[]): MinuteStats {
  if (minutes.length === 0) return { count: 0, meanMin: null, p90Min: null };
  return {
    count: minutes.length,
    meanMin: round(mean(minutes), 1),
    p90Min: round(percentile(minutes, 90), 1),
  };
}

const minutesBetween = (from: string | null, to: string | null) =>
  from && to ? (Date.parse(to) - Date.parse(from)) / MIN : null;

/** The actual wait of a visit (called − arrived), minutes; null until called. */
const actualWait = (v: VisitRow) => minutesBetween(v.arrived_at, v.called_at);
/** The session length of a visit (ended − started), minutes; null until ended. */
const sessionLength = (v: VisitRow) => minutesBetween(v.session_started_at, v.ended_at);

/** The figures of `visits` (cancelled ones are skipped here); see the module comment for each. */
export function metricsOf(visits: readonly VisitRow[]): Metrics {
  const counted = visits.filter((v) => v.status !== 'cancelled');
  const waits: number[] = [];
  const sessions: number[] = [];
  const errors: { abs: number; under: boolean; inBand: boolean }[] = [];
  let lateArrivals = 0;
  for (const v of counted) {
    if (
      v.walk_in === 0 &&
      v.arrived_at &&
      Date.parse(v.arrived_at) - Date.parse(v.starts_at) > LATE_AFTER_MIN * MIN
    )
      lateArrivals += 1;
    const wait = actualWait(v);
    if (wait !== null) {
      waits.push(wait);
      if (v.wait_estimate_min !== null) {
        const shown = v.wait_estimate_min;
        errors.push({
          abs: Math.abs(shown - wait),
          under: wait > shown,
          // Position 1: the band only differs from position > 1 as 'next' vs 'lt5', both "< 5 min" here.
          inBand: inBand(waitBand(shown, 1), wait),
        });
      }
    }
    const session = sessionLength(v);
    if (session !== null) sessions.push(session);
  }
  return {
    visits: counted.length,
    done: counted.filter((v) => v.status === 'done').length,
    noShows: counted.filter((v) => v.status === 'no_show').length,
    lateArrivals,
    waits: minuteStats(waits),
    estimateError: {
      count: errors.length,
      meanAbsErrorMin: errors.length ? round(mean(errors.map((e) => e.abs)), 1) : null,
      underPredictedShare: share(errors.filter((e) => e.under).length, errors.length),
      inBandShare: share(errors.filter((e) => e.inBand).length, errors.length),
    },
    sessions: minuteStats(sessions),
  };
}

/** The buckets of a range: key (the day, or the week's Monday) → first and last day inside the range. */
function bucketsOf(
  from: string,
  to: string,
  by: AnalyticsBucket,
): Map<string, { start: string; end: string }> {
  const out = new Map<string, { start: string; end: string }>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const key = by === 'day' ? day : weekStart(day);
    const bucket = out.get(key);
    if (bucket) bucket.end = day;
    else out.set(key, { start: day, end: day });
  }
  return out;
}

/** Session lengths of `visits` grouped by `keyOf`, with the label fields `labelOf` gives each group. */
function sessionGroups<K extends string, L>(
  visits: readonly VisitRow[],
  keyOf: (v: VisitRow) => K,
  labelOf: (v: VisitRow) => L,
): (L & MinuteStats)[] {
  const groups = new Map<K, { label: L; minutes: number[] }>();
  for (const v of visits) {
    const minutes = v.status === 'cancelled' ? null : sessionLength(v);
    if (minutes === null) continue;
    const group = groups.get(keyOf(v)) ?? { label: labelOf(v), minutes: [] };
    group.minutes.push(minutes);
    groups.set(keyOf(v), group);
  }
  return [...groups.values()].map((g) => ({ ...g.label, ...minuteStats(g.minutes) }));
}

/**
 * The report of `query` over `visits` (those booked in the range; any outside it are ignored), with every
 * bucket of the range present, empty ones included.
 */
export function aggregate(visits: readonly VisitRow[], query: AnalyticsQuery): AnalyticsReport {
  const { from, to, by } = query;
  const buckets = bucketsOf(from, to, by);
  const inBucket = new Map<string, VisitRow[]>([...buckets.keys()].map((k) => [k, []]));
  const inRange: VisitRow[] = [];
  for (const v of visits) {
    const day = clinicDate(Date.parse(v.starts_at));
    if (day < from || day > to) continue;
    inRange.push(v);
    inBucket.get(by === 'day' ? day : weekStart(day))!.push(v);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, 'pt');
  return {
    from,
    to,
    by,
    timeZone: CLINIC_TZ,
    lateAfterMin: LATE_AFTER_MIN,
    totals: metricsOf(inRange),
    buckets: [...buckets].map(([key, b]) => ({
      start: b.start,
      end: b.end,
      ...metricsOf(inBucket.get(key)!),
    })),
    sessionsBySpecialty: sessionGroups(
      inRange,
      (v) => v.specialty_id,
      (v) => ({
        specialtyId: v.specialty_id,
        code: v.specialty_code,
        namePt: v.specialty_pt,
        nameEn: v.specialty_en,
      }),
    ).sort((a, b) => byName(a.namePt, b.namePt)),
    sessionsByPractitioner: sessionGroups(
      inRange,
      (v) => v.practitioner_id,
      (v) => ({ practitionerId: v.practitioner_id, displayName: v.practitioner_name }),
    ).sort((a, b) => byName(a.displayName, b.displayName)),
  };
}

/** The analytics of a range of clinic days, from the recorded visits. */
export function analytics(deps: ClinicDeps, query: AnalyticsQuery): AnalyticsReport {
  const start = clinicDayBounds(query.from).start;
  const end = clinicDayBounds(query.to).end;
  return aggregate(listVisitsBetween(deps, start, end), query);
}

/** Column names of the CSV export, in order (minutes and shares as in `Metrics`). */
export const CSV_COLUMNS = [
  'start',
  'end',
  'visits',
  'done',
  'no_shows',
  'late_arrivals',
  'wait_count',
  'wait_mean_min',
  'wait_p90_min',
  'estimate_count',
  'estimate_abs_error_mean_min',
  'estimate_under_predicted_share',
  'estimate_in_band_share',
  'session_count',
  'session_mean_min',
  'session_p90_min',
] as const;

/**
 * The report's buckets as CSV (RFC 4180: comma-separated, CRLF line ends, a header row of `CSV_COLUMNS`,
 * one row per bucket in date order). Numbers use a dot decimal; a figure without a sample is an empty cell.
 * No cell needs quoting (dates and numbers only).
 */
export function toCsv(report: AnalyticsReport): string {
  const cell = (x: number | string | null) => (x === null ? '' : String(x));
  const rows = report.buckets.map((b) =>
    [
      b.start,
      b.end,
      b.visits,
      b.done,
      b.noShows,
      b.lateArrivals,
      b.waits.count,
      b.waits.meanMin,
      b.waits.p90Min,
      b.estimateError.count,
      b.estimateError.meanAbsErrorMin,
      b.estimateError.underPredictedShare,
      b.estimateError.inBandShare,
      b.sessions.count,
      b.sessions.meanMin,
      b.sessions.p90Min,
    ]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].map((line) => line + '\r\n').join('');
}
