/**
 * Tests of the scenario runner on a few simulated days: the compared estimators are all there with the
 * same check-ins, the booked/walk-in split adds up, grid rows follow the grid, the default grid setting
 * reproduces ours exactly, and the summary renders every section.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_SIM_PARAMS } from '../../server/clinic/simulation/params.ts';
import { simulateDay } from '../../server/clinic/simulation/simulate.ts';
import { DEFAULT_DURATION_LEARNING } from '../../server/domain/wait.ts';
import { TARGETS } from './wait-config.ts';
import { paretoFront } from './wait-metrics.ts';
import { waitMarkdownSummary } from './wait-report.ts';
import { averageBookedMin, BASELINE_A, BASELINE_B, OURS, runScenario } from './wait-run.ts';
import { busiestStateKeeper, timeEstimator } from './wait-timing.ts';

describe('averageBookedMin', () => {
  it('is the mean of the specialty defaults: (45 + 30 + 45 + 60 + 20) / 5 = 40', () => {
    expect(averageBookedMin(DEMO_SIM_PARAMS)).toBe(40);
  });
});

describe('runScenario', () => {
  const keeper = busiestStateKeeper();
  const grid = [DEFAULT_DURATION_LEARNING, { alpha: 0.1, minSamples: 3, deviationFactor: 1 }];
  const result = runScenario({
    name: 'default',
    change: 'none',
    params: DEMO_SIM_PARAMS,
    days: 4,
    historyDays: 2,
    learning: DEFAULT_DURATION_LEARNING,
    grid,
    onCheckIn: (ctx, history) => keeper.observe(ctx, history),
  });
  const checkIns = [1, 2, 3, 4].reduce(
    (n, seed) => n + simulateDay(DEMO_SIM_PARAMS, seed, []).checkIns.length,
    0,
  );

  it('scores the three estimators on every check-in, booked and walk-ins adding up', () => {
    expect(Object.keys(result.estimators)).toEqual([OURS, BASELINE_A, BASELINE_B]);
    for (const e of Object.values(result.estimators)) {
      expect(e.checkIns).toBe(checkIns);
      expect(e.booked.checkIns + e.walkIns.checkIns).toBe(checkIns);
    }
    expect(result.world.days).toBe(4);
    const shares = Object.values(result.oursBySituation).reduce((s, t) => s + t.share, 0);
    expect(shares).toBeCloseTo(1, 4);
  });

  it('gives one grid row per setting; the default setting reproduces ours', () => {
    expect(result.grid.map((g) => [g.alpha, g.minSamples, g.deviationFactor])).toEqual([
      [0.2, 5, 1],
      [0.1, 3, 1],
    ]);
    const { booked: _b, walkIns: _w, ...ours } = result.estimators[OURS]!;
    const { alpha: _a, minSamples: _m, deviationFactor: _k, practitionerBound: _p, ...row } = result.grid[0]!;
    expect(row).toEqual(ours);
  });

  it('renders every section of the summary', () => {
    const state = keeper.state!;
    const options = { warmup: 1, samples: 3, batch: 1 };
    const t = timeEstimator(state, DEFAULT_DURATION_LEARNING, 3, options);
    const md = waitMarkdownSummary({
      date: '2026-01-05T00:00:00Z',
      machine: { cpu: 'test', cores: 1, node: 'v20' },
      days: 4,
      historyDays: 2,
      targets: TARGETS,
      learning: DEFAULT_DURATION_LEARNING,
      averageBookedMin: 40,
      main: result,
      gridPick: null,
      paretoFront: paretoFront(result.grid),
      assumedWorld: {
        scenario: 'as assumed',
        change: 'none',
        grid: result.grid,
        gridPick: null,
        paretoFront: paretoFront(result.grid),
      },
      sensitivity: [result],
      timing: { busiest: t, rush: t },
    });
    for (const heading of [
      '#### Estimators, default clinic',
      '#### Learning grid',
      '#### Learning grid again',
      '#### Sensitivity',
      '#### Cost of one call',
      'Pick: none',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('| **ours** (estimateWaits + learnDurations) |');
  });
});
