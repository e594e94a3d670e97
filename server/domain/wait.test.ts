/** Small tests of the first wait estimator (server/domain/wait.ts) on hand-computed queues. */
import { describe, expect, it } from 'vitest';
import { estimateWaits, type QueueItem } from './wait.ts';

const MIN = 60_000;
const NOW = Date.parse('2026-11-21T10:00:00Z');

function item(id: string, over: Partial<QueueItem>): QueueItem {
  return {
    id,
    practitionerId: 'p1',
    status: 'arrived',
    startsAt: NOW,
    durationMin: 30,
    arrivedAt: NOW - 5 * MIN,
    calledAt: null,
    sessionStartedAt: null,
    ...over,
  };
}

describe('estimateWaits', () => {
  it('starts a patient at their booked time when nobody is ahead', () => {
    const e = estimateWaits([item('a', { startsAt: NOW + 10 * MIN })], NOW);
    expect(e.get('a')).toMatchObject({ waitMin: 10, position: 1, predictedStartAt: NOW + 10 * MIN });
  });

  it('never predicts a start in the past for a late patient', () => {
    const e = estimateWaits([item('a', { startsAt: NOW - 20 * MIN })], NOW);
    expect(e.get('a')?.waitMin).toBe(0);
  });

  it('queues behind the session in progress and those booked earlier with the same practitioner', () => {
    const e = estimateWaits(
      [
        item('s', {
          status: 'in_session',
          startsAt: NOW - 20 * MIN,
          sessionStartedAt: NOW - 20 * MIN,
          durationMin: 45,
        }),
        item('b', { startsAt: NOW + 5 * MIN, durationMin: 30 }),
        item('a', { startsAt: NOW - 10 * MIN, durationMin: 20 }),
      ],
      NOW,
    );
    // session ends at +25; a (booked earlier) 25→45; b 45→75
    expect(e.get('s')).toMatchObject({ position: 0, predictedEndAt: NOW + 25 * MIN });
    expect(e.get('a')).toMatchObject({ waitMin: 25, position: 1 });
    expect(e.get('b')).toMatchObject({ waitMin: 45, position: 2 });
  });

  it('keeps practitioners independent and applies the turnover buffer', () => {
    const e = estimateWaits(
      [
        item('x', { status: 'called', calledAt: NOW - MIN, durationMin: 30 }),
        item('y', { startsAt: NOW }),
        item('z', { practitionerId: 'p2', startsAt: NOW + 3 * MIN }),
      ],
      NOW,
      5,
    );
    expect(e.get('x')?.waitMin).toBe(0);
    expect(e.get('y')?.waitMin).toBe(35);
    expect(e.get('z')?.waitMin).toBe(3);
  });

  it('stretches an overrunning session to now', () => {
    const e = estimateWaits(
      [
        item('s', { status: 'in_session', sessionStartedAt: NOW - 60 * MIN, durationMin: 30 }),
        item('a', { startsAt: NOW - 30 * MIN }),
      ],
      NOW,
    );
    expect(e.get('a')?.waitMin).toBe(0);
  });

  it('ignores visits that are not active', () => {
    const e = estimateWaits([item('d', { status: 'done' }), item('n', { status: 'scheduled' })], NOW);
    expect(e.size).toBe(0);
  });
});
