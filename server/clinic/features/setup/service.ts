/**
 * The first-run setup and later edits of the clinic's configuration (issue 10, part 1): its identity,
 * rooms, practitioners (with a public photo), specialties (duration, price) and opening hours, and what
 * is still missing. Each write is one transaction (rows + outbox + audit, stamped with `deps.now()`)
 * followed by a change event, so the desk's and the screens' streams pick up the new catalogue.
 *
 * The clinic's identity and its opening hours are settings (`clinicName`, `clinicNif`, `clinicAddress`,
 * `clinicPhone`, `openingHours`: server/domain/settings.ts), written through the settings repository,
 * which audits them as 'settings.update' and queues them for sync; rooms, practitioners and specialties
 * are the catalogue's rows (../catalog/repo.ts), deactivated by setting `deleted_at` (so every reader
 * that lists active rows stops offering them) and reactivated by clearing it.
 */
import { createHash } from 'node:crypto';
import { availability, type AvailabilityDay, type WeeklyBlock } from '../../../domain/availability.ts';
import { AppError } from '../../../domain/errors.ts';
import type { PractitionerId, RoomId, SpecialtyId } from '../../../domain/ids.ts';
import {
  PHOTO_MAX_BYTES,
  PHOTO_MAX_PX,
  photoSize,
  setupSteps,
  sniffPhotoType,
  type ClinicInput,
  type OpeningBlock,
  type PhotoType,
  type SetupStep,
} from '../../../domain/setup.ts';
import type { NamePolicy } from '../../../domain/settings.ts';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../../domain/specialties.ts';
import { addDays, clinicTime } from '../../../domain/time.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import {
  addPractitionerSpecialty,
  getRoom,
  getSpecialty,
  insertPractitioner,
  insertRoom,
  insertSpecialty,
  practitionersFor,
} from '../catalog/repo.ts';
import { readSettings, writeSettings } from '../settings/repo.ts';
import {
  listPractitionersAdmin,
  listRoomsAdmin,
  listSpecialtiesAdmin,
  liveAppointments,
  readPhoto,
  removePractitionerSpecialties,
  roomNameTaken,
  settingStored,
  specialtyByCode,
  updateSyncedRow,
  upsertPhoto,
  type PhotoRow,
  type PractitionerAdmin,
  type RoomAdmin,
  type SpecialtyAdmin,
} from './repo.ts';

export type { PractitionerAdmin, RoomAdmin, SpecialtyAdmin } from './repo.ts';

/** `GET /api/setup`: the configuration as it stands and which steps are done. */
export interface SetupState {
  /** The clinic's identity; nif and phone are 9 digits, '' while not saved. */
  clinic: { name: string; nif: string; address: string; phone: string };
  rooms: RoomAdmin[];
  practitioners: PractitionerAdmin[];
  specialties: SpecialtyAdmin[];
  /** Weekly opening hours, sorted by weekday and time (minutes after local midnight). */
  openingHours: OpeningBlock[];
  /** How public screens name a patient. */
  namePolicy: NamePolicy;
  /** Each step of the wizard, done or not (server/domain/setup.ts `setupSteps`). */
  steps: Record<SetupStep, boolean>;
  /** Every step done: the clinic can open. */
  complete: boolean;
}

/** The configuration and which steps are done. */
export function setupState(deps: ClinicDeps): SetupState {
  const settings = readSettings(deps);
  const rooms = listRoomsAdmin(deps);
  const practitioners = listPractitionersAdmin(deps);
  const specialties = listSpecialtiesAdmin(deps);
  const steps = setupSteps({
    clinicSaved: settingStored(deps, 'clinicNif'),
    activeRooms: rooms.filter((r) => r.active).length,
    activePractitioners: practitioners.filter((p) => p.active).length,
    activeSpecialties: specialties.filter((s) => s.active).length,
    openingBlocks: settings.openingHours.length,
    namePolicySaved: settingStored(deps, 'namePolicy'),
  });
  return {
    clinic: {
      name: settings.clinicName,
      nif: settings.clinicNif,
      address: settings.clinicAddress,
      phone: settings.clinicPhone,
    },
    rooms,
    practitioners,
    specialties,
    openingHours: settings.openingHours,
    namePolicy: settings.namePolicy,
    steps,
    complete: Object.values(steps).every(Boolean),
  };
}

