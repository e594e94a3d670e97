/** Small tests of the wait estimator (server/domain/wait.ts): each rule on a hand-computed queue. */
import { describe, expect, it } from 'vitest';
import {
  BOOKED_DURATIONS,
  earliestFreePractitioner,
  estimateWaits,
  inBand,
  learnDurations,
  waitBand,
  type DurationSample,
  type QueueItem,
} from './wait.ts';

const MIN = 60_000;
const NOW = Date.parse('2026-11-21T10:00:00Z');

function item(id: string, over: Partial<QueueItem>): QueueItem {
  return {
    id,
    practitionerId: 'p1',
    specialtyId: 'eval',
    roomId: null,
    status: 'arrived',
    startsAt: NOW,
    durationMin: 30,
    arrivedAt: NOW - 5 * MIN,
    calledAt: null,
    sessionStartedAt: null,
    ...over,
  };
}

const sample = (actualMin: number, i: number, over: Partial<DurationSample> = {}): DurationSample => ({
  practitionerId: 'p1',
  specialtyId: 'eval',
  actualMin,
  endedAt: NOW - (100 - i) * MIN,
  ...over,
});

describe('estimateWaits: the timeline', () => {
  it('starts a patient at their booked time when nobody is ahead', () => {
    const e = estimateWaits([item('a', { startsAt: NOW + 10 * MIN })], NOW);
    expect(e.get('a')).toEqual({
      predictedStartAt: NOW + 10 * MIN,
      predictedEndAt: NOW + 40 * MIN,
      waitMin: 10,
      position: 1,
    });
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
    expect(e.get('s')).toEqual({
      predictedStartAt: NOW - 20 * MIN,
      predictedEndAt: NOW + 25 * MIN,
      waitMin: 0,
      position: 0,
    });
    expect([e.get('a')?.waitMin, e.get('a')?.position]).toEqual([25, 1]);
    expect([e.get('b')?.waitMin, e.get('b')?.position]).toEqual([45, 2]);
  });

  it('keeps practitioners independent and applies the turnover buffer after a previous session', () => {
    const e = estimateWaits(
      [
        item('x', { status: 'called', calledAt: NOW - MIN, durationMin: 30 }),
        item('y', { startsAt: NOW }),
        item('z', { practitionerId: 'p2', startsAt: NOW + 3 * MIN }),
      ],
      NOW,
      { turnoverBufferMin: 5 },
    );
    expect([e.get('x')?.waitMin, e.get('y')?.waitMin, e.get('z')?.waitMin]).toEqual([0, 35, 3]);
  });

  it('shifts everyone behind a session running late: it ends no earlier than now + the grace', () => {
    const items = [
      item('s', { status: 'in_session', sessionStartedAt: NOW - 60 * MIN, durationMin: 30 }),
      item('a', { startsAt: NOW - 30 * MIN }),
      item('b', { startsAt: NOW - 25 * MIN }),
    ];
    const e = estimateWaits(items, NOW);
    expect(e.get('s')?.predictedEndAt).toBe(NOW + 2 * MIN);
    expect([e.get('a')?.waitMin, e.get('b')?.waitMin]).toEqual([2, 32]);
    expect(estimateWaits(items, NOW, { overrunGraceMin: 0 }).get('a')?.waitMin).toBe(0);
  });

  it('lets practitioners who share a room take turns in it', () => {
    // p1 and p2 both work in room r. p1's patient is booked first, p2's can only start when r is free.
    const e = estimateWaits(
      [
        item('a', { practitionerId: 'p1', roomId: 'r', startsAt: NOW, durationMin: 30 }),
        item('b', { practitionerId: 'p2', roomId: 'r', startsAt: NOW + 10 * MIN, durationMin: 20 }),
        item('c', { practitionerId: 'p1', roomId: 'r', startsAt: NOW + 40 * MIN, durationMin: 30 }),
      ],
      NOW,
    );
    // a 0→30 in r; b waits for r: 30→50; c booked at +40 but r is busy until +50.
    expect([e.get('a')?.waitMin, e.get('b')?.waitMin, e.get('c')?.waitMin]).toEqual([0, 30, 50]);
    expect([e.get('b')?.position, e.get('c')?.position]).toEqual([1, 2]);
  });

  it('counts the walk from the call for a patient not yet called, and lets a free practitioner start early', () => {
    const items = [
      item('a', { startsAt: NOW + 10 * MIN }),
      item('b', { practitionerId: 'p2', startsAt: NOW - 5 * MIN }),
    ];
    const walk = estimateWaits(items, NOW, { callToStartMin: 1 });
    expect([walk.get('a')?.waitMin, walk.get('b')?.waitMin]).toEqual([10, 1]);
    const early = estimateWaits(items, NOW, { callToStartMin: 1, earlyStartMin: 5 });
    expect([early.get('a')?.waitMin, early.get('b')?.waitMin]).toEqual([5, 1]);
    const called = estimateWaits([item('c', { status: 'called', calledAt: NOW })], NOW, {
      callToStartMin: 1,
    });
    expect(called.get('c')?.waitMin).toBe(0); // already walking
  });

  it('ignores visits that are not active', () => {
    const e = estimateWaits([item('d', { status: 'done' }), item('n', { status: 'scheduled' })], NOW);
    expect(e.size).toBe(0);
  });
});

