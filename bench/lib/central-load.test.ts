/** Unit tests of the central benchmark's answer tally, latency summary and report ratios. */
import { describe, expect, it } from 'vitest';
import { statusKey, summarizeLatency } from './central-load.ts';
import { ratio } from './central-report.ts';

describe('statusKey', () => {
  it('adds the error code of a JSON error body, and nothing to successes or other bodies', () => {
    expect(statusKey(201, '{"hold":{}}')).toBe('201');
    expect(statusKey(409, '{"error":{"code":"slot_unavailable","message":"x"}}')).toBe(
      '409 slot_unavailable',
    );
    expect(statusKey(500, 'Internal Server Error')).toBe('500');
    expect(statusKey(404, null)).toBe('404');
  });
});

describe('summarizeLatency', () => {
  it('interpolates percentiles linearly and rounds to 2 decimals', () => {
    // 1..101: p50 = 51, p95 = 96, p99 = 100.
    const s = summarizeLatency(Array.from({ length: 101 }, (_, i) => 101 - i));
    expect(s).toEqual({ n: 101, p50: 51, p95: 96, p99: 100, mean: 51, max: 101 });
    expect(summarizeLatency([]).n).toBe(0);
  });
});

describe('ratio', () => {
  it('is central ÷ bare, rounded to its size', () => {
    expect(ratio(120, 2)).toBe('×60');
    expect(ratio(3.4, 1)).toBe('×3.4');
    expect(ratio(4, 5000)).toBe('×0.0008');
    expect(ratio(1, 0)).toBe('—');
  });
});
