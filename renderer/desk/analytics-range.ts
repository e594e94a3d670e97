/**
 * The analytics page's period (pure): the quick presets, whether a chosen period is valid (the API's own
 * zod contract, so the page and the server agree), and the labels of a bucket on the charts' time axis.
 * Dates are clinic days ('YYYY-MM-DD', Europe/Lisbon); weeks run Monday to Sunday.
 */
import { analyticsQuery, type AnalyticsBucket } from '../../server/domain/schemas.ts';
import { addDays, weekStart } from '../../server/domain/time.ts';

/** The quick periods offered next to the date fields. */
export const RANGE_PRESETS = ['last7d', 'last4w', 'last12w'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** A period of clinic days (both included) and how it is grouped. */
export interface AnalyticsRange {
  from: string;
  to: string;
  by: AnalyticsBucket;
}

/**
 * The period of a preset ending `today`: the last 7 days by day; the last 4 or 12 weeks by week, starting
 * on a Monday so that every week but the current one is whole.
 */
export function presetRange(preset: RangePreset, today: string): AnalyticsRange {
  switch (preset) {
    case 'last7d':
      return { from: addDays(today, -6), to: today, by: 'day' };
    case 'last4w':
      return { from: addDays(weekStart(today), -21), to: today, by: 'week' };
    case 'last12w':
      return { from: addDays(weekStart(today), -77), to: today, by: 'week' };
  }
}

/** The preset whose dates `range` has on `today` (whatever its grouping), or null for a custom period. */
export function presetOf(range: AnalyticsRange, today: string): RangePreset | null {
  return (
    RANGE_PRESETS.find((p) => {
      const r = presetRange(p, today);
      return r.from === range.from && r.to === range.to;
    }) ?? null
  );
}

/** Whether the API accepts `range` (real dates, `from` ≤ `to`, at most 366 days). */
export function isValidRange(range: AnalyticsRange): boolean {
  return analyticsQuery.safeParse(range).success;
}

/** A clinic day as 'dd/mm' (e.g. '16/11'), the charts' axis label. */
export function shortDay(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}`;
}
