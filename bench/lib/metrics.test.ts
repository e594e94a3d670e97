/**
 * Unit tests of the benchmark's pure metric code against values computed by hand (in the comments).
 * Descriptors here are 1- or 2-dimensional with dyadic or Pythagorean coordinates, so every distance is
 * exact in binary floating point and the expected values can be compared with `toBe`/`toEqual`.
 */
import { describe, expect, it } from 'vitest';
import {
  allPairDistances,
  buildGallery,
  equalErrorRate,
  fmrAt,
  fnmrAt,
  identification,
  minCrossDistance,
  minPairwiseDistance,
  operatingPoint,
  pairDistances,
  pct,
  percentile,
  rank1,
  rate,
  round,
  summarize,
  summarizeDistances,
  tallyDecisions,
  thresholdForFmr,
  verification,
  withFace,
} from './metrics.ts';
import type { DescribedImage, Probe } from './metrics.ts';

const vec = (...xs: number[]) => Float32Array.from(xs);
const img = (path: string, identity: string, descriptor: Float32Array | null): DescribedImage => ({
  path,
  identity,
  descriptor,
});
const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('percentile (linear interpolation between closest ranks, NumPy default)', () => {
  it('interpolates at r = p/100 × (n − 1) on the sorted values', () => {
    // r = 0.5 × 9 = 4.5 → x[4] + (x[5] − x[4]) × 0.5 = 5 + 1 × 0.5 = 5.5 (nearest-rank would give 5)
    expect(percentile(oneToTen, 50)).toBe(5.5);
    // r = 0.25 × 9 = 2.25 → x[2] + (x[3] − x[2]) × 0.25 = 3 + 0.25 = 3.25
    expect(percentile(oneToTen, 25)).toBe(3.25);
    // r = 0.95 × 9 = 8.55 → x[8] + (x[9] − x[8]) × 0.55 = 9 + 0.55 = 9.55 (nearest-rank would give 10).
    // In doubles 0.95 × 9 = 8.549999999999999, so the result is 9.549999999999999: equal to 12 decimals.
    expect(percentile(oneToTen, 95)).toBeCloseTo(9.55, 12);
    expect(percentile(oneToTen, 95)).not.toBe(10);
    // r = 0 and r = 9: the extremes
    expect(percentile(oneToTen, 0)).toBe(1);
    expect(percentile(oneToTen, 100)).toBe(10);
  });

  it('sorts a copy (input order does not matter and is kept) and is NaN when empty', () => {
    const values = [10, 1, 5];
    // sorted [1, 5, 10], r = 0.5 × 2 = 1 → 5
    expect(percentile(values, 50)).toBe(5);
    expect(values).toEqual([10, 1, 5]);
    // one value: r = 0 at any p
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarize gives median and p95 rounded to 1 decimal', () => {
    // median 5.5; p95 9.549999999999999 × 10 = 95.49999999999999 → Math.round 95 → 9.5 (not 9.6: binary doubles)
    expect(summarize(oneToTen)).toEqual({ median: 5.5, p95: 9.5 });
    // [10, 30]: median r = 0.5 → 20; p95 r = 0.95 → 10 + 20 × 0.95 = 29
    expect(summarize([30, 10])).toEqual({ median: 20, p95: 29 });
    expect(summarize([])).toEqual({ median: NaN, p95: NaN });
  });
});

describe('rounding and formatting', () => {
  it('rounds half up with Math.round', () => {
    expect(round(1.25, 1)).toBe(1.3); // 12.5 → 13
    expect(round(-1.25, 1)).toBe(-1.2); // −12.5 → −12 (Math.round rounds .5 towards +∞)
    expect(round(2.345, 1)).toBe(2.3); // 23.45 → 23
    expect(round(0.123456, 4)).toBe(0.1235); // 1234.56 → 1235
  });

  it('rate is count/total to 5 decimals, NaN for total 0', () => {
    expect(rate(1, 3)).toBe(0.33333); // 0.333333… → 33333.33 → 33333
    expect(rate(2, 3)).toBe(0.66667); // 66666.67 → 66667
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNaN();
  });

  it('pct writes a share as a percentage, n/a for NaN', () => {
    expect(pct(0.25)).toBe('25.0 %');
    expect(pct(0.0123, 2)).toBe('1.23 %');
    expect(pct(0.98765)).toBe('98.8 %');
    expect(pct(NaN)).toBe('n/a');
  });

  it('summarizeDistances: min, interpolated median, max to 4 decimals', () => {
    // sorted [0.25, 0.5, 1]: median r = 1 → 0.5
    expect(summarizeDistances([0.5, 0.25, 1])).toEqual({ min: 0.25, median: 0.5, max: 1 });
    // [0.25, 0.5]: median r = 0.5 → 0.375
    expect(summarizeDistances([0.25, 0.5])).toEqual({ min: 0.25, median: 0.375, max: 0.5 });
  });
});

