/**
 * The specialties a physiotherapy clinic in Portugal offers, with the defaults a new clinic starts from
 * (name in PT-PT and English, default duration in minutes, price in integer cents). A clinic can change
 * durations and prices; the codes are stable identifiers shared by the clinic server, the central API
 * and the pages. The list is the first clinic's (product brief);
 * durations and prices are its opening defaults.
 */
import { z } from 'zod';

/** Stable specialty codes (never shown; the UI shows the localised name). */
export const SPECIALTY_CODES = [
  'massage',
  'evaluation',
  'msk_physio',
  'therapeutic_massage',
  'shock_waves',
] as const;
export type SpecialtyCode = (typeof SPECIALTY_CODES)[number];

/** zod schema of a specialty code. */
export const specialtyCode = z.enum(SPECIALTY_CODES);

/** Shortest and longest bookable session, minutes (a shorter slot is not a treatment; longer is two). */
export const DURATION_MIN_BOUNDS = { min: 5, max: 240 } as const;

/** zod schema of a session duration: whole minutes within `DURATION_MIN_BOUNDS`. */
export const durationMin = z.number().int().min(DURATION_MIN_BOUNDS.min).max(DURATION_MIN_BOUNDS.max);

/** Defaults for one specialty: names, session length (minutes) and price (integer cents, VAT exempt). */
export interface SpecialtyDefaults {
  namePt: string;
  nameEn: string;
  defaultDurationMin: number;
  priceCents: number;
}

/** What a new clinic (and the demo clinic) starts with, per specialty code. */
export const SPECIALTY_DEFAULTS: Readonly<Record<SpecialtyCode, SpecialtyDefaults>> = {
  massage: { namePt: 'Massagem', nameEn: 'Massage', defaultDurationMin: 45, priceCents: 4000 },
  evaluation: {
    namePt: 'Consulta de avaliação',
    nameEn: 'Evaluation appointment',
    defaultDurationMin: 30,
    priceCents: 3500,
  },
  msk_physio: {
    namePt: 'Fisioterapia músculo-esquelética',
    nameEn: 'Musculoskeletal physiotherapy',
    defaultDurationMin: 45,
    priceCents: 4500,
  },
  therapeutic_massage: {
    namePt: 'Massagem terapêutica',
    nameEn: 'Therapeutic massage',
    defaultDurationMin: 60,
    priceCents: 5000,
  },
  shock_waves: { namePt: 'Ondas de choque', nameEn: 'Shock waves', defaultDurationMin: 20, priceCents: 3000 },
};
