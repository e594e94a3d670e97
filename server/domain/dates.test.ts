/**
 * Small tests of the shared date rules (dates.ts) and the schemas that use them: real calendar dates
 * only, clinic days and appointment instants in 2000–2100, birth dates from 1900 (issue 13).
 */
import { describe, expect, it } from 'vitest';
import { availabilityQuery, holdInput } from './booking.ts';
import { birthDate as accountBirthDate } from './accounts.ts';
import { appointmentInstant, birthDateInFuture, birthDateSchema, clinicDay } from './dates.ts';
import { analyticsQuery, calendarBookingInput, dateQuery, patientInput, slotsQuery } from './schemas.ts';

const ok = (s: { safeParse: (v: unknown) => { success: boolean } }, v: unknown) => s.safeParse(v).success;

describe('clinicDay', () => {
  it('refuses year 0000, year 9999 and dates that do not exist; accepts 2000-01-01 … 2100-12-31', () => {
    for (const bad of ['0000-01-01', '9999-12-31', '2026-02-30', '2025-02-29', '1999-12-31', '2101-01-01'])
      expect(ok(clinicDay, bad), bad).toBe(false);
    for (const good of ['2000-01-01', '2024-02-29', '2026-11-21', '2100-12-31'])
      expect(ok(clinicDay, good), good).toBe(true);
  });
});

describe('appointmentInstant', () => {
  it('refuses years outside 2000–2100 and impossible dates, accepts an offset or Z', () => {
    for (const bad of ['0000-01-01T09:00:00Z', '9999-12-31T09:00:00Z', '2026-02-30T09:00:00Z', '2026-11-21'])
      expect(ok(appointmentInstant, bad), bad).toBe(false);
    for (const good of ['2026-11-21T09:30:00Z', '2026-11-21T09:30:00+01:00', '2100-12-31T23:00:00Z'])
      expect(ok(appointmentInstant, good), good).toBe(true);
  });
});

describe('birth dates', () => {
  it('refuses before 1900-01-01 and impossible dates; the future is the service’s check', () => {
    for (const bad of ['0000-01-01', '1899-12-31', '2026-02-30'])
      expect(ok(birthDateSchema, bad), bad).toBe(false);
    expect(ok(birthDateSchema, '1900-01-01')).toBe(true);
    expect(birthDateInFuture('2026-11-22', '2026-11-21')).toBe(true);
    expect(birthDateInFuture('2026-11-21', '2026-11-21')).toBe(false);
  });
});

const ID = '0190b5a0-0000-7000-8000-000000000000';

describe('the schemas use the rules', () => {
  it('refuses 0000-01-01, 9999-12-31 and 2026-02-30 in every date input of both servers', () => {
    // The same inputs with a good date pass, so each refusal below is the date's.
    for (const d of ['2026-11-20']) {
      expect(ok(dateQuery, { date: d })).toBe(true);
      expect(ok(analyticsQuery, { from: d, to: '2026-11-21' })).toBe(true);
      expect(ok(slotsQuery, { date: d, specialtyId: ID })).toBe(true);
      expect(ok(availabilityQuery, { specialty: 'massage', from: d })).toBe(true);
      expect(ok(patientInput, { fullName: 'Ana Silva', birthDate: '1980-03-07' })).toBe(true);
      expect(ok(calendarBookingInput, { patientId: ID, specialtyId: ID, startsAt: `${d}T09:00:00Z` })).toBe(
        true,
      );
      expect(ok(holdInput, { clinicId: ID, specialty: 'massage', startsAt: `${d}T09:00:00Z` })).toBe(true);
    }
    for (const d of ['0000-01-01', '9999-12-31', '2026-02-30']) {
      expect(ok(dateQuery, { date: d }), d).toBe(false);
      expect(ok(analyticsQuery, { from: d, to: '2026-11-21' }), d).toBe(false);
      expect(ok(slotsQuery, { date: d, specialtyId: ID }), d).toBe(false);
      expect(ok(availabilityQuery, { specialty: 'massage', from: d }), d).toBe(false);
      expect(
        ok(patientInput, { fullName: 'Ana Silva', birthDate: d === '9999-12-31' ? '1899-01-01' : d }),
        d,
      ).toBe(false);
      expect(ok(accountBirthDate, d === '9999-12-31' ? '1899-01-01' : d), d).toBe(false);
      const at = `${d}T09:00:00Z`;
      expect(ok(calendarBookingInput, { patientId: ID, specialtyId: ID, startsAt: at }), at).toBe(false);
      expect(
        ok(holdInput, {
          clinicId: ID,
          specialty: 'massage',
          startsAt: at,
        }),
        at,
      ).toBe(false);
    }
  });
});
