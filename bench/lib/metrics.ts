/**
 * Pure metric code of the face benchmark: order statistics, rates and their formatting, 1:1
 * verification error rates, and 1:N identification figures. No I/O; descriptors are face-api's
 * Float32Array(128) (any equal length works) compared by Euclidean distance (server/domain/matching.ts).
 *
 * Definitions
 * - Verification (1:1), ISO/IEC 19795-1, as used by NIST FRVT/FRTE 1:1, at a distance threshold t:
 *     FMR  = impostor comparisons with distance ≤ t / impostor comparisons;
 *     FNMR = genuine comparisons with distance > t / genuine comparisons.
 *   A distance exactly at t is a match. Comparisons involving an image without a face (failure to
 *   acquire) are left out of both and counted separately.
 * - Identification (1:N), NIST FRVT 1:N terms: rank-1 = share of probes whose nearest gallery identity
 *   is their own; FPIR (false positive identification rate) = share of searches by people who are not
 *   enrolled that return a candidate. FPIR is measured by removing each probe's own identity from the
 *   gallery ("unenrolledFalseAccept").
 * - Rates are rounded to 5 decimal places (as written to face.json) and NaN when the denominator is 0.
 */
import { decideMatch, euclideanDistance, rankGallery } from '../../server/domain/matching.ts';
import { percentile } from '../../server/domain/stats.ts';
import type { GalleryEntry, MatchThresholds } from '../../server/domain/matching.ts';

// ---------------------------------------------------------------- statistics and formatting

/** The p-th percentile by linear interpolation (server/domain/stats.ts, shared with the analytics). */
export { percentile };

/** Median and 95th percentile (see `percentile`), e.g. of stage times in ms. */
export interface Summary {
  median: number;
  p95: number;
}

/** Median and p95 of `values` (`percentile` at 50 and 95), each rounded to 1 decimal; NaN when empty. */
export function summarize(values: readonly number[]): Summary {
  return { median: round(percentile(values, 50), 1), p95: round(percentile(values, 95), 1) };
}

/** `x` rounded half up (Math.round) to `digits` decimal places, on binary doubles. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** count / total rounded to 5 decimals (a share in 0..1); NaN when total is 0. */
export function rate(count: number, total: number): number {
  return total === 0 ? NaN : round(count / total, 5);
}

