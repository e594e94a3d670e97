/**
 * Availability rules: grid, schedules ∩ opening hours, busy intervals with buffer, notice and horizon,
 * and the two DST days in Europe/Lisbon (23-hour and 25-hour days; booking.md).
 */
import { describe, expect, it } from 'vitest';
import {
  availability,
  isoWeekday,
  localMinuteToInstant,
  mergeIntervals,
  type AvailabilityInput,
} from './availability.ts';

const H = 60;
const weekdays = (startMin: number, endMin: number) =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin, endMin }));

function input(over: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    from: '2026-11-23', // a Monday, winter time (UTC+0)
    days: 1,
    durationMin: 45,
    bufferMin: 0,
    stepMin: 15,
    earliestMs: 0,
    latestMs: Number.MAX_SAFE_INTEGER,
    openingHours: weekdays(9 * H, 19 * H),
    practitioners: [{ id: 'p1', schedule: weekdays(9 * H, 12 * H), busy: [] }],
    ...over,
  };
}

const starts = (days: ReturnType<typeof availability>) => days.flatMap((d) => d.slots.map((s) => s.startsAt));

describe('availability', () => {
  it('offers every 15-minute start whose session ends inside the schedule block', () => {
    const s = starts(availability(input()));
    // 09:00 … 11:15 (11:15 + 45 = 12:00): 10 starts; Lisbon is UTC+0 in November.
    expect(s).toHaveLength(10);
    expect(s[0]).toBe('2026-11-23T09:00:00.000Z');
    expect(s.at(-1)).toBe('2026-11-23T11:15:00.000Z');
  });

  it('intersects the schedule with opening hours and respects ISO weekdays', () => {
    const days = availability(
      input({
        days: 7,
        openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMin: 10 * H, endMin: 19 * H })),
      }),
    );
    expect(days.map((d) => [d.date, d.slots.length])).toEqual([
      ['2026-11-23', 6],
      ['2026-11-24', 6],
      ['2026-11-25', 6],
      ['2026-11-26', 6],
      ['2026-11-27', 6],
      ['2026-11-28', 0],
      ['2026-11-29', 0],
    ]);
    expect(days[0]!.slots[0]!.startsAt).toBe('2026-11-23T10:00:00.000Z');
    expect(isoWeekday('2026-11-29')).toBe(7);
  });

  it('keeps the buffer after a session free and treats back-to-back as no overlap', () => {
    const busy = [{ start: Date.parse('2026-11-23T10:00:00Z'), end: Date.parse('2026-11-23T10:45:00Z') }];
    const noBuffer = starts(
      availability(input({ practitioners: [{ id: 'p1', schedule: weekdays(9 * H, 12 * H), busy }] })),
    );
    expect(noBuffer).toContain('2026-11-23T09:15:00.000Z'); // ends 10:00, back-to-back
    expect(noBuffer).not.toContain('2026-11-23T09:30:00.000Z');
    expect(noBuffer).toContain('2026-11-23T10:45:00.000Z');
    const withBuffer = starts(
      availability(
        input({ bufferMin: 10, practitioners: [{ id: 'p1', schedule: weekdays(9 * H, 12 * H), busy }] }),
      ),
    );
    expect(withBuffer).not.toContain('2026-11-23T09:15:00.000Z'); // 09:15–10:00 + 10 min buffer hits 10:00
    expect(withBuffer).toContain('2026-11-23T09:00:00.000Z');
  });

  it('merges practitioners per start and drops times before the notice or after the horizon', () => {
    const days = availability(
      input({
        earliestMs: Date.parse('2026-11-23T10:00:00Z'),
        latestMs: Date.parse('2026-11-23T11:00:00Z'),
        practitioners: [
          { id: 'p1', schedule: weekdays(9 * H, 12 * H), busy: [] },
          { id: 'p2', schedule: weekdays(10 * H + 30, 12 * H), busy: [] },
        ],
      }),
    );
    expect(days[0]!.slots.map((s) => [s.startsAt.slice(11, 16), s.practitionerIds])).toEqual([
      ['10:00', ['p1']],
      ['10:15', ['p1']],
      ['10:30', ['p1', 'p2']],
      ['10:45', ['p1', 'p2']],
    ]);
  });

  it('on the 23-hour day (29 March 2026) gives summer-time instants and never the skipped hour', () => {
    const days = availability(
      input({
        from: '2026-03-29',
        durationMin: 30,
        stepMin: 30,
        openingHours: weekdays(0, 24 * H),
        practitioners: [{ id: 'p1', schedule: weekdays(0, 4 * H), busy: [] }],
      }),
    );
    // Local 00:00, 00:30 (UTC+0), then 01:00–01:59 does not exist; 02:00 local = 01:00Z.
    expect(starts(days)).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T02:30:00.000Z',
    ]);
    expect(localMinuteToInstant('2026-03-29', 60)).toBeNull();
    expect(starts(availability(input({ from: '2026-03-30', durationMin: 60, stepMin: 60 })))[0]).toBe(
      '2026-03-30T08:00:00.000Z',
    );
  });

  it('on the 25-hour day (25 October 2026) maps 09:00 local to 09:00Z and 00:00 local to 23:00Z the day before', () => {
    expect(starts(availability(input({ from: '2026-10-25', durationMin: 60, stepMin: 60 })))[0]).toBe(
      '2026-10-25T09:00:00.000Z',
    );
    expect(starts(availability(input({ from: '2026-10-24', durationMin: 60, stepMin: 60 })))[0]).toBe(
      '2026-10-24T08:00:00.000Z',
    );
    expect(localMinuteToInstant('2026-10-25', 0)).toBe(Date.parse('2026-10-24T23:00:00Z'));
    // A 00:00–04:00 block that day holds five real hours: 00:00, 01:00 (first), 02:00 … in UTC 23:00–03:00.
    const night = availability(
      input({
        from: '2026-10-25',
        durationMin: 60,
        stepMin: 60,
        openingHours: weekdays(0, 24 * H),
        practitioners: [{ id: 'p1', schedule: weekdays(0, 4 * H), busy: [] }],
      }),
    );
    expect(starts(night)[0]).toBe('2026-10-24T23:00:00.000Z');
    expect(starts(night).at(-1)).toBe('2026-10-25T03:00:00.000Z');
  });

  it('merges overlapping busy intervals', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 8 },
        { start: 1, end: 3 },
        { start: 2, end: 4 },
        { start: 8, end: 9 },
      ]),
    ).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 9 },
    ]);
  });
});
