/**
 * Pure metric code of the wait benchmark: how far the waits shown at check-in were from the waits that
 * followed, and what the simulated days looked like. No I/O.
 *
 * Definitions, over the check-ins (every patient who checked in, booked or walk-in), with shown = the
 * whole minutes shown at check-in and actual = minutes from check-in to the session's start (unrounded):
 * - error = shown − actual (negative: the patient waited longer than shown);
 * - MAE = mean |error|, minutes; p90 = the 90th percentile of |error| (`percentile`: linear interpolation
 *   between closest ranks, NumPy's default);
 * - under-predictions = share with shown < actual; late surprises = share with actual > shown + 5 min;
 * - in band = share whose actual wait lies in the band shown (`inBand` of server/domain/wait.ts).
 * Minutes are rounded to 2 decimals and shares to 5 (`rate`); NaN when there are no check-ins.
 */
import type { DayResult } from '../../server/clinic/simulation/run.ts';
import { inBand, type WaitBand } from '../../server/domain/wait.ts';
import { percentile, rate, round } from './metrics.ts';

/** One check-in as an estimator saw it. */
export interface ShownVsActual {
  shownMin: number;
  band: WaitBand;
  actualMin: number;
  /** The estimator's situation label, if any. */
  tag?: string;
}

/** The figures of one estimator over a set of check-ins (see the module comment). */
export interface WaitErrorMetrics {
  checkIns: number;
  maeMin: number;
  p90AbsErrorMin: number;
  /** Mean of shown − actual, minutes (the bias; negative is optimistic). */
  meanErrorMin: number;
  underShare: number;
  lateSurpriseShare: number;
  inBandShare: number;
}

/** `WaitErrorMetrics` of `records` (any order). */
export function errorMetrics(records: readonly ShownVsActual[]): WaitErrorMetrics {
  const n = records.length;
  const errors = records.map((r) => r.shownMin - r.actualMin);
  const abs = errors.map(Math.abs);
  const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    checkIns: n,
    maeMin: round(mean(abs), 2),
    p90AbsErrorMin: round(percentile(abs, 90), 2),
    meanErrorMin: round(mean(errors), 2),
    underShare: rate(records.filter((r) => r.shownMin < r.actualMin).length, n),
    lateSurpriseShare: rate(records.filter((r) => r.actualMin > r.shownMin + 5).length, n),
    inBandShare: rate(records.filter((r) => inBand(r.band, r.actualMin)).length, n),
  };
}

/**
 * `errorMetrics` per tag (records without a tag under 'untagged'), with each tag's share of the records
 * (`rate`), in order of first appearance.
 */
