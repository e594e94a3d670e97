/** Small tests of the visit state machine: the whole transition table, status groups, tickets. */
import { describe, expect, it } from 'vitest';
import {
  VISIT_STATUSES,
  canTransition,
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
