/**
 * Unit tests of the wait benchmark's metric code against values computed by hand (in the comments):
 * error figures, the breakdown by tag, the world statistics of a tiny day, the Pareto front and the
 * grid's pick rule.
 */
import { describe, expect, it } from 'vitest';
import type { CheckIn, DayResult, VisitOutcome } from '../../server/clinic/simulation/run.ts';
import {
  errorMetrics,
  meetsTargets,
  metricsByTag,
  paretoFront,
  pickSetting,
  recordsOf,
  worldStats,
  type ShownVsActual,
} from './wait-metrics.ts';

const r = (
  shownMin: number,
  actualMin: number,
  band: ShownVsActual['band'],
  tag?: string,
): ShownVsActual => ({
  shownMin,
  actualMin,
  band,
  ...(tag ? { tag } : {}),
});

// errors (shown − actual): 0 − 1 = −1; 10 − 5 = 5; 4 − 4.5 = −0.5; 20 − 12 = 8; 6 − 14 = −8
const RECORDS = [
  r(0, 1, 'next', 'now'),
  r(10, 5, '10to20', 'booked'),
  r(4, 4.5, 'lt5', 'queue'),
  r(20, 12, '10to20', 'queue'),
  r(6, 14, '5to10', 'queue'),
];

describe('errorMetrics', () => {
  it('computes MAE, p90, bias and shares by hand', () => {
    // |errors| = 1, 5, 0.5, 8, 8 → mean 22.5 / 5 = 4.5; sorted 0.5 1 5 8 8: p90 rank 0.9 × 4 = 3.6 → 8
    // mean error (−1 + 5 − 0.5 + 8 − 8) / 5 = 0.7; under: −1, −0.5, −8 → 3/5; > 5 min late: only −8 → 1/5
    // in band: 1 in 'next' (< 5) yes; 5 in 10to20 no; 4.5 in lt5 yes; 12 in 10to20 yes; 14 in 5to10 no → 3/5
    expect(errorMetrics(RECORDS)).toEqual({
      checkIns: 5,
      maeMin: 4.5,
      p90AbsErrorMin: 8,
      meanErrorMin: 0.7,
      underShare: 0.6,
      lateSurpriseShare: 0.2,
      inBandShare: 0.6,
    });
  });

  it('is NaN on no records', () => {
    const m = errorMetrics([]);
    expect(m.checkIns).toBe(0);
    expect([m.maeMin, m.p90AbsErrorMin, m.underShare, m.inBandShare].every(Number.isNaN)).toBe(true);
  });

  it('does not count an exact or over-prediction as under, nor 5 min late as a surprise', () => {
    expect(errorMetrics([r(5, 5, '5to10'), r(3, 8, '5to10')])).toMatchObject({
      underShare: 0.5,
      lateSurpriseShare: 0,
    });
  });
});

describe('metricsByTag', () => {
  it('splits by tag with each share, in order of first appearance', () => {
    const by = metricsByTag([...RECORDS, r(1, 1, 'next')]);
    expect(Object.keys(by)).toEqual(['now', 'booked', 'queue', 'untagged']);
    // queue: |errors| 0.5, 8, 8 → MAE 5.5; 3 of 6 records
    expect(by.queue).toMatchObject({ share: 0.5, checkIns: 3, maeMin: 5.5, underShare: 0.66667 });
    expect(by.untagged).toMatchObject({ share: 0.16667, maeMin: 0 });
  });
});

const checkIn = (visitId: string, walkIn: boolean, actualMin: number, shownMin: number): CheckIn => ({
  visitId,
  walkIn,
  practitionerId: 'A',
  specialtyId: 'eval',
  startsAt: 0,
  arrivedAt: 0,
  shown: { x: { shownMin, position: 1, band: 'next' } },
  actualMin,
});
const outcome = (
  id: string,
  walkIn: boolean,
  status: VisitOutcome['status'],
  endedAt: number | null,
): VisitOutcome => ({
  id,
  walkIn,
  practitionerId: 'A',
  specialtyId: 'eval',
  startsAt: 0,
  arrivedAt: null,
  calledAt: null,
  sessionStartedAt: null,
  endedAt,
  status,
});

