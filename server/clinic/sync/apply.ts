/**
 * Applies a page of central's change feed to the clinic's SQLite (docs/sync.md "Clinic side"): the
 * page's changes and the new pull cursor commit in ONE transaction, so a crash replays the page (and the
 * apply is idempotent: it sets values, and writes nothing when the row already has them) and never skips
 * one. Rows written here do NOT go to the outbox (they came from central: no echo); each is audited as
 * actor 'system'.
 *
 * What is applied:
 * - `appointment` (a booking made, moved or cancelled online; central's camelCase payload with
 *   `patient`): inserted as a 'scheduled' appointment with central's id and booking code (so the kiosk
 *   takes the code), or updated: start, length and practitioner follow central (central wins for
 *   bookings); `cancelled`/`expired` cancel it, unless the visit already started at the clinic (the
 *   clinic wins for the day's visit state); `completed`/`no_show` never overwrite the clinic's state;
 * - the patient of the booking (`payload.patient`, id = the portal account's id): inserted or updated;
 *   `{ erased: true }` erases the local copy;
 * - `patient` `delete` with `erased: true`: erases the patient (personal fields cleared, `deleted_at`
 *   set, face template and consent trail deleted).
 * - `practitioner` (central's catalogue, `publishCatalogue`): an unknown practitioner is inserted (when
 *   active, with links to the specialties of the codes the clinic knows), a known one gets central's name,
 *   display name and active state (`deleted_at`);
 * - `schedule` / `time_off`: the practitioner's whole week / list of absences replaces the clinic's copy
 *   (`practitioner_schedules`, `practitioner_time_off`, migration 0130), which the desk calendar uses.
 * - `order` (an online booking's payment state: pending, paid by Multibanco / MB WAY / link, expired,
 *   refunded): kept in `online_orders` (migration 0150, newer version wins), so the desk shows
 *   "Pago online" and refuses to charge again (`paid_online`);
 * - `patient_link` (the patient linked their portal account to a clinic record): see patient-links.ts.
 * Anything else in the feed is skipped; a booking whose practitioner or specialty the clinic does not
 * know is skipped with a warning (the cursor still moves on).
 *
 * Which local patient a central patient id means is decided in one place, `localPatientId`: the clinic
 * record the portal account is linked or merged into (patient-links.ts), else the same id.
 */
import type { DbContext } from '../db/database.ts';
import { writeAudit } from '../db/changes.ts';
import {
  orderFeedPayload,
  practitionerFeedPayload,
  scheduleFeedPayload,
  timeOffFeedPayload,
  type PulledChange,
} from '../../domain/sync.ts';
import { log } from '../lib/log.ts';
import { PATIENT_LINK_ENTITY } from '../../domain/patient-links.ts';
import { applyPatientLink, resolveLocalPatient } from './patient-links.ts';

/** What one page did: ids touched (for the change bus) and how many changes were skipped. */
export interface ApplyResult {
  appointments: string[];
  patients: string[];
  /** Practitioners whose row, schedule or time off changed (the desk's catalogue and calendar refresh). */
  practitioners: string[];
  /** Patients erased (the caller checkpoints the WAL afterwards, as the face erasure does). */
  erased: string[];
  skipped: number;
}

/** The stored pull cursor (central's feed `seq`; 0 before the first pull). */
export function readPullCursor(ctx: DbContext): number {
  const row = ctx.db.prepare('SELECT pull_cursor FROM sync_state WHERE id = 1').get() as
    { pull_cursor: number } | undefined;
  return row?.pull_cursor ?? 0;
}

function savePullCursor(ctx: DbContext, cursor: number): void {
  ctx.db
    .prepare(
      `INSERT INTO sync_state (id, pull_cursor, updated_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET pull_cursor = excluded.pull_cursor, updated_at = excluded.updated_at`,
    )
    .run(cursor, new Date(ctx.now()).toISOString());
}

/**
 * Applies `changes` (one pull page, seq order) and stores `cursor`, in one transaction.
 * @throws whatever SQLite throws (then nothing of the page, cursor included, was committed)
 */
