/**
 * The 1:N cost of a kiosk decision (issue 14 part 3): per frame `identityDistances` over the whole
 * gallery, then `fuseDistances` over the sequence's frames (server/domain/matching.ts), beside one
 * `nearestTwo` (the per-frame search of the old streak rule) and a bare flat loop (squared distances over
 * the same contiguous array keeping the minimum: how fast plain JavaScript goes here; `bench/gallery.ts`
 * uses the same reference and vectors from here).
 *
 * Galleries are random unit vectors in 128-d (mulberry32, seeded), `identities` × `templates` rows; the
 * cost does not depend on the values. Each repeat runs the four measurements in a rotated order after
 * warm-up repeats, so drift in machine load hits all alike. Times are `performance.now()` intervals, ms.
 */
import { mulberry32 } from '../../server/clinic/simulation/rng.ts';
import type { RandomSource } from '../../server/clinic/simulation/rng.ts';
import { fuseDistances, identityDistances, nearestTwo } from '../../server/domain/matching.ts';
import type { FlatGallery } from '../../server/domain/matching.ts';
import { percentile, round } from './metrics.ts';

const DIM = 128;

/** A random unit vector of `DIM` floats (coordinates uniform in [−1, 1), then normalised). */
export function unitVector(rnd: RandomSource, dim = DIM): Float32Array {
  const v = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    v[i] = rnd() * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dim; i++) v[i] = v[i]! / norm;
  return v;
}

/** The bare reference: squared distances over the contiguous rows, index of the minimum only. */
export function flatLoop(probe: Float32Array, data: Float32Array, rows: number, dim = DIM): number {
  let best = Infinity;
  let bestRow = -1;
  for (let r = 0; r < rows; r++) {
    const base = r * dim;
    let sum = 0;
    for (let j = 0; j < dim; j++) {
      const d = probe[j]! - data[base + j]!;
      sum += d * d;
    }
    if (sum < best) {
      best = sum;
      bestRow = r;
    }
  }
  return bestRow;
}

/** Median and p95 (`percentile`, linear interpolation), ms to 3 decimals, and the sample count. */
function stats(samples: readonly number[]) {
  return {
    medianMs: round(percentile(samples, 50), 3),
    p95Ms: round(percentile(samples, 95), 3),
    n: samples.length,
  };
}

/** One gallery shape of the cost table. */
export interface CostCase {
  identities: number;
  templates: number;
  repeats: number;
}

/** Repeats per size: enough samples for a p95 while the largest gallery stays within seconds. */
export const COST_CASES: CostCase[] = [50, 500, 100_000].flatMap((identities) =>
  [1, 3].map((templates) => ({
    identities,
    templates,
    repeats: identities >= 100_000 ? 12 : identities >= 500 ? 300 : 1000,
  })),
);
const WARMUP = 3;

/**
 * Times one gallery shape: per repeat a fresh sequence of `frames` probes (half near an enrolled row,
 * half strangers); `perFrame` = one `identityDistances`; `decision` = `frames` × `identityDistances` +
 * `fuseDistances`; `fuse` = `fuseDistances` alone; `nearestTwo` and `flatLoop` on one probe.
 */
export function timeCase(c: CostCase, frames: number) {
  const rows = c.identities * c.templates;
  const rnd = mulberry32(rows + c.templates);
  const gallery: FlatGallery = {
    data: new Float32Array(rows * DIM),
    identity: Int32Array.from({ length: rows }, (_, r) => r % c.identities),
    rows,
    dim: DIM,
    identityCount: c.identities,
  };
  for (let r = 0; r < rows; r++) gallery.data.set(unitVector(rnd), r * DIM);
  const names = ['decision', 'nearestTwo', 'flatLoop', 'fuse'] as const;
  const times: Record<(typeof names)[number] | 'perFrame', number[]> = {
    decision: [],
    nearestTwo: [],
    flatLoop: [],
    fuse: [],
    perFrame: [],
  };
  let sink = 0;
  let perFrame: Float32Array[] = [];
  for (let i = 0; i < WARMUP + c.repeats; i++) {
    const near = i % 2 === 0;
    const anchor = Math.floor(rnd() * rows);
    const probes = Array.from({ length: frames }, () =>
      near
        ? gallery.data.subarray(anchor * DIM, (anchor + 1) * DIM).map((x) => x + (rnd() - 0.5) * 0.02)
        : unitVector(rnd),
    );
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const t = performance.now();
      if (name === 'decision') {
        const tf = performance.now();
        perFrame = probes.map((p) => identityDistances(p, gallery));
        if (i >= WARMUP) times.perFrame.push((performance.now() - tf) / frames);
        sink += fuseDistances(perFrame).identities;
      } else if (name === 'nearestTwo') sink += nearestTwo(probes[0]!, gallery).identities;
      else if (name === 'flatLoop') sink += flatLoop(probes[0]!, gallery.data, rows);
      else
        sink += fuseDistances(perFrame.length > 0 ? perFrame : [new Float32Array(c.identities)]).identities;
      const ms = performance.now() - t;
      if (i >= WARMUP) times[name].push(ms);
    }
  }
  return {
    identities: c.identities,
    templates: c.templates,
    rows,
    frames,
    identityDistancesPerFrame: stats(times.perFrame),
    decision: stats(times.decision),
    fuseDistances: stats(times.fuse),
    nearestTwo: stats(times.nearestTwo),
    flatLoop: stats(times.flatLoop),
    /** Sum of the results, so no call can be optimised away. */
    checksum: round(sink, 0),
  };
}

/** Every `COST_CASES` shape, in order, for decisions over `frames` frames. */
export function costPass(frames: number) {
  return COST_CASES.map((c) => timeCase(c, frames));
}