describe('FMR / FNMR at a threshold (ISO/IEC 19795-1)', () => {
  const genuine = [0.3, 0.5, 0.7];
  const impostor = [0.4, 0.8, 0.9, 1.0];

  it('counts impostor d ≤ t as false matches and genuine d > t as false non-matches', () => {
    // t = 0.5: genuine above 0.5 = {0.7} → FNMR 1/3; impostor at or below 0.5 = {0.4} → FMR 1/4
    expect(fnmrAt(genuine, 0.5)).toBe(0.33333);
    expect(fmrAt(impostor, 0.5)).toBe(0.25);
  });

  it('treats a distance exactly at the threshold as a match', () => {
    // t = 0.4: impostor 0.4 ≤ 0.4 matches → FMR 1/4; genuine {0.5, 0.7} > 0.4 → FNMR 2/3
    expect(fmrAt(impostor, 0.4)).toBe(0.25);
    expect(fnmrAt(genuine, 0.4)).toBe(0.66667);
    // t = 0.3: genuine 0.3 is not > 0.3 → FNMR 2/3 still; t just below 0.3: all three → 1
    expect(fnmrAt(genuine, 0.3)).toBe(0.66667);
    expect(fnmrAt(genuine, 0.29)).toBe(1);
    // t = 0.39: no impostor ≤ 0.39 → 0
    expect(fmrAt(impostor, 0.39)).toBe(0);
  });

  it('is NaN without comparisons', () => {
    expect(fmrAt([], 0.5)).toBeNaN();
    expect(fnmrAt([], 0.5)).toBeNaN();
  });
});

describe('threshold for a target FMR', () => {
  // unsorted on purpose; sorted x = [0.25, 0.5, 0.75, 1], N = 4
  const impostor = [1, 0.25, 0.75, 0.5];

  it('takes k = ⌊target × N⌋ false matches and the midpoint of x[k−1] and x[k]', () => {
    // target 0.25: k = 1 → (0.25 + 0.5) / 2 = 0.375; FMR there = 1/4 = the target
    expect(thresholdForFmr(impostor, 0.25)).toEqual({ allowedFalseMatches: 1, threshold: 0.375 });
    expect(fmrAt(impostor, 0.375)).toBe(0.25);
    // target 0.5: k = 2 → (0.5 + 0.75) / 2 = 0.625
    expect(thresholdForFmr(impostor, 0.5)).toEqual({ allowedFalseMatches: 2, threshold: 0.625 });
    // target 0.3: k = ⌊1.2⌋ = 1 → 0.375 again
    expect(thresholdForFmr(impostor, 0.3).threshold).toBe(0.375);
  });

  it('sits just below the smallest impostor distance when no false match is allowed', () => {
    // target 0.1: k = ⌊0.4⌋ = 0 → 0.25 − 0.0001 = 0.2499; FMR there 0
    expect(thresholdForFmr(impostor, 0.1)).toEqual({ allowedFalseMatches: 0, threshold: 0.2499 });
    expect(fmrAt(impostor, 0.2499)).toBe(0);
  });

  it('is NaN when k reaches N', () => {
    expect(thresholdForFmr(impostor, 1).threshold).toBeNaN(); // k = 4, x[4] missing
    expect(thresholdForFmr([], 0.01).threshold).toBeNaN();
    expect(impostor).toEqual([1, 0.25, 0.75, 0.5]);
  });
});

