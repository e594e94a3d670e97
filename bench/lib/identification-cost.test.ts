/** Unit tests of the cost pass's helpers (the timings themselves are not asserted). */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/clinic/simulation/rng.ts';
import { flatLoop, timeCase, unitVector } from './identification-cost.ts';

describe('flatLoop', () => {
  it('returns the row of the smallest squared distance (the first on a tie)', () => {
    const data = Float32Array.from([0, 0, 0, 0, 3, 4, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
    expect(flatLoop(Float32Array.from([1, 1, 0, 0]), data, 4, 4)).toBe(2);
    expect(flatLoop(Float32Array.from([3, 3, 0, 0]), data, 4, 4)).toBe(1);
  });
});

describe('unitVector', () => {
  it('has length 1 and is seeded', () => {
    const a = unitVector(mulberry32(7));
    expect(a.length).toBe(128);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect(unitVector(mulberry32(7))).toEqual(a);
  });
});

describe('timeCase', () => {
  it('reports every measurement with the requested number of samples', () => {
    const r = timeCase({ identities: 5, templates: 3, repeats: 4 }, 6);
    expect(r.rows).toBe(15);
    for (const k of [
      'identityDistancesPerFrame',
      'decision',
      'fuseDistances',
      'nearestTwo',
      'flatLoop',
    ] as const)
      expect(r[k].n).toBe(4);
  });
});
