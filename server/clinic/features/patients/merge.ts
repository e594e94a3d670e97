/**
 * The same-patient merge (issue 9; docs/sync.md "Same-patient merge"): two patient rows of one person —
 * typically a walk-in registered at the desk and the row a later online booking of their portal account
 * created — become one. Used by the staff merge (`POST /api/patients/:id/merge`, the survivor is the older
 * row) and by the patient's own link of their portal account (server/clinic/sync/patient-links.ts, the
 * survivor is the linked clinic record). Never by name: suggestions need an exact NIF, e-mail or phone.
 *
 * One SQLite transaction (a savepoint inside the caller's):
 * - the survivor keeps its id and its non-empty fields, fills its empty ones from the other row and takes
 *   the other's `portal_account_id` (409 `both_portal_accounts` when both have different ones);
 * - the other's appointments (and with them their desk payments, which hang off the appointment) move to
 *   the survivor, each a new version;
 * - face data: the other's consent trail moves to the survivor; its enrolment moves too (re-encrypted:
 *   the patient id is the descriptors' associated data), unless both have one — then the newer consent
 *   is kept and the other enrolment is deleted (its bytes zeroed by `secure_delete`; the caller
 *   checkpoints the WAL after the commit, `faceErased`);
 * - the other row gets `merged_into`, its personal data emptied and `deleted_at`, so it leaves search,
 *   cards and bookings, and an account that named it resolves to the survivor;
 * - outbox: both patient rows and every moved appointment, as upserts; audit `patient.merge` (both ids).
 */
import type { DbContext } from '../../db/database.ts';
import { writeAudit, writeOutbox, type Actor } from '../../db/changes.ts';
import { AppError } from '../../../domain/errors.ts';
import type { PatientId } from '../../../domain/ids.ts';
import { decryptDescriptors, encryptDescriptors } from '../../face/crypto.ts';
import { storedRow } from '../catalog/repo.ts';

/** What a merge needs: the database, the clock and (to move an enrolment) the descriptor key. */
export interface MergeContext extends DbContext {
  /**
   * 32-byte descriptor key (server/clinic/face/crypto.ts). Without it an enrolment that would have to
   * move is deleted instead (the patient enrols again); the running server always has it.
   */
  faceKey?: Buffer;
}

/** What happened to face data: nothing to do, the other's moved, one of two kept, or dropped (no key). */
export type MergeFaceOutcome = 'none' | 'survivor_kept' | 'moved' | 'other_kept' | 'dropped_no_key';

/** The outcome of a merge. */
export interface MergeResult {
  survivorId: PatientId;
  mergedId: PatientId;
  /** Appointments moved to the survivor. */
  appointments: string[];
  face: MergeFaceOutcome;
  /** Descriptors were deleted: checkpoint the WAL (`eraseFromWal`) after the commit. */
  faceErased: boolean;
  /** The survivor's portal account after the merge (null when neither had one). */
  portalAccountId: string | null;
}

/** A patient row as stored. */
interface Row {
  id: PatientId;
  full_name: string;
  phone: string | null;
  email: string | null;
  nif: string | null;
  birth_date: string | null;
  created_at: string;
  version: number;
  deleted_at: string | null;
  portal_account_id: string | null;
  merged_into: string | null;
}

interface Enrolment {
  id: string;
  descriptors: Buffer;
  consent_at: string;
}

/**
 * A live patient row (not deleted, not merged).
 * @throws AppError patient_merged (409) for a row merged into another; patient_not_found otherwise
 */
export function livePatientRow(ctx: DbContext, id: string): Row {
  const row = ctx.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Row | undefined;
  if (row?.merged_into)
    throw new AppError('patient_merged', `patient ${id} was merged`, { into: row.merged_into });
  if (!row || row.deleted_at !== null) throw new AppError('patient_not_found', `no patient ${id}`);
  return row;
}

/** Of two live patients, the one that survives a staff merge: the older row (then the smaller id). */
export function olderPatient(
  ctx: DbContext,
  a: string,
  b: string,
): { survivor: PatientId; other: PatientId } {
  const ra = livePatientRow(ctx, a);
  const rb = livePatientRow(ctx, b);
  const aFirst = ra.created_at < rb.created_at || (ra.created_at === rb.created_at && ra.id < rb.id);
  return aFirst ? { survivor: ra.id, other: rb.id } : { survivor: rb.id, other: ra.id };
}

const emptyName = (s: string) => s.trim() === '' || s.trim() === '—';

/**
 * Merges `otherId` into `survivorId` in one transaction (savepoint when the caller has one open).
 * @param options.expected when set, the version the caller saw of that patient (else 409 version_conflict)
 * @param options.via what asked for it, recorded in the audit row: the desk or the patient's link
 * @throws AppError validation_failed (same id) | patient_not_found | patient_merged | version_conflict |
 *   both_portal_accounts
 */
