/**
 * The clinic's catalogue: specialties, rooms and practitioners (typed rows, mappers, plain parameterised
 * SQL). Read by the board, booking and the kiosk; written by the seed (and later the setup wizard).
 */
import type { DbContext } from '../../db/database.ts';
import { writeOutbox } from '../../db/changes.ts';
import { AppError } from '../../../domain/errors.ts';
import { newId, type PractitionerId, type RoomId, type SpecialtyId } from '../../../domain/ids.ts';
import type { SpecialtyCode } from '../../../domain/specialties.ts';

/** A specialty as the board lists it; durations in minutes, price in integer cents. */
export interface Specialty {
  id: SpecialtyId;
  code: SpecialtyCode;
  namePt: string;
  nameEn: string;
  defaultDurationMin: number;
  priceCents: number;
}
/** A treatment room. */
export interface Room {
  id: RoomId;
  name: string;
}
/** A practitioner; `displayName` is what patients see ('Dr.ª Marta Lopes'). */
export interface Practitioner {
  id: PractitionerId;
  fullName: string;
  displayName: string;
  defaultRoomId: RoomId | null;
  /** The specialties they practise (empty: not recorded, any). */
  specialtyIds: SpecialtyId[];
}

/** Specialties not deleted, by Portuguese name. */
export function listSpecialties(ctx: DbContext): Specialty[] {
  return ctx.db
    .prepare(
      `SELECT id, code, name_pt AS namePt, name_en AS nameEn, default_duration_min AS defaultDurationMin,
              price_cents AS priceCents FROM specialties WHERE deleted_at IS NULL ORDER BY name_pt`,
    )
    .all() as Specialty[];
}

/** Rooms not deleted, by name. */
export function listRooms(ctx: DbContext): Room[] {
  return ctx.db.prepare('SELECT id, name FROM rooms WHERE deleted_at IS NULL ORDER BY name').all() as Room[];
}

/** Practitioners not deleted, by full name, each with the specialties they practise. */
export function listPractitioners(ctx: DbContext): Practitioner[] {
  const rows = ctx.db
    .prepare(
      `SELECT id, full_name AS fullName, display_name AS displayName, default_room_id AS defaultRoomId
       FROM practitioners WHERE deleted_at IS NULL ORDER BY full_name`,
    )
    .all() as Omit<Practitioner, 'specialtyIds'>[];
  const links = ctx.db
    .prepare(
      'SELECT practitioner_id AS p, specialty_id AS s FROM practitioner_specialties ORDER BY specialty_id',
    )
    .all() as { p: PractitionerId; s: SpecialtyId }[];
  return rows.map((r) => ({ ...r, specialtyIds: links.filter((l) => l.p === r.id).map((l) => l.s) }));
}

/**
 * The practitioners who practise `specialtyId`; all of them when nobody has that specialty recorded
 * (a clinic that has not filled in who does what).
 */
export function practitionersFor(ctx: DbContext, specialtyId: SpecialtyId): Practitioner[] {
  const all = listPractitioners(ctx);
  const those = all.filter((p) => p.specialtyIds.includes(specialtyId));
  return those.length > 0 ? those : all;
}

/**
 * Records that a practitioner practises a specialty, in the caller's transaction, with its outbox row: the
 * link as stored, with `id` = 'practitionerId:specialtyId' and `version` 1 (a link is only ever inserted).
 */
export function addPractitionerSpecialty(
  ctx: DbContext,
  practitionerId: PractitionerId,
  specialtyId: SpecialtyId,
): void {
  ctx.db
    .prepare(
      'INSERT INTO practitioner_specialties (practitioner_id, specialty_id, created_at) VALUES (?, ?, ?)',
    )
    .run(practitionerId, specialtyId, new Date(ctx.now()).toISOString());
  const stored = ctx.db
    .prepare('SELECT * FROM practitioner_specialties WHERE practitioner_id = ? AND specialty_id = ?')
    .get(practitionerId, specialtyId) as Record<string, unknown>;
  writeOutbox(ctx, 'practitioner_specialty', {
    id: `${practitionerId}:${specialtyId}`,
    version: 1,
    ...stored,
  });
}

/** @throws AppError specialty_not_found */
export function getSpecialty(ctx: DbContext, id: SpecialtyId): Specialty {
  const found = listSpecialties(ctx).find((s) => s.id === id);
  if (!found) throw new AppError('specialty_not_found', `no specialty ${id}`);
  return found;
}

/** @throws AppError room_not_found */
export function getRoom(ctx: DbContext, id: RoomId): Room {
  const found = listRooms(ctx).find((r) => r.id === id);
  if (!found) throw new AppError('room_not_found', `no room ${id}`);
  return found;
}

/**
 * Inserts a syncable row (adds created_at, updated_at = now and version 1) and its outbox row (the row
 * read back as stored, every column), inside the caller's transaction. Shared by the catalogue and
 * patient repositories. `table` is one of ours, never user input.
 */
export function insertSyncedRow(
  ctx: DbContext,
  table: string,
  entity: string,
  row: { id: string } & Record<string, unknown>,
): void {
  const now = new Date(ctx.now()).toISOString();
  const full = { ...row, created_at: now, updated_at: now, version: 1 };
  const cols = Object.keys(full);
  ctx.db
    .prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`)
    .run(full);
  writeOutbox(ctx, entity, storedRow(ctx, table, row.id));
}

/**
 * A syncable row exactly as stored (`SELECT *`), for its outbox snapshot.
 * @throws Error when the row is missing (a bug: call it after writing the row)
 */
export function storedRow(
  ctx: DbContext,
  table: string,
  id: string,
): { id: string; version: number } & Record<string, unknown> {
  const row = ctx.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as
    ({ id: string; version: number } & Record<string, unknown>) | undefined;
  if (!row) throw new Error(`${table} ${id} not found after writing it`);
  return row;
}

/** Adds a specialty; returns its id. */
export function insertSpecialty(ctx: DbContext, s: Omit<Specialty, 'id'>): SpecialtyId {
  const id = newId<'specialty'>();
  insertSyncedRow(ctx, 'specialties', 'specialty', {
    id,
    code: s.code,
    name_pt: s.namePt,
    name_en: s.nameEn,
    default_duration_min: s.defaultDurationMin,
    price_cents: s.priceCents,
  });
  return id;
}

/** Adds a room (with a given id, e.g. a shared demo id, or a new one); returns its id. */
export function insertRoom(ctx: DbContext, name: string, id: RoomId = newId<'room'>()): RoomId {
  insertSyncedRow(ctx, 'rooms', 'room', { id, name });
  return id;
}

/** Adds a practitioner (with a given id or a new one); returns its id. */
export function insertPractitioner(
  ctx: DbContext,
  p: Omit<Practitioner, 'id' | 'specialtyIds'>,
  id: PractitionerId = newId<'practitioner'>(),
): PractitionerId {
  insertSyncedRow(ctx, 'practitioners', 'practitioner', {
    id,
    full_name: p.fullName,
    display_name: p.displayName,
    default_room_id: p.defaultRoomId,
  });
  return id;
}

/** Whether the clinic has no catalogue yet (a fresh database: the demo seed may run). */
export function isCatalogEmpty(ctx: DbContext): boolean {
  return !ctx.db.prepare('SELECT 1 FROM specialties LIMIT 1').get();
}
