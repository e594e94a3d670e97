/** identityDistances and fuseDistances (score-level fusion over a kiosk sequence). */
import { describe, expect, it } from 'vitest';
import {
  euclideanDistance,
  fuseDistances,
  identityDistances,
  meanDescriptor,
  rankGallery,
  type FlatGallery,
} from './matching.ts';

function flat(rows: { id: number; v: number[] }[], identityCount: number, dim = 4): FlatGallery {
  const data = new Float32Array(rows.length * dim);
  const identity = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    data.set(r.v, i * dim);
    identity[i] = r.id;
  });
  return { data, identity, rows: rows.length, dim, identityCount };
}

const g = flat(
  [
    { id: 0, v: [1, 0, 0, 0] },
    { id: 0, v: [0.8, 0.2, 0, 0] },
    { id: 1, v: [0, 1, 0, 0] },
    { id: 2, v: [0, 0, 1, 0] },
  ],
  4,
);

describe('identityDistances', () => {
  it('gives each identity its nearest row, as rankGallery does, and Infinity to identities without rows', () => {
    const probe = Float32Array.from([0.7, 0.3, 0, 0]);
    const d = identityDistances(probe, g);
    const ranked = rankGallery(probe, [
      { key: 0, descriptors: [g.data.subarray(0, 4), g.data.subarray(4, 8)] },
      { key: 1, descriptors: [g.data.subarray(8, 12)] },
      { key: 2, descriptors: [g.data.subarray(12, 16)] },
    ]);
    for (const r of ranked) expect(d[r.key]).toBeCloseTo(r.distance, 6);
    expect(d[0]).toBeCloseTo(euclideanDistance(probe, Float32Array.from([0.8, 0.2, 0, 0])), 6);
    expect(d[3]).toBe(Infinity);
  });

  it('leaves out identities the mask does not allow', () => {
    const d = identityDistances(Float32Array.from([1, 0, 0, 0]), g, Uint8Array.from([0, 1, 1, 1]));
    expect(d[0]).toBe(Infinity);
    expect(d[1]).toBeCloseTo(Math.SQRT2, 6);
  });

  it('refuses a probe of the wrong length', () => {
    expect(() => identityDistances(new Float32Array(3), g)).toThrow(RangeError);
  });
});

describe('fuseDistances', () => {
  it('ranks identities by their mean distance over the frames', () => {
    // Identity 0 wins two frames narrowly and loses one badly; identity 1 is steady.
    const frames = [
      Float32Array.from([0.4, 0.45, 0.9]),
      Float32Array.from([0.42, 0.44, 0.9]),
      Float32Array.from([0.7, 0.46, 0.9]),
    ];
    const fused = fuseDistances(frames);
    expect(fused.best?.key).toBe(1);
    expect(fused.best?.distance).toBeCloseTo(0.45, 6);
    expect(fused.runnerUp?.key).toBe(0);
    expect(fused.runnerUp?.distance).toBeCloseTo(0.5066667, 6);
    expect(fused.identities).toBe(3);
  });

  it('leaves out an identity that is Infinity in any frame, and handles no frames', () => {
    const fused = fuseDistances([Float32Array.from([0.3, Infinity]), Float32Array.from([0.35, 0.1])]);
    expect(fused.best).toEqual({ key: 0, distance: expect.closeTo(0.325, 6) });
    expect(fused.runnerUp).toBeNull();
    expect(fused.identities).toBe(1);
    expect(fuseDistances([])).toEqual({ best: null, runnerUp: null, identities: 0 });
  });

  it('refuses frames of different lengths', () => {
    expect(() => fuseDistances([new Float32Array(2), new Float32Array(3)])).toThrow(RangeError);
  });
});

describe('meanDescriptor', () => {
  it('averages element-wise, and gives null for no descriptors', () => {
    const mean = meanDescriptor([Float32Array.from([1, 0, 2, 4]), Float32Array.from([0, 1, 4, 0])]);
    expect(Array.from(mean!)).toEqual([0.5, 0.5, 3, 2]);
    expect(meanDescriptor([])).toBeNull();
    expect(() => meanDescriptor([new Float32Array(2), new Float32Array(3)])).toThrow(RangeError);
  });
});
