/** Appointment rows, their joined view for screens, and the SQL behind the visit workflow. */
import { BOOKING_CODE_ALPHABET } from '../../../domain/booking.ts';
import { randomInt } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { DbContext } from '../../db/database.ts';
import { writeOutbox } from '../../db/changes.ts';
import { AppError } from '../../../domain/errors.ts';
import type { AppointmentId, PatientId, PractitionerId, RoomId, SpecialtyId } from '../../../domain/ids.ts';
import { initials } from '../../../domain/names.ts';
import type { SpecialtyCode } from '../../../domain/specialties.ts';
import type { CheckInMethod, VisitStatus } from '../../../domain/visit.ts';

/** An `appointments` row as stored (snake_case; times ISO-8601 UTC text; `walk_in` 0/1). */
export interface AppointmentRow {
  id: AppointmentId;
  patient_id: PatientId;
  practitioner_id: PractitionerId;
  specialty_id: SpecialtyId;
  room_id: RoomId | null;
  starts_at: string;
  duration_min: number;
  status: VisitStatus;
  walk_in: number;
  booking_code: string;
  ticket: string | null;
  check_in_method: CheckInMethod | null;
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
  id: AppointmentId;
  status: VisitStatus;
  startsAt: string;
  durationMin: number;
  walkIn: boolean;
  bookingCode: string;
  ticket: string | null;
  checkInMethod: CheckInMethod | null;
  arrivedAt: string | null;
  calledAt: string | null;
  sessionStartedAt: string | null;
  endedAt: string | null;
  version: number;
  patient: { id: PatientId; fullName: string; initials: string; faceEnrolled: boolean };
  practitioner: { id: PractitionerId; displayName: string };
  specialty: { id: SpecialtyId; code: SpecialtyCode; namePt: string; nameEn: string };
  room: { id: RoomId; name: string } | null;
}

/** Prepared statements per database, by SQL text (preparing the view's join costs more than running it). */
const statements = new WeakMap<object, Map<string, Statement>>();

/** `ctx.db.prepare(sql)`, prepared once per database. */
function stmt(ctx: DbContext, sql: string): Statement {
  let byText = statements.get(ctx.db);
  if (!byText) statements.set(ctx.db, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) byText.set(sql, (s = ctx.db.prepare(sql)));
  return s;
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
export function listViewsBetween(ctx: DbContext, start: Date, end: Date): AppointmentView[] {
  const rows = stmt(
    ctx,
    `${VIEW_SQL} WHERE a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id`,
  ).all(start.toISOString(), end.toISOString()) as ViewRow[];
  return rows.map(toView);
}

/** @throws AppError appointment_not_found */
export function getView(ctx: DbContext, id: AppointmentId): AppointmentView {
  const row = stmt(ctx, `${VIEW_SQL} WHERE a.id = ?`).get(id) as ViewRow | undefined;
  if (!row) throw new AppError('appointment_not_found', `no appointment ${id}`);
  return toView(row);
}

/** @throws AppError appointment_not_found */
export function getRow(ctx: DbContext, id: AppointmentId): AppointmentRow {
  const row = stmt(ctx, 'SELECT * FROM appointments WHERE id = ?').get(id) as AppointmentRow | undefined;
  if (!row) throw new AppError('appointment_not_found', `no appointment ${id}`);
  return row;
}

/** The appointment with this booking code (6 characters, upper case), if any. */
export function findByBookingCode(ctx: DbContext, code: string): AppointmentRow | undefined {
  return ctx.db.prepare('SELECT * FROM appointments WHERE booking_code = ?').get(code) as
    AppointmentRow | undefined;
}

/** A random unused booking code: 6 characters of `BOOKING_CODE_ALPHABET` (no look-alikes) (31⁶ ≈ 8.9 × 10⁸ codes). */
export function newBookingCode(ctx: DbContext): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < 6; i++) code += BOOKING_CODE_ALPHABET[randomInt(BOOKING_CODE_ALPHABET.length)];
    if (!findByBookingCode(ctx, code)) return code;
  }
}

