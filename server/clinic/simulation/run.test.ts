/**
 * Tests of the discrete-event run on a tiny day built by hand: every event, every wait shown by the real
 * estimator (`estimateWaits`, booked durations, turnover buffer 3 min) and every actual wait is worked
 * out below, including a late practitioner, an overrun, a walk-in sent to the practitioner free first,
 * walk-ins turned away (too long a wait; not fitting before a booking), a no-show and an early start.
 */
import { describe, expect, it } from 'vitest';
import { estimateWaits } from '../../domain/wait.ts';
import type { DayPlan, PlannedVisit } from './plan.ts';
import { runDay, type CheckInContext, type WaitEstimator } from './run.ts';

const MIN = 60_000;
const DAY = Date.UTC(2026, 0, 5);
/** ms of a clinic time 'HH:MM' on the test day. */
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return DAY + (h * 60 + m) * MIN;
};

function visit(
  id: string,
  practitionerId: string | null,
  specialtyId: string,
  booked: string,
  arrives: string | null,
  over: Partial<PlannedVisit> = {},
): PlannedVisit {
  return {
    id,
    walkIn: practitionerId === null,
    practitionerId,
    specialtyId,
    startsAt: at(booked),
    bookedMin: specialtyId === 'msk' ? 45 : 30,
    arrivesAt: arrives === null ? null : at(arrives),
    noise: 1,
    overrunMin: 0,
    ...over,
  };
}

// Practitioner A (room r1, evaluations) from 08:00; B (room r2, evaluations and msk) starts late, 08:10.
// Turnover 3 min (end → next start) of which 1 min is the walk; a free practitioner starts at most 5 min
// early; the desk takes a walk-in only if seen within 20 min and done by the next booking + 5 min.
const PLAN: DayPlan = {
  dayStartMs: DAY,
  practitioners: [
    { id: 'A', roomId: 'r1', specialtyIds: ['eval'], speed: 1, availableAt: at('08:00') },
    { id: 'B', roomId: 'r2', specialtyIds: ['eval', 'msk'], speed: 1, availableAt: at('08:10') },
  ],
  visits: [
    visit('v1', 'A', 'eval', '08:00', '07:55'),
    visit('v2', 'A', 'eval', '08:30', '08:20', { noise: 1.2 }), // 36 min
    visit('v3', 'B', 'msk', '08:00', '07:50', { overrunMin: 4 }), // 49 min
    visit('v4', 'A', 'eval', '09:00', null), // no-show
    visit('v5', 'B', 'msk', '09:30', '09:20'),
    visit('v6', 'A', 'eval', '10:00', '09:50'),
    visit('w1', null, 'eval', '08:40', '08:40'),
    visit('w2', null, 'msk', '08:45', '08:45'),
    visit('w3', null, 'eval', '09:12', '09:12'),
    visit('w4', null, 'eval', '09:16', '09:16'),
  ],
  durationFactors: { eval: 1, msk: 1 },
  turnoverMin: 3,
  walkMin: 1,
  earlyCallMin: 5,
  walkInMaxWaitMin: 20,
  walkInFitSlackMin: 5,
  lateNoShowMin: 15,
};

const seen: { id: string; finished: number; items: number }[] = [];
const ESTIMATOR: WaitEstimator = {
  name: 'rules',
  estimate(ctx: CheckInContext) {
    seen.push({ id: ctx.visitId, finished: ctx.finishedToday.length, items: ctx.items.length });
    const e = estimateWaits(ctx.items, ctx.now, { turnoverBufferMin: 3 }).get(ctx.visitId)!;
    return { waitMin: e.waitMin, position: e.position };
  },
};

