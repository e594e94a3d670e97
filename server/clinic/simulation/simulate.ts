/**
 * One simulated clinic day from a seed: `planDay` (the random part, `plan.ts`) on mulberry32(seed), then
 * `runDay` (the discrete-event run, `run.ts`) with the estimators under test. Day `seed` is placed on
 * `SIM_EPOCH_MS` + (seed − 1) days, so consecutive seeds are consecutive days and the finished sessions of
 * one day are older than the next day's (the rolling history of the benchmark stays in time order).
 */
import type { SimParams } from './params.ts';
import { SIM_EPOCH_MS } from './params.ts';
import { planDay } from './plan.ts';
import { createRng } from './rng.ts';
import { runDay, type DayResult, type WaitEstimator } from './run.ts';

const DAY_MS = 86_400_000;

/** Midnight of simulated day `seed` (1-based), ms since epoch. */
export function dayStartOf(seed: number): number {
  return SIM_EPOCH_MS + (seed - 1) * DAY_MS;
}

/**
 * Generates and runs one clinic day: same `params` and `seed` → the same day, whatever the estimators
 * (they only read the state). Returns every check-in with each estimator's answer and the actual wait.
 */
export function simulateDay(
  params: SimParams,
  seed: number,
  estimators: readonly WaitEstimator[],
): DayResult & { seed: number } {
  const plan = planDay(params, createRng(seed), dayStartOf(seed));
  return { seed, ...runDay(plan, estimators) };
}