/**
 * Inserts an appointment (created/updated = now, version 1) and its outbox row (the row as stored), in the
 * caller's transaction.
 */
export function insertAppointment(
  ctx: DbContext,
  row: Omit<AppointmentRow, 'created_at' | 'updated_at' | 'version'>,
): void {
  const now = new Date(ctx.now()).toISOString();
  const full: AppointmentRow = { ...row, created_at: now, updated_at: now, version: 1 };
  ctx.db
    .prepare(
      `INSERT INTO appointments (${Object.keys(full).join(', ')}) VALUES (${Object.keys(full)
        .map((k) => '@' + k)
        .join(', ')})`,
    )
    .run(full);
  writeOutbox(ctx, 'appointment', { ...getRow(ctx, row.id) });
}

/**
 * Applies `patch` to the row if its version is still `version`; bumps the version and writes the outbox
 * row (the row as stored after the update). Make it the transaction's last change to the row, so the
 * snapshot that travels is the committed one.
 * @throws AppError version_conflict when another change landed first
 */
export function updateAppointment(
  ctx: DbContext,
  id: AppointmentId,
  version: number,
  patch: Partial<AppointmentRow>,
): AppointmentRow {
  const sets = Object.keys(patch).map((k) => `${k} = @${k}`);
  const res = ctx.db
    .prepare(
      `UPDATE appointments SET ${[...sets, 'updated_at = @updated_at', 'version = version + 1'].join(', ')}
       WHERE id = @id AND version = @version`,
    )
    .run({ ...patch, updated_at: new Date(ctx.now()).toISOString(), id, version });
  if (res.changes !== 1)
    throw new AppError('version_conflict', `appointment ${id} changed meanwhile; reload`);
  const row = getRow(ctx, id);
  writeOutbox(ctx, 'appointment', { ...row });
  return row;
}

/**
 * The ticket lookup of a check-in (parameters: day start, day end, ISO-8601 UTC); it searches the partial
 * index `appointments_ticket_arrived_at` (migration 0160) instead of scanning every appointment.
 */
export const LAST_TICKET_SQL = `SELECT MAX(CAST(SUBSTR(ticket, 2) AS INTEGER)) AS n FROM appointments
  WHERE ticket IS NOT NULL AND arrived_at >= ? AND arrived_at < ?`;

/** Largest ticket number issued in [start, end) (tickets are 'A' + 3 digits, one sequence per clinic day). */
export function lastTicketNumber(ctx: DbContext, start: Date, end: Date): number {
  const row = stmt(ctx, LAST_TICKET_SQL).get(start.toISOString(), end.toISOString()) as {
    n: number | null;
  };
  return row.n ?? 0;
}

/** Scheduled appointments starting in [from, to] (the kiosk's check-in window), booked time order. */
export function listScheduledBetween(ctx: DbContext, from: Date, to: Date): AppointmentRow[] {
  return ctx.db
    .prepare(
      `SELECT * FROM appointments WHERE status = 'scheduled' AND starts_at >= ? AND starts_at <= ?
       ORDER BY starts_at, id`,
    )
    .all(from.toISOString(), to.toISOString()) as AppointmentRow[];
}

/** A finished session: who, which specialty, started and ended (ISO-8601 UTC). */
export interface FinishedSession {
  practitioner_id: PractitionerId;
  specialty_id: SpecialtyId;
  session_started_at: string;
  ended_at: string;
}

/** Sessions that ended at or after `since`, oldest first (what the wait estimator learns durations from). */
export function listFinishedSessions(ctx: DbContext, since: Date): FinishedSession[] {
  return ctx.db
    .prepare(
      `SELECT practitioner_id, specialty_id, session_started_at, ended_at FROM appointments
       WHERE ended_at IS NOT NULL AND ended_at >= ? AND session_started_at IS NOT NULL AND status = 'done'
       ORDER BY ended_at`,
    )
    .all(since.toISOString()) as FinishedSession[];
}

