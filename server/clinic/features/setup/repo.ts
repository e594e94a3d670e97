/**
 * SQL of the setup: the catalogue as an admin edits it (inactive rows included), row updates that bump the
 * version and queue the row for sync, practitioner photos, and how many live appointments use a room, a
 * practitioner or a specialty. Inserts reuse the catalogue repository (../catalog/repo.ts). Every write
 * runs inside the caller's transaction.
 */
import type { DbContext } from '../../db/database.ts';
import { writeOutbox } from '../../db/changes.ts';
import type { PractitionerId, RoomId, SpecialtyId } from '../../../domain/ids.ts';
import type { SpecialtyCode } from '../../../domain/specialties.ts';
import type { PhotoType } from '../../../domain/setup.ts';
import { storedRow } from '../catalog/repo.ts';

/** A room as the setup lists it. */
export interface RoomAdmin {
  id: RoomId;
  name: string;
  active: boolean;
}

/** A practitioner as the setup lists it. */
export interface PractitionerAdmin {
  id: PractitionerId;
  fullName: string;
  displayName: string;
  defaultRoomId: RoomId | null;
  specialtyIds: SpecialtyId[];
  active: boolean;
  /** When the photo last changed, ISO-8601 UTC; null: no photo. */
  photoUpdatedAt: string | null;
}

/** A specialty as the setup lists it: duration in minutes, price in integer cents. */
export interface SpecialtyAdmin {
  id: SpecialtyId;
  code: SpecialtyCode;
  namePt: string;
  nameEn: string;
  durationMin: number;
  priceCents: number;
  active: boolean;
}

/** Every room, active ones first, by name. */
export function listRoomsAdmin(ctx: DbContext): RoomAdmin[] {
  const rows = ctx.db
    .prepare('SELECT id, name, deleted_at IS NULL AS active FROM rooms ORDER BY active DESC, name')
    .all() as { id: RoomId; name: string; active: number }[];
  return rows.map((r) => ({ ...r, active: r.active === 1 }));
}

/** Every practitioner, active ones first, by full name, with their specialties. */
export function listPractitionersAdmin(ctx: DbContext): PractitionerAdmin[] {
  const rows = ctx.db
    .prepare(
      `SELECT id, full_name AS fullName, display_name AS displayName, default_room_id AS defaultRoomId,
              deleted_at IS NULL AS active, photo_updated_at AS photoUpdatedAt
       FROM practitioners ORDER BY active DESC, full_name`,
    )
    .all() as (Omit<PractitionerAdmin, 'active' | 'specialtyIds'> & { active: number })[];
  const links = ctx.db
    .prepare('SELECT practitioner_id AS p, specialty_id AS s FROM practitioner_specialties ORDER BY rowid')
    .all() as { p: PractitionerId; s: SpecialtyId }[];
  return rows.map((r) => ({
    ...r,
    active: r.active === 1,
    specialtyIds: links.filter((l) => l.p === r.id).map((l) => l.s),
  }));
}

/** Every specialty, active ones first, by Portuguese name. */
export function listSpecialtiesAdmin(ctx: DbContext): SpecialtyAdmin[] {
  const rows = ctx.db
    .prepare(
      `SELECT id, code, name_pt AS namePt, name_en AS nameEn, default_duration_min AS durationMin,
              price_cents AS priceCents, deleted_at IS NULL AS active
       FROM specialties ORDER BY active DESC, name_pt`,
    )
    .all() as (Omit<SpecialtyAdmin, 'active'> & { active: number })[];
  return rows.map((r) => ({ ...r, active: r.active === 1 }));
}

/** The tables the setup updates. */
type SetupTable = 'rooms' | 'practitioners' | 'specialties';
/** Their sync entity names (as the catalogue's inserts write them). */
const ENTITY: Record<SetupTable, string> = {
  rooms: 'room',
  practitioners: 'practitioner',
  specialties: 'specialty',
};

/**
 * Sets `columns` on one row, stamps `updated_at` (now) and bumps `version`, then queues the row as stored.
 * Column names are ours, never user input. Does nothing but the stamp when `columns` is empty.
 */
