/**
 * Live availability: which start times a patient can book, from a clinic's opening hours, each
 * practitioner's weekly schedule, their busy intervals (appointments, live holds, time off) and the
 * specialty's duration. Pure: the central API feeds it rows and the current time.
 *
 * Rules (../shared/reference/booking.md):
 * - Wall-clock times are minutes after local midnight in the clinic's zone (Europe/Lisbon); each candidate
 *   start is converted to a UTC instant for that calendar day, so a 23-hour (last Sunday of March) or
 *   25-hour (last Sunday of October) day gets the right instants; a local time that does not exist that day
 *   (the skipped hour) is never offered.
 * - Starts lie on a grid of `stepMin` minutes from local midnight, inside a schedule block and inside the
 *   opening hours, and the session (`durationMin` real minutes) must end inside both.
 * - The practitioner's time is blocked from the start until end + `bufferMin`; that blocked range must not
 *   overlap any busy interval. Intervals are half-open `[start, end)`: back-to-back does not overlap.
 * - Nothing before `earliestMs` (now + minimum notice) or at/after `latestMs` (the booking horizon).
 */
import { addDays, CLINIC_TZ, clinicDate, clinicTime } from './time.ts';

const HH_MM = new Intl.DateTimeFormat('en-GB', {
  timeZone: CLINIC_TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A half-open interval of UTC instants, ms since epoch: `[start, end)`. */
export interface Interval {
  start: number;
  end: number;
}

/** A weekly wall-clock block: ISO weekday (1 = Monday … 7 = Sunday), minutes after local midnight. */
export interface WeeklyBlock {
  weekday: number;
  startMin: number;
  endMin: number;
}

/** One practitioner's inputs. `busy` may be in any order and may overlap. */
export interface PractitionerAvailabilityInput {
  id: string;
  schedule: WeeklyBlock[];
  busy: Interval[];
}

/** Everything `availability` needs. */
export interface AvailabilityInput {
  /** First local calendar date, 'YYYY-MM-DD'. */
  from: string;
  /** Number of calendar days from `from` (1–56). */
  days: number;
  durationMin: number;
  bufferMin: number;
  stepMin: number;
  earliestMs: number;
  latestMs: number;
  openingHours: WeeklyBlock[];
  practitioners: PractitionerAvailabilityInput[];
}

/** A bookable start: UTC ISO instants and which practitioners are free for it. */
export interface Slot {
  startsAt: string;
  endsAt: string;
  practitionerIds: string[];
}

/** One local day of slots. */
export interface AvailabilityDay {
  date: string;
  slots: Slot[];
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date 'YYYY-MM-DD'. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Intersection of two lists of [startMin, endMin) wall-clock blocks. */
function intersect(a: WeeklyBlock[], b: WeeklyBlock[]): { startMin: number; endMin: number }[] {
  const out: { startMin: number; endMin: number }[] = [];
  for (const x of a) {
    for (const y of b) {
      const s = Math.max(x.startMin, y.startMin);
      const e = Math.min(x.endMin, y.endMin);
      if (s < e) out.push({ startMin: s, endMin: e });
    }
  }
  return out;
}

/** Local midnight of a date as a UTC instant, and whether that day has 24 hours (no DST change). */
const dayCache = new Map<string, { midnight: number; regular: boolean }>();

function dayInfo(date: string): { midnight: number; regular: boolean } {
  let info = dayCache.get(date);
  if (!info) {
    const midnight = clinicTime(date, 0, 0).getTime();
    const next = clinicTime(addDays(date, 1), 0, 0).getTime();
    info = { midnight, regular: next - midnight === 86_400_000 };
    if (dayCache.size > 4096) dayCache.clear();
    dayCache.set(date, info);
  }
  return info;
}

/**
 * The UTC instant of a local wall-clock minute on `date`, or null when that time does not exist (DST gap).
 * On a 24-hour day (all but two a year) it is local midnight + the minutes; only the two DST days go
 * through the zone library minute by minute (this function runs once per candidate start).
 */
export function localMinuteToInstant(date: string, minute: number): number | null {
  if (minute >= 1440) return localMinuteToInstant(addDays(date, 1), minute - 1440);
  const day = dayInfo(date);
  if (day.regular) return day.midnight + minute * 60_000;
  const hour = Math.floor(minute / 60);
  const min = minute % 60;
  const t = clinicTime(date, hour, min).getTime();
  // A skipped local time is shifted by the zone library; reading it back tells.
  const back = new Date(t);
  const local = HH_MM.format(back);
  const expected = `${String(hour).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
  return local === expected && clinicDate(back) === date ? t : null;
}

/** True when `[start, end)` overlaps an interval of the sorted, merged `busy` list. */
function overlapsAny(busy: Interval[], start: number, end: number): boolean {
  // Binary search for the first busy interval ending after `start`.
  let lo = 0;
  let hi = busy.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (busy[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < busy.length && busy[lo]!.start < end;
}

/** Sorts and merges intervals (so `overlapsAny` can binary-search). */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.start < i.end).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/**
 * Bookable slots per local day, each listing the practitioners free for it (in input order).
 * Days with no slot are included with an empty list, so a calendar can show them as full.
 */
export function availability(input: AvailabilityInput): AvailabilityDay[] {
  const durationMs = input.durationMin * 60_000;
  const blockedMs = (input.durationMin + input.bufferMin) * 60_000;
  const prepared = input.practitioners.map((p) => ({ ...p, busy: mergeIntervals(p.busy) }));
  const days: AvailabilityDay[] = [];
  for (let i = 0; i < input.days; i++) {
    const date = addDays(input.from, i);
    const weekday = isoWeekday(date);
    const opening = input.openingHours.filter((o) => o.weekday === weekday);
    const byStart = new Map<number, Slot>();
    for (const p of prepared) {
      const blocks = intersect(
        p.schedule.filter((s) => s.weekday === weekday),
        opening,
      );
      for (const block of blocks) {
        const first = Math.ceil(block.startMin / input.stepMin) * input.stepMin;
        const blockEnd = localMinuteToInstant(date, block.endMin);
        for (let m = first; m + input.durationMin <= block.endMin; m += input.stepMin) {
          const start = localMinuteToInstant(date, m);
          if (start === null || start < input.earliestMs || start >= input.latestMs) continue;
          const end = start + durationMs;
          // The session must also end inside the block in real time (a 25-hour day stretches it).
          if (blockEnd !== null && end > blockEnd) continue;
          if (overlapsAny(p.busy, start, start + blockedMs)) continue;
          const slot = byStart.get(start);
          if (slot) slot.practitionerIds.push(p.id);
          else
            byStart.set(start, {
              startsAt: new Date(start).toISOString(),
              endsAt: new Date(end).toISOString(),
              practitionerIds: [p.id],
            });
        }
      }
    }
    days.push({ date, slots: [...byStart.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s) });
  }
  return days;
}

/** The earliest slot in `days`, or null. */
export function firstSlot(days: AvailabilityDay[]): Slot | null {
  for (const d of days) if (d.slots.length > 0) return d.slots[0]!;
  return null;
}
