/**
 * Zod schemas: the single source of request shapes (routes, forms and later the sync payload).
 */
import { z } from 'zod';
import { VISIT_STATUSES } from './visit.ts';

export const SPECIALTY_CODES = [
  'massage',
  'evaluation',
  'msk_physio',
  'therapeutic_massage',
  'shock_waves',
] as const;
export type SpecialtyCode = (typeof SPECIALTY_CODES)[number];

const uuid = z.string().uuid();
/** ISO-8601 instant with an offset or Z, e.g. '2026-11-21T09:30:00Z'. */
const instant = z.string().datetime({ offset: true });

export const patientInput = z.object({
  fullName: z.string().trim().min(2).max(120),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ]{9,16}$/)
    .optional(),
  email: z.string().trim().email().max(200).optional(),
  nif: z
    .string()
    .trim()
    .regex(/^\d{9}$/)
    .optional(),
  birthDate: z.string().date().optional(),
});
export type PatientInput = z.infer<typeof patientInput>;

export const appointmentInput = z.object({
  patientId: uuid,
  specialtyId: uuid,
  /** Omitted: the practitioner with the earliest free queue (walk-ins, "any practitioner"). */
  practitionerId: uuid.optional(),
  /** Omitted: now (a walk-in). */
  startsAt: instant.optional(),
  durationMin: z.number().int().min(5).max(240).optional(),
  walkIn: z.boolean().default(false),
});
export type AppointmentInput = z.infer<typeof appointmentInput>;

/** A walk-in: new patient + appointment starting now (+ check-in), in one transaction. */
export const walkInInput = z.object({
  fullName: patientInput.shape.fullName,
  phone: patientInput.shape.phone,
  specialtyId: uuid,
  /** Omitted: the practitioner whose queue frees up first. */
  practitionerId: uuid.optional(),
  checkIn: z.boolean().default(true),
});
export type WalkInInput = z.infer<typeof walkInInput>;

export const statusInput = z.object({
  status: z.enum(VISIT_STATUSES),
  /** Room the patient is called into; defaults to the appointment's room. */
  roomId: uuid.optional(),
  /** Optimistic concurrency: reject with version_conflict when the row changed meanwhile. */
  expectedVersion: z.number().int().positive().optional(),
});

export const callNextInput = z.object({ roomId: uuid });

export const dateQuery = z.object({ date: z.string().date().optional() });

export const bookingCodeInput = z.object({
  code: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^[A-Z0-9]{6}$/)),
});

export const confirmInput = z.object({ appointmentId: uuid, via: z.enum(['face', 'code']) });

/** Enrolment: explicit consent and 1–5 JPEG/PNG images as base64 (data: URLs accepted). */
export const enrolInput = z.object({
  consent: z.literal(true),
  images: z.array(z.string().min(100).max(4_000_000)).min(1).max(5),
});
