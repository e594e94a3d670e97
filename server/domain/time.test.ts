/** Small tests of clinic calendar arithmetic: days across month, year and DST changes; weeks from Monday. */
import { describe, expect, it } from 'vitest';
import { addDays, clinicDate, weekStart } from './time.ts';

describe('clinic calendar', () => {
  it('adds days across months, years, leap days and DST changes', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // Lisbon moves to summer time on 29 March
    expect(addDays('2026-11-21', 0)).toBe('2026-11-21');
  });

  it('starts weeks on Monday', () => {
    expect(weekStart('2026-11-16')).toBe('2026-11-16'); // Monday
    expect(weekStart('2026-11-21')).toBe('2026-11-16'); // Saturday
    expect(weekStart('2026-11-22')).toBe('2026-11-16'); // Sunday
    expect(weekStart('2027-01-02')).toBe('2026-12-28'); // across a new year
  });

  it('dates an instant in Lisbon, not in UTC', () => {
    expect(clinicDate(Date.parse('2026-06-14T23:30:00Z'))).toBe('2026-06-15'); // UTC+1 in summer
    expect(clinicDate(Date.parse('2026-11-21T23:30:00Z'))).toBe('2026-11-21'); // UTC+0 in winter
  });
});
