/**
 * Wait benchmark settings: days simulated, the history window, the targets for ours, the default grid of
 * `DurationLearning` settings, the sensitivity scenarios (each a change to the demo clinic's
 * `DEMO_SIM_PARAMS`), the timing pass's sizes, and the command-line options that override some of them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimParams } from '../../server/clinic/simulation/params.ts';
import type { DurationLearning } from '../../server/domain/wait.ts';
import type { WaitTargets } from './wait-metrics.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WAIT_RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/wait.json');

/** Simulated days (seeds 1..N) per scenario, and whole previous days in ours' history. */
export const DEFAULT_DAYS = 200;
export const DEFAULT_HISTORY_DAYS = 20;

/** The brief's targets for ours. */
export const TARGETS: WaitTargets = { maeMin: 3, underShare: 0.2 };

/** Values per `DurationLearning` field; the grid is their Cartesian product. */
export interface GridAxes {
  alpha: number[];
  minSamples: number[];
  deviationFactor: number[];
}

/** The default grid: 3 × 3 × 4 = 36 settings around the defaults. */
export const DEFAULT_GRID: GridAxes = {
  alpha: [0.1, 0.2, 0.3],
  minSamples: [3, 5, 10],
  deviationFactor: [0, 0.5, 1, 1.5],
};

/** The Cartesian product of `axes`, alpha outermost, then minSamples, then deviationFactor. */
export function gridSettings(axes: GridAxes): DurationLearning[] {
  return axes.alpha.flatMap((alpha) =>
    axes.minSamples.flatMap((minSamples) =>
      axes.deviationFactor.map((deviationFactor) => ({ alpha, minSamples, deviationFactor })),
    ),
  );
}

/** The scenario where the clinic behaves as the estimator assumes (no walk, no early start). */
export const ASSUMED_WORLD = 'as the estimator assumes';

/** One sensitivity scenario: a name, the change in words, and the changed parameters (or history). */
export interface Scenario {
  name: string;
  change: string;
  params: SimParams;
  /** Overrides the history window (e.g. 0 for a clinic with no history yet). */
  historyDays?: number;
}

/**
 * The sensitivity scenarios, each one change from `base` (the first is `base` itself): more walk-ins,
 * more lateness, noisier durations, the practitioners' habit around booked times, no walk, both of the
 * last two as the estimator assumes them, and a clinic with no previous days of history.
 */
export function scenarios(base: SimParams): Scenario[] {
  const spread = (x: number) => 1 + 2 * (x - 1);
  return [
    { name: 'default', change: 'the demo clinic as in params.ts', params: base },
    {
      name: 'more walk-ins',
      change: 'walk-in requests 0.3 → 0.8 per slot; a walk-in may delay the next booking by 15 min (was 5)',
      params: { ...base, walkInRate: 0.8, walkInFitSlackMin: 15 },
    },
    {
      name: 'more lateness',
      change: 'late starts 10 % → 30 % of days, 10–30 min; overruns 5 % → 15 % of sessions, 5–20 min',
      params: {
        ...base,
        lateStart: { probability: 0.3, minMin: 10, maxMin: 30 },
        overrun: { probability: 0.15, minMin: 5, maxMin: 20 },
      },
    },
    {
      name: 'noisier durations',
      change: 'session noise σ 0.12 → 0.25; practitioner speeds twice as far from 1',
      params: {
        ...base,
        durationSigma: 0.25,
        practitioners: base.practitioners.map((p) => ({ ...p, speed: spread(p.speed) })),
      },
    },
    {
      name: 'start on time',
      change: 'a free practitioner never starts before the booked time (earlyCallMin 5 → 0)',
      params: { ...base, earlyCallMin: 0 },
    },
    {
      name: 'start whenever free',
      change: 'a free practitioner calls the next arrived patient at once (earlyCallMin 5 → 60)',
      params: { ...base, earlyCallMin: 60 },
    },
    {
      name: 'no walk',
      change: 'the session starts at the call (walkMin 1 → 0), i.e. the wait measured to the call',
      params: { ...base, walkMin: 0 },
    },
    {
      name: ASSUMED_WORLD,
      change:
        'no walk and no early start (walkMin 0, earlyCallMin 0): only durations, lateness and arrivals differ',
      params: { ...base, walkMin: 0, earlyCallMin: 0 },
    },
    {
      name: 'no history',
      change: 'ours learns from today only (history 20 days → 0)',
      params: base,
      historyDays: 0,
    },
  ];
}

/** Timing pass sizes (see wait-timing.ts). */
export const TIMING = { warmup: 500, samples: 5000, batch: 10 };

/** Command-line options of `bench/wait.ts`. */
export interface WaitCliOptions {
  days: number;
  historyDays: number;
  grid: GridAxes;
}

/**
 * Parses `--days N`, `--history N` and `--grid "alpha=0.1,0.2;minSamples=5;deviationFactor=0,0.5"` (each
 * axis optional; a missing axis keeps the default grid's values). @throws RangeError on anything else.
 */
export function parseCli(argv: readonly string[]): WaitCliOptions {
  const out: WaitCliOptions = {
    days: DEFAULT_DAYS,
    historyDays: DEFAULT_HISTORY_DAYS,
    grid: { ...DEFAULT_GRID },
  };
  const positive = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`${flag} needs an integer ≥ ${min}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    i += 1;
    if (flag === '--days') out.days = positive(flag, value, 1);
    else if (flag === '--history') out.historyDays = positive(flag, value, 0);
    else if (flag === '--grid') {
      for (const part of (value ?? '').split(';').filter((p) => p.trim() !== '')) {
        const [key, list] = part.split('=').map((s) => s.trim());
        const values = (list ?? '').split(',').map(Number);
        if (values.length === 0 || values.some((v) => !Number.isFinite(v))) {
          throw new RangeError(`--grid: bad values in "${part}"`);
        }
        if (key === 'alpha' || key === 'minSamples' || key === 'deviationFactor') out.grid[key] = values;
        else throw new RangeError(`--grid: unknown axis "${key}"`);
      }
    } else throw new RangeError(`unknown option ${flag}`);
  }
  return out;
}
