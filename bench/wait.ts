/**
 * Wait benchmark: how close the wait shown at check-in is to the wait that follows, on simulated clinic
 * days (`server/clinic/simulation/`: the demo clinic, appointments, early and late arrivals, no-shows,
 * walk-ins, varying durations, late practitioners), for our estimator and two baselines; and what one
 * estimate costs. Run with `npm run bench:wait` (options: `--days N`, `--history N`, `--grid "alpha=…;
 * minSamples=…;deviationFactor=…"`); writes `bench/results/wait.json` and prints a Markdown summary
 * (copied into `docs/benchmarks.md`).
 *
 * What is run
 * 1. The default clinic (`DEMO_SIM_PARAMS`), days seed = 1..N in order. At each check-in every estimator
 *    is asked for the patient's wait (`bench/lib/wait-estimators.ts`): ours (`estimateWaits` with
 *    `learnDurations` over the rolling history of the last D days plus today, `DEFAULT_DURATION_LEARNING`,
 *    turnover buffer = the simulator's turnover), baseline A (position × average booked duration) and
 *    baseline B (booked time only); plus ours under every setting of the learning grid.
 * 2. The grid's pick (`pickSetting`) and its Pareto front (MAE vs under-predictions); and the grid again
 *    on the clinic as the estimator assumes it (no walk, no early start), where durations alone decide.
 * 3. Sensitivity: the same days under each changed scenario (`scenarios`), for the three estimators and
 *    the grid's pick and the two ends of its Pareto front.
 * 4. Timing of `estimateWaits` on the busiest check-in state of run 1 and on a synthetic rush built from
 *    it (`bench/lib/wait-timing.ts`).
 * Metrics: `bench/lib/wait-metrics.ts`. Everything is deterministic except the timing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_SIM_PARAMS } from '../server/clinic/simulation/params.ts';
import { DEFAULT_DURATION_LEARNING, type DurationLearning } from '../server/domain/wait.ts';
import { machineInfo } from './lib/report.ts';
import { round } from './lib/metrics.ts';
import {
  ASSUMED_WORLD,
  gridSettings,
  parseCli,
  scenarios,
  TARGETS,
  TIMING,
  WAIT_RESULTS_FILE,
} from './lib/wait-config.ts';
import { paretoFront, pickSetting } from './lib/wait-metrics.ts';
import { sameSetting, waitMarkdownSummary } from './lib/wait-report.ts';
import { averageBookedMin, BASELINE_A, BASELINE_B, OURS, runScenario } from './lib/wait-run.ts';
import { busiestStateKeeper, rushState, timeEstimator } from './lib/wait-timing.ts';

function runBenchmark(argv: readonly string[]) {
  const started = performance.now();
  const cli = parseCli(argv);
  const learning = DEFAULT_DURATION_LEARNING;
  const params = DEMO_SIM_PARAMS;
  const grid = gridSettings(cli.grid);
  const keeper = busiestStateKeeper();
  const all = scenarios(params);

  console.log(
    `wait bench: ${cli.days} days, history ${cli.historyDays} days, grid of ${grid.length} settings…`,
  );
  const main = runScenario({
    name: all[0]!.name,
    change: all[0]!.change,
    params,
    days: cli.days,
    historyDays: cli.historyDays,
    learning,
    grid,
    onCheckIn: (ctx, history) => keeper.observe(ctx, history),
  });
  const pick = pickSetting(main.grid, TARGETS);
  const front = paretoFront(main.grid);
  const strip = ({ alpha, minSamples, deviationFactor }: DurationLearning): DurationLearning => ({
    alpha,
    minSamples,
    deviationFactor,
  });
  const assumedScenario = all.find((s) => s.name === ASSUMED_WORLD)!;
  console.log(`grid again, ${ASSUMED_WORLD}…`);
  const assumed = runScenario({
    name: assumedScenario.name,
    change: assumedScenario.change,
    params: assumedScenario.params,
    days: cli.days,
    historyDays: cli.historyDays,
    learning,
    grid,
  });
  const assumedPick = pickSetting(assumed.grid, TARGETS);

  // Settings carried into the sensitivity run: the picks, and the two ends of the Pareto front.
  const carried: DurationLearning[] = [];
  for (const row of [pick?.row, assumedPick?.row, front[0], front.at(-1)]) {
    if (row && !carried.some((c) => sameSetting(c, row))) carried.push(strip(row));
  }

  console.log(`sensitivity: ${all.length} scenarios…`);
  const sensitivity = all.map((s) =>
    runScenario({
      name: s.name,
      change: s.change,
      params: s.params,
      days: cli.days,
      historyDays: s.historyDays ?? cli.historyDays,
      learning,
      grid: carried,
    }),
  );

  console.log('timing…');
  const state = keeper.state;
  if (!state) throw new Error('no check-in was simulated');
  const timing = {
    busiest: timeEstimator(state, learning, params.turnoverMin, TIMING),
    rush: timeEstimator(rushState(state, 10), learning, params.turnoverMin, TIMING),
  };

  return {
    date: new Date().toISOString(),
    command: `npm run bench:wait${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    durationSeconds: round((performance.now() - started) / 1000, 1),
    machine: machineInfo(),
    days: cli.days,
    seeds: `1..${cli.days}`,
    historyDays: cli.historyDays,
    targets: TARGETS,
    learning,
    estimators: {
      [OURS]:
        'estimateWaits(items, now, { durations: learnDurations(history + today, learning), turnoverBufferMin: params.turnoverMin, callToStartMin: params.walkMin, earlyStartMin: params.earlyCallMin })',
      [BASELINE_A]: 'ceil(patients ahead with the same practitioner, in session included × averageBookedMin)',
      [BASELINE_B]: 'ceil(max(0, booked start − now))',
    },
    averageBookedMin: averageBookedMin(params),
    params,
    gridAxes: cli.grid,
    main,
    gridPick: pick ?? null,
    paretoFront: front,
    assumedWorld: {
      scenario: assumed.name,
      change: assumed.change,
      grid: assumed.grid,
      gridPick: assumedPick ?? null,
      paretoFront: paretoFront(assumed.grid),
    },
    sensitivity,
    timing,
  };
}

const report = runBenchmark(process.argv.slice(2));
fs.mkdirSync(path.dirname(WAIT_RESULTS_FILE), { recursive: true });
fs.writeFileSync(WAIT_RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
console.log('');
console.log(waitMarkdownSummary(report));
console.log('');
console.log(`wrote ${path.relative(process.cwd(), WAIT_RESULTS_FILE)} in ${report.durationSeconds} s`);
