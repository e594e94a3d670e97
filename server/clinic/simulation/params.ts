/**
 * Parameters of a simulated clinic day (pure data), and the demo clinic's values. The clinic is the one
 * `server/clinic/seed/demo.ts` seeds: four practitioners, each in their own room, with the specialties
 * they practise (Marta, Sala 1: evaluation, msk_physio; João, Sala 2: msk_physio, shock_waves; Inês,
 * Sala 3: massage, therapeutic_massage; Rui, Sala 4: evaluation, therapeutic_massage, massage); booked
 * durations are the specialty defaults of `server/domain/specialties.ts` (massage 45, evaluation 30,
 * msk_physio 45, therapeutic_massage 60, shock_waves 20 min).
 *
 * Every parameter, its value in `DEMO_SIM_PARAMS` and where it comes from. "Assumption" means a judgement
 * about a small physiotherapy clinic with no data behind it; "varied" ones are changed in the benchmark's
 * sensitivity run (`bench/lib/wait-config.ts`, `scenarios`).
 *
 * | parameter              | value                                              | source                          |
 * | ---------------------- | -------------------------------------------------- | ------------------------------- |
 * | `openMin`, `closeMin`  | 08:00–19:00; a slot must end by 19:00              | seed/demo.ts                    |
 * | `firstSlotStepMin`, `firstSlotSteps` | first slot 08:00 + 0–3 × 15 min, uniform | seed/demo.ts               |
 * | specialty of a slot    | uniform over the practitioner's                    | seed/demo.ts                    |
 * | `gapProbability`, `gapMin` | after a slot, a 15 min gap with p 0.3, else back to back | seed/demo.ts          |
 * | `bookedShare`          | 0.8 of the slots booked, the rest free             | assumption: room for walk-ins (see below) |
 * | `arrival`              | booked time + normal(−5, 5) min, kept in −15…+10   | assumption (most come a few minutes early); range: brief |
 * | `noShowRate`           | 0.08 of booked appointments                        | seed/demo.ts, brief (~8 %)      |
 * | `walkInRate`           | 0.3 walk-in requests per slot, arriving uniformly in 08:30–18:00 (`walkInFromMin`, `walkInToMin`), specialty uniform over the 5 | calibrated: about 10 % of check-ins are walk-ins (brief); varied |
 * | `walkInMaxWaitMin`     | 20: the desk turns a walk-in away when the practitioner free first is busier | assumption (common desk practice) |
 * | `walkInFitSlackMin`    | 5: the walk-in must finish by that practitioner's next booking + 5 min | assumption; varied   |
 * | `lateNoShowMin`        | 15: after 15 min the desk stops keeping a booking's slot | assumption (common clinic policy) |
 * | `speed`                | Marta 0.95, João 1.05, Inês 0.97, Rui 1.03         | assumption; spread varied       |
 * | `durationFactor`       | evaluation 1.0, msk_physio 0.9, massage 0.9, therapeutic_massage 0.92, shock_waves 0.75 | assumption: a slot includes changing and notes, so the treatment is a little shorter; a shock-wave session is ~15 min |
 * | `durationSigma`        | 0.12: session = booked × speed × factor × lognormal(σ) + overrun | assumption (±12 % session to session); varied |
 * | `overrun`              | 5 % of sessions run 5–15 min over (uniform)        | assumption; varied              |
 * | `lateStart`            | 10 % of practitioner-days start 5–20 min late (after their first booked slot) | assumption; varied |
 * | `turnoverMin`          | 3 min from a session's end to the next one's start (couch, notes, fetching the patient) | assumption (2–5 min is common) |
 * | `walkMin`              | 1 min from the call to the session's start (part of the turnover) | assumption (a small clinic); varied |
 * | `earlyCallMin`         | 5: a free practitioner starts a patient who is there up to 5 min before the booked time | assumption; varied (0 and "whenever free") |
 *
 * Why `bookedShare` and the desk's walk-in rule: a walk-in is given the practitioner free first
 * (`earliestFreePractitioner`, as the brief asks), but seed/demo.ts books a practitioner's whole day. In
 * a first version every walk-in was accepted into that full book, and a 45–60 min walk-in delayed the
 * rest of that practitioner's day. With these parameters but a full book (`bookedShare` 1), walk-ins
 * taking 10 % of the check-ins, and every walk-in accepted, 200 days give a mean wait of 19.6 min (p90
 * 53.3, sessions until 22:13), against 6.7 min (p90 17.0) with no walk-ins. No front desk works like that,
 * so here the desk only accepts a walk-in who fits, and a fifth of the slots are left free: mean 5.6 min,
 * p90 14.5, about 9 % walk-ins.
 *
 * Times of day are minutes after midnight, clinic wall-clock; the simulator places day `seed` at
 * `SIM_EPOCH_MS` + (seed − 1) days and treats wall-clock as UTC (no DST: simulated days are abstract).
 */
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../domain/specialties.ts';

/** A practitioner of the simulated clinic. */
export interface SimPractitioner {
  id: string;
  /** Their own room (one practitioner per room). */
  roomId: string;
  /** Specialty ids they practise, in the order walk-ins are offered to them on ties. */
  specialtyIds: readonly string[];
  /** Multiplier of every session length: > 1 slower than booked, < 1 faster. */
  speed: number;
}

