/** Small tests of 1:N matching: distance, ranking and the distance/margin decision. */
import { describe, expect, it } from 'vitest';
import { decideMatch, euclideanDistance, rankGallery } from './matching.ts';

const vec = (...xs: number[]) => Float32Array.from([...xs, ...new Array(128 - xs.length).fill(0)]);

describe('1:N matching', () => {
  const gallery = [
    { key: 'ana', descriptors: [vec(1, 0), vec(0.9, 0.1)] },
    { key: 'rui', descriptors: [vec(0, 1)] },
  ];

  it('measures Euclidean distance and rejects descriptors of different lengths', () => {
    expect(euclideanDistance(vec(3, 4), vec(0, 0))).toBeCloseTo(5);
    expect(() => euclideanDistance(new Float32Array(3), new Float32Array(4))).toThrow(RangeError);
  });

  it('ranks identities by their nearest enrolment sample', () => {
    const ranked = rankGallery(vec(0.9, 0.1), gallery);
    expect(ranked.map((r) => r.key)).toEqual(['ana', 'rui']);
    expect(ranked[0]!.distance).toBeCloseTo(0);
  });

  it('accepts only under the distance threshold and with a margin to the runner-up', () => {
    const match = decideMatch(vec(0.95, 0.05), gallery, { maxDistance: 0.3, minMargin: 0.2 });
    expect(match.kind).toBe('match');
    // ana: min(|(0.05,-0.05)|, |(-0.05,0.05)|) = √0.005 ≈ 0.0707; rui: |(0.95,-0.95)| = √1.805 ≈ 1.3435
    expect(match.best?.key).toBe('ana');
    expect(match.best?.distance).toBeCloseTo(Math.sqrt(0.005), 6);
    expect(match.runnerUp?.distance).toBeCloseTo(Math.sqrt(1.805), 6);
    expect(match.kind === 'match' && match.margin).toBeCloseTo(Math.sqrt(1.805) - Math.sqrt(0.005), 6);
    expect(decideMatch(vec(0.5, 0.5), gallery, { maxDistance: 0.3, minMargin: 0.2 })).toMatchObject({
      kind: 'no_match',
      reason: 'distance_above_threshold',
    });
    expect(decideMatch(vec(0.5, 0.5), gallery, { maxDistance: 1, minMargin: 0.2 })).toMatchObject({
      kind: 'no_match',
      reason: 'margin_below_threshold',
    });
    // Exactly at the thresholds is accepted: distance ≤ maxDistance and margin ≥ minMargin.
    const edge = decideMatch(vec(1, 0), [{ key: 'x', descriptors: [vec(0.5, 0)] }], {
      maxDistance: 0.5,
      minMargin: 0,
    });
    expect(edge).toMatchObject({ kind: 'match', best: { key: 'x', distance: 0.5 } });
    expect(decideMatch(vec(1, 0), [], { maxDistance: 1, minMargin: 0 })).toMatchObject({
      kind: 'no_match',
      reason: 'empty_gallery',
    });
  });

  it('accepts a single-entry gallery on distance alone', () => {
    const d = decideMatch(vec(0, 1), [gallery[1]!], { maxDistance: 0.5, minMargin: 0.2 });
    expect(d).toMatchObject({ kind: 'match', runnerUp: null, margin: Infinity });
  });
});
