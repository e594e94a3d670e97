/** Small tests of the analytics page's periods: presets, their recognition, validity, labels. */
import { describe, expect, it } from 'vitest';
import { isValidRange, presetOf, presetRange, shortDay } from './analytics-range.ts';

// Saturday 21 Nov 2026; its week began on Monday 16 Nov.
const TODAY = '2026-11-21';

describe('analytics periods', () => {
  it('ends every preset today; the weekly ones start on a Monday', () => {
    expect(presetRange('last7d', TODAY)).toEqual({ from: '2026-11-15', to: TODAY, by: 'day' });
    expect(presetRange('last4w', TODAY)).toEqual({ from: '2026-10-26', to: TODAY, by: 'week' });
    expect(presetRange('last12w', TODAY)).toEqual({ from: '2026-08-31', to: TODAY, by: 'week' });
  });

  it('recognises a preset whatever the grouping, and nothing for a custom period', () => {
    expect(presetOf({ from: '2026-10-26', to: TODAY, by: 'day' }, TODAY)).toBe('last4w');
    expect(presetOf({ from: '2026-11-14', to: TODAY, by: 'day' }, TODAY)).toBeNull();
  });

  it('accepts what the API accepts', () => {
    expect(isValidRange({ from: '2026-11-15', to: TODAY, by: 'day' })).toBe(true);
    expect(isValidRange({ from: TODAY, to: '2026-11-20', by: 'day' })).toBe(false);
    expect(isValidRange({ from: '2025-11-20', to: TODAY, by: 'week' })).toBe(false); // 367 days
    expect(isValidRange({ from: '', to: TODAY, by: 'day' })).toBe(false);
  });

  it('labels a day dd/mm', () => {
    expect(shortDay('2026-11-05')).toBe('05/11');
  });
});
