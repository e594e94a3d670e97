/**
 * Properties of whole simulated days of the demo clinic (seeds 1–40, and a late, walk-in-heavy variant):
 * the book follows the clinic (hours, specialties, default durations, no double booking); no patient
 * starts before arriving; a practitioner never has two sessions at once and keeps the turnover between
 * them; no-shows never check in nor get a wait; everyone who checks in is seen; and a day is a function
 * of its seed alone. Plus a regression pin of seed 1.
 */
import { describe, expect, it } from 'vitest';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../domain/specialties.ts';
import { estimateWaits } from '../../domain/wait.ts';
import { DEMO_SIM_PARAMS, SIM_EPOCH_MS, type SimParams } from './params.ts';
import type { WaitEstimator } from './run.ts';
import { dayStartOf, simulateDay } from './simulate.ts';

const MIN = 60_000;
const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);
const HECTIC: SimParams = {
  ...DEMO_SIM_PARAMS,
  walkInRate: 0.8,
  walkInFitSlackMin: 15,
  lateStart: { probability: 0.5, minMin: 10, maxMin: 30 },
  overrun: { probability: 0.3, minMin: 5, maxMin: 20 },
};
const RULES: WaitEstimator = {
  name: 'rules',
  estimate(ctx) {
    const e = estimateWaits(ctx.items, ctx.now, { turnoverBufferMin: 3 }).get(ctx.visitId)!;
    return { waitMin: e.waitMin, position: e.position };
  },
};

describe.each([
  ['demo clinic', DEMO_SIM_PARAMS],
  ['late, walk-in-heavy clinic', HECTIC],
])('simulateDay, %s', (_name, params) => {
  const days = SEEDS.map((seed) => simulateDay(params, seed, [RULES]));
  const practitioners = new Map(params.practitioners.map((p) => [p.id, p]));

  it('books each practitioner within opening hours, in their specialties, at default durations, without overlap', () => {
    for (const day of days) {
      for (const p of params.practitioners) {
        const book = day.visits.filter((v) => !v.walkIn && v.practitionerId === p.id);
        let previousEnd = -Infinity;
        for (const v of book) {
          const booked = SPECIALTY_DEFAULTS[v.specialtyId as SpecialtyCode].defaultDurationMin;
          expect(p.specialtyIds).toContain(v.specialtyId);
          expect(v.startsAt).toBeGreaterThanOrEqual(day.dayStartMs + params.openMin * MIN);
          expect(v.startsAt + booked * MIN).toBeLessThanOrEqual(day.dayStartMs + params.closeMin * MIN);
          expect(v.startsAt).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = v.startsAt + booked * MIN;
        }
      }
    }
  });

  it('never starts a patient before they arrive (and never before the walk after the call)', () => {
    for (const day of days) {
      for (const v of day.visits.filter((x) => x.sessionStartedAt !== null)) {
        expect(v.arrivedAt).not.toBeNull();
        expect(v.calledAt!).toBeGreaterThanOrEqual(v.arrivedAt!);
        expect(v.sessionStartedAt! - v.calledAt!).toBe(params.walkMin * MIN);
      }
      for (const c of day.checkIns) expect(c.actualMin).toBeGreaterThanOrEqual(params.walkMin);
    }
  });

  it('never gives a practitioner two sessions at once, and keeps the turnover between sessions', () => {
    for (const day of days) {
      for (const id of practitioners.keys()) {
        const sessions = day.visits
          .filter((v) => v.practitionerId === id && v.sessionStartedAt !== null)
          .sort((a, b) => a.sessionStartedAt! - b.sessionStartedAt!);
        for (let i = 1; i < sessions.length; i++) {
          expect(sessions[i]!.sessionStartedAt!).toBeGreaterThanOrEqual(
            sessions[i - 1]!.endedAt! + params.turnoverMin * MIN,
          );
        }
      }
    }
  });

  it('never checks in a no-show nor gives them a wait', () => {
    for (const day of days) {
      const noShows = day.visits.filter((v) => v.status === 'no_show');
      for (const v of noShows) {
        expect([v.arrivedAt, v.calledAt, v.sessionStartedAt, v.endedAt]).toEqual([null, null, null, null]);
        expect(day.checkIns.find((c) => c.visitId === v.id)).toBeUndefined();
      }
    }
    expect(days.some((d) => d.visits.some((v) => v.status === 'no_show'))).toBe(true);
  });

  it('sees everyone who checked in, with a finite wait, and asks the estimator once each', () => {
    for (const day of days) {
      expect(day.checkIns.length).toBe(day.visits.filter((v) => v.arrivedAt !== null).length);
      for (const c of day.checkIns) {
        expect(Number.isFinite(c.actualMin)).toBe(true);
        expect(c.shown.rules).toBeDefined();
        expect(day.visits.find((v) => v.id === c.visitId)!.status).toBe('done');
      }
      for (const id of day.turnedAway) {
        expect(day.visits.find((v) => v.id === id)!).toMatchObject({ walkIn: true, status: 'cancelled' });
      }
    }
  });

  it('is a function of the seed: the same day again, whatever the estimators', () => {
    for (const seed of [1, 17]) {
      const again = simulateDay(params, seed, []);
      expect(again.visits).toEqual(days[seed - 1]!.visits);
      expect(again.events).toEqual(days[seed - 1]!.events);
      expect(again.checkIns.map((c) => c.actualMin)).toEqual(
        days[seed - 1]!.checkIns.map((c) => c.actualMin),
      );
    }
    expect(simulateDay(params, 2, []).visits).not.toEqual(days[0]!.visits);
  });
});

describe('simulateDay, seed 1 of the demo clinic (regression pin: changes with the generator or parameters)', () => {
  it('keeps its counts', () => {
    const day = simulateDay(DEMO_SIM_PARAMS, 1, []);
    const booked = day.visits.filter((v) => !v.walkIn);
    expect({
      booked: booked.length,
      noShows: booked.filter((v) => v.status === 'no_show').length,
      walkIns: day.visits.filter((v) => v.walkIn).length,
      turnedAway: day.turnedAway.length,
      checkIns: day.checkIns.length,
      events: day.events.length,
    }).toEqual({ booked: 39, noShows: 5, walkIns: 9, turnedAway: 6, checkIns: 37, events: 202 });
  });
});

describe('dayStartOf', () => {
  it('places seed 1 on the epoch and each next seed one day later', () => {
    expect(dayStartOf(1)).toBe(SIM_EPOCH_MS);
    expect(dayStartOf(3)).toBe(Date.UTC(2026, 0, 7));
  });
});
