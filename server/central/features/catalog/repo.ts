/**
 * SQL of the catalogue (clinics, specialties, practitioners, rooms, opening hours, schedules, time off)
 * and of the busy intervals availability needs. Every query is scoped by clinic.
 */
import { and, asc, eq, gt, inArray, lt, or } from 'drizzle-orm';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import {
  appointments,
  clinics,
  clinicSpecialties,
  openingHours,
  practitioners,
  practitionerSpecialties,
  rooms,
  schedules,
  timeOff,
} from '../../db/schema.ts';

type Q = CentralDb | CentralTx;

/** Clinic rows, by name. */
export function listClinics(db: Q) {
  return db.select().from(clinics).orderBy(asc(clinics.name));
}

/** One clinic row or undefined. */
export async function findClinic(db: Q, clinicId: string) {
  const [row] = await db.select().from(clinics).where(eq(clinics.id, clinicId));
  return row;
}

/** The clinic's specialties (code, duration, price). */
export function listSpecialties(db: Q, clinicId: string) {
  return db
    .select()
    .from(clinicSpecialties)
    .where(eq(clinicSpecialties.clinicId, clinicId))
    .orderBy(asc(clinicSpecialties.code));
}

/** One specialty of a clinic or undefined. */
export async function findSpecialty(db: Q, clinicId: string, code: string) {
  const [row] = await db
    .select()
    .from(clinicSpecialties)
    .where(and(eq(clinicSpecialties.clinicId, clinicId), eq(clinicSpecialties.code, code)));
  return row;
}

/** Active practitioners of a clinic with their specialty codes, by display name. */
export async function listPractitioners(db: Q, clinicId: string) {
  const rows = await db
    .select()
    .from(practitioners)
    .where(and(eq(practitioners.clinicId, clinicId), eq(practitioners.active, true)))
    .orderBy(asc(practitioners.displayName));
  const codes = await db
    .select()
    .from(practitionerSpecialties)
    .where(eq(practitionerSpecialties.clinicId, clinicId));
  return rows.map((p) => ({
    ...p,
    specialties: codes.filter((c) => c.practitionerId === p.id).map((c) => c.code),
  }));
}

/** One practitioner row (any clinic) or undefined. */
export async function findPractitioner(db: Q, practitionerId: string) {
  const [row] = await db.select().from(practitioners).where(eq(practitioners.id, practitionerId));
  return row;
}

/** Opening hours of a clinic. */
export function listOpeningHours(db: Q, clinicId: string) {
  return db.select().from(openingHours).where(eq(openingHours.clinicId, clinicId));
}

/** Weekly schedule blocks of some practitioners of a clinic. */
export function listSchedules(db: Q, clinicId: string, practitionerIds: string[]) {
  if (practitionerIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(schedules)
    .where(and(eq(schedules.clinicId, clinicId), inArray(schedules.practitionerId, practitionerIds)));
}

/**
 * Busy intervals of some practitioners overlapping `[from, to)`: live appointments (until their
 * `blocked_until`, which includes the buffer), holds that have not expired at `now`, and time off.
 */
export async function listBusy(
  db: Q,
  clinicId: string,
  practitionerIds: string[],
  from: Date,
  to: Date,
  now: Date,
): Promise<{ practitionerId: string; start: number; end: number }[]> {
  if (practitionerIds.length === 0) return [];
  const appts = await db
    .select({
      practitionerId: appointments.practitionerId,
      start: appointments.startsAt,
      end: appointments.blockedUntil,
    })
    .from(appointments)
    .where(
      and(
        eq(appointments.clinicId, clinicId),
        inArray(appointments.practitionerId, practitionerIds),
        lt(appointments.startsAt, to),
        gt(appointments.blockedUntil, from),
        or(
          inArray(appointments.status, ['awaiting_payment', 'confirmed']),
          and(eq(appointments.status, 'held'), gt(appointments.holdExpiresAt, now)),
        ),
      ),
    );
  const off = await db
    .select({ practitionerId: timeOff.practitionerId, start: timeOff.startsAt, end: timeOff.endsAt })
    .from(timeOff)
    .where(
      and(
        eq(timeOff.clinicId, clinicId),
        inArray(timeOff.practitionerId, practitionerIds),
        lt(timeOff.startsAt, to),
        gt(timeOff.endsAt, from),
      ),
    );
  return [...appts, ...off].map((r) => ({
    practitionerId: r.practitionerId,
    start: r.start.getTime(),
    end: r.end.getTime(),
  }));
}

/** Inserts a clinic with its catalogue in one go (seed and tests); the caller's transaction. */
export async function insertClinicCatalogue(
  tx: Q,
  c: {
    clinic: typeof clinics.$inferInsert;
    specialties: (typeof clinicSpecialties.$inferInsert)[];
    rooms: (typeof rooms.$inferInsert)[];
    practitioners: (typeof practitioners.$inferInsert)[];
    practitionerSpecialties: (typeof practitionerSpecialties.$inferInsert)[];
    openingHours: (typeof openingHours.$inferInsert)[];
    schedules: (typeof schedules.$inferInsert)[];
  },
): Promise<void> {
  await tx.insert(clinics).values(c.clinic);
  if (c.specialties.length) await tx.insert(clinicSpecialties).values(c.specialties);
  if (c.rooms.length) await tx.insert(rooms).values(c.rooms);
  if (c.practitioners.length) await tx.insert(practitioners).values(c.practitioners);
  if (c.practitionerSpecialties.length)
    await tx.insert(practitionerSpecialties).values(c.practitionerSpecialties);
  if (c.openingHours.length) await tx.insert(openingHours).values(c.openingHours);
  if (c.schedules.length) await tx.insert(schedules).values(c.schedules);
}

/** Adds a practitioner's time off `[startsAt, endsAt)`. */
export async function insertTimeOff(tx: Q, row: typeof timeOff.$inferInsert): Promise<void> {
  await tx.insert(timeOff).values(row);
}

/** True when no clinic exists yet (first start). */
export async function isEmpty(db: Q): Promise<boolean> {
  const [row] = await db.select({ id: clinics.id }).from(clinics).limit(1);
  return !row;
}