/** A specialty of the simulated clinic. */
export interface SimSpecialty {
  id: string;
  /** Booked duration, minutes (the specialty default). */
  bookedMin: number;
  /** Median actual length as a share of the booked one (before the practitioner's speed). */
  durationFactor: number;
}

/** A random delay: with `probability`, uniform in [`minMin`, `maxMin`] minutes; otherwise none. */
export interface RandomDelay {
  probability: number;
  minMin: number;
  maxMin: number;
}

/** Everything that shapes a simulated day (see the table in the module comment). */
export interface SimParams {
  /** Clinic opening and closing, minutes after midnight; booked slots end by `closeMin`. */
  openMin: number;
  closeMin: number;
  practitioners: readonly SimPractitioner[];
  specialties: readonly SimSpecialty[];
  /** A practitioner's first slot starts at `openMin` + k × `firstSlotStepMin`, k uniform in 0..steps−1. */
  firstSlotStepMin: number;
  firstSlotSteps: number;
  /** After each slot, a gap of `gapMin` with this probability, else the next slot follows at once. */
  gapProbability: number;
  gapMin: number;
  /** Share of the slots that are booked; the others are free time (room for walk-ins). */
  bookedShare: number;
  /** Arrival minus booked time, minutes: normal(mean, sd) truncated to [earliest, latest]. */
  arrival: { meanMin: number; sdMin: number; earliestMin: number; latestMin: number };
  /** Share of booked appointments whose patient never comes. */
  noShowRate: number;
  /** Each slot of the day (booked or free) brings one walk-in attempt with this probability. */
  walkInRate: number;
  /** Walk-ins arrive uniformly in [from, to), minutes after midnight. */
  walkInFromMin: number;
  walkInToMin: number;
  /** σ of the lognormal session-to-session noise (median 1). */
  durationSigma: number;
  /** Per session: runs over by this much. */
  overrun: RandomDelay;
  /** Per practitioner and day: starts late by this much after their first booked slot. */
  lateStart: RandomDelay;
  /**
   * Minutes from a session's end to the next session's start when a patient is waiting (couch, notes,
   * fetching the patient): the practitioner calls at end + turnover − walk.
   */
  turnoverMin: number;
  /** Minutes from the call until the session starts (part of the turnover; all an idle practitioner needs). */
  walkMin: number;
  /** A free practitioner starts the head of their queue at most this many minutes before its booked time. */
  earlyCallMin: number;
  /**
   * The desk's walk-in rule: a walk-in goes to the practitioner of the specialty free first who can see
   * them within `walkInMaxWaitMin` and finish by their next booked patient's time + `walkInFitSlackMin`;
   * turned away when none can.
   */
  walkInMaxWaitMin: number;
  walkInFitSlackMin: number;
  /** A booked patient this many minutes late is taken for a no-show (for the walk-in rule only). */
  lateNoShowMin: number;
}

/** Day 1 of the simulation: Monday 2026-01-05, 00:00 UTC (day `seed` is this + (seed − 1) days). */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 5);

const spec = (id: SpecialtyCode, durationFactor: number): SimSpecialty => ({
  id,
  bookedMin: SPECIALTY_DEFAULTS[id].defaultDurationMin,
  durationFactor,
});

/** The demo clinic (seed/demo.ts) with the values of the table above. */
export const DEMO_SIM_PARAMS: SimParams = {
  openMin: 8 * 60,
  closeMin: 19 * 60,
  practitioners: [
    { id: 'marta', roomId: 'sala-1', specialtyIds: ['evaluation', 'msk_physio'], speed: 0.95 },
    { id: 'joao', roomId: 'sala-2', specialtyIds: ['msk_physio', 'shock_waves'], speed: 1.05 },
    { id: 'ines', roomId: 'sala-3', specialtyIds: ['massage', 'therapeutic_massage'], speed: 0.97 },
    {
      id: 'rui',
      roomId: 'sala-4',
      specialtyIds: ['evaluation', 'therapeutic_massage', 'massage'],
      speed: 1.03,
    },
  ],
  specialties: [
    spec('massage', 0.9),
    spec('evaluation', 1.0),
    spec('msk_physio', 0.9),
    spec('therapeutic_massage', 0.92),
    spec('shock_waves', 0.75),
  ],
  firstSlotStepMin: 15,
  firstSlotSteps: 4,
  gapProbability: 0.3,
  gapMin: 15,
  bookedShare: 0.8,
  arrival: { meanMin: -5, sdMin: 5, earliestMin: -15, latestMin: 10 },
  noShowRate: 0.08,
  walkInRate: 0.3,
  walkInFromMin: 8 * 60 + 30,
  walkInToMin: 18 * 60,
  durationSigma: 0.12,
  overrun: { probability: 0.05, minMin: 5, maxMin: 15 },
  lateStart: { probability: 0.1, minMin: 5, maxMin: 20 },
  turnoverMin: 3,
  walkMin: 1,
  earlyCallMin: 5,
  walkInMaxWaitMin: 20,
  walkInFitSlackMin: 5,
  lateNoShowMin: 15,
};
