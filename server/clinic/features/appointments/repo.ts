/** Appointment rows, their joined view for screens, and the SQL behind the visit workflow. */
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { writeOutbox } from '../../db/changes.ts';
import { AppError } from '../../../domain/errors.ts';
import { initials } from '../../../domain/names.ts';
import type { VisitStatus } from '../../../domain/visit.ts';
import type { SpecialtyCode } from '../../../domain/schemas.ts';

export interface AppointmentRow {
  id: string;
  patient_id: string;
  practitioner_id: string;
  specialty_id: string;
  room_id: string | null;
  starts_at: string;
  duration_min: number;
  status: VisitStatus;
  walk_in: number;
  booking_code: string;
  ticket: string | null;
  check_in_method: 'face' | 'code' | 'desk' | null;
  arrived_at: string | null;
  called_at: string | null;
  session_started_at: string | null;
  ended_at: string | null;
  wait_estimate_min: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** What the desk sees of an appointment; times are ISO-8601 UTC. */
export interface AppointmentView {
  id: string;
  status: VisitStatus;
  startsAt: string;
  durationMin: number;
  walkIn: boolean;
  bookingCode: string;
  ticket: string | null;
  checkInMethod: 'face' | 'code' | 'desk' | null;
  arrivedAt: string | null;
  calledAt: string | null;
  sessionStartedAt: string | null;
  endedAt: string | null;
  version: number;
  patient: { id: string; fullName: string; initials: string; faceEnrolled: boolean };
  practitioner: { id: string; displayName: string };
  specialty: { id: string; code: SpecialtyCode; namePt: string; nameEn: string };
  room: { id: string; name: string } | null;
}

const VIEW_SQL = `
  SELECT a.*, p.full_name AS patient_name, (f.id IS NOT NULL) AS face_enrolled,
         pr.display_name AS practitioner_name, s.code AS specialty_code, s.name_pt AS specialty_pt,
         s.name_en AS specialty_en, r.name AS room_name
  FROM appointments a
  JOIN patients p ON p.id = a.patient_id
  JOIN practitioners pr ON pr.id = a.practitioner_id
  JOIN specialties s ON s.id = a.specialty_id
  LEFT JOIN rooms r ON r.id = a.room_id
  LEFT JOIN face_enrolments f ON f.patient_id = a.patient_id`;

type ViewRow = AppointmentRow & {
  patient_name: string;
  face_enrolled: number;
  practitioner_name: string;
  specialty_code: SpecialtyCode;
  specialty_pt: string;
  specialty_en: string;
  room_name: string | null;
};

function toView(r: ViewRow): AppointmentView {
  return {
    id: r.id,
    status: r.status,
    startsAt: r.starts_at,
    durationMin: r.duration_min,
    walkIn: r.walk_in === 1,
    bookingCode: r.booking_code,
    ticket: r.ticket,
    checkInMethod: r.check_in_method,
    arrivedAt: r.arrived_at,
    calledAt: r.called_at,
    sessionStartedAt: r.session_started_at,
    endedAt: r.ended_at,
    version: r.version,
    patient: {
      id: r.patient_id,
      fullName: r.patient_name,
      initials: initials(r.patient_name),
      faceEnrolled: r.face_enrolled === 1,
    },
    practitioner: { id: r.practitioner_id, displayName: r.practitioner_name },
    specialty: { id: r.specialty_id, code: r.specialty_code, namePt: r.specialty_pt, nameEn: r.specialty_en },
    room: r.room_id && r.room_name ? { id: r.room_id, name: r.room_name } : null,
  };
}

/** Appointments starting in [start, end), booked time order. */
export function listViewsBetween(db: Db, start: Date, end: Date): AppointmentView[] {
  const rows = db
    .prepare(`${VIEW_SQL} WHERE a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id`)
    .all(start.toISOString(), end.toISOString()) as ViewRow[];
  return rows.map(toView);
}

/** @throws AppError appointment_not_found */
export function getView(db: Db, id: string): AppointmentView {
  const row = db.prepare(`${VIEW_SQL} WHERE a.id = ?`).get(id) as ViewRow | undefined;
  if (!row) throw new AppError('appointment_not_found', `no appointment ${id}`);
  return toView(row);
}

/** @throws AppError appointment_not_found */
export function getRow(db: Db, id: string): AppointmentRow {
  const row = db.prepare('SELECT * FROM appointments WHERE id = ?').get(id) as AppointmentRow | undefined;
  if (!row) throw new AppError('appointment_not_found', `no appointment ${id}`);
  return row;
}

export function findByBookingCode(db: Db, code: string): AppointmentRow | undefined {
  return db.prepare('SELECT * FROM appointments WHERE booking_code = ?').get(code) as
    AppointmentRow | undefined;
}

/** Booking codes avoid look-alike characters (0/O, 1/I/L) so they can be typed from a printout. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newBookingCode(db: Db): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (!findByBookingCode(db, code)) return code;
  }
}

export function insertAppointment(
  db: Db,
  row: Omit<AppointmentRow, 'created_at' | 'updated_at' | 'version'>,
): void {
  const now = new Date().toISOString();
  const full: AppointmentRow = { ...row, created_at: now, updated_at: now, version: 1 };
  db.prepare(
    `INSERT INTO appointments (${Object.keys(full).join(', ')}) VALUES (${Object.keys(full)
      .map((k) => '@' + k)
      .join(', ')})`,
  ).run(full);
  writeOutbox(db, 'appointment', full);
}

/**
 * Applies `patch` to the row if its version is still `version`; bumps the version and writes the outbox.
 * @throws AppError version_conflict when another change landed first
 */
export function updateAppointment(
  db: Db,
  id: string,
  version: number,
  patch: Partial<AppointmentRow>,
): AppointmentRow {
  const sets = Object.keys(patch).map((k) => `${k} = @${k}`);
  const res = db
    .prepare(
      `UPDATE appointments SET ${[...sets, 'updated_at = @updated_at', 'version = version + 1'].join(', ')}
       WHERE id = @id AND version = @version`,
    )
    .run({ ...patch, updated_at: new Date().toISOString(), id, version });
  if (res.changes !== 1)
    throw new AppError('version_conflict', `appointment ${id} changed meanwhile; reload`);
  const row = getRow(db, id);
  writeOutbox(db, 'appointment', row);
  return row;
}

/** Largest ticket number issued in [start, end) (tickets are 'A' + 3 digits, one sequence per clinic day). */
export function lastTicketNumber(db: Db, start: Date, end: Date): number {
  const row = db
    .prepare(
      `SELECT MAX(CAST(SUBSTR(ticket, 2) AS INTEGER)) AS n FROM appointments
       WHERE ticket IS NOT NULL AND arrived_at >= ? AND arrived_at < ?`,
    )
    .get(start.toISOString(), end.toISOString()) as { n: number | null };
  return row.n ?? 0;
}
