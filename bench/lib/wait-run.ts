/**
 * Runs the wait benchmark's simulated days for one setting of the clinic (a scenario): days `seed` = 1..N
 * in order, each with the estimators under test, feeding a rolling history of finished sessions that ours
 * learns from, and reduces them to error figures per estimator and the world's statistics.
 */
import type { SimParams } from '../../server/clinic/simulation/params.ts';
import type { CheckInContext, DayResult, WaitEstimator } from '../../server/clinic/simulation/run.ts';
import { simulateDay } from '../../server/clinic/simulation/simulate.ts';
import type { DurationLearning, DurationSample } from '../../server/domain/wait.ts';
import {
  bookedTimeOnly,
  createRollingHistory,
  learningLabel,
  oursEstimator,
  positionTimesAverage,
  SITUATIONS,
} from './wait-estimators.ts';
import { rate } from './metrics.ts';
import {
  errorMetrics,
  metricsByTag,
  recordsOf,
  worldStats,
  type WaitErrorMetrics,
  type WorldStats,
} from './wait-metrics.ts';

/** Names of the compared estimators in results. */
export const OURS = 'ours';
export const BASELINE_A = 'position × average duration';
export const BASELINE_B = 'booked time only';

/** What to run for one scenario. */
export interface ScenarioSpec {
  name: string;
  /** What differs from the default clinic, in words. */
  change: string;
  params: SimParams;
  /** Seeds 1..days. */
  days: number;
  /** Whole previous days kept in ours' history. */
  historyDays: number;
  /** Ours' learning parameters (the default estimator). */
  learning: DurationLearning;
  /** More learning settings to evaluate side by side (the grid); empty for none. */
  grid: readonly DurationLearning[];
  /** Called at every check-in with the previous days' samples (e.g. to keep a state for the timing pass). */
  onCheckIn?: (ctx: CheckInContext, history: readonly DurationSample[]) => void;
}

/** The figures of one scenario. */
export interface ScenarioResult {
  name: string;
  change: string;
  days: number;
  historyDays: number;
  world: WorldStats;
  /** Estimator name → figures over all check-ins; also split into booked patients and walk-ins. */
  estimators: Record<string, WaitErrorMetrics & { booked: WaitErrorMetrics; walkIns: WaitErrorMetrics }>;
  /** Ours' figures by the situation that bound its prediction (`situation`), with each one's share. */
  oursBySituation: Record<string, WaitErrorMetrics & { share: number }>;
  /**
   * One row per grid setting (ours with that learning), in grid order, with its figures over the
   * check-ins where the practitioner bound its prediction (`SITUATIONS.queue`: where durations matter).
   */
  grid: GridRow[];
}

/** A grid row: the setting, its figures, and those of its practitioner-bound check-ins. */
export type GridRow = DurationLearning &
  WaitErrorMetrics & { practitionerBound: WaitErrorMetrics & { share: number } };

/** The clinic's configured average session for baseline A: the mean booked duration of its specialties. */
export function averageBookedMin(params: SimParams): number {
  return params.specialties.reduce((s, x) => s + x.bookedMin, 0) / params.specialties.length;
}

/** Runs `spec` (see the module comment). Deterministic except for `onCheckIn`'s side effects. */
export function runScenario(spec: ScenarioSpec): ScenarioResult {
  const history = createRollingHistory(spec.historyDays);
  const turnover = spec.params.turnoverMin;
  // The clinic's habits the estimator is configured with (clinic settings in the product).
  const habits = { callToStartMin: spec.params.walkMin, earlyStartMin: spec.params.earlyCallMin };
  const gridNames = spec.grid.map((l) => `${OURS} (${learningLabel(l)})`);
  const estimators: WaitEstimator[] = [
    oursEstimator(OURS, history, spec.learning, turnover, habits),
    positionTimesAverage(BASELINE_A, averageBookedMin(spec.params)),
    bookedTimeOnly(BASELINE_B),
    ...spec.grid.map((l, i) => oursEstimator(gridNames[i]!, history, l, turnover, habits)),
  ];
  if (spec.onCheckIn) {
    const observe = spec.onCheckIn;
    estimators.push({
      name: '(probe)',
      estimate(ctx) {
        observe(ctx, history.samples);
        return { waitMin: 0, position: 1 };
      },
    });
  }
  const days: DayResult[] = [];
  for (let seed = 1; seed <= spec.days; seed++) {
    const day = simulateDay(spec.params, seed, estimators);
    history.addDay(day.finished);
    days.push({ ...day, events: [] });
  }
  const split = (walkIn: boolean) =>
    days.map((d) => ({ checkIns: d.checkIns.filter((c) => c.walkIn === walkIn) }));
  const figures = (name: string) => ({
    ...errorMetrics(recordsOf(days, name)),
    booked: errorMetrics(recordsOf(split(false), name)),
    walkIns: errorMetrics(recordsOf(split(true), name)),
  });
  return {
    name: spec.name,
    change: spec.change,
    days: spec.days,
    historyDays: spec.historyDays,
    world: worldStats(days),
    estimators: Object.fromEntries([OURS, BASELINE_A, BASELINE_B].map((n) => [n, figures(n)])),
    oursBySituation: metricsByTag(recordsOf(days, OURS)),
    grid: spec.grid.map((l, i) => {
      const records = recordsOf(days, gridNames[i]!);
      const bound = records.filter((r) => r.tag === SITUATIONS.queue);
      return {
        ...l,
        ...errorMetrics(records),
        practitionerBound: { share: rate(bound.length, records.length), ...errorMetrics(bound) },
      };
    }),
  };
}