export function mergePatients(
  ctx: MergeContext,
  survivorId: string,
  otherId: string,
  actor: Actor,
  options: { via: 'staff' | 'link'; expected?: { id: string; version: number } },
): MergeResult {
  if (survivorId === otherId)
    throw new AppError('validation_failed', 'a patient cannot be merged with itself');
  return ctx.db.transaction((): MergeResult => {
    const s = livePatientRow(ctx, survivorId);
    const o = livePatientRow(ctx, otherId);
    const expected = options.expected;
    if (expected) {
      const seen = expected.id === s.id ? s : expected.id === o.id ? o : null;
      if (seen && seen.version !== expected.version)
        throw new AppError('version_conflict', 'the patient changed meanwhile', {
          id: seen.id,
          version: seen.version,
        });
    }
    if (s.portal_account_id && o.portal_account_id && s.portal_account_id !== o.portal_account_id)
      throw new AppError('both_portal_accounts', 'both patients have their own portal account');
    const now = new Date(ctx.now()).toISOString();

    // The other row first: it gives up its account (unique) and its personal data.
    ctx.db
      .prepare(
        `UPDATE patients SET full_name = '', phone = NULL, email = NULL, nif = NULL, birth_date = NULL,
           portal_account_id = NULL, merged_into = @survivor, deleted_at = @now, updated_at = @now,
           version = version + 1
         WHERE id = @id`,
      )
      .run({ id: o.id, survivor: s.id, now });
    const filled = {
      full_name: emptyName(s.full_name) && !emptyName(o.full_name) ? o.full_name : s.full_name,
      phone: s.phone ?? o.phone,
      email: s.email ?? o.email,
      nif: s.nif ?? o.nif,
      birth_date: s.birth_date ?? o.birth_date,
      portal_account_id: s.portal_account_id ?? o.portal_account_id,
    };
    ctx.db
      .prepare(
        `UPDATE patients SET full_name = @full_name, phone = @phone, email = @email, nif = @nif,
           birth_date = @birth_date, portal_account_id = @portal_account_id, updated_at = @now,
           version = version + 1
         WHERE id = @id`,
      )
      .run({ ...filled, id: s.id, now });

    const moved = (
      ctx.db.prepare('SELECT id FROM appointments WHERE patient_id = ? ORDER BY starts_at, id').all(o.id) as {
        id: string;
      }[]
    ).map((r) => r.id);
    const moveAppointment = ctx.db.prepare(
      'UPDATE appointments SET patient_id = ?, updated_at = ?, version = version + 1 WHERE id = ?',
    );
    for (const id of moved) moveAppointment.run(s.id, now, id);

    const { face, faceErased } = mergeFace(ctx, s.id, o.id, now);

    writeOutbox(ctx, 'patient', storedRow(ctx, 'patients', o.id));
    writeOutbox(ctx, 'patient', storedRow(ctx, 'patients', s.id));
    for (const id of moved) writeOutbox(ctx, 'appointment', storedRow(ctx, 'appointments', id));
    writeAudit(ctx, actor, 'patient.merge', 'patient', s.id, {
      survivorId: s.id,
      mergedId: o.id,
      via: options.via,
      appointments: moved.length,
      face,
      portalAccount: filled.portal_account_id !== null,
    });
    return {
      survivorId: s.id,
      mergedId: o.id,
      appointments: moved,
      face,
      faceErased,
      portalAccountId: filled.portal_account_id,
    };
  })();
}

/** Moves or drops the other's enrolment and moves its consent trail (inside the merge's transaction). */
function mergeFace(
  ctx: MergeContext,
  survivorId: PatientId,
  otherId: PatientId,
  now: string,
): { face: MergeFaceOutcome; faceErased: boolean } {
  const find = ctx.db.prepare('SELECT id, descriptors, consent_at FROM face_enrolments WHERE patient_id = ?');
  const es = find.get(survivorId) as Enrolment | undefined;
  const eo = find.get(otherId) as Enrolment | undefined;
  const remove = ctx.db.prepare('DELETE FROM face_enrolments WHERE patient_id = ?');
  ctx.db
    .prepare('UPDATE face_consent_events SET patient_id = ? WHERE patient_id = ?')
    .run(survivorId, otherId);
  if (!eo) return { face: es ? 'survivor_kept' : 'none', faceErased: false };
  if (es && es.consent_at >= eo.consent_at) {
    remove.run(otherId);
    return { face: 'survivor_kept', faceErased: true };
  }
  if (!ctx.faceKey) {
    remove.run(otherId);
    return { face: 'dropped_no_key', faceErased: true };
  }
  const full = ctx.db.prepare('SELECT * FROM face_enrolments WHERE id = ?').get(eo.id) as Record<
    string,
    unknown
  >;
  const blob = encryptDescriptors(
    ctx.faceKey,
    survivorId,
    decryptDescriptors(ctx.faceKey, otherId, eo.descriptors),
  );
  if (es) remove.run(survivorId);
  remove.run(otherId);
  const row = { ...full, patient_id: survivorId, descriptors: blob, updated_at: now };
  const cols = Object.keys(row);
  ctx.db
    .prepare(
      `INSERT INTO face_enrolments (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`,
    )
    .run(row);
  return { face: es ? 'other_kept' : 'moved', faceErased: true };
}