/** A share in 0..1 as a percentage with `digits` decimals, e.g. 0.0123 → '1.2 %'; NaN → 'n/a'. */
export function pct(x: number, digits = 1): string {
  return Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(digits)} %`;
}

/** Smallest, median (`percentile` 50) and largest distance, each rounded to 4 decimals. */
export function summarizeDistances(values: readonly number[]): { min: number; median: number; max: number } {
  return {
    min: round(
      values.reduce((m, v) => Math.min(m, v), Infinity),
      4,
    ),
    median: round(percentile(values, 50), 4),
    max: round(
      values.reduce((m, v) => Math.max(m, v), -Infinity),
      4,
    ),
  };
}

// ---------------------------------------------------------------- descriptors

/** One image with its descriptor; null when no face was found (failure to acquire). */
export interface DescribedImage {
  path: string;
  identity: string;
  descriptor: Float32Array | null;
}

/** The images that have a descriptor, in order. */
export function withFace<T extends DescribedImage>(
  described: readonly T[],
): (T & { descriptor: Float32Array })[] {
  return described.filter((d): d is T & { descriptor: Float32Array } => d.descriptor !== null);
}

/** Smallest Euclidean distance between two different descriptors of `descriptors`; null when fewer than 2. */
export function minPairwiseDistance(descriptors: readonly Float32Array[]): number | null {
  let min: number | null = null;
  for (const [i, a] of descriptors.entries()) {
    for (const b of descriptors.slice(i + 1)) {
      const d = euclideanDistance(a, b);
      if (min === null || d < min) min = d;
    }
  }
  return min;
}

/** Smallest Euclidean distance from any descriptor of `a` to any of `b`; null when either is empty. */
export function minCrossDistance(a: readonly Float32Array[], b: readonly Float32Array[]): number | null {
  let min: number | null = null;
  for (const x of a) {
    for (const y of b) {
      const d = euclideanDistance(x, y);
      if (min === null || d < min) min = d;
    }
  }
  return min;
}

// ---------------------------------------------------------------- verification (1:1)

/**
 * FMR at threshold t (ISO/IEC 19795-1): share of impostor distances ≤ t, as `rate` (5 decimals; NaN
 * when there are no impostor distances). Distances are Euclidean, unitless (0..2 for unit descriptors).
 */
export function fmrAt(impostor: readonly number[], t: number): number {
  return rate(impostor.filter((d) => d <= t).length, impostor.length);
}

/** FNMR at threshold t (ISO/IEC 19795-1): share of genuine distances > t, as `rate` (NaN when none). */
export function fnmrAt(genuine: readonly number[], t: number): number {
  return rate(genuine.filter((d) => d > t).length, genuine.length);
}

/**
 * Decision threshold for a target FMR: with the impostor distances sorted ascending as x[0..N−1] and
 * k = ⌊target × N⌋ false matches allowed, the largest threshold at which at most k impostor distances
 * are ≤ t, taken midway: (x[k−1] + x[k]) / 2; for k = 0, x[0] − 1e-4. Unrounded. Input in any order (not
 * modified). NaN threshold when k ≥ N (target ≥ 1, or no impostor distances).
 */
export function thresholdForFmr(
  impostor: readonly number[],
  targetFmr: number,
): { allowedFalseMatches: number; threshold: number } {
  const sorted = [...impostor].sort((x, y) => x - y);
  const k = Math.floor(targetFmr * sorted.length);
  const next = sorted[k] ?? NaN;
  const threshold = k === 0 ? next - 1e-4 : ((sorted[k - 1] ?? NaN) + next) / 2;
  return { allowedFalseMatches: k, threshold };
}

/** An operating point: threshold (4 decimals) and the error rates there (`rate`, 5 decimals). */
export interface OperatingPoint {
  threshold: number;
  fmr: number;
  fnmr: number;
}

/**
 * Equal error rate: over the candidate thresholds = every observed distance, genuine ones in the given
 * order then impostor ones ascending, the first at which |FMR − FNMR| (of the 5-decimal rates) is
 * smallest. Threshold rounded to 4 decimals; all NaN when both lists are empty.
 */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): OperatingPoint {
  const sortedImpostor = [...impostor].sort((x, y) => x - y);
  let eer: OperatingPoint = { threshold: NaN, fmr: NaN, fnmr: NaN };
  let bestGap = Infinity;
  for (const t of [...genuine, ...sortedImpostor]) {
    const fmr = fmrAt(sortedImpostor, t);
    const fnmr = fnmrAt(genuine, t);
    if (Math.abs(fmr - fnmr) < bestGap) {
      bestGap = Math.abs(fmr - fnmr);
      eer = { threshold: round(t, 4), fmr, fnmr };
    }
  }
  return eer;
}

/** A listed comparison: two image paths and whether they show the same person (pairs.csv). */
export interface ComparisonPair {
  a: string;
  b: string;
  same: boolean;
}

/**
 * Distances of the listed pairs, split into genuine (same) and impostor, in pair order; pairs where an
 * image is unknown or has no descriptor are skipped and counted. @throws RangeError on descriptors of
 * different lengths.
 */
export function pairDistances(
  described: readonly DescribedImage[],
  pairs: readonly ComparisonPair[],
): { genuine: number[]; impostor: number[]; skippedGenuine: number; skippedImpostor: number } {
  const byPath = new Map(described.map((d) => [d.path, d]));
  const genuine: number[] = [];
  const impostor: number[] = [];
  let skippedGenuine = 0;
  let skippedImpostor = 0;
  for (const pair of pairs) {
    const a = byPath.get(pair.a)?.descriptor;
    const b = byPath.get(pair.b)?.descriptor;
    if (!a || !b) {
      if (pair.same) skippedGenuine++;
      else skippedImpostor++;
      continue;
    }
    (pair.same ? genuine : impostor).push(euclideanDistance(a, b));
  }
  return { genuine, impostor, skippedGenuine, skippedImpostor };
}

/**
 * Over every unordered pair of images with a descriptor: how many are same-identity, and the distances of
 * the different-identity ones, sorted ascending. @throws RangeError on descriptors of different lengths.
 */
export function allPairDistances(described: readonly DescribedImage[]): {
  sameIdentityPairs: number;
  impostor: number[];
} {
  const found = withFace(described);
  const impostor: number[] = [];
  let sameIdentityPairs = 0;
  for (const [i, a] of found.entries()) {
    for (const b of found.slice(i + 1)) {
      if (a.identity === b.identity) sameIdentityPairs++;
      else impostor.push(euclideanDistance(a.descriptor, b.descriptor));
    }
  }
  impostor.sort((x, y) => x - y);
  return { sameIdentityPairs, impostor };
}

/** `verification()` result, as written to face.json (`verification`). */
export interface VerificationResult {
  genuinePairs: number;
  genuinePairsSkippedNoFace: number;
  genuinePairsAllSameIdentity: number;
  impostorPairsCsv: number;
  impostorPairsCsvSkippedNoFace: number;
  impostorPairsAll: number;
  genuineDistance: { min: number; median: number; max: number };
  impostorDistance: { min: number; median: number; max: number };
  atFmr: {
    targetFmr: number;
    allowedFalseMatches: number;
    threshold: number;
    fmr: number;
    fnmr: number;
  }[];
  fixed: { threshold: number; fnmr: number; fmrAllPairs: number; fmrPairsCsv: number }[];
  eer: OperatingPoint;
}

/**
 * 1:1 verification figures. Genuine comparisons: the same-person `pairs` (LFW-style pair protocol: Huang
 * et al., "Labeled Faces in the Wild", 2007). Impostor comparisons: ALL different-identity image pairs,
 * not only the listed impostor pairs, so that thresholds for small FMR targets rest on more than one
 * sample; FMR over the listed impostor pairs is reported too (`fixed[].fmrPairsCsv`). For each target
 * FMR: `thresholdForFmr`, and FMR/FNMR at that (unrounded) threshold; for each fixed threshold: FNMR and
 * both FMRs; and the `equalErrorRate`. @throws RangeError on descriptors of different lengths.
 */
export function verification(
  described: readonly DescribedImage[],
  pairs: readonly ComparisonPair[],
  fmrTargets: readonly number[],
  fixedThresholds: readonly number[],
): VerificationResult {
  const listed = pairDistances(described, pairs);
  const { genuine } = listed;
  const all = allPairDistances(described);

  const atFmr = fmrTargets.map((target) => {
    const { allowedFalseMatches, threshold } = thresholdForFmr(all.impostor, target);
    return {
      targetFmr: target,
      allowedFalseMatches,
      threshold: round(threshold, 4),
      fmr: fmrAt(all.impostor, threshold),
      fnmr: fnmrAt(genuine, threshold),
    };
  });

  const fixed = fixedThresholds.map((t) => ({
    threshold: t,
    fnmr: fnmrAt(genuine, t),
    fmrAllPairs: fmrAt(all.impostor, t),
    fmrPairsCsv: fmrAt(listed.impostor, t),
  }));

  return {
    genuinePairs: genuine.length,
    genuinePairsSkippedNoFace: listed.skippedGenuine,
    genuinePairsAllSameIdentity: all.sameIdentityPairs,
    impostorPairsCsv: listed.impostor.length,
    impostorPairsCsvSkippedNoFace: listed.skippedImpostor,
    impostorPairsAll: all.impostor.length,
    genuineDistance: summarizeDistances(genuine),
    impostorDistance: summarizeDistances(all.impostor),
    atFmr,
    fixed,
    eer: equalErrorRate(genuine, all.impostor),
  };
}

// ---------------------------------------------------------------- identification (1:N)

/** A search: a descriptor of a known person that is not itself in the gallery. */
export interface Probe {
  path: string;
  identity: string;
  descriptor: Float32Array;
}

/** A face that is not in the dev set, keyed e.g. `distractor:sample1.jpg#2`. */
export interface Distractor {
  key: string;
  descriptor: Float32Array;
}

