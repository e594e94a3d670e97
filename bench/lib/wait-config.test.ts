/** Tests of the wait benchmark's settings: the grid's product and order, the scenarios, the command line. */
import { describe, expect, it } from 'vitest';
import { DEMO_SIM_PARAMS } from '../../server/clinic/simulation/params.ts';
import {
  DEFAULT_DAYS,
  DEFAULT_GRID,
  DEFAULT_HISTORY_DAYS,
  gridSettings,
  parseCli,
  scenarios,
} from './wait-config.ts';

describe('gridSettings', () => {
  it('is the Cartesian product, alpha outermost', () => {
    expect(gridSettings({ alpha: [0.1, 0.2], minSamples: [5], deviationFactor: [0, 1] })).toEqual([
      { alpha: 0.1, minSamples: 5, deviationFactor: 0 },
      { alpha: 0.1, minSamples: 5, deviationFactor: 1 },
      { alpha: 0.2, minSamples: 5, deviationFactor: 0 },
      { alpha: 0.2, minSamples: 5, deviationFactor: 1 },
    ]);
    expect(gridSettings(DEFAULT_GRID)).toHaveLength(36);
  });
});

describe('scenarios', () => {
  it('starts with the base and changes one thing in each other', () => {
    const all = scenarios(DEMO_SIM_PARAMS);
    expect(all[0]!.params).toBe(DEMO_SIM_PARAMS);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    expect(all.find((s) => s.name === 'start on time')!.params.earlyCallMin).toBe(0);
    expect(all.find((s) => s.name === 'no history')!.historyDays).toBe(0);
    // speeds twice as far from 1: 0.95 → 0.9, 1.05 → 1.1
    expect(all.find((s) => s.name === 'noisier durations')!.params.practitioners.map((p) => p.speed)).toEqual(
      DEMO_SIM_PARAMS.practitioners.map((p) => 1 + 2 * (p.speed - 1)),
    );
  });
});

describe('parseCli', () => {
  it('defaults, and overrides days, history and grid axes', () => {
    expect(parseCli([])).toEqual({
      days: DEFAULT_DAYS,
      historyDays: DEFAULT_HISTORY_DAYS,
      grid: DEFAULT_GRID,
    });
    expect(
      parseCli(['--days', '50', '--history', '0', '--grid', 'alpha=0.1,0.3; deviationFactor=1']),
    ).toEqual({
      days: 50,
      historyDays: 0,
      grid: { alpha: [0.1, 0.3], minSamples: DEFAULT_GRID.minSamples, deviationFactor: [1] },
    });
  });

  it('refuses bad options', () => {
    expect(() => parseCli(['--days', '0'])).toThrow(RangeError);
    expect(() => parseCli(['--days', '2.5'])).toThrow(RangeError);
    expect(() => parseCli(['--grid', 'beta=1'])).toThrow(/unknown axis/);
    expect(() => parseCli(['--grid', 'alpha=x'])).toThrow(/bad values/);
    expect(() => parseCli(['--fast'])).toThrow(/unknown option/);
  });
});
