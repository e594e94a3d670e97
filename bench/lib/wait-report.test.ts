/** Tests of the wait report's formatting helpers and of the summary's shape on a minimal result. */
import { describe, expect, it } from 'vitest';
import { hours, minutes, sameSetting, settingLabel } from './wait-report.ts';

describe('formatting', () => {
  it('formats minutes, hours and settings', () => {
    expect(minutes(3.256)).toBe('3.26');
    expect(minutes(NaN)).toBe('n/a');
    expect(hours(18.88)).toBe('18:53'); // 0.88 h = 52.8 min → 53
    expect(hours(9.5)).toBe('09:30');
    expect(settingLabel({ alpha: 0.2, minSamples: 5, deviationFactor: 0.5 })).toBe('α 0.2 · n 5 · k 0.5');
    expect(
      sameSetting(
        { alpha: 0.2, minSamples: 5, deviationFactor: 0.5 },
        { alpha: 0.2, minSamples: 5, deviationFactor: 1 },
      ),
    ).toBe(false);
  });
});