export function metricsByTag(
  records: readonly ShownVsActual[],
): Record<string, WaitErrorMetrics & { share: number }> {
  const groups = new Map<string, ShownVsActual[]>();
  for (const r of records) {
    const key = r.tag ?? 'untagged';
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  return Object.fromEntries(
    [...groups].map(([k, g]) => [k, { share: rate(g.length, records.length), ...errorMetrics(g) }]),
  );
}

/** The records of estimator `name` in `days` (check-ins where it gave no answer are skipped). */
export function recordsOf(days: readonly Pick<DayResult, 'checkIns'>[], name: string): ShownVsActual[] {
  const out: ShownVsActual[] = [];
  for (const day of days) {
    for (const c of day.checkIns) {
      const s = c.shown[name];
      if (s) out.push({ shownMin: s.shownMin, band: s.band, actualMin: c.actualMin, tag: s.tag });
    }
  }
  return out;
}

/** What the simulated days looked like (so a reader can judge whether they resemble a real clinic). */
export interface WorldStats {
  days: number;
  /** Booked appointments (no-shows included), check-ins, walk-ins seen and turned away, per day (1 decimal). */
  bookedPerDay: number;
  checkInsPerDay: number;
  walkInsPerDay: number;
  turnedAwayPerDay: number;
  /** Shares (`rate`): no-shows of booked appointments, walk-ins of check-ins. */
  noShowShare: number;
  walkInShare: number;
  /** Actual waits (check-in → session start), minutes (1 decimal): mean, median, p90, max. */
  actualWaitMin: { mean: number; median: number; p90: number; max: number };
  /** Last session end, hours after midnight (2 decimals): mean and latest over the days. */
  lastEndHour: { mean: number; max: number };
}

/** `WorldStats` of a list of simulated days. */
export function worldStats(
  days: readonly Pick<DayResult, 'dayStartMs' | 'checkIns' | 'visits' | 'turnedAway'>[],
): WorldStats {
  const n = days.length;
  const per = (x: number) => round(x / n, 1);
  const booked = days.flatMap((d) => d.visits.filter((v) => !v.walkIn));
  const checkIns = days.flatMap((d) => d.checkIns);
  const waits = checkIns.map((c) => c.actualMin);
  const lastEnds = days.map(
    (d) => d.visits.reduce((m, v) => Math.max(m, v.endedAt ?? 0), d.dayStartMs) - d.dayStartMs,
  );
  const walkIns = checkIns.filter((c) => c.walkIn).length;
  return {
    days: n,
    bookedPerDay: per(booked.length),
    checkInsPerDay: per(checkIns.length),
    walkInsPerDay: per(walkIns),
    turnedAwayPerDay: per(days.reduce((s, d) => s + d.turnedAway.length, 0)),
    noShowShare: rate(booked.filter((v) => v.status === 'no_show').length, booked.length),
    walkInShare: rate(walkIns, checkIns.length),
    actualWaitMin: {
      mean: round(waits.reduce((a, b) => a + b, 0) / waits.length, 1),
      median: round(percentile(waits, 50), 1),
      p90: round(percentile(waits, 90), 1),
      max: round(
        waits.reduce((m, w) => Math.max(m, w), -Infinity),
        1,
      ),
    },
    lastEndHour: {
      mean: round(lastEnds.reduce((a, b) => a + b, 0) / n / 3_600_000, 2),
      max: round(Math.max(...lastEnds) / 3_600_000, 2),
    },
  };
}

/** The benchmark's targets for ours: MAE at most `maeMin` minutes and under-predictions at most `underShare`. */
export interface WaitTargets {
  maeMin: number;
  underShare: number;
}

/** Whether `m` meets both targets. */
export function meetsTargets(m: Pick<WaitErrorMetrics, 'maeMin' | 'underShare'>, t: WaitTargets): boolean {
  return m.maeMin <= t.maeMin && m.underShare <= t.underShare;
}

/**
 * The rows no other row beats on both MAE and under-predictions (lower is better on both; a row equal on
 * both to an earlier one is dropped), sorted by MAE then under-predictions.
 */
export function paretoFront<T extends Pick<WaitErrorMetrics, 'maeMin' | 'underShare'>>(
  rows: readonly T[],
): T[] {
  const dominated = (a: T, b: T) =>
    b.maeMin <= a.maeMin &&
    b.underShare <= a.underShare &&
    (b.maeMin < a.maeMin || b.underShare < a.underShare);
  const front = rows.filter(
    (r, i) =>
      !rows.some((o) => dominated(r, o)) &&
      !rows.slice(0, i).some((o) => o.maeMin === r.maeMin && o.underShare === r.underShare),
  );
  return front.sort((a, b) => a.maeMin - b.maeMin || a.underShare - b.underShare);
}

/**
 * The grid's pick, by a fixed rule: among rows meeting both targets, the lowest MAE; else among rows
 * meeting the under-prediction target, the lowest MAE; else among rows meeting the MAE target, the
 * fewest under-predictions; else undefined (no row meets either target: read the Pareto front). Ties go
 * to the earlier row. Returns the row and which rule chose it.
 */
export function pickSetting<T extends Pick<WaitErrorMetrics, 'maeMin' | 'underShare'>>(
  rows: readonly T[],
  t: WaitTargets,
): { row: T; rule: 'both targets' | 'under-prediction target' | 'MAE target' } | undefined {
  const lowest = (xs: T[], key: (r: T) => number) =>
    xs.reduce<T | undefined>((best, r) => (best === undefined || key(r) < key(best) ? r : best), undefined);
  const both = lowest(
    rows.filter((r) => meetsTargets(r, t)),
    (r) => r.maeMin,
  );
  if (both) return { row: both, rule: 'both targets' };
  const under = lowest(
    rows.filter((r) => r.underShare <= t.underShare),
    (r) => r.maeMin,
  );
  if (under) return { row: under, rule: 'under-prediction target' };
  const mae = lowest(
    rows.filter((r) => r.maeMin <= t.maeMin),
    (r) => r.underShare,
  );
  return mae ? { row: mae, rule: 'MAE target' } : undefined;
}