/** Saves the clinic's identity (settings; audited as 'settings.update' with old → new). */
export function saveClinic(deps: ClinicDeps, input: ClinicInput, actor: Actor): SetupState {
  writeSettings(
    deps,
    { clinicName: input.name, clinicNif: input.nif, clinicAddress: input.address, clinicPhone: input.phone },
    actor,
  );
  deps.events.emit('settings');
  return setupState(deps);
}

/** Replaces the week's opening hours (validated and sorted by `openingHoursInput`). */
export function saveOpeningHours(deps: ClinicDeps, blocks: OpeningBlock[], actor: Actor): OpeningBlock[] {
  const saved = writeSettings(deps, { openingHours: blocks }, actor).openingHours;
  deps.events.emit('settings');
  return saved;
}

/** @throws AppError room_not_found (also for an inactive room: none of that id exists) */
function roomAdmin(deps: ClinicDeps, id: RoomId): RoomAdmin {
  const room = listRoomsAdmin(deps).find((r) => r.id === id);
  if (!room) throw new AppError('room_not_found', `no room ${id}`);
  return room;
}

/** @throws AppError practitioner_not_found */
function practitionerAdmin(deps: ClinicDeps, id: PractitionerId): PractitionerAdmin {
  const p = listPractitionersAdmin(deps).find((r) => r.id === id);
  if (!p) throw new AppError('practitioner_not_found', `no practitioner ${id}`);
  return p;
}

/** @throws AppError specialty_not_found */
function specialtyAdmin(deps: ClinicDeps, id: SpecialtyId): SpecialtyAdmin {
  const s = listSpecialtiesAdmin(deps).find((r) => r.id === id);
  if (!s) throw new AppError('specialty_not_found', `no specialty ${id}`);
  return s;
}

/**
 * Refuses to deactivate a row that live appointments still use.
 * @throws AppError has_future_appointments (409), `details` = { entity, count }
 */
function assertNoLiveAppointments(
  deps: ClinicDeps,
  entity: 'room' | 'practitioner' | 'specialty',
  id: string,
): void {
  const count = liveAppointments(deps, `${entity}_id`, id, new Date(deps.now()).toISOString());
  if (count > 0)
    throw new AppError(
      'has_future_appointments',
      `${count} appointment(s) still to come use this ${entity}; move or cancel them first`,
      { entity, count },
    );
}

/** `deleted_at` for an `active` flag: null when active, now when not. */
function deletedAt(deps: ClinicDeps, active: boolean): string | null {
  return active ? null : new Date(deps.now()).toISOString();
}

/**
 * Adds a room.
 * @throws AppError room_name_taken (409) when a room (active or not) has that name, ignoring case
 */
export function createRoom(deps: ClinicDeps, input: { name: string }, actor: Actor): RoomAdmin {
  const id = deps.db.transaction(() => {
    if (roomNameTaken(deps, input.name, null))
      throw new AppError('room_name_taken', 'a room has that name already');
    const id = insertRoom(deps, input.name);
    writeAudit(deps, actor, 'room.create', 'room', id, { name: input.name });
    return id;
  })();
  deps.events.emit('catalog', id);
  return roomAdmin(deps, id);
}

/**
 * Renames and/or (de)activates a room. Deactivating it also clears it as the usual room of the
 * practitioners who had it (each such change queued and listed in the audit detail).
 * @throws AppError room_not_found | room_name_taken (409) | has_future_appointments (409) when
 *   deactivating a room that appointments still to come use
 */
export function updateRoom(
  deps: ClinicDeps,
  id: RoomId,
  input: { name?: string; active?: boolean },
  actor: Actor,
): RoomAdmin {
  deps.db.transaction(() => {
    const before = roomAdmin(deps, id);
    const columns: Record<string, string | null> = {};
    if (input.name !== undefined && input.name !== before.name) {
      if (roomNameTaken(deps, input.name, id))
        throw new AppError('room_name_taken', 'a room has that name already');
      columns.name = input.name;
    }
    // Practitioners whose usual room this was lose it (new bookings must not land in a closed room).
    let unassigned: PractitionerId[] = [];
    if (input.active !== undefined && input.active !== before.active) {
      if (!input.active) {
        assertNoLiveAppointments(deps, 'room', id);
        unassigned = listPractitionersAdmin(deps)
          .filter((p) => p.defaultRoomId === id)
          .map((p) => p.id);
      }
      columns.deleted_at = deletedAt(deps, input.active);
    }
    if (Object.keys(columns).length === 0) return;
    updateSyncedRow(deps, 'rooms', id, columns);
    for (const p of unassigned) updateSyncedRow(deps, 'practitioners', p, { default_room_id: null });
    writeAudit(deps, actor, 'room.update', 'room', id, {
      ...(columns.name !== undefined ? { name: { from: before.name, to: input.name } } : {}),
      ...('deleted_at' in columns ? { active: { from: before.active, to: input.active } } : {}),
      ...(unassigned.length > 0 ? { practitionersUnassigned: unassigned } : {}),
    });
  })();
  deps.events.emit('catalog', id);
  return roomAdmin(deps, id);
}

