/**
 * Unit tests of the open-set rules and metrics on small hand-made searches. Distances are dyadic
 * fractions (0.25, 0.375, …), exact in float32 and float64, so expected values compare with `toBe`.
 */
import { describe, expect, it } from 'vitest';
import {
  extrapolateSearch,
  ftaCounts,
  normal,
  pointAt,
  ruleCandidate,
  silvermanBandwidth,
  thresholdForFpir,
  thresholdGrid,
  withoutOwnIdentity,
} from './identification-open.ts';
import type { Scored, Search } from './identification-open.ts';
import { mulberry32 } from '../../server/clinic/simulation/rng.ts';

const v = (...xs: number[]) => Float32Array.from(xs);
const opts = { streakFrames: 3, minUsableFrames: 3 };
const search = (frames: (Float32Array | null)[], mated = 0, mean: Float32Array | null = null): Search => ({
  frames,
  meanDescriptor: mean,
  mated,
});

describe('ruleCandidate', () => {
  it('single: the first frame alone, margin by decideRanked, no face = fta', () => {
    const s = search([v(0.375, 0.5, 0.75), null]);
    expect(ruleCandidate(s, 'single', 0.125, opts)).toEqual({ key: 0, score: 0.375 });
    expect(ruleCandidate(s, 'single', 0.25, opts)).toBe('margin');
    expect(ruleCandidate(search([null, v(0.25, 0.75)]), 'single', 0, opts)).toBe('fta');
  });

  it('streak: every frame names the same identity; score = the largest best distance', () => {
    const frames = [v(0.25, 0.75), v(0.5, 0.875), v(0.375, 0.75)];
    expect(ruleCandidate(search(frames), 'streak', 0.25, opts)).toEqual({ key: 0, score: 0.5 });
    // margin of the second frame 0.375 < 0.5
    expect(ruleCandidate(search(frames), 'streak', 0.5, opts)).toBe('margin');
    expect(ruleCandidate(search([v(0.25, 0.75), v(0.75, 0.5), v(0.25, 0.75)]), 'streak', 0, opts)).toBe(
      'disagree',
    );
    expect(ruleCandidate(search([v(0.25, 0.75), null, v(0.25, 0.75)]), 'streak', 0, opts)).toBe('fta');
    expect(ruleCandidate(search(frames.slice(0, 2)), 'streak', 0, opts)).toBe('fta');
  });

  it('fused: mean over the usable frames (at least minUsableFrames), then one decision', () => {
    // identity 0: (0.25 + 0.5 + 0.375) / 3 = 0.375; identity 1: (0.5 + 0.25 + 0.75) / 3 = 0.5
    const s = search([v(0.25, 0.5), null, v(0.5, 0.25), v(0.375, 0.75)]);
    expect(ruleCandidate(s, 'fused', 0.125, opts)).toEqual({ key: 0, score: 0.375 });
    expect(ruleCandidate(s, 'fused', 0.25, opts)).toBe('margin');
    expect(ruleCandidate(search([v(0.25, 0.5), null, v(0.5, 0.25)]), 'fused', 0, opts)).toBe('fta');
    // a column left out (Infinity, e.g. the own identity of a non-mated search) takes no part
    expect(
      ruleCandidate(search([v(0.25, Infinity), v(0.5, Infinity), v(0.75, Infinity)]), 'fused', 0.5, opts),
    ).toEqual({
      key: 0,
      score: 0.5,
    });
  });

  it('meanDescriptor: the precomputed distances of the mean descriptor', () => {
    const frames = [v(0.25, 0.5), v(0.25, 0.5), v(0.25, 0.5)];
    expect(ruleCandidate(search(frames, 0, v(0.625, 0.375)), 'meanDescriptor', 0.25, opts)).toEqual({
      key: 1,
      score: 0.375,
    });
    expect(ruleCandidate(search(frames, 0, null), 'meanDescriptor', 0, opts)).toBe('fta');
    expect(ruleCandidate(search([v(0.25, 0.5)], 0, v(0.25, 0.5)), 'meanDescriptor', 0, opts)).toBe('fta');
  });
});

const scored: Scored[] = [
  { mated: 0, candidate: { key: 0, score: 0.375 } }, // correct
  { mated: 0, candidate: { key: 2, score: 0.25 } }, // wrong identity
  { mated: 1, candidate: 'fta' },
  { mated: 1, candidate: { key: 1, score: 0.625 } }, // correct above 0.5 only
  { mated: -1, candidate: { key: 3, score: 0.5 } },
  { mated: -1, candidate: 'margin' },
  { mated: -1, candidate: { key: 0, score: 0.75 } },
];

describe('pointAt', () => {
  it('counts misses (FTA, rejections, wrong identity) and false positives; a score at t is returned', () => {
    expect(pointAt(scored, 0.5, 0.05)).toEqual({
      maxDistance: 0.5,
      minMargin: 0.05,
      mated: 4,
      nonMated: 3,
      misses: 3,
      fnmr: 0.75,
      missesFta: 1,
      wrongIdentity: 1,
      falsePositives: 1,
      fpir: 0.33333,
    });
    expect(pointAt(scored, 0.75, 0)).toMatchObject({
      misses: 2,
      fnmr: 0.5,
      falsePositives: 2,
      fpir: 0.66667,
    });
    expect(pointAt([], 0.5, 0)).toMatchObject({ fnmr: NaN, fpir: NaN });
  });
});

