/**
 * Zod contracts of the clinic API's requests: the single source of request shapes for the routes, the
 * pages' forms and (later) the sync payload. Ids come out branded (`PatientId`, …), so a service can only
 * be handed the kind of id it expects. Times are ISO-8601 instants with an offset or `Z`.
 */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { appointmentInstant, birthDateSchema, clinicDay } from './dates.ts';
import { nif } from './nif.ts';
import { durationMin } from './specialties.ts';
import { freeText, personNameText } from './text.ts';
import { KIOSK_CHECK_IN_METHODS, VISIT_STATUSES } from './visit.ts';

/** ISO-8601 instant with an offset or Z, e.g. '2026-11-21T09:30:00Z', in years 2000–2100 (dates.ts). */
const instant = appointmentInstant;

/**
 * A new patient: name (2–120 characters, no control/bidi/invisible characters, NFC: text.ts), optional
 * phone, e-mail, NIF and birth date ('YYYY-MM-DD', from 1900-01-01; not after today: the service checks).
 */
export const patientInput = z.object({
  fullName: personNameText(2, 120),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ]{9,16}$/)
    .optional(),
  email: z.string().trim().email().max(200).optional(),
  /** Portuguese tax number, check digit verified; 'PT', spaces and dots are stripped (server/domain/nif.ts). */
  nif: nif.optional(),
  birthDate: birthDateSchema.optional(),
});
export type PatientInput = z.infer<typeof patientInput>;

/** Booking at the desk; without `startsAt` it is a walk-in starting now. */
export const appointmentInput = z.object({
  patientId: idSchema<'patient'>(),
  specialtyId: idSchema<'specialty'>(),
  /** Omitted: the practitioner with the earliest free queue (walk-ins, "any practitioner"). */
  practitionerId: idSchema<'practitioner'>().optional(),
  /** Omitted: now (a walk-in). */
  startsAt: instant.optional(),
  /** Omitted: the specialty's default duration. */
  durationMin: durationMin.optional(),
  walkIn: z.boolean().default(false),
});
export type AppointmentInput = z.infer<typeof appointmentInput>;

/** A walk-in: new patient + appointment starting now (+ check-in), in one transaction. */
export const walkInInput = z
  .object({
    /** An existing patient (found by the desk's search first), so no duplicate is created. */
    patientId: idSchema<'patient'>().optional(),
    /** A new patient's name; ignored with `patientId`. */
    fullName: patientInput.shape.fullName.optional(),
    phone: patientInput.shape.phone,
    specialtyId: idSchema<'specialty'>(),
    /** Omitted: the practitioner whose queue frees up first. */
    practitionerId: idSchema<'practitioner'>().optional(),
    checkIn: z.boolean().default(true),
  })
  .refine((v) => v.patientId !== undefined || v.fullName !== undefined, {
    message: 'give patientId (an existing patient) or fullName (a new one)',
    path: ['fullName'],
  });
export type WalkInInput = z.infer<typeof walkInInput>;

/**
 * The appointment's version the caller last saw, required on every change of a visit's state or place
 * (issue 13: without it a change made from a stale screen silently overwrote a concurrent one). The
 * service compares it inside the write's transaction: another version → 409 version_conflict, nothing
 * changed. Missing → 400 validation_failed.
 */
export const expectedVersion = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? 'required: the version of the appointment as shown (optimistic concurrency)'
        : undefined,
  })
  .int()
  .positive();

/** A move along the visit state machine (server/domain/visit.ts). */
export const statusInput = z.object({
  status: z.enum(VISIT_STATUSES),
  /** Room the patient is called into; defaults to the appointment's room. */
  roomId: idSchema<'room'>().optional(),
  /** Optimistic concurrency: reject with version_conflict when the row changed meanwhile. */
  expectedVersion,
});

/**
 * "Call next" for one room. No `expectedVersion`: the caller does not choose the appointment, so it cannot
 * know its version. The server reads the head of the room's queue and calls it at the version it read,
 * in one synchronous step on the one database connection: two calls take two patients, or the second
 * finds the room busy (room_busy).
 */
export const callNextInput = z.object({ roomId: idSchema<'room'>() });

/** `POST /appointments/:id/call`: call this patient into a room (omitted: the appointment's room). */
export const callInput = z.object({
  roomId: idSchema<'room'>().optional(),
  /** Optimistic concurrency: reject with version_conflict when the row changed meanwhile. */
  expectedVersion,
});

/**
 * `POST /appointments/:id/recall`: announce a called patient again. `expectedVersion` stays optional: a
 * recall changes no state, room or practitioner (only the announcement time), it is refused unless the
 * patient is still called (checked in its transaction), and two desks recalling at once both meant it.
 * When given, a stale version is refused (409 version_conflict).
 */
export const recallInput = z.object({ expectedVersion: expectedVersion.optional() });

/** `POST /appointments/:id/move`: another room and/or another practitioner (at least one). */
export const moveInput = z
  .object({
    roomId: idSchema<'room'>().optional(),
    practitionerId: idSchema<'practitioner'>().optional(),
    expectedVersion,
  })
  .refine((v) => v.roomId !== undefined || v.practitionerId !== undefined, {
    message: 'give roomId, practitionerId or both',
    path: ['roomId'],
  });
export type MoveInput = z.infer<typeof moveInput>;

/**
 * `POST /board/undo`: undo the last board action on an appointment; `expectedVersion` is the version the
 * action answered with (anything that changed the row since refuses the undo).
 */
export const undoInput = z.object({
  appointmentId: idSchema<'appointment'>(),
  expectedVersion: z.number().int().positive(),
});