/** A practitioner as the create route receives it. */
export interface PractitionerInput {
  fullName: string;
  displayName: string;
  defaultRoomId: RoomId | null;
  specialtyIds: SpecialtyId[];
}

/** Checks a room and specialties a practitioner is given: each must exist and be active. */
function checkPractitionerRefs(
  deps: ClinicDeps,
  roomId: RoomId | null | undefined,
  specialtyIds: readonly SpecialtyId[] | undefined,
): void {
  if (roomId) getRoom(deps, roomId);
  for (const s of specialtyIds ?? []) getSpecialty(deps, s);
}

/**
 * Adds a practitioner with the specialties they practise.
 * @throws AppError room_not_found | specialty_not_found (an unknown or inactive one)
 */
export function createPractitioner(
  deps: ClinicDeps,
  input: PractitionerInput,
  actor: Actor,
): PractitionerAdmin {
  const id = deps.db.transaction(() => {
    checkPractitionerRefs(deps, input.defaultRoomId, input.specialtyIds);
    const id = insertPractitioner(deps, {
      fullName: input.fullName,
      displayName: input.displayName,
      defaultRoomId: input.defaultRoomId,
    });
    for (const s of new Set(input.specialtyIds)) addPractitionerSpecialty(deps, id, s);
    writeAudit(deps, actor, 'practitioner.create', 'practitioner', id, {
      defaultRoomId: input.defaultRoomId,
      specialtyIds: [...new Set(input.specialtyIds)],
    });
    return id;
  })();
  deps.events.emit('catalog', id);
  return practitionerAdmin(deps, id);
}

/**
 * Changes a practitioner's names, room, specialties (the set given replaces theirs) and/or active flag.
 * @throws AppError practitioner_not_found | room_not_found | specialty_not_found |
 *   has_future_appointments (409) when deactivating one with appointments still to come
 */
export function updatePractitioner(
  deps: ClinicDeps,
  id: PractitionerId,
  input: Partial<PractitionerInput> & { active?: boolean },
  actor: Actor,
): PractitionerAdmin {
  deps.db.transaction(() => {
    const before = practitionerAdmin(deps, id);
    const wanted = input.specialtyIds ? [...new Set(input.specialtyIds)] : undefined;
    const added = wanted?.filter((s) => !before.specialtyIds.includes(s)) ?? [];
    const removed = wanted ? before.specialtyIds.filter((s) => !wanted.includes(s)) : [];
    checkPractitionerRefs(
      deps,
      input.defaultRoomId !== before.defaultRoomId ? input.defaultRoomId : undefined,
      added,
    );
    const columns: Record<string, string | null> = {};
    if (input.fullName !== undefined && input.fullName !== before.fullName)
      columns.full_name = input.fullName;
    if (input.displayName !== undefined && input.displayName !== before.displayName)
      columns.display_name = input.displayName;
    if (input.defaultRoomId !== undefined && input.defaultRoomId !== before.defaultRoomId)
      columns.default_room_id = input.defaultRoomId;
    if (input.active !== undefined && input.active !== before.active) {
      if (!input.active) assertNoLiveAppointments(deps, 'practitioner', id);
      columns.deleted_at = deletedAt(deps, input.active);
    }
    if (Object.keys(columns).length === 0 && added.length === 0 && removed.length === 0) return;
    if (Object.keys(columns).length > 0) updateSyncedRow(deps, 'practitioners', id, columns);
    removePractitionerSpecialties(deps, id, removed);
    for (const s of added) addPractitionerSpecialty(deps, id, s);
    writeAudit(deps, actor, 'practitioner.update', 'practitioner', id, {
      fields: Object.keys(columns).map((c) => (c === 'deleted_at' ? 'active' : c)),
      ...(added.length > 0 ? { specialtiesAdded: added } : {}),
      ...(removed.length > 0 ? { specialtiesRemoved: removed } : {}),
      ...('deleted_at' in columns ? { active: input.active } : {}),
    });
  })();
  deps.events.emit('catalog', id);
  return practitionerAdmin(deps, id);
}