describe('equal error rate', () => {
  it('picks the observed distance with the smallest |FMR − FNMR|', () => {
    // candidates and (FMR, FNMR): 0.3 (0, 2/3) gap 0.66667; 0.5 (1/4, 1/3) gap 0.08333; 0.7 (1/4, 0) gap 0.25;
    // 0.4 (1/4, 2/3) gap 0.41667; 0.8 (1/2, 0); 0.9 (3/4, 0); 1.0 (1, 0) → t = 0.5
    expect(equalErrorRate([0.3, 0.5, 0.7], [0.4, 0.8, 0.9, 1.0])).toEqual({
      threshold: 0.5,
      fmr: 0.25,
      fnmr: 0.33333,
    });
  });

  it('keeps the first candidate on a tie: genuine in order, then impostor ascending', () => {
    // genuine [0.5, 0.6], impostor [0.55]: 0.5 → (0, 1/2) gap 0.5; 0.6 → (1, 0) gap 1; 0.55 → (1, 1/2) gap 0.5 (tie)
    expect(equalErrorRate([0.5, 0.6], [0.55])).toEqual({ threshold: 0.5, fmr: 0, fnmr: 0.5 });
  });

  it('is all NaN without distances', () => {
    expect(equalErrorRate([], [])).toEqual({ threshold: NaN, fmr: NaN, fnmr: NaN });
  });
});

describe('pair distances', () => {
  // 2-d descriptors on 3-4-5 triangles: |a1 a2| = 5, |a1 b1| = 10, |a2 b1| = 5
  const described = [
    img('a1', 'A', vec(0, 0)),
    img('a2', 'A', vec(3, 4)),
    img('b1', 'B', vec(6, 8)),
    img('b2', 'B', null),
  ];

  it('splits listed pairs into genuine and impostor, skipping images without a face', () => {
    const pairs = [
      { a: 'a1', b: 'a2', same: true }, // 5
      { a: 'a1', b: 'b1', same: false }, // 10
      { a: 'a2', b: 'b2', same: true }, // b2 has no face → skipped genuine
      { a: 'b2', b: 'a1', same: false }, // skipped impostor
      { a: 'zz', b: 'a1', same: false }, // unknown image → skipped impostor
    ];
    expect(pairDistances(described, pairs)).toEqual({
      genuine: [5],
      impostor: [10],
      skippedGenuine: 1,
      skippedImpostor: 2,
    });
  });

  it('compares every different-identity pair of images with a face, sorted ascending', () => {
    // a1–a2 same identity; a1–b1 10; a2–b1 5
    expect(allPairDistances(described)).toEqual({ sameIdentityPairs: 1, impostor: [5, 10] });
    expect(withFace(described).map((d) => d.path)).toEqual(['a1', 'a2', 'b1']);
  });

  it('finds the smallest pairwise and cross distances, null when there is no pair', () => {
    expect(minPairwiseDistance([vec(0, 0), vec(6, 8), vec(3, 4)])).toBe(5);
    expect(minPairwiseDistance([vec(0, 0)])).toBeNull();
    // (0,0)–(6,8) 10, (0,0)–(3,4) 5, (12,16)–(6,8) 10, (12,16)–(3,4) 15
    expect(minCrossDistance([vec(0, 0), vec(12, 16)], [vec(6, 8), vec(3, 4)])).toBe(5);
    expect(minCrossDistance([], [vec(0, 0)])).toBeNull();
  });

  it('rejects descriptors of different lengths', () => {
    expect(() => minPairwiseDistance([vec(0), vec(0, 0)])).toThrow(RangeError);
  });
});

