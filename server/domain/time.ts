/** Clinic time: stored in UTC, shown and bucketed by day in Europe/Lisbon (handles DST via @date-fns/tz). */
import { TZDate } from '@date-fns/tz';

export const CLINIC_TZ = 'Europe/Lisbon';

/** The clinic-local date ('YYYY-MM-DD') of an instant. */
export function clinicDate(at: Date | number): string {
  const d = new TZDate(typeof at === 'number' ? at : at.getTime(), CLINIC_TZ);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** UTC instants bounding a clinic-local day: [start, end). @param date 'YYYY-MM-DD' */
export function clinicDayBounds(date: string): { start: Date; end: Date } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const start = new TZDate(y, m - 1, d, 0, 0, 0, CLINIC_TZ);
  const end = new TZDate(y, m - 1, d + 1, 0, 0, 0, CLINIC_TZ);
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

/** A UTC instant for a clinic-local wall-clock time on `date`. */
export function clinicTime(date: string, hour: number, minute: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, hour, minute, 0, CLINIC_TZ).getTime());
}

const DAY_MS = 86_400_000;

/** A calendar date ('YYYY-MM-DD') plus `days` (negative: minus); calendar arithmetic, no zone involved. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the week of a calendar date ('YYYY-MM-DD'): clinic weeks run Monday to Sunday. */
export function weekStart(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}