/**
 * Stores a practitioner's public photo (their own, shown to patients; never a patient's face): a JPEG or
 * WebP of at most `PHOTO_MAX_BYTES` and `PHOTO_MAX_PX` on its longest side (read from its header), whose
 * bytes must match `mediaType`. The bytes stay in the clinic; the
 * practitioner row's `photo_updated_at` changes (version bumped, queued for sync). Audited with size and
 * type, never the image.
 * @throws AppError practitioner_not_found | image_invalid (empty, not the type it claims, no readable
 *   size, or larger than `PHOTO_MAX_PX`: `details` = { width, height, maxPx }) |
 *   payload_too_large (413)
 */
export function savePhoto(
  deps: ClinicDeps,
  id: PractitionerId,
  mediaType: PhotoType,
  bytes: Uint8Array,
  actor: Actor,
): PractitionerAdmin {
  if (bytes.length > PHOTO_MAX_BYTES)
    throw new AppError('payload_too_large', `a photo must be at most ${PHOTO_MAX_BYTES} bytes`);
  if (sniffPhotoType(bytes) !== mediaType)
    throw new AppError('image_invalid', `the body is not a ${mediaType} image`);
  const size = photoSize(bytes);
  if (!size) throw new AppError('image_invalid', 'the photo has no readable size');
  if (Math.max(size.width, size.height) > PHOTO_MAX_PX)
    throw new AppError('image_invalid', `a photo must be at most ${PHOTO_MAX_PX} px on its longest side`, {
      ...size,
      maxPx: PHOTO_MAX_PX,
    });
  deps.db.transaction(() => {
    practitionerAdmin(deps, id);
    const now = new Date(deps.now()).toISOString();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    upsertPhoto(deps, id, { mediaType, bytes: Buffer.from(bytes), sha256, updatedAt: now });
    updateSyncedRow(deps, 'practitioners', id, { photo_updated_at: now });
    writeAudit(deps, actor, 'practitioner.photo', 'practitioner', id, {
      mediaType,
      bytes: bytes.length,
      sha256,
    });
  })();
  deps.events.emit('catalog', id);
  return practitionerAdmin(deps, id);
}

/**
 * A practitioner's photo (bytes, type, SHA-256 for the ETag).
 * @throws AppError practitioner_not_found | photo_not_found
 */
export function getPhoto(deps: ClinicDeps, id: PractitionerId): PhotoRow {
  practitionerAdmin(deps, id);
  const photo = readPhoto(deps, id);
  if (!photo) throw new AppError('photo_not_found', `practitioner ${id} has no photo`);
  return photo;
}

/** A specialty as the create route receives it: duration in minutes, price in cents. */
export interface SpecialtyInput {
  code: SpecialtyCode;
  namePt?: string;
  nameEn?: string;
  durationMin: number;
  priceCents: number;
}

/**
 * Offers a specialty (names default to the code's standard ones).
 * @throws AppError specialty_taken (409, `details.id` = the existing one, which may be reactivated)
 */
export function createSpecialty(deps: ClinicDeps, input: SpecialtyInput, actor: Actor): SpecialtyAdmin {
  const id = deps.db.transaction(() => {
    const existing = specialtyByCode(deps, input.code);
    if (existing)
      throw new AppError('specialty_taken', `the clinic has ${input.code} already`, { id: existing });
    const defaults = SPECIALTY_DEFAULTS[input.code];
    const id = insertSpecialty(deps, {
      code: input.code,
      namePt: input.namePt ?? defaults.namePt,
      nameEn: input.nameEn ?? defaults.nameEn,
      defaultDurationMin: input.durationMin,
      priceCents: input.priceCents,
    });
    writeAudit(deps, actor, 'specialty.create', 'specialty', id, {
      code: input.code,
      durationMin: input.durationMin,
      priceCents: input.priceCents,
    });
    return id;
  })();
  deps.events.emit('catalog', id);
  return specialtyAdmin(deps, id);
}

