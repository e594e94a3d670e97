/**
 * The patient card at the desk (`GET /api/patients/:id`): the patient's details, their face-consent state
 * (never any face data: no descriptors are read) and their history of appointments and desk payments.
 * Each read is audited as `patient.view` by the route, in the same transaction as the read.
 */
import { FACE_CONSENT_VERSION } from '../../../domain/consent.ts';
import type { FaceConsentChannel, FaceConsentEventKind } from '../../../domain/consent.ts';
import type { AppointmentId, PatientId } from '../../../domain/ids.ts';
import type { SpecialtyCode } from '../../../domain/specialties.ts';
import type { VisitStatus } from '../../../domain/visit.ts';
import type { DbContext } from '../../db/database.ts';
import { receiptNumber } from '../payments/repo.ts';
import { getPatient, type Patient } from './repo.ts';

/** The patient's face consent: enrolled or not, on which consent, and its history (oldest first). */
export interface FaceConsentState {
  enrolled: boolean;
  /** Version of the consent text the current enrolment stands on (server/domain/consent.ts), or null. */
  consentVersion: string | null;
  /** When that consent was given, ISO-8601 UTC, or null. */
  consentAt: string | null;
  consentChannel: FaceConsentChannel | null;
  /** The version the desk shows now: a different `consentVersion` was given to an older text. */
  currentVersion: string;
  history: { event: FaceConsentEventKind; version: string; channel: FaceConsentChannel; at: string }[];
}

/** One appointment of the history: times ISO-8601 UTC. */
export interface CardAppointment {
  id: AppointmentId;
  startsAt: string;
  durationMin: number;
  status: VisitStatus;
  walkIn: boolean;
  bookingCode: string;
  version: number;
  practitioner: { id: string; displayName: string };
  specialty: { id: string; code: SpecialtyCode; namePt: string; nameEn: string };
}

/** One desk payment: integer cents; 'voided' when annulled (its receipt number stays used). */
export interface CardPayment {
  id: string;
  appointmentId: AppointmentId;
  amountCents: number;
  method: 'cash' | 'card';
  status: 'paid' | 'voided';
  receipt: string;
  /** When it was received, ISO-8601 UTC. */
  at: string;
}

/** `GET /api/patients/:id`. */
export interface PatientCard {
  patient: Patient;
  /** The patient is (or has linked) a portal account: no invitation to offer (issue 9, merge). */
  portalAccount: boolean;
  /** When the record was created, ISO-8601 UTC (the older of two records survives a merge). */
  createdAt: string;
  face: FaceConsentState;
  /** Newest first. */
  appointments: CardAppointment[];
  /** Newest first. */
  payments: CardPayment[];
}

/** Appointments shown on a card, newest first (a long-standing patient's oldest are left out). */
export const CARD_APPOINTMENTS_LIMIT = 200;

/**
 * The patient's card (no audit here: the route writes `patient.view`).
 * @throws AppError patient_not_found (also for a deleted patient)
 */
export function patientCard(ctx: DbContext, id: PatientId): PatientCard {
  const patient = getPatient(ctx, id);
  const portal = ctx.db
    .prepare('SELECT portal_account_id, created_at FROM patients WHERE id = ?')
    .get(id) as { portal_account_id: string | null; created_at: string };
  const enrolment = ctx.db
    .prepare(
      `SELECT consent_version AS version, consent_at AS at, consent_channel AS channel
       FROM face_enrolments WHERE patient_id = ?`,
    )
    .get(id) as { version: string; at: string; channel: FaceConsentChannel } | undefined;
  const history = ctx.db
    .prepare('SELECT event, version, channel, at FROM face_consent_events WHERE patient_id = ? ORDER BY seq')
    .all(id) as FaceConsentState['history'];
  const appointments = (
    ctx.db
      .prepare(
        `SELECT a.id, a.starts_at, a.duration_min, a.status, a.walk_in, a.booking_code, a.version,
                pr.id AS practitioner_id, pr.display_name, s.id AS specialty_id, s.code, s.name_pt, s.name_en
         FROM appointments a
         JOIN practitioners pr ON pr.id = a.practitioner_id
         JOIN specialties s ON s.id = a.specialty_id
         WHERE a.patient_id = ? ORDER BY a.starts_at DESC, a.id DESC LIMIT ?`,
      )
      .all(id, CARD_APPOINTMENTS_LIMIT) as {
      id: AppointmentId;
      starts_at: string;
      duration_min: number;
      status: VisitStatus;
      walk_in: number;
      booking_code: string;
      version: number;
      practitioner_id: string;
      display_name: string;
      specialty_id: string;
      code: SpecialtyCode;
      name_pt: string;
      name_en: string;
    }[]
  ).map((r): CardAppointment => ({
    id: r.id,
    startsAt: r.starts_at,
    durationMin: r.duration_min,
    status: r.status,
    walkIn: r.walk_in === 1,
    bookingCode: r.booking_code,
    version: r.version,
    practitioner: { id: r.practitioner_id, displayName: r.display_name },
    specialty: { id: r.specialty_id, code: r.code, namePt: r.name_pt, nameEn: r.name_en },
  }));
  const payments = (
    ctx.db
      .prepare(
        `SELECT p.id, p.appointment_id, p.amount_cents, p.method, p.voided_at, p.receipt_year,
                p.receipt_seq, p.created_at
         FROM payments p JOIN appointments a ON a.id = p.appointment_id
         WHERE a.patient_id = ? ORDER BY p.created_at DESC, p.id DESC`,
      )
      .all(id) as {
      id: string;
      appointment_id: AppointmentId;
      amount_cents: number;
      method: 'cash' | 'card';
      voided_at: string | null;
      receipt_year: number;
      receipt_seq: number;
      created_at: string;
    }[]
  ).map((r): CardPayment => ({
    id: r.id,
    appointmentId: r.appointment_id,
    amountCents: r.amount_cents,
    method: r.method,
    status: r.voided_at ? 'voided' : 'paid',
    receipt: receiptNumber(r),
    at: r.created_at,
  }));
  return {
    patient,
    portalAccount: portal.portal_account_id !== null,
    createdAt: portal.created_at,
    face: {
      enrolled: enrolment !== undefined,
      consentVersion: enrolment?.version ?? null,
      consentAt: enrolment?.at ?? null,
      consentChannel: enrolment?.channel ?? null,
      currentVersion: FACE_CONSENT_VERSION,
      history,
    },
    appointments,
    payments,
  };
}
