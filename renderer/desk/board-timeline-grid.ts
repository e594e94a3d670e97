/**
 * The timeline's geometry (pure): the 08:00–20:00 hour grid in Europe/Lisbon, cut into 5-minute columns,
 * and where an appointment's block falls on it.
 */
import { CLINIC_TZ } from '../../server/domain/time.ts';

/** The grid's first and last hour, Europe/Lisbon. */
export const TIMELINE_START_HOUR = 8;
export const TIMELINE_END_HOUR = 20;
/** Minutes per grid column. */
export const SLOT_MIN = 5;
/** Minutes the timeline spans (08:00–20:00: 720). */
export const SPAN_MIN = (TIMELINE_END_HOUR - TIMELINE_START_HOUR) * 60;
/** Grid columns of the timeline (144). */
export const TIMELINE_COLUMNS = SPAN_MIN / SLOT_MIN;

const lisbonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: CLINIC_TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Minutes after the timeline's start (08:00 Lisbon) of an instant; negative before, > 720 after. */
export function timelineMinute(at: string | number): number {
  const parts = lisbonClock.formatToParts(new Date(at));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute - TIMELINE_START_HOUR * 60;
}

/**
 * The grid columns (1-based start, span ≥ 1) of an appointment starting `startMin` minutes after 08:00 and
 * lasting `durationMin`, clipped to 08:00–20:00; null when it lies wholly outside.
 */
export function blockColumns(startMin: number, durationMin: number): { start: number; span: number } | null {
  const from = Math.max(0, startMin);
  const to = Math.min(SPAN_MIN, startMin + durationMin);
  if (to <= 0 || from >= SPAN_MIN || to <= from) return null;
  const start = Math.floor(from / SLOT_MIN);
  const end = Math.max(start + 1, Math.ceil(to / SLOT_MIN));
  return { start: start + 1, span: end - start };
}