export function applyPulledPage(
  ctx: DbContext,
  changes: readonly PulledChange[],
  cursor: number,
): ApplyResult {
  const result: ApplyResult = { appointments: [], patients: [], practitioners: [], erased: [], skipped: 0 };
  ctx.db.transaction(() => {
    for (const change of changes) {
      if (change.entity === 'appointment') applyAppointment(ctx, change, result);
      else if (change.entity === 'practitioner') applyPractitioner(ctx, change, result);
      else if (change.entity === 'schedule') applySchedule(ctx, change, result);
      else if (change.entity === 'time_off') applyTimeOff(ctx, change, result);
      else if (change.entity === 'order') applyOrder(ctx, change, result);
      else if (change.entity === 'patient' && change.op === 'delete' && change.payload.erased === true)
        erasePatient(ctx, localPatientId(ctx, change.entityId), result);
      else if (change.entity === PATIENT_LINK_ENTITY) {
        const linked = applyPatientLink(ctx, change);
        result.patients.push(...linked.patients);
        result.appointments.push(...linked.appointments);
        if (linked.faceErased && linked.mergedId) result.erased.push(linked.mergedId);
        if (linked.skipped) result.skipped += 1;
      } else result.skipped += 1;
    }
    savePullCursor(ctx, cursor);
  })();
  return result;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const iso = (ctx: DbContext) => new Date(ctx.now()).toISOString();

/**
 * The local patient id for a patient id central sends (`payload.patient.id`, `accountId`): today the
 * same id (a patient who booked online has the portal account's id at the clinic). The one place to map
 * a central id onto another local patient (e.g. a desk patient linked to a portal account).
 */
export function localPatientId(ctx: DbContext, centralId: string): string {
  return resolveLocalPatient(ctx.db, centralId) ?? centralId;
}

/** Inserts or updates the local copy of a patient central sent with a booking. */
function upsertPatient(ctx: DbContext, patient: Json, result: ApplyResult): string | null {
  const centralId = str(patient.id);
  if (!centralId) return null;
  const id = localPatientId(ctx, centralId);
  if (patient.erased === true) {
    erasePatient(ctx, id, result);
    return id;
  }
  // A clinic record the account was linked to (or merged into) keeps the clinic's own details.
  if (id !== centralId) return id;
  const fields = {
    full_name: str(patient.name) ?? '—',
    phone: str(patient.phone),
    email: str(patient.email),
    nif: str(patient.nif),
    birth_date: str(patient.birthDate),
  };
  const existing = ctx.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Json | undefined;
  const now = iso(ctx);
  if (!existing) {
    ctx.db
      .prepare(
        `INSERT INTO patients (id, full_name, phone, email, nif, birth_date, portal_account_id, created_at,
           updated_at, version)
         VALUES (@id, @full_name, @phone, @email, @nif, @birth_date, @id, @now, @now, 1)`,
      )
      .run({ id, ...fields, now });
    writeAudit(ctx, 'system', 'sync.patient_pulled', 'patient', id, { op: 'insert' });
    result.patients.push(id);
    return id;
  }
  if (existing.deleted_at !== null) return id; // erased here: an erasure wins everywhere
  const same = (Object.keys(fields) as (keyof typeof fields)[]).every((k) => existing[k] === fields[k]);
  if (same) return id;
  ctx.db
    .prepare(
      `UPDATE patients SET full_name = @full_name, phone = @phone, email = @email, nif = @nif,
         birth_date = @birth_date, updated_at = @now, version = version + 1 WHERE id = @id`,
    )
    .run({ id, ...fields, now });
  writeAudit(ctx, 'system', 'sync.patient_pulled', 'patient', id, { op: 'update' });
  result.patients.push(id);
  return id;
}

/** Erases a patient's local copy: personal fields cleared, deleted, face template and consent trail gone. */
function erasePatient(ctx: DbContext, id: string, result: ApplyResult): void {
  const existing = ctx.db.prepare('SELECT deleted_at FROM patients WHERE id = ?').get(id) as
    { deleted_at: string | null } | undefined;
  const now = iso(ctx);
  if (!existing) {
    // A tombstone, so a booking of an erased account still has its patient row (the FK) and nothing else.
    ctx.db
      .prepare(
        `INSERT INTO patients (id, full_name, created_at, updated_at, version, deleted_at)
         VALUES (?, '', ?, ?, 1, ?)`,
      )
      .run(id, now, now, now);
    return;
  }
  if (existing.deleted_at !== null) return;
  ctx.db
    .prepare(
      `UPDATE patients SET full_name = '', phone = NULL, email = NULL, nif = NULL, birth_date = NULL,
         deleted_at = @now, updated_at = @now, version = version + 1 WHERE id = @id`,
    )
    .run({ id, now });
  ctx.db.prepare('DELETE FROM face_enrolments WHERE patient_id = ?').run(id);
  ctx.db.prepare('DELETE FROM face_consent_events WHERE patient_id = ?').run(id);
  writeAudit(ctx, 'system', 'sync.patient_erased', 'patient', id);
  result.erased.push(id);
  result.patients.push(id);
}

/** Central's statuses that cancel the clinic's copy. */
const CANCELLING = new Set(['cancelled', 'expired']);
/** Central's statuses of a live booking. */
const BOOKED = new Set(['confirmed', 'awaiting_payment']);
/** Local statuses a cancellation from central still overrides (the visit has not started). */
const CANCELLABLE_LOCALLY = new Set(['scheduled', 'arrived', 'called']);

function applyAppointment(ctx: DbContext, change: PulledChange, result: ApplyResult): void {
  const p = change.payload;
  const id = change.entityId;
  const status = str(p.status);
  if (p.patient && typeof p.patient === 'object') upsertPatient(ctx, p.patient as Json, result);
  const existing = ctx.db.prepare('SELECT * FROM appointments WHERE id = ?').get(id) as Json | undefined;
  const startsAt = str(p.startsAt);
  const endsAt = str(p.endsAt);
  const now = iso(ctx);
  const patch: Json = {};
  if (startsAt && endsAt) {
    const durationMin = Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000);
    patch.starts_at = new Date(startsAt).toISOString();
    patch.duration_min = Math.min(240, Math.max(5, durationMin));
  }
  const practitionerId = str(p.practitionerId);
  if (practitionerId) {
    const known = ctx.db.prepare('SELECT 1 FROM practitioners WHERE id = ?').get(practitionerId);
    if (!known) return skip(result, change, 'unknown_practitioner');
    patch.practitioner_id = practitionerId;
  }
  const specialtyCode = str(p.specialty);
  if (specialtyCode) {
    const s = ctx.db.prepare('SELECT id FROM specialties WHERE code = ?').get(specialtyCode) as
      { id: string } | undefined;
    if (!s) return skip(result, change, 'unknown_specialty');
    patch.specialty_id = s.id;
  }

  if (!existing) {
    if (!status || !BOOKED.has(status)) {
      // A cancellation of a booking the clinic never had (or a hold): nothing to show at the desk.
      if (!status || !CANCELLING.has(status) || !startsAt) return skip(result, change, 'not_a_booking');
    }
    const centralPatientId = str((p.patient as Json | undefined)?.id) ?? str(p.accountId);
    const patientId = centralPatientId ? localPatientId(ctx, centralPatientId) : null;
    const bookingCode = str(p.bookingCode);
    if (!patientId || !bookingCode || !patch.starts_at || !patch.practitioner_id || !patch.specialty_id)
      return skip(result, change, 'incomplete_booking');
    if (!ctx.db.prepare('SELECT 1 FROM patients WHERE id = ?').get(patientId))
      upsertPatient(ctx, { id: patientId, name: '—' }, result);
    const clash = ctx.db.prepare('SELECT id FROM appointments WHERE booking_code = ?').get(bookingCode);
    if (clash) return skip(result, change, 'booking_code_taken');
    ctx.db
      .prepare(
        `INSERT INTO appointments (id, patient_id, practitioner_id, specialty_id, room_id, starts_at,
           duration_min, status, walk_in, booking_code, created_at, updated_at, version)
         VALUES (@id, @patient_id, @practitioner_id, @specialty_id, NULL, @starts_at, @duration_min,
           @status, 0, @booking_code, @now, @now, 1)`,
      )
      .run({
        id,
        patient_id: patientId,
        ...patch,
        status: status && CANCELLING.has(status) ? 'cancelled' : 'scheduled',
        booking_code: bookingCode,
        now,
      });
    writeAudit(ctx, 'system', 'sync.appointment_pulled', 'appointment', id, { op: 'insert', status });
    result.appointments.push(id);
    return;
  }

  if (status && CANCELLING.has(status) && CANCELLABLE_LOCALLY.has(existing.status as string))
    patch.status = 'cancelled';
  else if (status && CANCELLING.has(status) && existing.status !== 'cancelled')
    log('warn', 'sync.pull.cancel_after_visit', { appointment: id, local: existing.status });
  const changed = Object.keys(patch).filter((k) => existing[k] !== patch[k]);
  if (changed.length === 0) return;
  const sets = changed.map((k) => `${k} = @${k}`).join(', ');
  ctx.db
    .prepare(`UPDATE appointments SET ${sets}, updated_at = @now, version = version + 1 WHERE id = @id`)
    .run({ ...Object.fromEntries(changed.map((k) => [k, patch[k]])), now, id });
  writeAudit(ctx, 'system', 'sync.appointment_pulled', 'appointment', id, { op: 'update', status, changed });
  result.appointments.push(id);
}