/** `?date=YYYY-MM-DD` (a clinic day in Europe/Lisbon, years 2000–2100); omitted: today's live board. */
export const dateQuery = z.object({ date: clinicDay.optional() });

/** Patient search: name or phone fragment, or an exact NIF (1–100 characters, no control characters). */
export const patientQuery = z.object({ q: freeText(100) });

/** A booking code as typed or scanned: case, spaces and dashes are ignored; 6 letters or digits. */
export const bookingCodeInput = z.object({
  code: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^[A-Z0-9]{6}$/)),
});

/** The patient confirmed the kiosk's candidate; `checkInMethod` says how it was found. */
export const confirmInput = z.object({
  appointmentId: idSchema<'appointment'>(),
  checkInMethod: z.enum(KIOSK_CHECK_IN_METHODS),
});

/**
 * Withdrawal of face consent at the kiosk: the appointment the kiosk session just identified by booking
 * code. The server acts only when it matches what that session identified (never on a client's patient id).
 */
export const kioskWithdrawInput = z.object({ appointmentId: idSchema<'appointment'>() });

/**
 * Enrolment: the consent box and 1–5 JPEG/PNG images as base64 (data: URLs accepted). Without
 * `consent: true` the server answers 422 consent_required and stores nothing.
 */
export const enrolInput = z.object({
  consent: z.boolean(),
  images: z.array(z.string().min(100).max(4_000_000)).min(1).max(5),
});

/** `POST /api/face/check`: one enrolment capture, base64 (bare or a data: URL). */
export const photoCheckInput = z.object({ image: z.string().min(100).max(4_000_000) });

/** `:id` path parameter of an entity. */
export const idParam = <Brand extends string>() => z.object({ id: idSchema<Brand>() });

/** Longest range the analytics answer for, in clinic days (a leap year). */
export const ANALYTICS_MAX_DAYS = 366;

/** Buckets of the analytics: one per clinic day, or one per week (Monday to Sunday). */
export const ANALYTICS_BUCKETS = ['day', 'week'] as const;
export type AnalyticsBucket = (typeof ANALYTICS_BUCKETS)[number];

/** Clinic days from `from` to `to`, both included ('YYYY-MM-DD' each; 1 when equal, ≤ 0 when reversed). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * `GET /analytics[.csv]?from=&to=&by=`: clinic days in Europe/Lisbon ('YYYY-MM-DD', both included), `to`
 * not before `from`, at most `ANALYTICS_MAX_DAYS` days; `by` day (default) or week (weeks start Monday).
 */
export const analyticsQuery = z
  .object({
    from: clinicDay,
    to: clinicDay,
    by: z.enum(ANALYTICS_BUCKETS).default('day'),
  })
  .superRefine((q, ctx) => {
    const days = daysInRange(q.from, q.to);
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` is before `from`' });
    else if (days > ANALYTICS_MAX_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `at most ${ANALYTICS_MAX_DAYS} days (asked for ${days})`,
      });
  });
export type AnalyticsQuery = z.infer<typeof analyticsQuery>;

/** `GET /api/audit`: clinic days `from`–`to` (inclusive, at most 366), optional filters, a page. */
export const auditQuery = z
  .object({
    from: clinicDay,
    to: clinicDay,
    actor: freeText(40).optional(),
    action: freeText(60).optional(),
    patient: freeText(100).optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .superRefine((q, ctx) => {
    const days = daysInRange(q.from, q.to);
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` is before `from`' });
    else if (days > ANALYTICS_MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${ANALYTICS_MAX_DAYS} days` });
  });
export type AuditQuery = z.infer<typeof auditQuery>;

/** `GET /api/calendar?date=` (a clinic day, 'YYYY-MM-DD'); `specialtyId` sizes the free slots shown. */
export const calendarQuery = z.object({
  date: clinicDay,
  specialtyId: idSchema<'specialty'>().optional(),
});

/**
 * `GET /api/calendar/slots`: free starts of a clinic day for a specialty, for one practitioner or all who
 * practise it; `appointmentId` (a move) does not count that appointment as busy.
 */
export const slotsQuery = z.object({
  date: clinicDay,
  specialtyId: idSchema<'specialty'>(),
  practitionerId: idSchema<'practitioner'>().optional(),
  appointmentId: idSchema<'appointment'>().optional(),
});
export type SlotsQuery = z.infer<typeof slotsQuery>;

/** `POST /api/calendar/appointments`: a booking at a free start (omitted practitioner: the first free). */
export const calendarBookingInput = z.object({
  patientId: idSchema<'patient'>(),
  specialtyId: idSchema<'specialty'>(),
  practitionerId: idSchema<'practitioner'>().optional(),
  startsAt: instant,
});
export type CalendarBookingInput = z.infer<typeof calendarBookingInput>;

/** `POST /api/appointments/:id/reschedule`: a new start, optionally with another practitioner. */
export const rescheduleInput = z.object({
  startsAt: instant,
  practitionerId: idSchema<'practitioner'>().optional(),
  /** Optimistic concurrency: reject with version_conflict when the row changed meanwhile. */
  expectedVersion,
});
export type RescheduleInput = z.infer<typeof rescheduleInput>;

/** `POST /api/appointments/:id/cancel`: an optional reason (kept in the audit log only). */
export const cancelInput = z.object({
  reason: freeText(200).optional(),
  /** Optimistic concurrency: reject with version_conflict when the row changed meanwhile. */
  expectedVersion,
});
export type CancelInput = z.infer<typeof cancelInput>;