/**
 * A cheap fingerprint of the finished sessions since `since` (count and latest end, from the ended_at
 * index): it changes whenever a session finishes, is corrected or leaves the window.
 */
export function finishedSessionsKey(ctx: DbContext, since: Date): string {
  const row = ctx.db
    .prepare(
      `SELECT COUNT(*) AS n, MAX(ended_at) AS last, MAX(updated_at) AS changed FROM appointments
       WHERE ended_at IS NOT NULL AND ended_at >= ?`,
    )
    .get(since.toISOString()) as { n: number; last: string | null; changed: string | null };
  return `${row.n}|${row.last ?? ''}|${row.changed ?? ''}`;
}

/** The columns a board action may change, and so what its undo restores. */
export const UNDO_COLUMNS = [
  'status',
  'room_id',
  'practitioner_id',
  'check_in_method',
  'ticket',
  'arrived_at',
  'called_at',
  'session_started_at',
  'ended_at',
  'wait_estimate_min',
] as const satisfies readonly (keyof AppointmentRow)[];

/** The restorable part of an appointment row (`UNDO_COLUMNS`). */
export type UndoSnapshot = Pick<AppointmentRow, (typeof UNDO_COLUMNS)[number]>;

/** A `board_undo` row: the last board action on an appointment, undoable for a minute. */
export interface UndoRecord {
  appointment_id: AppointmentId;
  /** 'check-in', 'call', 'recall', 'start', 'done', 'no-show', 'cancel', 'requeue' or 'move'. */
  action: string;
  actor: string;
  /** When the action was done, ISO-8601 UTC. */
  at: string;
  /** The appointment's version right after the action. */
  version: number;
  before: UndoSnapshot;
}

/**
 * Records `before` (the row before the action) as the appointment's undo, replacing any earlier one, in the
 * caller's transaction; also drops records older than `maxAgeMs` (no longer undoable).
 */
export function saveUndo(
  ctx: DbContext,
  rec: Omit<UndoRecord, 'before' | 'at'> & { before: AppointmentRow },
  maxAgeMs: number,
): void {
  const now = ctx.now();
  const before = Object.fromEntries(UNDO_COLUMNS.map((k) => [k, rec.before[k]]));
  ctx.db.prepare('DELETE FROM board_undo WHERE at < ?').run(new Date(now - maxAgeMs).toISOString());
  ctx.db
    .prepare(
      `INSERT INTO board_undo (appointment_id, action, actor, at, version, before)
       VALUES (@appointment_id, @action, @actor, @at, @version, @before)
       ON CONFLICT (appointment_id) DO UPDATE SET action = excluded.action, actor = excluded.actor,
         at = excluded.at, version = excluded.version, before = excluded.before`,
    )
    .run({
      appointment_id: rec.appointment_id,
      action: rec.action,
      actor: rec.actor,
      at: new Date(now).toISOString(),
      version: rec.version,
      before: JSON.stringify(before),
    });
}

/** The appointment's undo record, if any. */
export function getUndo(ctx: DbContext, id: AppointmentId): UndoRecord | undefined {
  const row = ctx.db.prepare('SELECT * FROM board_undo WHERE appointment_id = ?').get(id) as
    (Omit<UndoRecord, 'before'> & { before: string }) | undefined;
  return row ? { ...row, before: JSON.parse(row.before) as UndoSnapshot } : undefined;
}

/** Deletes the appointment's undo record (it was used). */
export function deleteUndo(ctx: DbContext, id: AppointmentId): void {
  ctx.db.prepare('DELETE FROM board_undo WHERE appointment_id = ?').run(id);
}

/**
 * Optimistic concurrency: refuses a change made against an older version of the row.
 * @throws AppError version_conflict when `expected` is given and is not the row's version
 */
export function assertVersion(row: AppointmentRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== row.version)
    throw new AppError(
      'version_conflict',
      `appointment ${row.id} is at version ${row.version}, not ${expected}`,
    );
}