describe('recordsOf and worldStats', () => {
  const H = 3_600_000;
  const days: Pick<DayResult, 'dayStartMs' | 'checkIns' | 'visits' | 'turnedAway'>[] = [
    {
      dayStartMs: 0,
      checkIns: [checkIn('b1', false, 2, 0), checkIn('w1', true, 10, 4)],
      visits: [
        outcome('b1', false, 'done', 18 * H),
        outcome('b2', false, 'no_show', null),
        outcome('w1', true, 'done', 19 * H),
      ],
      turnedAway: ['w2'],
    },
    {
      dayStartMs: 24 * H,
      checkIns: [checkIn('b1', false, 6, 6)],
      visits: [outcome('b1', false, 'done', 24 * H + 18.5 * H)],
      turnedAway: [],
    },
  ];

  it('collects the records of one estimator', () => {
    expect(recordsOf(days, 'x').map((x) => [x.shownMin, x.actualMin])).toEqual([
      [0, 2],
      [4, 10],
      [6, 6],
    ]);
    expect(recordsOf(days, 'nobody')).toEqual([]);
  });

  it('summarises the days by hand', () => {
    // booked 3 over 2 days = 1.5; check-ins 3 → 1.5; walk-ins 1 → 0.5; turned away 1 → 0.5; no-shows 1/3;
    // waits 2, 10, 6: mean 6, median 6, p90 rank 1.8 → 6 + 0.8 × 4 = 9.2; last ends 19 h and 18.5 h.
    expect(worldStats(days)).toEqual({
      days: 2,
      bookedPerDay: 1.5,
      checkInsPerDay: 1.5,
      walkInsPerDay: 0.5,
      turnedAwayPerDay: 0.5,
      noShowShare: 0.33333,
      walkInShare: 0.33333,
      actualWaitMin: { mean: 6, median: 6, p90: 9.2, max: 10 },
      lastEndHour: { mean: 18.75, max: 19 },
    });
  });
});

describe('targets, Pareto front and pick', () => {
  const row = (name: string, maeMin: number, underShare: number) => ({ name, maeMin, underShare });
  const T = { maeMin: 3, underShare: 0.2 };

  it('checks both targets inclusively', () => {
    expect(meetsTargets(row('a', 3, 0.2), T)).toBe(true);
    expect(meetsTargets(row('a', 3.01, 0.1), T)).toBe(false);
    expect(meetsTargets(row('a', 2, 0.21), T)).toBe(false);
  });

  it('keeps the rows no other row beats on both, once, sorted by MAE', () => {
    const rows = [
      row('a', 3, 0.4),
      row('b', 2.5, 0.5),
      row('c', 3.5, 0.3),
      row('d', 3.2, 0.45),
      row('e', 3, 0.4),
    ];
    // d is beaten by a (3 ≤ 3.2, 0.4 ≤ 0.45); e equals a and comes later.
    expect(paretoFront(rows).map((x) => x.name)).toEqual(['b', 'a', 'c']);
  });

  it('picks by the fixed rule, falling back target by target', () => {
    expect(pickSetting([row('a', 2.9, 0.19), row('b', 2.5, 0.2), row('c', 2, 0.3)], T)).toEqual({
      row: row('b', 2.5, 0.2),
      rule: 'both targets',
    });
    expect(pickSetting([row('a', 3.5, 0.19), row('b', 3.2, 0.15), row('c', 2, 0.3)], T)).toEqual({
      row: row('b', 3.2, 0.15),
      rule: 'under-prediction target',
    });
    expect(pickSetting([row('a', 2.9, 0.4), row('b', 3, 0.35), row('c', 4, 0.3)], T)).toEqual({
      row: row('b', 3, 0.35),
      rule: 'MAE target',
    });
    expect(pickSetting([row('a', 3.1, 0.4)], T)).toBeUndefined();
  });
});