function skip(result: ApplyResult, change: PulledChange, reason: string): void {
  result.skipped += 1;
  log('warn', 'sync.pull.skipped', { seq: change.seq, entity: change.entity, id: change.entityId, reason });
}

/** An online order's payment state: stored when newer than the clinic's copy (central owns payments). */
function applyOrder(ctx: DbContext, change: PulledChange, result: ApplyResult): void {
  const parsed = orderFeedPayload.safeParse(change.payload);
  if (!parsed.success) return skip(result, change, 'invalid_payload');
  const o = parsed.data;
  const row = {
    order_id: change.entityId,
    appointment_id: o.appointmentId,
    status: o.status,
    amount_cents: o.amountCents,
    method: o.payment?.method ?? null,
    paid_at: o.paidAt ?? null,
    version: change.version,
    now: iso(ctx),
  };
  const written = ctx.db
    .prepare(
      `INSERT INTO online_orders (order_id, appointment_id, status, amount_cents, method, paid_at, version, updated_at)
       VALUES (@order_id, @appointment_id, @status, @amount_cents, @method, @paid_at, @version, @now)
       ON CONFLICT (order_id) DO UPDATE SET appointment_id = excluded.appointment_id, status = excluded.status,
         amount_cents = excluded.amount_cents, method = COALESCE(excluded.method, online_orders.method),
         paid_at = excluded.paid_at, version = excluded.version, updated_at = excluded.updated_at
       WHERE excluded.version > online_orders.version`,
    )
    .run(row).changes;
  if (written === 0) return;
  writeAudit(ctx, 'system', 'sync.order_pulled', 'appointment', o.appointmentId, {
    order: change.entityId,
    status: o.status,
  });
  if (!result.appointments.includes(o.appointmentId)) result.appointments.push(o.appointmentId);
}