describe('verification', () => {
  // 1-d descriptors: distance = |x − y|. A: 0, 0.25; B: 1, 1.5; C: 3; D: no face.
  const described = [
    img('A0', 'A', vec(0)),
    img('A1', 'A', vec(0.25)),
    img('B0', 'B', vec(1)),
    img('B1', 'B', vec(1.5)),
    img('C0', 'C', vec(3)),
    img('D0', 'D', null),
  ];
  const pairs = [
    { a: 'A0', b: 'A1', same: true }, // 0.25
    { a: 'B0', b: 'B1', same: true }, // 0.5
    { a: 'A1', b: 'B0', same: false }, // 0.75
    { a: 'A0', b: 'C0', same: false }, // 3
    { a: 'D0', b: 'A0', same: false }, // no face → skipped
  ];

  it('reports counts, distance summaries, FMR-target thresholds, fixed thresholds and the EER', () => {
    // All different-identity pairs: A0–B0 1, A0–B1 1.5, A0–C0 3, A1–B0 0.75, A1–B1 1.25, A1–C0 2.75,
    // B0–C0 2, B1–C0 1.5 → sorted [0.75, 1, 1.25, 1.5, 1.5, 2, 2.75, 3], N = 8; same-identity pairs: 2.
    // Target 0.25: k = 2 → (1 + 1.25) / 2 = 1.125; FMR(1.125) = 2/8; FNMR = 0 (0.25, 0.5 ≤ 1.125).
    // Target 0.1: k = ⌊0.8⌋ = 0 → 0.75 − 0.0001 = 0.7499; FMR 0; FNMR 0.
    // t = 0.5: FNMR 0 (0.5 ≤ 0.5 matches), FMR all 0, FMR listed 0.
    // t = 1: FNMR 0, FMR all = {0.75, 1} = 2/8, FMR listed = {0.75} of {0.75, 3} = 1/2.
    // EER: candidate 0.25 → (0, 1/2) gap 0.5; 0.5 → (0, 0) gap 0 → threshold 0.5.
    // Impostor median: r = 0.5 × 7 = 3.5 → (1.5 + 1.5) / 2 = 1.5; genuine median (0.25 + 0.5) / 2 = 0.375.
    expect(verification(described, pairs, [0.25, 0.1], [0.5, 1])).toEqual({
      genuinePairs: 2,
      genuinePairsSkippedNoFace: 0,
      genuinePairsAllSameIdentity: 2,
      impostorPairsCsv: 2,
      impostorPairsCsvSkippedNoFace: 1,
      impostorPairsAll: 8,
      genuineDistance: { min: 0.25, median: 0.375, max: 0.5 },
      impostorDistance: { min: 0.75, median: 1.5, max: 3 },
      atFmr: [
        { targetFmr: 0.25, allowedFalseMatches: 2, threshold: 1.125, fmr: 0.25, fnmr: 0 },
        { targetFmr: 0.1, allowedFalseMatches: 0, threshold: 0.7499, fmr: 0, fnmr: 0 },
      ],
      fixed: [
        { threshold: 0.5, fnmr: 0, fmrAllPairs: 0, fmrPairsCsv: 0 },
        { threshold: 1, fnmr: 0, fmrAllPairs: 0.25, fmrPairsCsv: 0.5 },
      ],
      eer: { threshold: 0.5, fmr: 0, fnmr: 0 },
    });
  });
});

describe('identification gallery', () => {
  const described = [
    img('A/1', 'A', null), // no face: not enrolled, counted as probe without face
    img('A/2', 'A', vec(0)), // first A with a face → gallery
    img('A/3', 'A', vec(0.25)), // probe
    img('B/1', 'B', vec(1)), // gallery
    img('C/1', 'C', null), // never enrolled, probe without face
  ];
  const distractors = [
    { key: 'distractor:s1.jpg#1', descriptor: vec(5) },
    { key: 'distractor:s1.jpg#2', descriptor: vec(6) },
    { key: 'distractor:s2.jpg#1', descriptor: vec(7) },
  ];

  it('enrols the first image with a face per identity, fills with distractors up to the size', () => {
    const g = buildGallery(described, distractors, 4);
    // 2 identities + 2 of the 3 distractors = 4 entries
    expect(g.gallery.map((e) => e.key)).toEqual(['A', 'B', 'distractor:s1.jpg#1', 'distractor:s1.jpg#2']);
    expect([...g.galleryPaths]).toEqual(['A/2', 'B/1']);
    expect(g.enrolledIdentities).toBe(2);
    expect(g.distractorsUsed).toBe(2);
    expect(g.probes).toEqual([{ path: 'A/3', identity: 'A', descriptor: vec(0.25) }]);
    expect(g.probesNoFace).toBe(2);
  });

  it('adds no distractor when the identities already reach the size', () => {
    const g = buildGallery(described, distractors, 1);
    expect(g.gallery.map((e) => e.key)).toEqual(['A', 'B']);
    expect(g.distractorsUsed).toBe(0);
  });
});

