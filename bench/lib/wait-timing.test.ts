/**
 * Tests of the wait benchmark's timing helpers: the shape of `timeCalls`' output, the busiest-state
 * keeper, and the synthetic rush built by hand from a two-practitioner state.
 */
import { describe, expect, it } from 'vitest';
import type { CheckInContext } from '../../server/clinic/simulation/run.ts';
import type { QueueItem } from '../../server/domain/wait.ts';
import { busiestStateKeeper, rushState, timeCalls, timeEstimator, TIMED } from './wait-timing.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 5, 10, 0);
const item = (id: string, practitionerId: string, specialtyId: string): QueueItem => ({
  id,
  practitionerId,
  specialtyId,
  roomId: `room-${practitionerId}`,
  status: 'arrived',
  startsAt: NOW,
  durationMin: 30,
  arrivedAt: NOW,
  calledAt: null,
  sessionStartedAt: null,
});
const ctx = (items: QueueItem[]): CheckInContext => ({
  now: NOW,
  visitId: items[0]!.id,
  items,
  finishedToday: [],
});

describe('timeCalls', () => {
  it('gives a median and p95 per function, µs, median ≤ p95', () => {
    let n = 0;
    const costs = timeCalls(
      { a: () => (n += 1), b: () => [3, 1, 2].sort() },
      { warmup: 2, samples: 20, batch: 5 },
    );
    expect(Object.keys(costs)).toEqual(['a', 'b']);
    for (const c of Object.values(costs)) {
      expect(c.medianUs).toBeGreaterThanOrEqual(0);
      expect(c.p95Us).toBeGreaterThanOrEqual(c.medianUs);
    }
    expect(n).toBe((2 + 20) * 5);
  });
});

describe('busiestStateKeeper', () => {
  it('keeps the first state with the most active visits, with the history and today', () => {
    const keeper = busiestStateKeeper();
    expect(keeper.state).toBeUndefined();
    keeper.observe(ctx([item('a', 'A', 'eval')]), []);
    keeper.observe(ctx([item('b', 'A', 'eval'), item('c', 'B', 'msk')]), []);
    keeper.observe(ctx([item('d', 'A', 'eval'), item('e', 'B', 'msk')]), []);
    expect(keeper.state!.items.map((i) => i.id)).toEqual(['b', 'c']);
  });
});

describe('rushState', () => {
  it('builds one session and n − 1 waiting patients per practitioner', () => {
    const rush = rushState(
      { now: NOW, items: [item('x', 'A', 'eval'), item('y', 'B', 'msk')], history: [] },
      3,
    );
    expect(
      rush.items.map((i) => [i.id, i.practitionerId, i.specialtyId, i.status, (i.startsAt - NOW) / MIN]),
    ).toEqual([
      ['A-rush-0', 'A', 'eval', 'in_session', -15],
      ['A-rush-1', 'A', 'eval', 'arrived', -10],
      ['A-rush-2', 'A', 'eval', 'arrived', 20],
      ['B-rush-0', 'B', 'msk', 'in_session', -15],
      ['B-rush-1', 'B', 'msk', 'arrived', -10],
      ['B-rush-2', 'B', 'msk', 'arrived', 20],
    ]);
    expect(rush.items[0]!.sessionStartedAt).toBe(NOW - 15 * MIN);
    expect(rush.items[1]!.arrivedAt).toBe(NOW - 5 * MIN);
  });
});

describe('timeEstimator', () => {
  it('times the three calls and reports the state', () => {
    const state = { now: NOW, items: [item('x', 'A', 'eval'), item('y', 'B', 'msk')], history: [] };
    const t = timeEstimator(state, { alpha: 0.2, minSamples: 5, deviationFactor: 0.5 }, 3, {
      warmup: 1,
      samples: 5,
      batch: 2,
    });
    expect(Object.keys(t.costs)).toEqual([TIMED.estimate, TIMED.learn, TIMED.sort]);
    expect([t.activeVisits, t.practitioners, t.historySamples, t.samples]).toEqual([2, 2, 0, 5]);
  });
});
