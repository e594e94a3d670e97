/**
 * The cost of the wait estimator, measured in the benchmark run: microseconds per call of
 * `estimateWaits` on a busy queue (the busiest check-in state of the simulated days), of `learnDurations`
 * on the rolling history at that moment, and of a bare reference on the same array (a plain
 * `[...items].sort(compareQueue)`, the one sort the estimator itself does), so that the figures can be
 * read against the machine's speed.
 *
 * Method: `warmup` untimed rounds, then `samples` rounds; in each round every timed function runs a batch
 * of `batch` calls timed with `process.hrtime.bigint()` (ns), the batch time / `batch` being one sample;
 * the functions run interleaved within a round, so machine-load drift affects them alike. Median and p95
 * use `percentile` (linear interpolation, NumPy's default). Results are µs with 2 decimals.
 */
import type { CheckInContext } from '../../server/clinic/simulation/run.ts';
import {
  compareQueue,
  estimateWaits,
  learnDurations,
  type DurationLearning,
  type DurationSample,
  type QueueItem,
} from '../../server/domain/wait.ts';
import { percentile, round } from './metrics.ts';

const MIN = 60_000;

/** Median and p95 of one call, µs. */
export interface CallCost {
  medianUs: number;
  p95Us: number;
}

/**
 * Times each function of `fns` (see the module comment); returns a `CallCost` per name. The calls'
 * results are written to a small array so that no call is optimised away.
 */
export function timeCalls(
  fns: Record<string, () => unknown>,
  options: { warmup: number; samples: number; batch: number },
): Record<string, CallCost> {
  const sink: unknown[] = [];
  const names = Object.keys(fns);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round_ = 0; round_ < options.warmup + options.samples; round_++) {
    for (const name of names) {
      const fn = fns[name]!;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < options.batch; i++) sink[i & 7] = fn();
      const ns = Number(process.hrtime.bigint() - t0);
      if (round_ >= options.warmup) samples[name]!.push(ns / options.batch / 1000);
    }
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      { medianUs: round(percentile(samples[n]!, 50), 2), p95Us: round(percentile(samples[n]!, 95), 2) },
    ]),
  );
}

/** The state timed: a check-in moment of the simulation and the history ours learned from then. */
export interface TimedState {
  now: number;
  items: readonly QueueItem[];
  history: readonly DurationSample[];
}

/** Keeps the check-in state with the most active visits seen (ties: the first), as a `TimedState`. */
export function busiestStateKeeper(): {
  observe(ctx: CheckInContext, history: readonly DurationSample[]): void;
  readonly state: TimedState | undefined;
} {
  let state: TimedState | undefined;
  return {
    observe(ctx, history) {
      if (!state || ctx.items.length > state.items.length) {
        state = { now: ctx.now, items: ctx.items, history: [...history, ...ctx.finishedToday] };
      }
    },
    get state() {
      return state;
    },
  };
}

/**
 * A synthetic rush built from `state`: for each practitioner in it, one session in progress (started
 * 15 min ago) and `perPractitioner` − 1 patients waiting (arrived 5 min ago, booked every 30 min from
 * 10 min ago), with that practitioner's room and the specialty of their first visit in `state`; same
 * `now` and history. A worst case well beyond the busiest simulated moment, for the estimator's cost.
 */
export function rushState(state: TimedState, perPractitioner: number): TimedState {
  const byPractitioner = new Map<string, QueueItem>();
  for (const i of state.items)
    if (!byPractitioner.has(i.practitionerId)) byPractitioner.set(i.practitionerId, i);
  const items: QueueItem[] = [];
  for (const template of byPractitioner.values()) {
    for (let k = 0; k < perPractitioner; k++) {
      const inSession = k === 0;
      items.push({
        ...template,
        id: `${template.practitionerId}-rush-${k}`,
        status: inSession ? 'in_session' : 'arrived',
        startsAt: state.now + (inSession ? -15 * MIN : (30 * (k - 1) - 10) * MIN),
        arrivedAt: state.now - (inSession ? 20 : 5) * MIN,
        calledAt: inSession ? state.now - 16 * MIN : null,
        sessionStartedAt: inSession ? state.now - 15 * MIN : null,
      });
    }
  }
  return { now: state.now, items, history: state.history };
}

/** wait.json `timing`: the state's size and the cost of each timed function. */
export interface TimingResult {
  activeVisits: number;
  practitioners: number;
  historySamples: number;
  warmup: number;
  samples: number;
  batch: number;
  costs: Record<string, CallCost>;
}

/** Names of the timed functions in `TimingResult.costs`. */
export const TIMED = {
  estimate: 'estimateWaits (learned durations)',
  learn: 'learnDurations (rolling history)',
  sort: 'reference: [...items].sort(compareQueue)',
} as const;

/** Times `estimateWaits`, `learnDurations` and the reference sort on `state` (see the module comment). */
export function timeEstimator(
  state: TimedState,
  learning: DurationLearning,
  turnoverBufferMin: number,
  options: { warmup: number; samples: number; batch: number },
): TimingResult {
  const durations = learnDurations(state.history, learning);
  const costs = timeCalls(
    {
      [TIMED.estimate]: () => estimateWaits(state.items, state.now, { durations, turnoverBufferMin }),
      [TIMED.learn]: () => learnDurations(state.history, learning),
      [TIMED.sort]: () => [...state.items].sort(compareQueue),
    },
    options,
  );
  return {
    activeVisits: state.items.length,
    practitioners: new Set(state.items.map((i) => i.practitionerId)).size,
    historySamples: state.history.length,
    ...options,
    costs,
  };
}
