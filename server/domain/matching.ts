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
  const best = ranked[0] ?? null;
  const runnerUp = ranked[1] ?? null;
  if (!best) return { kind: 'no_match', reason: 'empty_gallery', best, runnerUp };
  if (best.distance > thresholds.maxDistance)
    return { kind: 'no_match', reason: 'distance_above_threshold', best, runnerUp };
  const margin = runnerUp ? runnerUp.distance - best.distance : Infinity;
  if (margin < thresholds.minMargin)
    return { kind: 'no_match', reason: 'margin_below_threshold', best, runnerUp };
  return { kind: 'match', best, runnerUp, margin };
}
