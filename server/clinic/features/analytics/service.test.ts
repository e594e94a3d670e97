/** Small tests of the analytics math: the p90 definition and the rounding of means and shares. */
import { describe, expect, it } from 'vitest';
import { minuteStats, percentile } from './service.ts';

describe('percentile (linear interpolation between closest ranks, NumPy default)', () => {
  it('interpolates at rank p/100 × (n − 1) of the sorted values', () => {
    const oneToTen = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(oneToTen, 90)).toBeCloseTo(9.1, 12); // rank 8.1: 9 + 0.1 × 1
    expect(percentile(oneToTen, 50)).toBe(5.5);
    expect(percentile(oneToTen, 0)).toBe(1);
    expect(percentile(oneToTen, 100)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 90)).toBeNaN();
    expect(oneToTen[0]).toBe(10); // not sorted in place
  });
});

describe('minuteStats', () => {
  it('rounds the mean and p90 to 0.1 min, and has none without a sample', () => {
    expect(minuteStats([10, 10, 11])).toEqual({ count: 3, meanMin: 10.3, p90Min: 10.8 });
    expect(minuteStats([])).toEqual({ count: 0, meanMin: null, p90Min: null });
  });
});
