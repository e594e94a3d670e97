/**
 * Shapes the portal works with: the central API's own zod contracts (server/domain/accounts.ts and
 * booking.ts, CONVENTIONS §4), as types only. Times are ISO-8601 UTC strings, calendar days 'YYYY-MM-DD'
 * in Europe/Lisbon, money integer EUR cents.
 */
import type { z } from 'zod';
import type { Account as AccountShape, AccountLocale } from '../../server/domain/accounts.ts';
import type {
  AppointmentDto,
  availabilityDto,
  ClinicDto,
  HoldDto,
  PractitionerDto,
  SpecialtyDto,
} from '../../server/domain/booking.ts';

/** The UI languages (and an account's e-mail language). */
export type Lang = AccountLocale;

/** A patient's account (GET /api/account/me). */
export type Account = AccountShape;

/** A clinic of the catalogue (GET /api/clinics). */
export type Clinic = ClinicDto;

/** How a clinic takes payment for a booking. */
export type PaymentMode = Clinic['paymentMode'];

/** A specialty a clinic offers (GET /api/clinics/{id}/specialties). */
export type Specialty = SpecialtyDto;

/** A practitioner (GET /api/clinics/{id}/practitioners). */
export type Practitioner = PractitionerDto;

/** GET /api/clinics/{id}/availability */
export type Availability = z.infer<typeof availabilityDto>;

/** One bookable start time and who can take it. */
export type Slot = Availability['days'][number]['slots'][number];

/** A slot held for the patient while they review (POST /api/holds); it lapses at `expiresAt`. */
export type Hold = HoldDto;

/** One of the patient's appointments (GET /api/me/appointments). */
export type Appointment = AppointmentDto;

/** Booking statuses. */
export type AppointmentStatus = Appointment['status'];

/** The visit on the day, as the clinic's desk records it (check-in, room, estimated wait). */
export type Visit = NonNullable<Appointment['visit']>;

/** GET /api/me/appointments */
export interface MyAppointments {
  upcoming: Appointment[];
  past: Appointment[];
}
