/** Patient rows: create, read, search (plain parameterised SQL; outbox and audit in the same transaction). */
import { parsePatientSearch } from '../../../domain/patient-search.ts';
import type { DbContext } from '../../db/database.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import { AppError } from '../../../domain/errors.ts';
import { newId, type PatientId } from '../../../domain/ids.ts';
import type { PatientInput } from '../../../domain/schemas.ts';
import { insertSyncedRow } from '../catalog/repo.ts';

/** A patient as the desk sees it (full name: desk only, never on public screens). */
export interface Patient {
  id: PatientId;
  fullName: string;
  phone: string | null;
  email: string | null;
  nif: string | null;
  /** 'YYYY-MM-DD' */
  birthDate: string | null;
  version: number;
}

const COLUMNS = 'id, full_name AS fullName, phone, email, nif, birth_date AS birthDate, version';

/** Creates a patient (one transaction with its outbox and audit rows). */
export function createPatient(ctx: DbContext, input: PatientInput, actor: Actor): Patient {
  const id = newId<'patient'>();
  ctx.db.transaction(() => {
    insertSyncedRow(ctx, 'patients', 'patient', {
      id,
      full_name: input.fullName,
      phone: input.phone ?? null,
      email: input.email ?? null,
      nif: input.nif ?? null,
      birth_date: input.birthDate ?? null,
    });
    writeAudit(ctx, actor, 'patient.create', 'patient', id);
  })();
  return getPatient(ctx, id);
}

/** @throws AppError patient_not_found (also for a deleted patient) */
export function getPatient(ctx: DbContext, id: PatientId): Patient {
  const row = ctx.db
    .prepare(`SELECT ${COLUMNS} FROM patients WHERE id = ? AND deleted_at IS NULL`)
    .get(id) as Patient | undefined;
  if (!row) throw new AppError('patient_not_found', `no patient ${id}`);
  return row;
}

/**
 * Up to `limit` patients matching the desk's search `q` (domain/patient-search.ts): every word in the
 * name, accents and case ignored; digits in the phone or equal to the NIF; the date of birth; or the
 * booking code of one of their appointments. By name. LIKE wildcards in `q` are matched literally.
 */
export function searchPatients(ctx: DbContext, q: string, limit = 20): Patient[] {
  const s = parsePatientSearch(q);
  const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (s.nameWords.length > 0) {
    clauses.push(`(${s.nameWords.map(() => "cfd_fold(full_name) LIKE ? ESCAPE '\\'").join(' AND ')})`);
    params.push(...s.nameWords.map(like));
  }
  if (s.digits) {
    clauses.push("cfd_digits(phone) LIKE ? ESCAPE '\\' OR nif = ?");
    params.push(like(s.digits), s.digits);
  }
  if (s.birthDate) {
    clauses.push('birth_date = ?');
    params.push(s.birthDate);
  }
  if (s.bookingCode) {
    clauses.push('id IN (SELECT patient_id FROM appointments WHERE booking_code = ?)');
    params.push(s.bookingCode);
  }
  if (clauses.length === 0) return [];
  return ctx.db
    .prepare(
      `SELECT ${COLUMNS} FROM patients
       WHERE deleted_at IS NULL AND (${clauses.join(' OR ')})
       ORDER BY full_name LIMIT ?`,
    )
    .all(...params, limit) as Patient[];
}
