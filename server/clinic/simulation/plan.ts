/**
 * The random part of a simulated clinic day (pure): the appointment book, who comes and when, walk-ins,
 * and each session's noise, overrun and each practitioner's late start, all drawn up front from one seeded
 * `Rng`. Running the day (`run.ts`) is then deterministic, so every estimator sees the same day and the
 * day does not depend on which estimators are asked.
 *
 * How a day is drawn (parameters and their sources: `params.ts`):
 * 1. Per practitioner, in list order: the first slot at `openMin` + k × `firstSlotStepMin`; then, while
 *    the slot fits before `closeMin`, a specialty uniformly among theirs, at its default duration, booked
 *    with probability `bookedShare` (else left free), followed by a `gapMin` gap with probability
 *    `gapProbability`. (The first specialty that does not fit ends the practitioner's day.) Then their
 *    late start (`lateStart`).
 * 2. Per booked appointment, in book order: no-show with probability `noShowRate`; else an arrival
 *    offset from `arrival`; then the session's lognormal noise and overrun (drawn for no-shows too, so one
 *    patient's absence does not shift everyone else's draws).
 * 3. Walk-in requests: one per slot (booked or free) with probability `walkInRate`, each with an arrival
 *    uniform in [`walkInFromMin`, `walkInToMin`), a specialty uniform over all, noise and overrun. Whether
 *    the desk accepts them is decided when they arrive (`run.ts`).
 * Times are rounded to whole seconds, as timestamps in the database would be.
 */
import type { SimParams } from './params.ts';
import type { Rng } from './rng.ts';

/** One visit of the day as planned: booked (with a practitioner) or a walk-in ("any practitioner"). */
export interface PlannedVisit {
  id: string;
  walkIn: boolean;
  /** The booked practitioner; null for a walk-in (assigned when they arrive). */
  practitionerId: string | null;
  specialtyId: string;
  /** Booked start, ms since epoch; a walk-in is booked at their arrival. */
  startsAt: number;
  /** Booked duration, minutes. */
  bookedMin: number;
  /** Arrival, ms since epoch; null for a no-show. */
  arrivesAt: number | null;
  /** This session's lognormal noise (median 1), multiplying the booked length. */
  noise: number;
  /** Minutes this session runs over, added at the end (0 mostly). */
  overrunMin: number;
}

/** A practitioner as the day runs them. */
export interface PlannedPractitioner {
  id: string;
  roomId: string;
  specialtyIds: readonly string[];
  speed: number;
  /** When they start seeing patients, ms: their first booked slot plus any late start. */
  availableAt: number;
}

/** A whole day, ready for `runDay`. */
export interface DayPlan {
  /** Midnight of the simulated day, ms since epoch. */
  dayStartMs: number;
  practitioners: PlannedPractitioner[];
  /** Booked visits in book order (practitioner by practitioner), then walk-ins by arrival. */
  visits: PlannedVisit[];
  /** Specialty id → median actual length as a share of the booked one. */
  durationFactors: Record<string, number>;
  turnoverMin: number;
  walkMin: number;
  earlyCallMin: number;
  /** The desk's walk-in rule (`SimParams`): longest expected wait, allowed overlap with the next booking. */
  walkInMaxWaitMin: number;
  walkInFitSlackMin: number;
  /** A booked patient this many minutes late is taken for a no-show by the desk. */
  lateNoShowMin: number;
}

/** `minutes` rounded to whole seconds, in ms. */
export function minutesToMs(minutes: number): number {
  return Math.round(minutes * 60) * 1000;
}

/**
 * The actual length of a session, ms: booked × the practitioner's speed × the specialty's duration factor
 * × the session's noise, plus its overrun, rounded to whole seconds.
 */
export function actualDurationMs(
  plan: Pick<DayPlan, 'durationFactors'>,
  practitioner: Pick<PlannedPractitioner, 'speed'>,
  visit: Pick<PlannedVisit, 'specialtyId' | 'bookedMin' | 'noise' | 'overrunMin'>,
): number {
  const factor = plan.durationFactors[visit.specialtyId] ?? 1;
  return minutesToMs(visit.bookedMin * practitioner.speed * factor * visit.noise + visit.overrunMin);
}