/**
 * The identification gallery and probes: the first image with a descriptor of each identity (in the
 * order of `described`) is enrolled under the identity's name, then distractors fill the gallery up to
 * `size` entries (none when the identities alone reach it); every other image with a descriptor is a
 * probe. `probesNoFace` counts the non-gallery images without a descriptor.
 */
export function buildGallery(
  described: readonly DescribedImage[],
  distractors: readonly Distractor[],
  size: number,
): {
  gallery: GalleryEntry<string>[];
  galleryPaths: Set<string>;
  enrolledIdentities: number;
  distractorsUsed: number;
  probes: Probe[];
  probesNoFace: number;
} {
  const found = withFace(described);
  const enrolled = new Map<string, DescribedImage & { descriptor: Float32Array }>();
  for (const d of found) {
    if (!enrolled.has(d.identity)) enrolled.set(d.identity, d);
  }
  const gallery: GalleryEntry<string>[] = [...enrolled.values()].map((d) => ({
    key: d.identity,
    descriptors: [d.descriptor],
  }));
  const fill = distractors.slice(0, Math.max(0, size - gallery.length));
  gallery.push(...fill.map((d) => ({ key: d.key, descriptors: [d.descriptor] })));
  const galleryPaths = new Set([...enrolled.values()].map((d) => d.path));
  const probes: Probe[] = found
    .filter((d) => !galleryPaths.has(d.path))
    .map((d) => ({ path: d.path, identity: d.identity, descriptor: d.descriptor }));
  const probesNoFace = described.filter((d) => !d.descriptor && !galleryPaths.has(d.path)).length;
  return {
    gallery,
    galleryPaths,
    enrolledIdentities: enrolled.size,
    distractorsUsed: fill.length,
    probes,
    probesNoFace,
  };
}