describe('learnDurations', () => {
  it('uses the booked duration until minSamples sessions are known', () => {
    const model = learnDurations([40, 40, 40, 40].map((m, i) => sample(m, i)));
    expect(model.expectedMin('p1', 'eval', 30)).toBe(30);
    expect(BOOKED_DURATIONS.expectedMin('p1', 'eval', 30)).toBe(30);
  });

  it('learns an EWMA plus a multiple of the mean absolute deviation, per practitioner and specialty', () => {
    // α = 0.5, k = 1: 40 → m 40, d 0; 50 → d = .5·10 = 5, m = 45; 30 → d = .5·15 + .5·5 = 10, m = 37.5
    const samples = [40, 50, 30].map((m, i) => sample(m, i));
    const model = learnDurations(samples, { alpha: 0.5, minSamples: 3, deviationFactor: 1 });
    expect(model.expectedMin('p1', 'eval', 30)).toBe(47.5);
    expect(
      learnDurations(samples, { alpha: 0.5, minSamples: 3, deviationFactor: 0 }).expectedMin(
        'p1',
        'eval',
        30,
      ),
    ).toBe(37.5);
    expect(model.expectedMin('p2', 'eval', 30)).toBe(30); // another practitioner: nothing learned
    expect(model.expectedMin('p1', 'massage', 45)).toBe(45); // another specialty: nothing learned
  });

  it('learns in the order sessions ended, whatever the order given', () => {
    const samples = [sample(30, 2), sample(40, 0), sample(50, 1)]; // ended: 40, 50, 30
    expect(
      learnDurations(samples, { alpha: 0.5, minSamples: 3, deviationFactor: 1 }).expectedMin('p1', 'eval', 0),
    ).toBe(47.5);
  });

  it('feeds the estimator: a practitioner who takes longer pushes the next patient later', () => {
    const model = learnDurations([50, 50, 50, 50, 50].map((m, i) => sample(m, i)));
    const e = estimateWaits(
      [item('s', { status: 'in_session', sessionStartedAt: NOW }), item('a', { startsAt: NOW })],
      NOW,
      { durations: model },
    );
    expect(e.get('a')?.waitMin).toBe(50);
  });
});

describe('earliestFreePractitioner', () => {
  it('picks the candidate free first after their queue, ties to the first listed', () => {
    const items = [
      item('s', {
        practitionerId: 'p1',
        status: 'in_session',
        sessionStartedAt: NOW - 10 * MIN,
        durationMin: 30,
      }),
      item('q', {
        practitionerId: 'p2',
        status: 'in_session',
        sessionStartedAt: NOW - 20 * MIN,
        durationMin: 30,
      }),
    ];
    expect(earliestFreePractitioner(items, NOW, ['p1', 'p2'])).toEqual({
      practitionerId: 'p2',
      freeAt: NOW + 10 * MIN,
    });
    expect(earliestFreePractitioner(items, NOW, ['p1', 'p3', 'p4'])).toEqual({
      practitionerId: 'p3',
      freeAt: NOW,
    });
    expect(earliestFreePractitioner(items, NOW, [])).toBeUndefined();
  });
});

describe('wait bands', () => {
  it('maps minutes and position to the band shown', () => {
    const cases: [number, number, string][] = [
      [0, 1, 'next'],
      [4, 1, 'next'],
      [4, 2, 'lt5'],
      [5, 1, '5to10'],
      [9, 3, '5to10'],
      [10, 2, '10to20'],
      [20, 2, '10to20'],
      [21, 2, 'gt20'],
    ];
    expect(cases.map(([w, p]) => waitBand(w, p))).toEqual(cases.map(([, , band]) => band));
  });

  it('tells whether an actual wait fell inside the band shown', () => {
    expect([
      inBand('next', 4.9),
      inBand('lt5', 5),
      inBand('5to10', 5),
      inBand('10to20', 20),
      inBand('gt20', 20),
    ]).toEqual([true, false, true, true, false]);
  });
});
