/**
 * Small tests of the visit state machine: the whole transition table, status groups, tickets, and the
 * desk board's timers and alerts.
 */
import { describe, expect, it } from 'vitest';
import {
  VISIT_STATUSES,
  boardAlert,
  canTransition,
  isMovable,
  minutesSince,
  formatTicket,
  isActive,
  isClosed,
  isInRoom,
  timestampFor,
  type VisitStatus,
} from './visit.ts';

/** The allowed moves, written out by hand from the diagram in visit.ts. */
const ALLOWED: Record<VisitStatus, VisitStatus[]> = {
  scheduled: ['arrived', 'no_show', 'cancelled'],
  arrived: ['called', 'no_show', 'cancelled'],
  called: ['in_session', 'arrived', 'no_show'],
  in_session: ['done'],
  done: [],
  no_show: ['arrived'],
  cancelled: [],
};

describe('visit state machine', () => {
  it('allows exactly the moves of the diagram and no other (all 49 pairs)', () => {
    for (const from of VISIT_STATUSES) {
      for (const to of VISIT_STATUSES) {
        expect([from, to, canTransition(from, to)]).toEqual([from, to, ALLOWED[from].includes(to)]);
      }
    }
  });

  it('stamps the matching timestamp column', () => {
    expect(VISIT_STATUSES.map((s) => [s, timestampFor(s)])).toEqual([
      ['scheduled', null],
      ['arrived', 'arrived_at'],
      ['called', 'called_at'],
      ['in_session', 'session_started_at'],
      ['done', 'ended_at'],
      ['no_show', null],
      ['cancelled', null],
    ]);
  });

  it('groups statuses: active (in the building), in a room, closed for good', () => {
    expect(VISIT_STATUSES.filter(isActive)).toEqual(['arrived', 'called', 'in_session']);
    expect(VISIT_STATUSES.filter(isInRoom)).toEqual(['called', 'in_session']);
    expect(VISIT_STATUSES.filter(isClosed)).toEqual(['done', 'cancelled']);
  });

  it('formats tickets as A + at least three digits', () => {
    expect([formatTicket(1), formatTicket(42), formatTicket(999), formatTicket(1000)]).toEqual([
      'A001',
      'A042',
      'A999',
      'A1000',
    ]);
  });
});

describe('board timers and alerts', () => {
  const T0 = Date.parse('2026-11-21T10:00:00Z');
  const iso = (min: number) => new Date(T0 + min * 60_000).toISOString();
  const limits = { waitAlertMin: 20, lateAlertMin: 10 };

  it('counts whole minutes since a time, floored and never negative', () => {
    expect(minutesSince(null, T0)).toBeNull();
    expect(minutesSince(iso(0), T0 + 59_999)).toBe(0);
    expect(minutesSince(iso(0), T0 + 60_000)).toBe(1);
    expect(minutesSince(iso(5), T0)).toBe(0);
  });

  it('flags a booked patient late from lateAlertMin after the booked time', () => {
    const booked = { status: 'scheduled' as const, startsAt: iso(0), arrivedAt: null };
    expect(boardAlert(booked, T0 + 10 * 60_000 - 1, limits)).toBeNull();
    expect(boardAlert(booked, T0 + 10 * 60_000, limits)).toBe('late');
    expect(boardAlert({ ...booked, status: 'no_show' }, T0 + 60 * 60_000, limits)).toBeNull();
  });

  it('flags a long wait from the booked time or the arrival, whichever is later', () => {
    const early = { status: 'arrived' as const, startsAt: iso(30), arrivedAt: iso(0) };
    expect(boardAlert(early, T0 + 49 * 60_000, limits)).toBeNull();
    expect(boardAlert(early, T0 + 50 * 60_000, limits)).toBe('waiting_long');
    const lateArrival = { status: 'arrived' as const, startsAt: iso(0), arrivedAt: iso(15) };
    expect(boardAlert(lateArrival, T0 + 34 * 60_000, limits)).toBeNull();
    expect(boardAlert(lateArrival, T0 + 35 * 60_000, limits)).toBe('waiting_long');
    for (const status of ['called', 'in_session', 'done'] as const)
      expect(boardAlert({ ...lateArrival, status }, T0 + 120 * 60_000, limits)).toBeNull();
  });

  it('moves only patients in the building who wait or are called', () => {
    expect(VISIT_STATUSES.filter(isMovable)).toEqual(['arrived', 'called']);
  });
});
