/**
 * 1:N matching of a probe descriptor against a small gallery (pure).
 *
 * Descriptors are face-api's Float32Array(128); distance is Euclidean (face-api's `euclideanDistance`,
 * same-person threshold 0.6 by default). Because the false-positive identification rate of a 1:N search
 * grows roughly with gallery size (FPIR ≈ N × FMR; shared/reference/face-check-in.md), a candidate is
 * returned only when (a) its distance is at most `maxDistance` and (b) the runner-up identity is at
 * least `minMargin` further away. The patient then confirms on screen.
 */

/** One enrolled identity; `descriptors` are the enrolment samples (distance = minimum over them). */
export interface GalleryEntry<K> {
  key: K;
  descriptors: Float32Array[];
}

export interface MatchThresholds {
  /** Largest accepted Euclidean distance (0..2 for unit-length 128-d descriptors). */
  maxDistance: number;
  /** Smallest accepted gap between the best and the second-best identity. */
  minMargin: number;
}

export interface Ranked<K> {
  key: K;
  distance: number;
}

export type MatchDecision<K> =
  | { kind: 'match'; best: Ranked<K>; runnerUp: Ranked<K> | null; margin: number }
  | {
      kind: 'no_match';
      reason: 'empty_gallery' | 'distance_above_threshold' | 'margin_below_threshold';
      best: Ranked<K> | null;
      runnerUp: Ranked<K> | null;
    };

