/**
 * The wait estimators the wait benchmark compares, as `WaitEstimator`s of the clinic-day simulator
 * (`server/clinic/simulation/run.ts`), and the rolling history of finished sessions that ours learns from.
 *
 * - ours: `estimateWaits` (server/domain/wait.ts) with `durations = learnDurations(history, learning)`,
 *   where history = the finished sessions of the previous simulated days (a rolling window of whole days)
 *   plus today's finished sessions so far, and `turnoverBufferMin` = the simulator's turnover. Shows the
 *   estimate's `waitMin` and `position`, tagged with the `situation` that bound the predicted start.
 * - baseline A, "position × average duration" (simple ticket systems, wait-estimation.md method 1):
 *   waitMin = ⌈(patients ahead with the same practitioner, in session included) × the average booked
 *   duration⌉, with a single configured average (the mean of the clinic's specialty defaults).
 * - baseline B, "booked time only": waitMin = ⌈max(0, booked start − now)⌉ in minutes (a walk-in is booked
 *   at their arrival, so 0).
 * The baselines show the queue position of `queuePosition` (the estimator's definition), so that all three
 * are banded alike by `waitBand`.
 */
import type { CheckInContext, WaitEstimator } from '../../server/clinic/simulation/run.ts';
import {
  compareQueue,
  estimateWaits,
  learnDurations,
  type DurationLearning,
  type DurationModel,
  type DurationSample,
  type QueueItem,
} from '../../server/domain/wait.ts';

const MIN = 60_000;

/** The finished sessions of the last `days` simulated days, oldest first. */
export interface RollingHistory {
  /** The samples of the days in the window, oldest day first, each day in end order. */
  readonly samples: readonly DurationSample[];
  /** Increases on every `addDay` (a cache key). */
  readonly version: number;
  /** Appends a finished day, dropping the oldest when more than `days` are held. */
  addDay(finished: readonly DurationSample[]): void;
}

/** An empty `RollingHistory` over the last `days` days (0: no history kept). */
export function createRollingHistory(days: number): RollingHistory {
  const window: (readonly DurationSample[])[] = [];
  let samples: readonly DurationSample[] = [];
  let version = 0;
  return {
    get samples() {
      return samples;
    },
    get version() {
      return version;
    },
    addDay(finished) {
      window.push(finished);
      while (window.length > days) window.shift();
      samples = window.flat();
      version += 1;
    },
  };
}

/** The label of a learning setting in tables, e.g. `α 0.2, n 5, k 0.5`. */
export function learningLabel(l: DurationLearning): string {
  return `α ${l.alpha}, n ${l.minSamples}, k ${l.deviationFactor}`;
}

/**
 * Ours (see the module comment). The duration model is relearned only when the history or today's
 * finished sessions changed since the previous check-in.
 */
export function oursEstimator(
  name: string,
  history: RollingHistory,
  learning: DurationLearning,
  turnoverBufferMin: number,
  clinic: { callToStartMin: number; earlyStartMin: number } = { callToStartMin: 0, earlyStartMin: 0 },
): WaitEstimator & { model(ctx: CheckInContext): DurationModel } {
  let key = '';
  let model: DurationModel | undefined;
  const modelFor = (ctx: CheckInContext) => {
    const k = `${history.version}:${ctx.finishedToday.length}`;
    if (!model || k !== key) {
      model = learnDurations([...history.samples, ...ctx.finishedToday], learning);
      key = k;
    }
    return model;
  };
  return {
    name,
    model: modelFor,
    estimate(ctx) {
      const e = estimateWaits(ctx.items, ctx.now, {
        durations: modelFor(ctx),
        turnoverBufferMin,
        ...clinic,
      }).get(ctx.visitId);
      const me = ctx.items.find((i) => i.id === ctx.visitId);
      if (!e || !me) throw new Error(`no estimate for ${ctx.visitId}`);
      return {
        waitMin: e.waitMin,
        position: e.position,
        tag: situation(e.predictedStartAt, me.startsAt, ctx.now),
      };
    },
  };
}

/** Situations of a check-in, by what bound ours' predicted start (`situation`). */
export const SITUATIONS = {
  now: 'free now',
  booked: 'waits for booked time',
  queue: 'waits for practitioner',
} as const;

/**
 * What bound a predicted start (ms): `now` (the practitioner is free and the patient due: shown 0),
 * the booked time (`startsAt`, later than now), or the practitioner (later than both: a session or queue).
 */
export function situation(predictedStartAt: number, startsAt: number, now: number): string {
  if (predictedStartAt <= now) return SITUATIONS.now;
  if (predictedStartAt <= startsAt) return SITUATIONS.booked;
  return SITUATIONS.queue;
}

/**
 * Where `visitId` stands in its practitioner's queue (order: `compareQueue`): `ahead` = active visits of
 * the same practitioner before it, in session included; `position` = 1 + those of them not in session
 * (the estimator's 1-based position). @throws Error when `visitId` is not among `items`.
 */
export function queuePosition(
  items: readonly QueueItem[],
  visitId: string,
): { ahead: number; position: number } {
  const me = items.find((i) => i.id === visitId);
  if (!me) throw new Error(`${visitId} is not in the queue`);
  const before = items.filter(
    (i) =>
      i.id !== visitId &&
      i.practitionerId === me.practitionerId &&
      (i.status === 'arrived' || i.status === 'called' || i.status === 'in_session') &&
      compareQueue(i, me) < 0,
  );
  return { ahead: before.length, position: 1 + before.filter((i) => i.status !== 'in_session').length };
}

/** Baseline A, "position × average duration" (see the module comment); `averageMin` in minutes. */
export function positionTimesAverage(name: string, averageMin: number): WaitEstimator {
  return {
    name,
    estimate(ctx) {
      const { ahead, position } = queuePosition(ctx.items, ctx.visitId);
      return { waitMin: Math.ceil(ahead * averageMin), position };
    },
  };
}

/** Baseline B, "booked time only" (see the module comment). */
export function bookedTimeOnly(name: string): WaitEstimator {
  return {
    name,
    estimate(ctx) {
      const me = ctx.items.find((i) => i.id === ctx.visitId)!;
      const { position } = queuePosition(ctx.items, ctx.visitId);
      return { waitMin: Math.max(0, Math.ceil((me.startsAt - ctx.now) / MIN)), position };
    },
  };
}