/**
 * Changes a specialty's names, duration (minutes; applies to bookings made from now on), price (cents)
 * and/or active flag.
 * @throws AppError specialty_not_found | has_future_appointments (409) when deactivating one that
 *   appointments still to come are booked for
 */
export function updateSpecialty(
  deps: ClinicDeps,
  id: SpecialtyId,
  input: { namePt?: string; nameEn?: string; durationMin?: number; priceCents?: number; active?: boolean },
  actor: Actor,
): SpecialtyAdmin {
  deps.db.transaction(() => {
    const before = specialtyAdmin(deps, id);
    const columns: Record<string, string | number | null> = {};
    const detail: Record<string, { from: unknown; to: unknown }> = {};
    const change = (column: string, key: keyof SpecialtyAdmin, value: string | number | undefined) => {
      if (value === undefined || value === before[key]) return;
      columns[column] = value;
      detail[key] = { from: before[key], to: value };
    };
    change('name_pt', 'namePt', input.namePt);
    change('name_en', 'nameEn', input.nameEn);
    change('default_duration_min', 'durationMin', input.durationMin);
    change('price_cents', 'priceCents', input.priceCents);
    if (input.active !== undefined && input.active !== before.active) {
      if (!input.active) assertNoLiveAppointments(deps, 'specialty', id);
      columns.deleted_at = deletedAt(deps, input.active);
      detail.active = { from: before.active, to: input.active };
    }
    if (Object.keys(columns).length === 0) return;
    updateSyncedRow(deps, 'specialties', id, columns);
    writeAudit(deps, actor, 'specialty.update', 'specialty', id, detail);
  })();
  deps.events.emit('catalog', id);
  return specialtyAdmin(deps, id);
}

/**
 * The clinic's stored weekly opening hours as availability blocks (ISO weekday, minutes after local
 * midnight); empty while the setup has not saved them (a caller may then fall back to its own default).
 */
export function clinicOpeningBlocks(deps: ClinicDeps): WeeklyBlock[] {
  return readSettings(deps).openingHours.map((b) => ({
    weekday: b.weekday,
    startMin: b.opensMin,
    endMin: b.closesMin,
  }));
}

/**
 * Bookable starts for a specialty over `days` clinic days from `from` ('YYYY-MM-DD'), from the clinic's
 * stored opening hours (every practitioner works them: the local schema has no per-practitioner schedule),
 * the specialty's duration, the turnover buffer setting and the practitioners' live appointments; on a
 * 15-minute grid, nothing before now. Practitioners are those who practise it (all when nobody has it
 * recorded), active only.
 * @throws AppError specialty_not_found
 */
export function clinicAvailability(
  deps: ClinicDeps,
  specialtyId: SpecialtyId,
  from: string,
  days: number,
): AvailabilityDay[] {
  const specialty = getSpecialty(deps, specialtyId);
  const settings = readSettings(deps);
  const start = clinicTime(from, 0, 0).toISOString();
  const end = clinicTime(addDays(from, days), 0, 0).toISOString();
  const busyOf = deps.db.prepare(
    `SELECT starts_at AS startsAt, duration_min AS durationMin FROM appointments
     WHERE practitioner_id = ? AND status IN ('scheduled', 'arrived', 'called', 'in_session')
       AND starts_at < ? AND starts_at >= ?`,
  );
  const schedule = clinicOpeningBlocks(deps);
  return availability({
    from,
    days,
    durationMin: specialty.defaultDurationMin,
    bufferMin: settings.turnoverBufferMin,
    stepMin: 15,
    earliestMs: deps.now(),
    latestMs: Date.parse(end),
    openingHours: schedule,
    practitioners: practitionersFor(deps, specialtyId).map((p) => ({
      id: p.id,
      schedule,
      busy: (
        busyOf.all(p.id, end, new Date(Date.parse(start) - 86_400_000).toISOString()) as {
          startsAt: string;
          durationMin: number;
        }[]
      ).map((a) => ({
        start: Date.parse(a.startsAt),
        end: Date.parse(a.startsAt) + (a.durationMin + settings.turnoverBufferMin) * 60_000,
      })),
    })),
  });
}
