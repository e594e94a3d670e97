/**
 * Contracts of online booking shared by the central API (validation + OpenAPI) and the patient portal:
 * catalogue answers, availability queries, holds and appointments. Times on the wire are ISO-8601 UTC
 * instants; calendar dates are 'YYYY-MM-DD' in the clinic's zone (Europe/Lisbon); money is integer cents.
 */
import { z } from 'zod';
import { appointmentInstant, clinicDay } from './dates.ts';
import { specialtyCode } from './specialties.ts';

/** How long a chosen slot is held while the patient confirms: 7.5 minutes (Cliniko's hold; booking.md). */
export const HOLD_MS = 7.5 * 60_000;

/** Most days one availability request may span. */
export const MAX_AVAILABILITY_DAYS = 28;

const uuid = z.uuid();
const isoInstant = z.iso.datetime({ offset: true });
const calendarDate = z.iso.date();

/** A clinic as the portal lists it. */
export const clinicDto = z.object({
  id: uuid,
  slug: z.string(),
  name: z.string(),
  address: z.string(),
  timeZone: z.string(),
  paymentMode: z.enum(['pay_online', 'pay_at_clinic']),
  cancelNoticeHours: z.number().int(),
});
export type ClinicDto = z.infer<typeof clinicDto>;

/** A specialty the clinic offers, with its session length (minutes) and price (integer cents). */
export const specialtyDto = z.object({
  code: specialtyCode,
  namePt: z.string(),
  nameEn: z.string(),
  durationMin: z.number().int(),
  priceCents: z.number().int(),
});
export type SpecialtyDto = z.infer<typeof specialtyDto>;

/** A practitioner card: photo URL, bio in both languages, languages spoken, next free start (or null). */
export const practitionerDto = z.object({
  id: uuid,
  displayName: z.string(),
  bioPt: z.string(),
  bioEn: z.string(),
  languages: z.array(z.string()),
  specialties: z.array(specialtyCode),
  photoUrl: z.string(),
  nextFreeAt: isoInstant.nullable(),
});
export type PractitionerDto = z.infer<typeof practitionerDto>;

/** `GET /clinics/{clinicId}/practitioners` filters. */
export const practitionersQuery = z.object({
  specialty: specialtyCode.optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional(),
});

/** `GET /clinics/{clinicId}/availability` query: a specialty, optionally one practitioner, a date range. */
export const availabilityQuery = z.object({
  specialty: specialtyCode,
  practitionerId: uuid.optional(),
  /** First local day ('YYYY-MM-DD', years 2000–2100: server/domain/dates.ts). */
  from: clinicDay,
  days: z.coerce.number().int().min(1).max(MAX_AVAILABILITY_DAYS).default(7),
});

/** A bookable start and the practitioners free for it. */
export const slotDto = z.object({
  startsAt: isoInstant,
  endsAt: isoInstant,
  practitionerIds: z.array(uuid),
});

/** Availability answer: per local day, its slots (a day with none is listed, empty). */
export const availabilityDto = z.object({
  timeZone: z.string(),
  specialty: specialtyCode,
  durationMin: z.number().int(),
  days: z.array(z.object({ date: calendarDate, slots: z.array(slotDto) })),
});

/** `POST /holds`: hold a start for the caller; no practitioner = any free one. */
export const holdInput = z.object({
  clinicId: uuid,
  specialty: specialtyCode,
  practitionerId: uuid.optional(),
  /** The start to hold (an ISO-8601 instant, years 2000–2100: server/domain/dates.ts). */
  startsAt: appointmentInstant,
  /**
   * The caller's appointment this hold is to replace (a reschedule): its time does not count as a clash
   * with the new one.
   */
  replaces: uuid.optional(),
});
export type HoldInput = z.infer<typeof holdInput>;

/** A hold: the slot is the caller's until `expiresAt`. */
export const holdDto = z.object({
  id: uuid,
  expiresAt: isoInstant,
  startsAt: isoInstant,
  endsAt: isoInstant,
  practitionerId: uuid,
  practitionerName: z.string(),
  specialty: specialtyCode,
  priceCents: z.number().int(),
});
export type HoldDto = z.infer<typeof holdDto>;

/** Appointment statuses a patient can see. */
export const APPOINTMENT_STATUSES = [
  'awaiting_payment',
  'confirmed',
  'cancelled',
  'completed',
  'no_show',
  'expired',
] as const;

/** A patient's appointment, with whether it can still be changed and the day's live status. */
export const appointmentDto = z.object({
  id: uuid,
  clinicId: uuid,
  clinicName: z.string(),
  practitionerId: uuid,
  practitionerName: z.string(),
  specialty: specialtyCode,
  startsAt: isoInstant,
  endsAt: isoInstant,
  status: z.enum(APPOINTMENT_STATUSES),
  bookingCode: z.string(),
  priceCents: z.number().int(),
  paymentMode: z.enum(['pay_online', 'pay_at_clinic']),
  /** Free cancel/reschedule is still allowed (live and before `changeDeadline`). */
  canChange: z.boolean(),
  changeDeadline: isoInstant,
  /** The day's state at the clinic (fed by sync), or null. */
  visit: z
    .object({ status: z.string(), room: z.string().nullable(), waitMin: z.number().int().nullable() })
    .nullable(),
  /** Its order: 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded' (null for a free one). */
  payment: z
    .object({
      status: z.enum(['pending', 'paid', 'expired', 'cancelled', 'refunded']),
      /** The invoice's printed number once paid (download: /api/me/appointments/{id}/invoice.pdf). */
      invoiceNumber: z.string().nullable(),
    })
    .nullable(),
});
export type AppointmentDto = z.infer<typeof appointmentDto>;

/** `POST /me/appointments/{id}/reschedule`: move to the slot of a hold the caller holds. */
export const rescheduleInput = z.object({ holdId: uuid });

/** Path parameters. */
export const clinicIdParam = z.object({ clinicId: uuid });
export const idParam = z.object({ id: uuid });

/**
 * Booking codes (also shown as a QR): 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
 * the same format the clinic kiosk's code keypad accepts (schemas.ts `bookingCodeInput`).
 */
export const BOOKING_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