export function updateSyncedRow(
  ctx: DbContext,
  table: SetupTable,
  id: string,
  columns: Record<string, string | number | null>,
): void {
  const names = Object.keys(columns);
  const set = [...names.map((c) => `${c} = @${c}`), 'updated_at = @updated_at', 'version = version + 1'];
  ctx.db
    .prepare(`UPDATE ${table} SET ${set.join(', ')} WHERE id = @id`)
    .run({ ...columns, id, updated_at: new Date(ctx.now()).toISOString() });
  writeOutbox(ctx, ENTITY[table], storedRow(ctx, table, id));
}

/** Whether another room (any, active or not) has this name, ignoring case. */
export function roomNameTaken(ctx: DbContext, name: string, exceptId: string | null): boolean {
  return !!ctx.db
    .prepare('SELECT 1 FROM rooms WHERE name = ? COLLATE NOCASE AND id IS NOT ?')
    .get(name, exceptId);
}

/** The specialty with this code (active or not), if any. */
export function specialtyByCode(ctx: DbContext, code: SpecialtyCode): SpecialtyId | null {
  const row = ctx.db.prepare('SELECT id FROM specialties WHERE code = ?').get(code) as
    { id: SpecialtyId } | undefined;
  return row?.id ?? null;
}

/**
 * How many appointments still to happen use the row: booked from `nowIso` on and not cancelled or over,
 * or already under way (arrived, called, in session) whatever their time.
 */
export function liveAppointments(
  ctx: DbContext,
  column: 'room_id' | 'practitioner_id' | 'specialty_id',
  id: string,
  nowIso: string,
): number {
  const row = ctx.db
    .prepare(
      `SELECT COUNT(*) AS n FROM appointments WHERE ${column} = ?
         AND ((status = 'scheduled' AND starts_at >= ?) OR status IN ('arrived', 'called', 'in_session'))`,
    )
    .get(id, nowIso) as { n: number };
  return row.n;
}

/** Removes specialty links of a practitioner; each removal is queued for sync as a delete. */
export function removePractitionerSpecialties(
  ctx: DbContext,
  practitionerId: PractitionerId,
  remove: readonly SpecialtyId[],
): void {
  for (const s of remove) {
    ctx.db
      .prepare('DELETE FROM practitioner_specialties WHERE practitioner_id = ? AND specialty_id = ?')
      .run(practitionerId, s);
    writeOutbox(
      ctx,
      'practitioner_specialty',
      { id: `${practitionerId}:${s}`, version: 1, practitioner_id: practitionerId, specialty_id: s },
      'delete',
    );
  }
}

/** A stored practitioner photo. */
export interface PhotoRow {
  mediaType: PhotoType;
  bytes: Buffer;
  sha256: string;
  updatedAt: string;
}

/** Stores (or replaces) a practitioner's photo. */
export function upsertPhoto(ctx: DbContext, practitionerId: PractitionerId, photo: PhotoRow): void {
  ctx.db
    .prepare(
      `INSERT INTO practitioner_photos (practitioner_id, media_type, bytes, sha256, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(practitioner_id) DO UPDATE SET media_type = excluded.media_type, bytes = excluded.bytes,
         sha256 = excluded.sha256, updated_at = excluded.updated_at`,
    )
    .run(practitionerId, photo.mediaType, photo.bytes, photo.sha256, photo.updatedAt);
}

/** A practitioner's photo, or null. */
export function readPhoto(ctx: DbContext, practitionerId: PractitionerId): PhotoRow | null {
  const row = ctx.db
    .prepare(
      `SELECT media_type AS mediaType, bytes, sha256, updated_at AS updatedAt
       FROM practitioner_photos WHERE practitioner_id = ?`,
    )
    .get(practitionerId) as PhotoRow | undefined;
  return row ?? null;
}

/** Whether the settings table holds `key` (saved explicitly, not a default). */
export function settingStored(ctx: DbContext, key: string): boolean {
  return !!ctx.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(key);
}
