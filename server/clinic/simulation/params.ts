/**
 * Parameters of a simulated clinic day (pure data), and the demo clinic's values. The clinic is the one
 * `server/clinic/seed/demo.ts` seeds: four practitioners, each in their own room, with the specialties
 * they practise; booked durations are the specialty defaults of `server/domain/specialties.ts`.
 *
 * Every parameter, its value in `DEMO_SIM_PARAMS` and where the value comes from ("assumption" means a
 * judgement about a typical physiotherapy clinic with no data behind it; those marked "varied" are changed
 * in the benchmark's sensitivity run, `bench/wait.ts`):
 *
 * | parameter                       | value                                              | source                                         |
 * | ------------------------------- | -------------------------------------------------- | ---------------------------------------------- |
 * | `openMin`, `closeMin`           | 08:00, 19:00 (last slot ends by 19:00)             | seed/demo.ts                                   |
 * | practitioners, rooms, specialties | Marta (Sala 1: evaluation, msk_physio), João (Sala 2: msk_physio, shock_waves), Inês (Sala 3: massage, therapeutic_massage), Rui (Sala 4: evaluation, therapeutic_massage, massage) | seed/demo.ts |
 * | `bookedMin` per specialty       | massage 45, evaluation 30, msk_physio 45, therapeutic_massage 60, shock_waves 20 | domain/specialties.ts (defaults) |
 * | `firstSlotStepMin` × `firstSlotSteps` | first slot at 08:00 + 0–3 × 15 min, uniform  | seed/demo.ts                                   |
 * | `gapProbability`, `gapMin`      | 0.3, 15 min after a slot (else back to back)       | seed/demo.ts                                   |
 * | specialty of a slot             | uniform over the practitioner's specialties        | seed/demo.ts                                   |
 * | `arrival`                       | normal, mean −5, sd 5 min, truncated to −15…+10    | assumption (patients come a few minutes early); range from the brief |
 * | `noShowRate`                    | 0.08 of booked appointments                        | seed/demo.ts (8 % no-shows)                    |
 * | `walkInRate`                    | 0.10 walk-ins per booked appointment (binomial)    | brief (~10 % of the day); varied               |
 * | `walkInFromMin`, `walkInToMin`  | arrivals uniform 08:30–18:00                       | assumption                                     |
 * | walk-in specialty               | uniform over the 5; "any practitioner" of it       | assumption                                     |
 * | `speed` per practitioner        | Marta 0.95, João 1.08, Inês 0.97, Rui 1.03         | assumption; spread varied                      |
 * | `durationFactor` per specialty  | evaluation 1.05, msk_physio 0.95, massage 0.93, therapeutic_massage 0.95, shock_waves 0.85 | assumption: a slot includes changing and notes, so treatment is a little shorter; first evaluations run over |
 * | `durationSigma`                 | 0.12: session = booked × speed × factor × lognormal(σ) | assumption (about ±12 % session to session); varied |
 * | `overrun`                       | 5 % of sessions run 5–15 min over (uniform)        | assumption; varied                             |
 * | `lateStart`                     | 10 % of practitioner-days start 5–20 min late      | assumption; varied                             |
 * | `turnoverMin`                   | 2 min from a session's end to calling the next     | assumption (couch, towels, notes; 2–5 min is common) |
 * | `walkMin`                       | 1 min from the call to the session's start         | assumption (a small clinic)                    |
 * | `earlyCallMin`                  | 5: a free practitioner calls an arrived patient up to 5 min before their booked time | assumption; varied (0 and "whenever free") |
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
  /** Arrival minus booked time, minutes: normal(mean, sd) truncated to [earliest, latest]. */
  arrival: { meanMin: number; sdMin: number; earliestMin: number; latestMin: number };
  /** Share of booked appointments whose patient never comes. */
  noShowRate: number;
  /** Each booked appointment brings one walk-in with this probability. */
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
  /** Minutes from a session's end until the practitioner calls the next patient. */
  turnoverMin: number;
  /** Minutes from the call until the session starts. */
  walkMin: number;
  /** A free practitioner calls the head of their queue from this many minutes before its booked time. */
  earlyCallMin: number;
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
    { id: 'joao', roomId: 'sala-2', specialtyIds: ['msk_physio', 'shock_waves'], speed: 1.08 },
    { id: 'ines', roomId: 'sala-3', specialtyIds: ['massage', 'therapeutic_massage'], speed: 0.97 },
    {
      id: 'rui',
      roomId: 'sala-4',
      specialtyIds: ['evaluation', 'therapeutic_massage', 'massage'],
      speed: 1.03,
    },
  ],
  specialties: [
    spec('massage', 0.93),
    spec('evaluation', 1.05),
    spec('msk_physio', 0.95),
    spec('therapeutic_massage', 0.95),
    spec('shock_waves', 0.85),
  ],
  firstSlotStepMin: 15,
  firstSlotSteps: 4,
  gapProbability: 0.3,
  gapMin: 15,
  arrival: { meanMin: -5, sdMin: 5, earliestMin: -15, latestMin: 10 },
  noShowRate: 0.08,
  walkInRate: 0.1,
  walkInFromMin: 8 * 60 + 30,
  walkInToMin: 18 * 60,
  durationSigma: 0.12,
  overrun: { probability: 0.05, minMin: 5, maxMin: 15 },
  lateStart: { probability: 0.1, minMin: 5, maxMin: 20 },
  turnoverMin: 2,
  walkMin: 1,
  earlyCallMin: 5,
};