/** Central's practitioner: inserted when unknown (and active), else name and active state follow central. */
function applyPractitioner(ctx: DbContext, change: PulledChange, result: ApplyResult): void {
  const parsed = practitionerFeedPayload.safeParse(change.payload);
  if (!parsed.success || parsed.data.id !== change.entityId) return skip(result, change, 'invalid_payload');
  const p = parsed.data;
  const now = iso(ctx);
  const existing = ctx.db
    .prepare('SELECT full_name, display_name, deleted_at FROM practitioners WHERE id = ?')
    .get(p.id) as { full_name: string; display_name: string; deleted_at: string | null } | undefined;
  if (!existing) {
    if (!p.active) return skip(result, change, 'inactive_practitioner');
    ctx.db
      .prepare(
        `INSERT INTO practitioners (id, full_name, display_name, default_room_id, created_at, updated_at, version)
         VALUES (?, ?, ?, NULL, ?, ?, 1)`,
      )
      .run(p.id, p.name, p.displayName, now, now);
    const link = ctx.db.prepare(
      `INSERT INTO practitioner_specialties (practitioner_id, specialty_id, created_at)
       SELECT ?, id, ? FROM specialties WHERE code = ? AND deleted_at IS NULL
       ON CONFLICT DO NOTHING`,
    );
    for (const code of p.specialties) link.run(p.id, now, code);
    writeAudit(ctx, 'system', 'sync.practitioner_pulled', 'practitioner', p.id, { op: 'insert' });
    result.practitioners.push(p.id);
    return;
  }
  const deletedAt = p.active ? null : (existing.deleted_at ?? now);
  if (
    existing.full_name === p.name &&
    existing.display_name === p.displayName &&
    existing.deleted_at === deletedAt
  )
    return;
  ctx.db
    .prepare(
      `UPDATE practitioners SET full_name = ?, display_name = ?, deleted_at = ?, updated_at = ?,
         version = version + 1 WHERE id = ?`,
    )
    .run(p.name, p.displayName, deletedAt, now, p.id);
  writeAudit(ctx, 'system', 'sync.practitioner_pulled', 'practitioner', p.id, {
    op: 'update',
    active: p.active,
  });
  result.practitioners.push(p.id);
}

