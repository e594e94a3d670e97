/** Unit tests of the central benchmark's data: the bench clinic's bookings and time off, and the free pairs. */
import { describe, expect, it } from 'vitest';
import { availability } from '../../server/domain/availability.ts';
import { CLINIC_SHAPE } from './central-config.ts';
import {
  availabilityInput,
  buildBenchClinic,
  counterCode,
  nextMonday,
  nonOverlappingPairs,
  offeredPairs,
} from './central-clinic.ts';

describe('nextMonday', () => {
  it('is the Monday strictly after the date', () => {
    expect(nextMonday('2026-12-01')).toBe('2026-12-07'); // Tuesday
    expect(nextMonday('2026-12-07')).toBe('2026-12-14'); // Monday → the next one
    expect(nextMonday('2026-12-06')).toBe('2026-12-07'); // Sunday
  });
});

describe('counterCode', () => {
  it('gives distinct 6-character codes for distinct counters', () => {
    const codes = new Set(Array.from({ length: 5000 }, (_, i) => counterCode(i)));
    expect(codes.size).toBe(5000);
    expect([...codes].every((c) => c.length === 6)).toBe(true);
  });
});

describe('buildBenchClinic', () => {
  const shape = { ...CLINIC_SHAPE, weeks: 4 };
  const clinic = buildBenchClinic(shape, '2026-12-07', Date.parse('2026-12-01T10:00:00Z'));

  it('books about the share asked, never overlapping per practitioner and never in time off', () => {
    // 10 practitioners × 4 weeks × (5 × 11 + 5) tiles.
    expect(clinic.stats.tiles).toBe(10 * 4 * 60);
    expect(clinic.stats.bookedShareOfWorkingTiles).toBeGreaterThan(0.55);
    expect(clinic.stats.bookedShareOfWorkingTiles).toBeLessThan(0.65);
    for (const p of clinic.catalogue.practitioners) {
      const mine = clinic.appointments
        .filter((a) => a.practitionerId === p.id)
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i]!.startsAt.getTime()).toBeGreaterThanOrEqual(mine[i - 1]!.blockedUntil.getTime());
      }
      const off = clinic.timeOff.filter((o) => o.practitionerId === p.id);
      expect(off.length).toBeGreaterThan(0);
      for (const a of mine) {
        expect(off.some((o) => o.startsAt < a.blockedUntil && a.startsAt < o.endsAt)).toBe(false);
      }
    }
    expect(new Set(clinic.appointments.map((a) => a.bookingCode)).size).toBe(clinic.appointments.length);
  });

  it('starts at 09:00 Lisbon (09:00Z in winter) and is the same for the same seed', () => {
    const first = clinic.appointments.map((a) => a.startsAt.toISOString()).sort()[0]!;
    expect(first.slice(11)).toBe('09:00:00.000Z');
    const again = buildBenchClinic(shape, '2026-12-07', Date.parse('2026-12-01T10:00:00Z'));
    expect(again.appointments.map((a) => [a.practitionerId, a.startsAt.getTime()])).toEqual(
      clinic.appointments.map((a) => [a.practitionerId, a.startsAt.getTime()]),
    );
  });

  it('leaves free pairs that can all be held at once', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    const days = availability(availabilityInput(clinic, shape, '2026-12-07', 28, now, true));
    const empty = availability(availabilityInput(clinic, shape, '2026-12-07', 28, now, false));
    // Empty: 32 starts a weekday (09:00–12:15 and 14:00–18:15 every 15 min), 14 on Saturday.
    expect(offeredPairs(empty)).toBe(10 * 4 * (5 * 32 + 14));
    expect(offeredPairs(days)).toBeLessThan(offeredPairs(empty) / 2);
    const pairs = nonOverlappingPairs(days, 45);
    const byPractitioner = new Map<string, number[]>();
    for (const p of pairs) {
      byPractitioner.set(p.practitionerId, [
        ...(byPractitioner.get(p.practitionerId) ?? []),
        Date.parse(p.startsAt),
      ]);
    }
    for (const starts of byPractitioner.values()) {
      for (let i = 1; i < starts.length; i++)
        expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(45 * 60_000);
    }
  });
});

describe('nonOverlappingPairs', () => {
  it('takes the earliest start, then the first one at or after its end', () => {
    const slot = (t: string, ids: string[]) => ({ startsAt: t, endsAt: t, practitionerIds: ids });
    const days = [
      {
        date: '2026-12-07',
        slots: [
          slot('2026-12-07T09:00:00.000Z', ['a', 'b']),
          slot('2026-12-07T09:15:00.000Z', ['a']),
          slot('2026-12-07T09:45:00.000Z', ['a', 'b']),
        ],
      },
    ];
    expect(nonOverlappingPairs(days, 45)).toEqual([
      { practitionerId: 'a', startsAt: '2026-12-07T09:00:00.000Z' },
      { practitionerId: 'a', startsAt: '2026-12-07T09:45:00.000Z' },
      { practitionerId: 'b', startsAt: '2026-12-07T09:00:00.000Z' },
      { practitionerId: 'b', startsAt: '2026-12-07T09:45:00.000Z' },
    ]);
  });
});
