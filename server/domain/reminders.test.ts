/**
 * Reminder scheduling rules: offsets before the start, quiet hours moved earlier (Lisbon, DST-safe),
 * past ones dropped, one per minute.
 */
import { describe, expect, it } from 'vitest';
import { beforeQuiet, inQuietHours, reminderTimes } from './reminders.ts';

const QUIET = { startMin: 21 * 60, endMin: 9 * 60 };
const iso = (xs: { hours: number; at: Date }[]) => xs.map((x) => [x.hours, x.at.toISOString()]);

describe('reminder times', () => {
  it('sends 24 h and 2 h before when both fall outside quiet hours (winter, Lisbon = UTC)', () => {
    const start = new Date('2026-12-10T15:00:00Z');
    expect(iso(reminderTimes(start, [24, 2], QUIET, Date.parse('2026-12-01T10:00:00Z')))).toEqual([
      [24, '2026-12-09T15:00:00.000Z'],
      [2, '2026-12-10T13:00:00.000Z'],
    ]);
  });

  it('moves a reminder that falls in quiet hours to the last minute before they began', () => {
    // 09:30 appointment: 2 h before is 07:30 (quiet) → 20:59 the evening before.
    const start = new Date('2026-12-10T09:30:00Z');
    expect(iso(reminderTimes(start, [2], QUIET, Date.parse('2026-12-01T10:00:00Z')))).toEqual([
      [2, '2026-12-09T20:59:00.000Z'],
    ]);
    // 22:30 the same evening is quiet too → 20:59 that evening.
    expect(beforeQuiet(new Date('2026-12-09T22:30:00Z'), QUIET, 'Europe/Lisbon').toISOString()).toBe(
      '2026-12-09T20:59:00.000Z',
    );
  });

  it('uses Lisbon summer time (UTC+1) for quiet hours', () => {
    // 10:00 Lisbon on 15 July = 09:00Z; 2 h before = 08:00 Lisbon (quiet) → 20:59 Lisbon the day before = 19:59Z.
    const start = new Date('2026-07-15T09:00:00Z');
    expect(iso(reminderTimes(start, [2], QUIET, Date.parse('2026-07-01T10:00:00Z')))).toEqual([
      [2, '2026-07-14T19:59:00.000Z'],
    ]);
  });

  it('drops reminders already past and keeps one per minute (the nearer)', () => {
    const start = new Date('2026-12-10T08:00:00Z');
    // 24 h before = 08:00 (quiet) → 20:59 on the 8th; 2 h before = 06:00 (quiet) → 20:59 on the 9th.
    expect(iso(reminderTimes(start, [24, 2], QUIET, Date.parse('2026-12-09T12:00:00Z')))).toEqual([
      [2, '2026-12-09T20:59:00.000Z'],
    ]);
    // 3 h and 2 h before a 10:00 appointment both fall in quiet hours → the same minute; 2 h is kept.
    expect(iso(reminderTimes(new Date('2026-12-10T10:00:00Z'), [3, 2], QUIET, 0))).toEqual([
      [2, '2026-12-09T20:59:00.000Z'],
    ]);
  });

  it('knows a wrapping and a same-day quiet window', () => {
    expect([20 * 60 + 59, 21 * 60, 0, 8 * 60 + 59, 9 * 60].map((m) => inQuietHours(m, QUIET))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    const lunch = { startMin: 13 * 60, endMin: 14 * 60 };
    expect([12 * 60 + 59, 13 * 60, 13 * 60 + 59, 14 * 60].map((m) => inQuietHours(m, lunch))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(inQuietHours(100, { startMin: 0, endMin: 0 })).toBe(false);
  });
});
