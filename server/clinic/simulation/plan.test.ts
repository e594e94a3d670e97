/**
 * Tests of the day planner: a book whose every slot, arrival and duration follows by hand from the
 * parameters (all randomness switched off or forced), the gap and walk-in rules, and the actual-duration
 * formula.
 */
import { describe, expect, it } from 'vitest';
import type { SimParams } from './params.ts';
import { actualDurationMs, minutesToMs, planDay } from './plan.ts';
import { createRng } from './rng.ts';

const MIN = 60_000;
const DAY = Date.UTC(2026, 0, 5);
const at = (h: number, m: number) => DAY + (h * 60 + m) * MIN;

/** One practitioner, one 30-min specialty, 08:00–10:00, nothing random left. */
const FIXED: SimParams = {
  openMin: 8 * 60,
  closeMin: 10 * 60,
  practitioners: [{ id: 'A', roomId: 'r1', specialtyIds: ['eval'], speed: 1.1 }],
  specialties: [{ id: 'eval', bookedMin: 30, durationFactor: 0.9 }],
  firstSlotStepMin: 15,
  firstSlotSteps: 1,
  gapProbability: 0,
  gapMin: 15,
  bookedShare: 1,
  arrival: { meanMin: -5, sdMin: 0, earliestMin: -15, latestMin: 10 },
  noShowRate: 0,
  walkInRate: 0,
  walkInFromMin: 8 * 60 + 30,
  walkInToMin: 9 * 60 + 30,
  durationSigma: 0,
  overrun: { probability: 0, minMin: 5, maxMin: 15 },
  lateStart: { probability: 0, minMin: 5, maxMin: 20 },
  turnoverMin: 3,
  walkMin: 1,
  earlyCallMin: 5,
  walkInMaxWaitMin: 20,
  walkInFitSlackMin: 5,
  lateNoShowMin: 15,
};

describe('planDay', () => {
  it('books back-to-back slots that end by closing time, patients 5 min early', () => {
    // 08:00, 08:30, 09:00, 09:30 (ends 10:00, fits); 10:00 would end 10:30 > 10:00.
    const plan = planDay(FIXED, createRng(1), DAY);
    expect(
      plan.visits.map((v) => [v.id, v.practitionerId, v.startsAt, v.arrivesAt, v.noise, v.overrunMin]),
    ).toEqual([
      ['b001', 'A', at(8, 0), at(7, 55), 1, 0],
      ['b002', 'A', at(8, 30), at(8, 25), 1, 0],
      ['b003', 'A', at(9, 0), at(8, 55), 1, 0],
      ['b004', 'A', at(9, 30), at(9, 25), 1, 0],
    ]);
    expect(plan.visits.every((v) => v.bookedMin === 30 && !v.walkIn && v.specialtyId === 'eval')).toBe(true);
    expect(plan.practitioners).toEqual([
      { id: 'A', roomId: 'r1', specialtyIds: ['eval'], speed: 1.1, availableAt: at(8, 0) },
    ]);
    expect(plan.durationFactors).toEqual({ eval: 0.9 });
    expect([plan.turnoverMin, plan.walkMin, plan.earlyCallMin]).toEqual([3, 1, 5]);
  });

  it('leaves a gap after every slot when the gap probability is 1', () => {
    // 08:00, 08:45 (30 + 15), 09:30 (ends 10:00).
    const plan = planDay({ ...FIXED, gapProbability: 1 }, createRng(1), DAY);
    expect(plan.visits.map((v) => v.startsAt)).toEqual([at(8, 0), at(8, 45), at(9, 30)]);
  });

  it('marks every patient a no-show at rate 1, and books nothing at booked share 0', () => {
    expect(planDay({ ...FIXED, noShowRate: 1 }, createRng(1), DAY).visits.map((v) => v.arrivesAt)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(planDay({ ...FIXED, bookedShare: 0 }, createRng(1), DAY).visits).toEqual([]);
  });

  it('draws one walk-in per slot at rate 1, booked at their arrival, in arrival order', () => {
    const plan = planDay({ ...FIXED, bookedShare: 0, walkInRate: 1 }, createRng(5), DAY);
    expect(plan.visits.map((v) => v.id)).toEqual(['w001', 'w002', 'w003', 'w004']);
    for (const [i, v] of plan.visits.entries()) {
      expect(v.walkIn).toBe(true);
      expect(v.practitionerId).toBeNull();
      expect(v.startsAt).toBe(v.arrivesAt);
      expect(v.startsAt).toBeGreaterThanOrEqual(at(8, 30));
      expect(v.startsAt).toBeLessThan(at(9, 30));
      expect(v.startsAt).toBeGreaterThanOrEqual(plan.visits[i - 1]?.startsAt ?? 0);
    }
  });

  it('starts a late practitioner after their first slot', () => {
    const late = { probability: 1, minMin: 10, maxMin: 10 };
    expect(planDay({ ...FIXED, lateStart: late }, createRng(1), DAY).practitioners[0]!.availableAt).toBe(
      at(8, 10),
    );
  });

  it('refuses a practitioner with an unknown specialty', () => {
    const params = { ...FIXED, practitioners: [{ ...FIXED.practitioners[0]!, specialtyIds: ['yoga'] }] };
    expect(() => planDay(params, createRng(1), DAY)).toThrow(RangeError);
  });
});

describe('durations', () => {
  it('rounds minutes to whole seconds', () => {
    expect(minutesToMs(2.5)).toBe(150_000);
    expect(minutesToMs(1 / 7)).toBe(9_000); // 8.57 s → 9 s
  });

  it('multiplies booked × speed × specialty factor × noise, then adds the overrun', () => {
    // 30 × 1.1 × 0.9 × 1 = 29.7 min = 1782 s; with noise 1.2 and 4 min over: 35.64 + 4 = 39.64 min = 2378.4 s.
    const plan = { durationFactors: { eval: 0.9 } };
    const v = { specialtyId: 'eval', bookedMin: 30, noise: 1, overrunMin: 0 };
    expect(actualDurationMs(plan, { speed: 1.1 }, v)).toBe(1_782_000);
    expect(actualDurationMs(plan, { speed: 1.1 }, { ...v, noise: 1.2, overrunMin: 4 })).toBe(2_378_000);
    expect(actualDurationMs({ durationFactors: {} }, { speed: 1 }, v)).toBe(1_800_000); // factor 1 when unknown
  });
});
