/**
 * Small tests of the flat 1:N search (`nearestTwo`): on seeded random galleries its best and runner-up
 * equal the naive `rankGallery` reference exactly, with masks, several samples per identity and near
 * duplicates; and `decideRanked` on its result gives `decideMatch`'s decision.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32, type RandomSource } from '../simulation/rng.ts';
import {
  decideMatch,
  decideRanked,
  nearestTwo,
  rankGallery,
  type FlatGallery,
  type GalleryEntry,
} from '../../domain/matching.ts';

const DIM = 128;

function unitVector(rnd: RandomSource): Float32Array {
  const v = new Float32Array(DIM);
  let norm = 0;
  for (let i = 0; i < DIM; i++) {
    v[i] = rnd() * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  for (let i = 0; i < DIM; i++) v[i] = v[i]! / Math.sqrt(norm);
  return v;
}

/** A random gallery as both layouts: entries (the reference's) and flat rows (interleaved identities). */
function randomGallery(rnd: RandomSource, identities: number, maxSamples: number) {
  const entries: GalleryEntry<number>[] = [];
  for (let k = 0; k < identities; k++) {
    const base = unitVector(rnd);
    const samples = 1 + Math.floor(rnd() * maxSamples);
    const descriptors = [base];
    for (let s = 1; s < samples; s++) descriptors.push(base.map((x) => x + (rnd() - 0.5) * 0.1));
    entries.push({ key: k, descriptors });
  }
  const rows = entries.flatMap((e) => e.descriptors.map((d) => ({ key: e.key, d })));
  // Shuffle the rows so an identity's samples are not adjacent (the matcher must not rely on it).
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const flat: FlatGallery = {
    data: new Float32Array(rows.length * DIM),
    identity: new Int32Array(rows.length),
    rows: rows.length,
    dim: DIM,
    identityCount: identities,
  };
  rows.forEach((r, i) => {
    flat.data.set(r.d, i * DIM);
    flat.identity[i] = r.key;
  });
  return { entries, flat };
}

describe('nearestTwo (flat 1:N search)', () => {
  it('finds the same best and runner-up as the naive ranking on 300 seeded random galleries', () => {
    const rnd = mulberry32(20261201);
    for (let trial = 0; trial < 300; trial++) {
      const { entries, flat } = randomGallery(rnd, 1 + Math.floor(rnd() * 60), 4);
      // Probe: usually a noisy copy of an enrolled sample (near duplicates), sometimes a stranger.
      const probe =
        rnd() < 0.7
          ? entries[Math.floor(rnd() * entries.length)]!.descriptors[0]!.map((x) => x + (rnd() - 0.5) * 0.02)
          : unitVector(rnd);
      const allowed = rnd() < 0.5 ? undefined : Uint8Array.from(entries, () => (rnd() < 0.6 ? 1 : 0));
      const reference = rankGallery(
        probe,
        entries.filter((e) => !allowed || allowed[e.key] === 1),
      );
      const fast = nearestTwo(probe, flat, allowed);
      expect(fast.best).toEqual(reference[0] ?? null);
      expect(fast.runnerUp).toEqual(reference[1] ?? null);
      expect(fast.identities).toBe(reference.length);
    }
  });

  it('gives decideMatch’s decision for every threshold pair on random galleries', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 100; trial++) {
      const { entries, flat } = randomGallery(rnd, 1 + Math.floor(rnd() * 20), 3);
      const probe = entries[0]!.descriptors[0]!.map((x) => x + (rnd() - 0.5) * 0.2);
      const thresholds = { maxDistance: rnd() * 1.2, minMargin: rnd() * 0.3 };
      const found = nearestTwo(probe, flat);
      expect(decideRanked(found.best, found.runnerUp, thresholds)).toEqual(
        decideMatch(probe, entries, thresholds),
      );
    }
  });

  it('handles an empty gallery, an all-masked gallery and a wrong probe length', () => {
    const { flat } = randomGallery(mulberry32(1), 3, 2);
    const probe = new Float32Array(DIM);
    const none = nearestTwo(probe, flat, new Uint8Array(3));
    expect(none).toEqual({ best: null, runnerUp: null, identities: 0 });
    expect(decideRanked(none.best, none.runnerUp, { maxDistance: 1, minMargin: 0 })).toMatchObject({
      kind: 'no_match',
      reason: 'empty_gallery',
    });
    const empty: FlatGallery = {
      data: new Float32Array(0),
      identity: new Int32Array(0),
      rows: 0,
      dim: DIM,
      identityCount: 0,
    };
    expect(nearestTwo(probe, empty).best).toBeNull();
    expect(() => nearestTwo(new Float32Array(3), flat)).toThrow(RangeError);
  });

  it('never reports one identity as its own runner-up', () => {
    // identity 0 has the two nearest rows; the runner-up must be identity 1.
    const row = (x: number) => Float32Array.from({ length: DIM }, (_, i) => (i === 0 ? x : 0));
    const flat: FlatGallery = {
      data: new Float32Array(3 * DIM),
      identity: Int32Array.from([0, 0, 1]),
      rows: 3,
      dim: DIM,
      identityCount: 2,
    };
    [row(0.1), row(0.2), row(0.9)].forEach((d, i) => flat.data.set(d, i * DIM));
    const found = nearestTwo(row(0), flat);
    expect(found.best).toEqual({ key: 0, distance: Math.fround(0.1) });
    expect(found.runnerUp).toEqual({ key: 1, distance: Math.fround(0.9) });
  });
});
