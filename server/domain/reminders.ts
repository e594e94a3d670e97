/**
 * When to send appointment reminders: `hours` before the start (clinic setting, default 24 h and 2 h),
 * never in the clinic's quiet hours (default 21:00–09:00 local time). A reminder that would fall in quiet
 * hours is sent earlier instead, at the last minute before that quiet period began (a reminder later than
 * planned could arrive too late to act on); one whose time has already passed is dropped, and when two
 * land on the same minute only the nearer one (fewer hours) is kept. Times are UTC instants; the quiet
 * window is in minutes after local midnight in `timeZone` and may wrap midnight.
 */
import { TZDate } from '@date-fns/tz';

/** Quiet hours: no reminder is sent from `startMin` until `endMin` (minutes after local midnight). */
export interface QuietHours {
  startMin: number;
  endMin: number;
}

/** True when local minute-of-day `m` is inside the quiet window (which may wrap midnight). */
export function inQuietHours(m: number, q: QuietHours): boolean {
  if (q.startMin === q.endMin) return false;
  return q.startMin < q.endMin ? m >= q.startMin && m < q.endMin : m >= q.startMin || m < q.endMin;
}

function minuteOfDay(at: Date, timeZone: string): number {
  const z = new TZDate(at.getTime(), timeZone);
  return z.getHours() * 60 + z.getMinutes();
}

/** The last minute before the quiet period that contains `at` began (local time, DST-safe). */
export function beforeQuiet(at: Date, q: QuietHours, timeZone: string): Date {
  const z = new TZDate(at.getTime(), timeZone);
  // The quiet period began at startMin today if we are past it, else yesterday (a wrapping window).
  const start = new TZDate(z.getFullYear(), z.getMonth(), z.getDate(), 0, 0, 0, timeZone);
  start.setMinutes(q.startMin);
  if (start.getTime() > at.getTime()) start.setDate(start.getDate() - 1);
  return new Date(start.getTime() - 60_000);
}

/**
 * The reminders to schedule for an appointment.
 * @param startsAt the appointment's start
 * @param hours offsets before the start, e.g. [24, 2]
 * @param nowMs now; reminders at or before it are dropped
 * @returns one entry per kept offset, earliest first: `{ hours, at }`
 */
export function reminderTimes(
  startsAt: Date,
  hours: readonly number[],
  quiet: QuietHours,
  nowMs: number,
  timeZone = 'Europe/Lisbon',
): { hours: number; at: Date }[] {
  const out = new Map<number, { hours: number; at: Date }>();
  for (const h of [...new Set(hours)].sort((a, b) => a - b)) {
    let at = new Date(startsAt.getTime() - h * 3_600_000);
    if (inQuietHours(minuteOfDay(at, timeZone), quiet)) at = beforeQuiet(at, quiet, timeZone);
    if (at.getTime() <= nowMs) continue;
    if (!out.has(at.getTime())) out.set(at.getTime(), { hours: h, at });
  }
  return [...out.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}