/**
 * Draws one day (see the module comment) starting at `dayStartMs` (midnight). @throws RangeError when a
 * practitioner practises a specialty that `params.specialties` lacks.
 */
export function planDay(params: SimParams, rng: Rng, dayStartMs: number): DayPlan {
  const at = (minuteOfDay: number) => dayStartMs + minutesToMs(minuteOfDay);
  const specialties = new Map(params.specialties.map((s) => [s.id, s]));
  const bookedMinOf = (id: string) => {
    const s = specialties.get(id);
    if (!s) throw new RangeError(`unknown specialty ${id}`);
    return s.bookedMin;
  };
  const delay = (d: SimParams['overrun']) =>
    rng.chance(d.probability) ? rng.uniform(d.minMin, d.maxMin) : 0;

  const practitioners: PlannedPractitioner[] = [];
  const booked: { practitionerId: string; specialtyId: string; startMin: number; bookedMin: number }[] = [];
  let slots = 0;
  for (const p of params.practitioners) {
    let t = params.openMin + rng.int(params.firstSlotSteps) * params.firstSlotStepMin;
    const first = t;
    for (;;) {
      const specialtyId = rng.pick(p.specialtyIds);
      const bookedMin = bookedMinOf(specialtyId);
      if (t + bookedMin > params.closeMin) break;
      slots += 1;
      if (rng.chance(params.bookedShare))
        booked.push({ practitionerId: p.id, specialtyId, startMin: t, bookedMin });
      t += bookedMin + (rng.chance(params.gapProbability) ? params.gapMin : 0);
    }
    practitioners.push({
      id: p.id,
      roomId: p.roomId,
      specialtyIds: p.specialtyIds,
      speed: p.speed,
      availableAt: at(first + delay(params.lateStart)),
    });
  }

  const visits: PlannedVisit[] = booked.map((b, i) => {
    const noShow = rng.chance(params.noShowRate);
    const a = params.arrival;
    const offset = noShow ? 0 : rng.truncatedNormal(a.meanMin, a.sdMin, a.earliestMin, a.latestMin);
    return {
      id: `b${String(i + 1).padStart(3, '0')}`,
      walkIn: false,
      practitionerId: b.practitionerId,
      specialtyId: b.specialtyId,
      startsAt: at(b.startMin),
      bookedMin: b.bookedMin,
      arrivesAt: noShow ? null : at(b.startMin + offset),
      noise: rng.lognormal(params.durationSigma),
      overrunMin: delay(params.overrun),
    };
  });

  const walkIns: PlannedVisit[] = [];
  for (let i = 0; i < slots; i++) {
    if (!rng.chance(params.walkInRate)) continue;
    const arrivesAt = at(rng.uniform(params.walkInFromMin, params.walkInToMin));
    const specialtyId = rng.pick(params.specialties).id;
    walkIns.push({
      id: '',
      walkIn: true,
      practitionerId: null,
      specialtyId,
      startsAt: arrivesAt,
      bookedMin: bookedMinOf(specialtyId),
      arrivesAt,
      noise: rng.lognormal(params.durationSigma),
      overrunMin: delay(params.overrun),
    });
  }
  walkIns.sort((x, y) => x.startsAt - y.startsAt);
  walkIns.forEach((w, i) => (w.id = `w${String(i + 1).padStart(3, '0')}`));

  return {
    dayStartMs,
    practitioners,
    visits: [...visits, ...walkIns],
    durationFactors: Object.fromEntries(params.specialties.map((s) => [s.id, s.durationFactor])),
    turnoverMin: params.turnoverMin,
    walkMin: params.walkMin,
    earlyCallMin: params.earlyCallMin,
    walkInMaxWaitMin: params.walkInMaxWaitMin,
    walkInFitSlackMin: params.walkInFitSlackMin,
    lateNoShowMin: params.lateNoShowMin,
  };
}
