/**
 * Dates and instants as zod schemas shared by both servers (issue 13: dates accepted year 0000 and 9999).
 * Every one is a real calendar date (2026-02-30 is refused) within a range that makes sense for it;
 * outside it the route answers 400 validation_failed naming the field.
 * - Birth dates: from `MIN_BIRTH_DATE` (1900-01-01); "not in the future" needs the caller's clock, so the
 *   service checks it (`birthDateInFuture`).
 * - Clinic days and appointment instants: years `MIN_YEAR`–`MAX_YEAR` (2000–2100): no clinic day or
 *   booking of this software lies outside, and a far year is a typo or a probe, never a real day.
 */
import { z } from 'zod';

/** Earliest birth date accepted ('YYYY-MM-DD'). */
export const MIN_BIRTH_DATE = '1900-01-01';
/** First year of a clinic day or an appointment instant. */
export const MIN_YEAR = 2000;
/** Last year of a clinic day or an appointment instant. */
export const MAX_YEAR = 2100;

const inYears = (s: string) => {
  const year = Number(s.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
};
const YEARS_MESSAGE = `year outside ${MIN_YEAR}–${MAX_YEAR}`;

/** A clinic day 'YYYY-MM-DD' (Europe/Lisbon): a real calendar date in years 2000–2100. */
export const clinicDay = z.iso.date().refine(inYears, { message: YEARS_MESSAGE });

/**
 * An ISO-8601 instant with an offset or `Z` ('2026-11-21T09:30:00Z'), a real date and time, in years
 * 2000–2100 (the year as written, before the offset is applied).
 */
export const appointmentInstant = z.iso
  .datetime({ offset: true })
  .refine(inYears, { message: YEARS_MESSAGE });

/**
 * A birth date 'YYYY-MM-DD': a real calendar date from 1900-01-01 on; up to today is the service's check
 * (`birthDateInFuture`), which has the clock.
 */
export const birthDateSchema = z.iso
  .date()
  .refine((d) => d >= MIN_BIRTH_DATE, { message: `birth date before ${MIN_BIRTH_DATE}` });

/** True when birth date `date` is after `today` (both 'YYYY-MM-DD'; today itself is allowed: a newborn). */
export function birthDateInFuture(date: string, today: string): boolean {
  return date > today;
}
