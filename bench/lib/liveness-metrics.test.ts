/** Small tests of the liveness benchmark's pure metrics: windows, today's movement check, APCER/BPCER and the sweep. */
import { describe, expect, it } from 'vitest';
import type { LivenessScores } from '../../server/domain/liveness.ts';
import {
  attackSummary,
  baselineAccepts,
  genuineSummary,
  sweep,
  windows,
  type AnalysedFrame,
  type Evaluated,
} from './liveness-metrics.ts';

const face = (dx: number): AnalysedFrame => ({
  landmarks: [],
  box: { x: 0, y: 0, width: 100, height: 100 },
  keypoints: [
    [10 + dx, 10],
    [30 + dx, 10],
  ],
});

const scores = (residual: number, motion = 0.1): LivenessScores => ({
  residual,
  parallax: 2 * residual,
  motion,
  displacement: 0,
  frames: 12,
});

function ev(
  kind: 'genuine' | 'attack',
  species: string,
  residual: number,
  decision: Evaluated['decision'],
): Evaluated {
  return {
    id: `${species}-${residual}`,
    kind,
    species,
    decision,
    scores: scores(residual),
    framesWithFace: 12,
    baselineAccepted: kind === 'attack',
  };
}

describe('windows', () => {
  it('takes every step-th frame, starting every stride frames, while the window fits', () => {
    expect(windows([0, 1, 2, 3, 4, 5, 6], 3, 2, 2)).toEqual([
      [0, 2, 4],
      [2, 4, 6],
    ]);
    expect(windows([0, 1], 3, 1, 1)).toEqual([]);
  });
});

describe("baselineAccepts (today's kiosk check)", () => {
  it('accepts a still picture shifted by 1 px per frame and refuses a frozen one', () => {
    expect(baselineAccepts([face(0), face(1), face(2)], 3, 0.3)).toBe(true);
    expect(baselineAccepts([face(0), face(0), face(0), face(0)], 3, 0.3)).toBe(false);
  });

  it('starts the run again after a frame without a face', () => {
    expect(baselineAccepts([face(0), face(1), null, face(2), face(3)], 3, 0.3)).toBe(false);
  });
});

describe('APCER, BPCER and the sweep', () => {
  const evaluated = [
    ev('attack', 'a', 0.01, 'insufficient_motion'),
    ev('attack', 'a', 0.04, 'live'),
    ev('attack', 'b', 0.02, 'attack'),
    ev('genuine', 'live clip', 0.05, 'live'),
    ev('genuine', 'live clip', 0.02, 'attack'),
    ev('genuine', 'live clip', 0.06, 'live'),
    ev('genuine', 'live clip', 0.01, 'insufficient_motion'),
  ];

  it('reports APCER per species, the worst and pooled, and BPCER with prompts apart', () => {
    const a = attackSummary(evaluated);
    expect(a.rows.map((r) => [r.species, r.n, r.apcer])).toEqual([
      ['a', 2, 0.5],
      ['b', 1, 0],
    ]);
    expect(a.apcerWorst).toBe(0.5);
    expect(a.apcerPooled).toBe(0.33333);
    expect(a.baselineApcerWorst).toBe(1);
    const g = genuineSummary(evaluated);
    expect(g.bpcer).toBe(0.25);
    expect(g.insufficientMotionRate).toBe(0.25);
    expect(g.bpcerIfPromptCountsAsReject).toBe(0.5);
  });

  it('finds the operating points on one score', () => {
    const s = sweep(evaluated, 'residual', [0.03], 0.25, 0);
    expect(s.grid[0]).toEqual({ threshold: 0.03, bpcer: 0.5, apcerWorst: 0.5, apcerPooled: 0.33333 });
    // the largest threshold with BPCER ≤ 25 % is 0.02 itself (just above it, two genuine windows fall below)
    expect(s.atBpcer?.bpcer).toBe(0.25);
    expect(s.atBpcer?.threshold).toBeCloseTo(0.02, 6);
    expect(s.atApcer?.threshold).toBeGreaterThan(0.04);
    expect(s.maxAttack).toBe(0.04);
    expect(s.minGenuine).toBe(0.01);
  });
});