describe('runDay on a hand-built day', () => {
  const day = runDay(PLAN, [ESTIMATOR]);
  const hhmm = (t: number) => {
    const m = (t - DAY) / MIN;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };

  it('processes the events worked out by hand, in order', () => {
    // 07:50 v3 arrives (B not in yet); 07:55 v1 arrives. 08:00 A starts, calls v1 (booked 08:00), in at
    // 08:01, 30 min → 08:31. 08:10 B (late) calls v3, in at 08:11, 45 + 4 overrun → 09:00.
    // 08:20 v2 arrives; A ends v1 08:31, ready 08:33 (turnover 3 − walk 1), v2 in at 08:34, 36 min → 09:10.
    // 08:40 walk-in w1 (eval): B is expected free at 08:56 (v3 booked 45 from 08:11), A at 09:04 → B.
    // 08:45 walk-in w2 (msk): only B, expected free at 09:29 (v3, then w1) → 44 min > 20: turned away.
    // 09:00 v3 ends; B ready 09:02, calls w1, in at 09:03 → 09:33.
    // 09:10 v2 ends; 09:12 A is free. At 09:12 walk-in w3 (eval): A is free now but v4 (09:00, not yet
    // 15 min late) may still come and 09:12 + 30 > 09:05; B is expected free at 09:33, 21 min > 20: away.
    // 09:16 walk-in w4: v4 is now 16 min late (a no-show for the desk) → A, called at once, in at 09:17.
    // 09:20 v5 arrives (B busy with w1 until 09:33); B ready 09:35, v5 in at 09:36 → 10:21.
    // 09:47 w4 ends; A free 09:49. 09:50 v6 (booked 10:00) arrives; A may start it from 09:55, so calls
    // at 09:54; in at 09:55 → 10:25.
    expect(
      day.events.map((e) => `${hhmm(e.at)} ${e.type} ${e.practitionerId ?? '-'} ${e.visitId ?? '-'}`),
    ).toEqual([
      '07:50 arrive B v3',
      '07:55 arrive A v1',
      '08:00 available A -',
      '08:00 call A v1',
      '08:01 start A v1',
      '08:10 available B -',
      '08:10 call B v3',
      '08:11 start B v3',
      '08:20 arrive A v2',
      '08:31 end A v1',
      '08:33 free A -',
      '08:33 call A v2',
      '08:34 start A v2',
      '08:40 arrive B w1',
      '08:45 turn_away - w2',
      '09:00 end B v3',
      '09:02 free B -',
      '09:02 call B w1',
      '09:03 start B w1',
      '09:10 end A v2',
      '09:12 free A -',
      '09:12 turn_away - w3',
      '09:16 arrive A w4',
      '09:16 call A w4',
      '09:17 start A w4',
      '09:20 arrive B v5',
      '09:33 end B w1',
      '09:35 free B -',
      '09:35 call B v5',
      '09:36 start B v5',
      '09:47 end A w4',
      '09:49 free A -',
      '09:50 arrive A v6',
      '09:54 wake A -',
      '09:54 call A v6',
      '09:55 start A v6',
      '10:21 end B v5',
      '10:23 free B -',
      '10:25 end A v6',
      '10:27 free A -',
    ]);
  });

  it('records the waits shown and the actual waits worked out by hand', () => {
    // Shown = estimateWaits at check-in: predicted start = max(now, booked, practitioner's predicted end + 3).
    // v3 07:50: max(07:50, 08:00) → 10; actual 07:50 → 08:11 = 21.
    // v1 07:55: → 08:00 → 5; actual → 08:01 = 6.
    // v2 08:20: v1 in session since 08:01, booked 30 → 08:31 + 3 = 08:34 → 14; actual → 08:34 = 14.
    // w1 08:40: v3 in session since 08:11, booked 45 → 08:56 + 3 = 08:59 → 19; actual → 09:03 = 23.
    // w4 09:16: A has nobody → 0; actual → 09:17 = 1 (the walk).
    // v5 09:20: w1 since 09:03, booked 30 → 09:33 + 3 = 09:36 → 16; actual → 09:36 = 16.
    // v6 09:50: A has nobody, booked 10:00 → 10; actual → 09:55 = 5 (started early).
    expect(
      day.checkIns.map((c) => [c.visitId, c.walkIn, c.practitionerId, c.shown.rules, c.actualMin]),
    ).toEqual([
      ['v3', false, 'B', { shownMin: 10, position: 1, band: '10to20' }, 21],
      ['v1', false, 'A', { shownMin: 5, position: 1, band: '5to10' }, 6],
      ['v2', false, 'A', { shownMin: 14, position: 1, band: '10to20' }, 14],
      ['w1', true, 'B', { shownMin: 19, position: 1, band: '10to20' }, 23],
      ['w4', true, 'A', { shownMin: 0, position: 1, band: 'next' }, 1],
      ['v5', false, 'B', { shownMin: 16, position: 1, band: '10to20' }, 16],
      ['v6', false, 'A', { shownMin: 10, position: 1, band: '10to20' }, 5],
    ]);
  });

  it("gives estimators the active visits and today's finished sessions at each check-in", () => {
    expect(seen).toEqual([
      { id: 'v3', finished: 0, items: 1 },
      { id: 'v1', finished: 0, items: 2 },
      { id: 'v2', finished: 0, items: 3 },
      { id: 'w1', finished: 1, items: 3 },
      { id: 'w4', finished: 3, items: 2 },
      { id: 'v5', finished: 3, items: 3 },
      { id: 'v6', finished: 5, items: 2 },
    ]);
    expect(day.finished).toEqual([
      { practitionerId: 'A', specialtyId: 'eval', actualMin: 30, endedAt: at('08:31') },
      { practitionerId: 'B', specialtyId: 'msk', actualMin: 49, endedAt: at('09:00') },
      { practitionerId: 'A', specialtyId: 'eval', actualMin: 36, endedAt: at('09:10') },
      { practitionerId: 'B', specialtyId: 'eval', actualMin: 30, endedAt: at('09:33') },
      { practitionerId: 'A', specialtyId: 'eval', actualMin: 30, endedAt: at('09:47') },
      { practitionerId: 'B', specialtyId: 'msk', actualMin: 45, endedAt: at('10:21') },
      { practitionerId: 'A', specialtyId: 'eval', actualMin: 30, endedAt: at('10:25') },
    ]);
  });

  it('ends every visit as worked out: seen, no-show or turned away', () => {
    expect(day.visits.map((v) => [v.id, v.status, v.practitionerId])).toEqual([
      ['v1', 'done', 'A'],
      ['v2', 'done', 'A'],
      ['v3', 'done', 'B'],
      ['v4', 'no_show', 'A'],
      ['v5', 'done', 'B'],
      ['v6', 'done', 'A'],
      ['w1', 'done', 'B'],
      ['w2', 'cancelled', null],
      ['w3', 'cancelled', null],
      ['w4', 'done', 'A'],
    ]);
    expect(day.turnedAway).toEqual(['w2', 'w3']);
    const v4 = day.visits.find((v) => v.id === 'v4')!;
    expect([v4.arrivedAt, v4.calledAt, v4.sessionStartedAt, v4.endedAt]).toEqual([null, null, null, null]);
    expect(day.checkIns.some((c) => c.visitId === 'v4')).toBe(false);
  });

  it('runs the same day whatever the estimators', () => {
    const bare = runDay(PLAN, []);
    expect(bare.events).toEqual(day.events);
    expect(bare.visits).toEqual(day.visits);
    expect(bare.checkIns.map((c) => c.shown)).toEqual(bare.checkIns.map(() => ({})));
  });

  it('refuses a walk-in for a specialty nobody practises', () => {
    const plan: DayPlan = { ...PLAN, visits: [visit('w9', null, 'massage', '09:00', '09:00')] };
    expect(() => runDay(plan, [])).toThrow(/no practitioner practises massage/);
  });
});