describe('rank-1 and decideMatch operating points (NIST FRVT 1:N)', () => {
  // 1-d gallery of 3 identities and a distractor next to eva
  const gallery = [
    { key: 'ana', descriptors: [vec(0)] },
    { key: 'rui', descriptors: [vec(1)] },
    { key: 'eva', descriptors: [vec(2)] },
    { key: 'distractor:x', descriptors: [vec(2.375)] },
  ];
  const probe = (identity: string, x: number): Probe => ({
    path: `${identity}@${x}`,
    identity,
    descriptor: vec(x),
  });

  it('counts probes whose nearest identity is their own', () => {
    const threeIdentities = gallery.slice(0, 3);
    // ana@0.125: ana 0.125 < rui 0.875 → hit; ana@0.875: rui 0.125 nearest → miss;
    // rui@1.5: rui 0.5 = eva 0.5, rui listed first → hit; → 2/3
    expect(rank1([probe('ana', 0.125), probe('ana', 0.875), probe('rui', 1.5)], threeIdentities)).toBe(
      0.66667,
    );
    expect(rank1([], threeIdentities)).toBeNaN();
  });

  const probes = [
    probe('ana', 0.125), // ana 0.125, rui 0.875: margin 0.75 → correct. Without ana: rui 0.875 > 0.25 → reject
    probe('ana', 0.875), // rui 0.125, ana 0.875 → wrong accept. Without ana: rui 0.125, eva 1.125 → accept (FP)
    probe('rui', 1.5), // rui 0.5, eva 0.5: 0.5 > 0.25 → reject by distance. Without rui: eva 0.5 → reject
    probe('eva', 2.125), // eva 0.125, distractor 0.25: margin 0.125 < 0.25 → reject by margin.
    //                      Without eva: distractor 0.25 ≤ 0.25 (tie accepted), rui 1.125 → accept (FP)
    probe('ana', 0.25), // ana 0.25 ≤ 0.25 (tie accepted), rui 0.75: margin 0.5 → correct. Without ana: rui 0.75 → reject
  ];
  const thresholds = { maxDistance: 0.25, minMargin: 0.25 };

  it('tallies correct, wrong, rejects by reason and unenrolled accepts', () => {
    expect(tallyDecisions(probes, gallery, thresholds)).toEqual({
      probes: 5,
      correct: 2,
      wrong: 1,
      rejectByDistance: 1,
      rejectByMargin: 1,
      unenrolledAccepts: 2,
    });
  });

  it('counts an empty gallery as a reject by distance', () => {
    expect(tallyDecisions([probe('ana', 0)], [], thresholds)).toEqual({
      probes: 1,
      correct: 0,
      wrong: 0,
      rejectByDistance: 1,
      rejectByMargin: 0,
      unenrolledAccepts: 0,
    });
  });

  it('turns the tally into shares of the probes, keyed as in face.json', () => {
    // 2/5, 1/5, (1 + 1)/5, 1/5, 1/5, 2/5
    const expected = {
      maxDistance: 0.25,
      minMargin: 0.25,
      correctAccept: 0.4,
      wrongAccept: 0.2,
      reject: 0.4,
      rejectByDistance: 0.2,
      rejectByMargin: 0.2,
      unenrolledFalseAccept: 0.4,
    };
    expect(operatingPoint(thresholds, tallyDecisions(probes, gallery, thresholds))).toEqual(expected);
    expect(Object.keys(operatingPoint(thresholds, tallyDecisions(probes, gallery, thresholds)))).toEqual(
      Object.keys(expected),
    );
  });

  it('reports probes, rank-1 and one point per threshold pair', () => {
    // rank-1: ana@0.125 hit, ana@0.875 miss, rui@1.5 hit (tie, rui first), eva@2.125 hit, ana@0.25 hit → 4/5.
    // With maxDistance 1 and minMargin 0: every probe's best is within 1 → accepted; 4 correct, 1 wrong;
    // without their identity: ana@0.125 → rui 0.875 ≤ 1 accept; ana@0.875 → rui accept; rui@1.5 → eva 0.5 accept;
    // eva@2.125 → distractor accept; ana@0.25 → rui 0.75 accept → 5/5.
    const result = identification(gallery, probes, [thresholds, { maxDistance: 1, minMargin: 0 }]);
    expect(result.probes).toBe(5);
    expect(result.rank1).toBe(0.8);
    expect(result.grid[1]).toEqual({
      maxDistance: 1,
      minMargin: 0,
      correctAccept: 0.8,
      wrongAccept: 0.2,
      reject: 0,
      rejectByDistance: 0,
      rejectByMargin: 0,
      unenrolledFalseAccept: 1,
    });
    expect(result.grid[0]?.correctAccept).toBe(0.4);
  });
});