/** Replaces the rows of `table` for a practitioner when they differ from `rows` (compared as JSON). */
function replaceRows(
  ctx: DbContext,
  table: 'practitioner_schedules' | 'practitioner_time_off',
  columns: readonly string[],
  practitionerId: string,
  rows: Json[],
  version: number,
): boolean {
  const list = columns.join(', ');
  const have = ctx.db
    .prepare(`SELECT ${list} FROM ${table} WHERE practitioner_id = ? ORDER BY id`)
    .all(practitionerId) as Json[];
  const want = rows
    .map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  if (JSON.stringify(have) === JSON.stringify(want)) return false;
  ctx.db.prepare(`DELETE FROM ${table} WHERE practitioner_id = ?`).run(practitionerId);
  const insert = ctx.db.prepare(
    `INSERT INTO ${table} (${list}, practitioner_id, version, updated_at)
     VALUES (${columns.map((c) => `@${c}`).join(', ')}, @practitionerId, @version, @now)`,
  );
  for (const r of want) insert.run({ ...r, practitionerId, version, now: iso(ctx) });
  return true;
}

/** Central's weekly schedule of a practitioner replaces the clinic's copy. */
function applySchedule(ctx: DbContext, change: PulledChange, result: ApplyResult): void {
  const parsed = scheduleFeedPayload.safeParse(change.payload);
  if (!parsed.success || parsed.data.practitionerId !== change.entityId)
    return skip(result, change, 'invalid_payload');
  const { practitionerId, blocks } = parsed.data;
  const rows = blocks.map((b) => ({
    id: b.id,
    weekday: b.weekday,
    start_min: b.startMin,
    end_min: b.endMin,
  }));
  if (
    !replaceRows(
      ctx,
      'practitioner_schedules',
      ['id', 'weekday', 'start_min', 'end_min'],
      practitionerId,
      rows,
      change.version,
    )
  )
    return;
  writeAudit(ctx, 'system', 'sync.schedule_pulled', 'practitioner', practitionerId, { blocks: rows.length });
  if (!result.practitioners.includes(practitionerId)) result.practitioners.push(practitionerId);
}

/** Central's time off of a practitioner replaces the clinic's copy. */
function applyTimeOff(ctx: DbContext, change: PulledChange, result: ApplyResult): void {
  const parsed = timeOffFeedPayload.safeParse(change.payload);
  if (!parsed.success || parsed.data.practitionerId !== change.entityId)
    return skip(result, change, 'invalid_payload');
  const { practitionerId, periods } = parsed.data;
  const rows = periods
    .filter((o) => Date.parse(o.startsAt) < Date.parse(o.endsAt))
    .map((o) => ({
      id: o.id,
      starts_at: new Date(o.startsAt).toISOString(),
      ends_at: new Date(o.endsAt).toISOString(),
    }));
  if (
    !replaceRows(
      ctx,
      'practitioner_time_off',
      ['id', 'starts_at', 'ends_at'],
      practitionerId,
      rows,
      change.version,
    )
  )
    return;
  writeAudit(ctx, 'system', 'sync.time_off_pulled', 'practitioner', practitionerId, { periods: rows.length });
  if (!result.practitioners.includes(practitionerId)) result.practitioners.push(practitionerId);
}
