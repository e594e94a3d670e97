/**
 * Unit tests of the compared estimators on a hand-built queue: the queue position both baselines show,
 * baseline A (position × average), baseline B (booked time only), ours against `estimateWaits` with the
 * learned durations, the situation tags, and the rolling history window.
 */
import { describe, expect, it } from 'vitest';
import type { CheckInContext } from '../../server/clinic/simulation/run.ts';
import {
  estimateWaits,
  learnDurations,
  type DurationSample,
  type QueueItem,
} from '../../server/domain/wait.ts';
import {
  bookedTimeOnly,
  createRollingHistory,
  learningLabel,
  oursEstimator,
  positionTimesAverage,
  queuePosition,
  situation,
  SITUATIONS,
} from './wait-estimators.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 5, 10, 0);

function item(id: string, over: Partial<QueueItem>): QueueItem {
  return {
    id,
    practitionerId: 'A',
    specialtyId: 'eval',
    roomId: 'r1',
    status: 'arrived',
    startsAt: NOW,
    durationMin: 30,
    arrivedAt: NOW - 5 * MIN,
    calledAt: null,
    sessionStartedAt: null,
    ...over,
  };
}

// A: s in session (since 09:50), c called, a1 booked 10:00, me booked 10:20 (arrived 10:00), a2 booked 10:40.
// B: b1 booked 09:30 (not ahead of me: other practitioner).
const ITEMS: QueueItem[] = [
  item('s', { status: 'in_session', startsAt: NOW - 10 * MIN, sessionStartedAt: NOW - 10 * MIN }),
  item('c', { status: 'called', startsAt: NOW + 30 * MIN, calledAt: NOW - MIN }),
  item('a1', {}),
  item('me', { startsAt: NOW + 20 * MIN, arrivedAt: NOW }),
  item('a2', { startsAt: NOW + 40 * MIN, arrivedAt: NOW - 20 * MIN }),
  item('b1', { practitionerId: 'B', roomId: 'r2', startsAt: NOW - 30 * MIN }),
];
const ctx = (visitId: string, items = ITEMS, finishedToday: DurationSample[] = []): CheckInContext => ({
  now: NOW,
  visitId,
  items,
  finishedToday,
});

describe('queuePosition', () => {
  it('counts who is ahead in compareQueue order, in session included; position excludes the session', () => {
    // ahead of me: s (in session), c (called), a1 (booked earlier) → 3; position 1 + (c, a1) = 3
    expect(queuePosition(ITEMS, 'me')).toEqual({ ahead: 3, position: 3 });
    expect(queuePosition(ITEMS, 'a2')).toEqual({ ahead: 4, position: 4 });
    expect(queuePosition(ITEMS, 'c')).toEqual({ ahead: 1, position: 1 });
    expect(queuePosition(ITEMS, 'b1')).toEqual({ ahead: 0, position: 1 });
    expect(() => queuePosition(ITEMS, 'nobody')).toThrow();
  });
});

describe('baselines', () => {
  it('A: patients ahead × the average, rounded up', () => {
    // 3 ahead × 40 = 120; 3 × 37.5 = 112.5 → 113; nobody ahead → 0
    expect(positionTimesAverage('A', 40).estimate(ctx('me'))).toEqual({ waitMin: 120, position: 3 });
    expect(positionTimesAverage('A', 37.5).estimate(ctx('me'))).toEqual({ waitMin: 113, position: 3 });
    expect(positionTimesAverage('A', 40).estimate(ctx('b1'))).toEqual({ waitMin: 0, position: 1 });
  });

  it('B: minutes to the booked time, rounded up, never negative', () => {
    expect(bookedTimeOnly('B').estimate(ctx('me'))).toEqual({ waitMin: 20, position: 3 });
    expect(bookedTimeOnly('B').estimate(ctx('b1'))).toEqual({ waitMin: 0, position: 1 });
    const half = [item('x', { startsAt: NOW + 90_000 })]; // 1.5 min → 2
    expect(bookedTimeOnly('B').estimate(ctx('x', half))).toEqual({ waitMin: 2, position: 1 });
  });
});

describe('situation', () => {
  it('names what bound the predicted start', () => {
    expect(situation(NOW, NOW + 10 * MIN, NOW)).toBe(SITUATIONS.now);
    expect(situation(NOW + 10 * MIN, NOW + 10 * MIN, NOW)).toBe(SITUATIONS.booked);
    expect(situation(NOW + 11 * MIN, NOW + 10 * MIN, NOW)).toBe(SITUATIONS.queue);
  });
});

describe('oursEstimator', () => {
  const learning = { alpha: 0.5, minSamples: 2, deviationFactor: 0 };
  const old = (actualMin: number, i: number): DurationSample => ({
    practitionerId: 'A',
    specialtyId: 'eval',
    actualMin,
    endedAt: NOW - (100 - i) * MIN,
  });

  it('shows estimateWaits with durations learned from the history plus today, and the turnover buffer', () => {
    const history = createRollingHistory(5);
    history.addDay([old(20, 0), old(20, 1)]);
    const today = [old(40, 50)];
    // EWMA α 0.5 over 20, 20, 40 → 20, 20, 30 min per A/eval session
    const durations = learnDurations([...history.samples, ...today], learning);
    expect(durations.expectedMin('A', 'eval', 30)).toBe(30);
    const expected = estimateWaits(ITEMS, NOW, { durations, turnoverBufferMin: 3 }).get('me')!;
    const ours = oursEstimator('ours', history, learning, 3);
    expect(ours.estimate(ctx('me', ITEMS, today))).toEqual({
      waitMin: expected.waitMin,
      position: expected.position,
      tag: SITUATIONS.queue,
    });
    // by hand: s ends 09:50 + 30 = 10:20; c starts 10:23 → 10:53; a1 10:56 → 11:26; me 11:29 → 89 min
    expect(expected.waitMin).toBe(89);
  });

  it('relearns when today or the history grows, not otherwise', () => {
    const history = createRollingHistory(5);
    const ours = oursEstimator('ours', history, learning, 0);
    const single = [item('x', { status: 'in_session', sessionStartedAt: NOW - 10 * MIN }), item('me', {})];
    const before = ours.model(ctx('me', single, [old(10, 1)]));
    expect(ours.model(ctx('me', single, [old(10, 1)]))).toBe(before);
    expect(ours.model(ctx('me', single, [old(10, 1), old(10, 2)]))).not.toBe(before);
    const grown = ours.model(ctx('me', single, [old(10, 1), old(10, 2)]));
    history.addDay([]);
    expect(ours.model(ctx('me', single, [old(10, 1), old(10, 2)]))).not.toBe(grown);
  });
});

describe('createRollingHistory', () => {
  it('keeps the last `days` days, oldest first', () => {
    const h = createRollingHistory(2);
    const day = (n: number): DurationSample[] => [
      { practitionerId: 'A', specialtyId: 'eval', actualMin: n, endedAt: n },
    ];
    expect(h.samples).toEqual([]);
    h.addDay(day(1));
    h.addDay(day(2));
    h.addDay(day(3));
    expect(h.samples.map((s) => s.actualMin)).toEqual([2, 3]);
    expect(h.version).toBe(3);
    const none = createRollingHistory(0);
    none.addDay(day(1));
    expect(none.samples).toEqual([]);
  });
});

describe('learningLabel', () => {
  it('names a setting', () => {
    expect(learningLabel({ alpha: 0.2, minSamples: 5, deviationFactor: 0.5 })).toBe('α 0.2, n 5, k 0.5');
  });
});
