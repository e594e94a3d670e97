/** Patient rows: create, read, search (plain parameterised SQL; outbox and audit in the same transaction). */
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

/** Up to `limit` patients whose name or phone contains `q`, or whose NIF is `q`, by name. */
export function searchPatients(ctx: DbContext, q: string, limit = 20): Patient[] {
  return ctx.db
    .prepare(
      `SELECT ${COLUMNS} FROM patients
       WHERE deleted_at IS NULL AND (full_name LIKE ? OR phone LIKE ? OR nif = ?)
       ORDER BY full_name LIMIT ?`,
    )
    .all(`%${q}%`, `%${q}%`, q, limit) as Patient[];
}
