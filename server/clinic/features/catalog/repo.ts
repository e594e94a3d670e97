/** Specialties, rooms, practitioners and patients: typed rows, mappers and plain parameterised SQL. */
import type { Db } from '../../db/database.ts';
import { writeOutbox, type Actor, writeAudit } from '../../db/changes.ts';
import { newId } from '../../../domain/ids.ts';
import type { PatientInput, SpecialtyCode } from '../../../domain/schemas.ts';
import { AppError } from '../../../domain/errors.ts';

export interface Specialty {
  id: string;
  code: SpecialtyCode;
  namePt: string;
  nameEn: string;
  defaultDurationMin: number;
  priceCents: number;
}
export interface Room {
  id: string;
  name: string;
}
export interface Practitioner {
  id: string;
  fullName: string;
  displayName: string;
  defaultRoomId: string | null;
}
export interface Patient {
  id: string;
  fullName: string;
  phone: string | null;
  email: string | null;
  nif: string | null;
  birthDate: string | null;
  version: number;
}

export function listSpecialties(db: Db): Specialty[] {
  return db
    .prepare(
      `SELECT id, code, name_pt AS namePt, name_en AS nameEn, default_duration_min AS defaultDurationMin,
              price_cents AS priceCents FROM specialties WHERE deleted_at IS NULL ORDER BY name_pt`,
    )
    .all() as Specialty[];
}

export function listRooms(db: Db): Room[] {
  return db.prepare('SELECT id, name FROM rooms WHERE deleted_at IS NULL ORDER BY name').all() as Room[];
}

export function listPractitioners(db: Db): Practitioner[] {
  return db
    .prepare(
      `SELECT id, full_name AS fullName, display_name AS displayName, default_room_id AS defaultRoomId
       FROM practitioners WHERE deleted_at IS NULL ORDER BY full_name`,
    )
    .all() as Practitioner[];
}

function insertRow(db: Db, table: string, entity: string, row: { id: string } & Record<string, unknown>) {
  const now = new Date().toISOString();
  const full = { ...row, created_at: now, updated_at: now, version: 1 };
  const cols = Object.keys(full);
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(
    full,
  );
  writeOutbox(db, entity, full);
}

export function insertSpecialty(db: Db, s: Omit<Specialty, 'id'>): string {
  const id = newId();
  insertRow(db, 'specialties', 'specialty', {
    id,
    code: s.code,
    name_pt: s.namePt,
    name_en: s.nameEn,
    default_duration_min: s.defaultDurationMin,
    price_cents: s.priceCents,
  });
  return id;
}

export function insertRoom(db: Db, name: string): string {
  const id = newId();
  insertRow(db, 'rooms', 'room', { id, name });
  return id;
}

export function insertPractitioner(db: Db, p: Omit<Practitioner, 'id'>): string {
  const id = newId();
  insertRow(db, 'practitioners', 'practitioner', {
    id,
    full_name: p.fullName,
    display_name: p.displayName,
    default_room_id: p.defaultRoomId,
  });
  return id;
}

/** Creates a patient (one transaction with its outbox and audit rows). */
export function createPatient(db: Db, input: PatientInput, actor: Actor): Patient {
  const id = newId();
  db.transaction(() => {
    insertRow(db, 'patients', 'patient', {
      id,
      full_name: input.fullName,
      phone: input.phone ?? null,
      email: input.email ?? null,
      nif: input.nif ?? null,
      birth_date: input.birthDate ?? null,
    });
    writeAudit(db, actor, 'patient.create', 'patient', id);
  })();
  return getPatient(db, id);
}

/** @throws AppError patient_not_found */
export function getPatient(db: Db, id: string): Patient {
  const row = db
    .prepare(
      `SELECT id, full_name AS fullName, phone, email, nif, birth_date AS birthDate, version
       FROM patients WHERE id = ? AND deleted_at IS NULL`,
    )
    .get(id) as Patient | undefined;
  if (!row) throw new AppError('patient_not_found', `no patient ${id}`);
  return row;
}

export function searchPatients(db: Db, q: string, limit = 20): Patient[] {
  return db
    .prepare(
      `SELECT id, full_name AS fullName, phone, email, nif, birth_date AS birthDate, version
       FROM patients WHERE deleted_at IS NULL AND (full_name LIKE ? OR phone LIKE ? OR nif = ?)
       ORDER BY full_name LIMIT ?`,
    )
    .all(`%${q}%`, `%${q}%`, q, limit) as Patient[];
}
