/** Small tests of name masking for public screens and of clinic time in Europe/Lisbon (DST). */
import { describe, expect, it } from 'vitest';
import { firstNameInitial, initials, publicName } from './names.ts';
import { clinicDate, clinicDayBounds, clinicTime } from './time.ts';

describe('public names', () => {
  it('masks per clinic policy and never returns the full name', () => {
    expect(publicName('Ana Sofia Mendes', 'A007', 'first_name_initial')).toBe('Ana M.');
    expect(publicName('Ana Sofia Mendes', 'A007', 'initials')).toBe('A. M.');
    expect(publicName('Ana Sofia Mendes', 'A007', 'ticket')).toBe('A007');
    expect(publicName('Ana Sofia Mendes', null, 'ticket')).toBe('—');
  });

  it('handles single names and extra spaces', () => {
    expect(firstNameInitial('  Madonna ')).toBe('Madonna');
    expect(initials('joão   silva')).toBe('J. S.');
  });
});

describe('clinic time (Europe/Lisbon)', () => {
  it('bounds a summer day at 23:00 UTC and a winter day at 00:00 UTC', () => {
    expect(clinicDayBounds('2026-07-10').start.toISOString()).toBe('2026-07-09T23:00:00.000Z');
    expect(clinicDayBounds('2026-11-21').start.toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(clinicDayBounds('2026-11-21').end.toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });

  it('has a 23-hour day when the clocks go forward', () => {
    const { start, end } = clinicDayBounds('2026-03-29');
    expect((end.getTime() - start.getTime()) / 3600_000).toBe(23);
  });

  it('maps instants to the clinic date and wall-clock times to UTC', () => {
    expect(clinicDate(Date.parse('2026-07-09T23:30:00Z'))).toBe('2026-07-10');
    expect(clinicTime('2026-07-10', 9, 30).toISOString()).toBe('2026-07-10T08:30:00.000Z');
  });
});