/** Euclidean distance between two equal-length descriptors. @throws RangeError on a length mismatch. */
export function euclideanDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`descriptor lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** Every identity with its smallest distance to the probe, nearest first. */
export function rankGallery<K>(probe: Float32Array, gallery: readonly GalleryEntry<K>[]): Ranked<K>[] {
  const ranked: Ranked<K>[] = [];
  for (const entry of gallery) {
    let best = Infinity;
    for (const d of entry.descriptors) best = Math.min(best, euclideanDistance(probe, d));
    if (Number.isFinite(best)) ranked.push({ key: entry.key, distance: best });
  }
  return ranked.sort((a, b) => a.distance - b.distance);
}

/** Applies the distance and margin thresholds to the ranked gallery; the reason says which one failed. */
export function decideMatch<K>(
  probe: Float32Array,
  gallery: readonly GalleryEntry<K>[],
  thresholds: MatchThresholds,
): MatchDecision<K> {
  const ranked = rankGallery(probe, gallery);
  return decideRanked(ranked[0] ?? null, ranked[1] ?? null, thresholds);
}

/**
 * The rules of `decideMatch` applied to an already found nearest identity (`best`) and the nearest
 * other identity (`runnerUp`): accepted when best.distance ≤ maxDistance and runnerUp.distance −
 * best.distance ≥ minMargin (no runner-up: margin = Infinity); `best` null means an empty gallery.
 */
export function decideRanked<K>(
  best: Ranked<K> | null,
  runnerUp: Ranked<K> | null,
  thresholds: MatchThresholds,
): MatchDecision<K> {
  if (!best) return { kind: 'no_match', reason: 'empty_gallery', best, runnerUp };
  if (best.distance > thresholds.maxDistance)
    return { kind: 'no_match', reason: 'distance_above_threshold', best, runnerUp };
  const margin = runnerUp ? runnerUp.distance - best.distance : Infinity;
  if (margin < thresholds.minMargin)
    return { kind: 'no_match', reason: 'margin_below_threshold', best, runnerUp };
  return { kind: 'match', best, runnerUp, margin };
}

/**
 * A gallery laid out for a fast 1:N search: `rows` descriptors of `dim` floats back to back in `data`
 * (row r = data[r·dim … (r+1)·dim)), and `identity[r]`, a small integer naming whose enrolment sample
 * row r is (several rows may share one identity). Identities are 0 … identityCount − 1.
 */
export interface FlatGallery {
  data: Float32Array;
  identity: Int32Array;
  rows: number;
  dim: number;
  identityCount: number;
}

/** Nearest identity and nearest other identity of a flat search; distances are Euclidean. */
export interface NearestTwo {
  best: Ranked<number> | null;
  runnerUp: Ranked<number> | null;
  /** Identities that took part (allowed and with at least one row). */
  identities: number;
}

/**
 * 1:N search over a `FlatGallery`: the nearest identity and the nearest other identity, as `rankGallery`
 * ranks them (an identity's distance is the minimum over its rows). Only identities with
 * `allowed[identity] !== 0` take part (all when `allowed` is omitted).
 *
 * One pass of squared distances with four partial sums per row (the CPU adds them in parallel, which is
 * what makes it ~2× faster than one running sum), the probe widened to float64 once; a row is abandoned
 * as soon as its partial sum exceeds the current runner-up's (it can then change neither result). The
 * two rows found are then measured again exactly as `euclideanDistance` does, so the reported distances
 * are bit-identical to it. Only rows whose squared distances differ by rounding (~1e-16) can be ordered
 * differently from `rankGallery`; on an exact tie of two identities, which one is `best` may differ too.
 * @throws RangeError when the probe's length is not `gallery.dim` or `dim` is not a multiple of 4
 */
export function nearestTwo(probe: Float32Array, gallery: FlatGallery, allowed?: Uint8Array): NearestTwo {
  const { data, identity, rows, dim } = gallery;
  if (probe.length !== dim) throw new RangeError(`descriptor lengths differ: ${probe.length} vs ${dim}`);
  if (dim % 4 !== 0) throw new RangeError(`descriptor length ${dim} is not a multiple of 4`);
  const q = Float64Array.from(probe);
  let bestKey = -1;
  let bestRow = -1;
  let bestSq = Infinity;
  let secondKey = -1;
  let secondRow = -1;
  let secondSq = Infinity;
  const seen = new Uint8Array(gallery.identityCount);
  let identities = 0;
  for (let r = 0; r < rows; r++) {
    const key = identity[r]!;
    if (allowed !== undefined && allowed[key] === 0) continue;
    if (seen[key] === 0) {
      seen[key] = 1;
      identities += 1;
    }
    let b = r * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < dim; j += 4, b += 4) {
      const d0 = q[j]! - data[b]!;
      const d1 = q[j + 1]! - data[b + 1]!;
      const d2 = q[j + 2]! - data[b + 2]!;
      const d3 = q[j + 3]! - data[b + 3]!;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
      // Every 32 values: often enough to skip much of a far row, rarely enough to stay cheap.
      if ((j & 31) === 28 && s0 + s1 + s2 + s3 > secondSq) break;
    }
    const sum = s0 + s1 + s2 + s3;
    if (sum > secondSq) continue;
    if (key === bestKey) {
      if (sum < bestSq) {
        bestSq = sum;
        bestRow = r;
      }
    } else if (sum < bestSq) {
      secondKey = bestKey;
      secondRow = bestRow;
      secondSq = bestSq;
      bestKey = key;
      bestRow = r;
      bestSq = sum;
    } else if (sum < secondSq) {
      secondKey = key;
      secondRow = r;
      secondSq = sum;
    }
  }
  const exact = (row: number) => euclideanDistance(probe, data.subarray(row * dim, (row + 1) * dim));
  return {
    best: bestKey < 0 ? null : { key: bestKey, distance: exact(bestRow) },
    runnerUp: secondKey < 0 ? null : { key: secondKey, distance: exact(secondRow) },
    identities,
  };
}

/**
 * The mean of several probe descriptors (element-wise arithmetic mean): the kiosk's fusion of the frames
 * of one presentation (issue 14, part 3). Template-level fusion: the frames' descriptors are averaged and
 * the mean searched once, which `npm run bench` measured as good as score-level fusion on photo sequences
 * and better on the real recorded clip (docs/benchmarks.md, "Open-set identification"), at the cost of
 * one `nearestTwo` per frame.
 * @returns null for no descriptors
 * @throws RangeError when the descriptors differ in length
 */
export function meanDescriptor(descriptors: readonly Float32Array[]): Float32Array | null {
  const first = descriptors[0];
  if (!first) return null;
  const sum = new Float64Array(first.length);
  for (const d of descriptors) {
    if (d.length !== first.length) throw new RangeError(`lengths differ: ${d.length} vs ${first.length}`);
    for (let i = 0; i < d.length; i++) sum[i] = sum[i]! + d[i]!;
  }
  return Float32Array.from(sum, (v) => v / descriptors.length);
}

/**
 * Every identity's distance to the probe (the minimum over its rows, Euclidean, as `rankGallery` measures
 * it) as a Float32Array(gallery.identityCount); identities not allowed (`allowed[i] === 0`) or without a
 * row get Infinity. One full pass over the allowed rows (no early abandoning: every allowed identity
 * needs its distance for `fuseDistances`), so it costs what a flat 1:N loop costs.
 * @throws RangeError when the probe's length is not `gallery.dim`
 */
export function identityDistances(
  probe: Float32Array,
  gallery: FlatGallery,
  allowed?: Uint8Array,
): Float32Array {
  const { data, identity, rows, dim } = gallery;
  if (probe.length !== dim) throw new RangeError(`descriptor lengths differ: ${probe.length} vs ${dim}`);
  const out = new Float32Array(gallery.identityCount).fill(Infinity);
  const q = Float64Array.from(probe);
  for (let r = 0; r < rows; r++) {
    const key = identity[r]!;
    if (allowed !== undefined && allowed[key] === 0) continue;
    let sum = 0;
    for (let j = 0, b = r * dim; j < dim; j++, b++) {
      const d = q[j]! - data[b]!;
      sum += d * d;
    }
    const distance = Math.sqrt(sum);
    if (distance < out[key]!) out[key] = distance;
  }
  return out;
}

/**
 * Score-level fusion of a sequence of frames (issue 14, part 3): each identity's fused distance is the
 * mean of its per-frame distances (`identityDistances` of each frame, all over the same gallery), and the
 * nearest and the nearest other identity by that mean are returned for `decideRanked`. Averaging the
 * scores of several frames of one presentation reduces the frame-to-frame spread of a genuine distance
 * (pose, blur, expression) before the threshold is applied, instead of requiring every frame to pass on
 * its own (mean-rule score fusion; Kittler et al., "On combining classifiers", IEEE TPAMI 20(3), 1998).
 * An identity that is Infinity in any frame (not allowed) is left out.
 * @returns best / runnerUp keyed by identity index (null when fewer identities), and the identities that
 *   took part
 * @throws RangeError when frames have different lengths
 */
export function fuseDistances(frames: readonly Float32Array[]): NearestTwo {
  if (frames.length === 0) return { best: null, runnerUp: null, identities: 0 };
  const n = frames[0]!.length;
  for (const f of frames)
    if (f.length !== n) throw new RangeError(`frames differ in length: ${f.length} vs ${n}`);
  let best: Ranked<number> | null = null;
  let runnerUp: Ranked<number> | null = null;
  let identities = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const f of frames) sum += f[i]!;
    if (!Number.isFinite(sum)) continue;
    identities += 1;
    const distance = sum / frames.length;
    if (!best || distance < best.distance) {
      runnerUp = best;
      best = { key: i, distance };
    } else if (!runnerUp || distance < runnerUp.distance) {
      runnerUp = { key: i, distance };
    }
  }
  return { best, runnerUp, identities };
}