describe('thresholdForFpir', () => {
  it('takes the largest grid threshold whose FPIR meets the target', () => {
    expect(thresholdForFpir(scored, 0, 0, [0.625, 0.25, 0.375, 0.5])).toMatchObject({
      maxDistance: 0.375,
      falsePositives: 0,
      misses: 3,
    });
    expect(thresholdForFpir(scored, 0, 0.34, [0.25, 0.375, 0.5, 0.625])).toMatchObject({
      maxDistance: 0.625,
      falsePositives: 1,
      misses: 2,
    });
    expect(thresholdForFpir(scored, 0, 0, [0.5, 0.75])).toBeNull();
    // the wrong identity at 0.25 rules out every grid point when none is allowed
    expect(thresholdForFpir(scored, 0, 1, [0.25, 0.375, 0.5], 0)).toBeNull();
    expect(thresholdForFpir(scored, 0, 1, [0.125, 0.25], 0)).toMatchObject({ maxDistance: 0.125, misses: 4 });
  });
});

describe('thresholdGrid', () => {
  it('steps from `from` to `to`, rounded to 4 decimals', () => {
    expect(thresholdGrid(0.3, 0.32, 0.005)).toEqual([0.3, 0.305, 0.31, 0.315, 0.32]);
  });
});

describe('silvermanBandwidth and normal', () => {
  it('0.9 × min(sd, IQR / 1.34) × n^(−1/5)', () => {
    // sd = sqrt(5/3) ≈ 1.291; quartiles 1.75 and 3.25 → IQR / 1.34 ≈ 1.119 is the smaller
    expect(silvermanBandwidth([4, 1, 3, 2])).toBeCloseTo(0.9 * (1.5 / 1.34) * 4 ** -0.2, 12);
    // IQR 0: sd alone; sd of [1, 1, 1, 1, 5] = sqrt(12.8 / 4)
    expect(silvermanBandwidth([1, 1, 1, 1, 5])).toBeCloseTo(0.9 * Math.sqrt(3.2) * 5 ** -0.2, 12);
    expect(silvermanBandwidth([1])).toBe(0);
  });

  it('normal is 0 when the first uniform is 0 (u = 1)', () => {
    expect(Math.abs(normal(() => 0))).toBe(0);
  });
});

describe('extrapolateSearch', () => {
  it('keeps the mated column first and draws impostor columns (frames and mean together)', () => {
    const s = search([v(0.5, 0.25, 0.75), null, v(0.625, 0.25, 0.875)], 1, v(0.5, 0.25, 0.75));
    // draws: index 0.75 → column 2 (normal 0: uniforms 0, 0), then 0.25 → column 0
    const seq = [0.75, 0, 0, 0.25, 0, 0];
    let i = 0;
    const out = extrapolateSearch(s, 3, () => seq[i++ % seq.length]!);
    expect(out).toEqual({
      frames: [v(0.25, 0.75, 0.5), null, v(0.25, 0.875, 0.625)],
      meanDescriptor: v(0.25, 0.75, 0.5),
      mated: 0,
    });
    const nonMated = extrapolateSearch(withoutOwnIdentity(s), 2, () => 0);
    expect(nonMated.mated).toBe(-1);
    expect(nonMated.frames[0]).toEqual(v(0.5, 0.5));
  });

  it('draws a seeded gallery of the requested size, shifted impostors, the mated column as measured', () => {
    const s = search([v(0.5, 0.25, 0.75, 0.625)], 1, null);
    const out = extrapolateSearch(s, 500, mulberry32(1));
    expect(out.frames[0]!.length).toBe(500);
    expect(out.frames[0]![0]).toBe(0.25);
    expect(new Set(out.frames[0]!.slice(1)).size).toBe(499);
    expect(extrapolateSearch(s, 500, mulberry32(1))).toEqual(out);
    expect(() => extrapolateSearch(s, 0, mulberry32(1))).toThrow(RangeError);
    expect(() => extrapolateSearch(search([v(0.25)], 0), 5, mulberry32(1))).toThrow(RangeError);
    expect(extrapolateSearch(search([null, null], 3), 500, mulberry32(1))).toEqual(search([null, null], 0));
  });
});

describe('withoutOwnIdentity, ftaCounts', () => {
  it('drops the own column to Infinity', () => {
    const s = search([v(0.25, 0.5), null], 1, v(0.375, 0.5));
    expect(withoutOwnIdentity(s)).toEqual({
      frames: [v(0.25, Infinity), null],
      meanDescriptor: v(0.375, Infinity),
      mated: -1,
    });
    expect(s.frames[0]![1]).toBe(0.5); // not modified
  });

  it('counts frames without a usable face and short sequences', () => {
    expect(
      ftaCounts(
        [
          [true, true, false],
          [false, false, true],
        ],
        2,
      ),
    ).toEqual({ frames: 6, fta: 3, ftaRate: 0.5, sequences: 2, sequencesBelow: 1 });
  });
});