/**
 * Rank-1 identification rate (NIST FRVT 1:N): share of probes whose nearest gallery entry
 * (`rankGallery`; on equal distances the earlier entry) has the probe's identity as key, as `rate`.
 */
export function rank1(probes: readonly Probe[], gallery: readonly GalleryEntry<string>[]): number {
  const hits = probes.filter((p) => rankGallery(p.descriptor, gallery)[0]?.key === p.identity).length;
  return rate(hits, probes.length);
}

/** Counts of `decideMatch` outcomes over the probes at one operating point. */
export interface DecisionTally {
  probes: number;
  /** Accepted, and the candidate is the probe's identity. */
  correct: number;
  /** Accepted, but the candidate is someone else. */
  wrong: number;
  /** Rejected for any reason other than the margin (best distance above maxDistance, empty gallery). */
  rejectByDistance: number;
  /** Rejected because the runner-up was closer than minMargin behind the best. */
  rejectByMargin: number;
  /** Accepted when the probe's own identity is removed from the gallery (counts towards FPIR). */
  unenrolledAccepts: number;
}

/** Runs `decideMatch` for every probe, with and without its own identity in the gallery, and counts. */
export function tallyDecisions(
  probes: readonly Probe[],
  gallery: readonly GalleryEntry<string>[],
  thresholds: MatchThresholds,
): DecisionTally {
  const tally: DecisionTally = {
    probes: probes.length,
    correct: 0,
    wrong: 0,
    rejectByDistance: 0,
    rejectByMargin: 0,
    unenrolledAccepts: 0,
  };
  for (const probe of probes) {
    const decision = decideMatch(probe.descriptor, gallery, thresholds);
    if (decision.kind === 'match') {
      if (decision.best.key === probe.identity) tally.correct++;
      else tally.wrong++;
    } else if (decision.reason === 'margin_below_threshold') tally.rejectByMargin++;
    else tally.rejectByDistance++;
    // the same person when not enrolled (e.g. no appointment now): any accept is a false positive
    const others = gallery.filter((g) => g.key !== probe.identity);
    if (decideMatch(probe.descriptor, others, thresholds).kind === 'match') tally.unenrolledAccepts++;
  }
  return tally;
}

/** One row of the identification grid, as written to face.json; shares of the probes (`rate`). */
export interface IdentificationPoint extends MatchThresholds {
  correctAccept: number;
  wrongAccept: number;
  reject: number;
  rejectByDistance: number;
  rejectByMargin: number;
  /** FPIR (NIST FRVT 1:N) with each probe's own identity removed from the gallery. */
  unenrolledFalseAccept: number;
}

/** The shares of a `DecisionTally` (each `rate` over `tally.probes`), keyed as in face.json. */
export function operatingPoint(thresholds: MatchThresholds, tally: DecisionTally): IdentificationPoint {
  const n = tally.probes;
  return {
    ...thresholds,
    correctAccept: rate(tally.correct, n),
    wrongAccept: rate(tally.wrong, n),
    reject: rate(tally.rejectByDistance + tally.rejectByMargin, n),
    rejectByDistance: rate(tally.rejectByDistance, n),
    rejectByMargin: rate(tally.rejectByMargin, n),
    unenrolledFalseAccept: rate(tally.unenrolledAccepts, n),
  };
}

/** `identification()` result, as written to face.json (part of `identification`). */
export interface IdentificationResult {
  probes: number;
  rank1: number;
  grid: IdentificationPoint[];
}

/** 1:N figures: probe count, `rank1`, and an `operatingPoint` per `decideMatch` threshold pair of `grid`. */
export function identification(
  gallery: readonly GalleryEntry<string>[],
  probes: readonly Probe[],
  grid: readonly MatchThresholds[],
): IdentificationResult {
  return {
    probes: probes.length,
    rank1: rank1(probes, gallery),
    grid: grid.map((thresholds) => operatingPoint(thresholds, tallyDecisions(probes, gallery, thresholds))),
  };
}
