/**
 * Central's catalogue in a clinic's change feed (docs/sync.md "Pull"): the clinic's practitioners, their
 * weekly schedules and their time off, so the clinic's desk works with the same people and hours the
 * portal books against. `publishCatalogue` records the clinic's whole catalogue as feed changes (not
 * echoes: the clinic's pull applies them):
 * - `practitioner` (entity id = the practitioner's id): `{ id, name, displayName, active, specialties }`
 *   (`specialties`: central's specialty codes);
 * - `schedule` (entity id = the practitioner's id): `{ practitionerId, blocks: [{ id, weekday, startMin,
 *   endMin }] }`, the practitioner's whole week (ISO weekday, 1 = Monday; minutes after local midnight
 *   in the clinic's time zone), which replaces what the clinic had for that practitioner, so a removed
 *   block disappears;
 * - `time_off` (entity id = the practitioner's id): `{ practitionerId, periods: [{ id, startsAt, endsAt
 *   }] }` (ISO-8601 UTC), the practitioner's whole list, replacing the clinic's.
 * It runs when a clinic pairs (the initial snapshot). Central has no route that edits practitioners,
 * schedules or time off yet: **any future catalogue edit must call `publishCatalogue` (or record the same
 * changes for the practitioner it changed) in its transaction**, or the clinic never hears of it.
 */
import { asc, eq } from 'drizzle-orm';
import { recordChange } from '../../db/changes.ts';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import { practitionerSpecialties, practitioners, schedules, timeOff } from '../../db/schema.ts';

/** How many changes `publishCatalogue` recorded, per entity. */
export interface CataloguePublished {
  practitioners: number;
  schedules: number;
  timeOff: number;
}

/**
 * Records the clinic's practitioners, schedules and time off in its change feed (three changes per
 * practitioner), in the caller's transaction. Version 1 on every change: the clinic applies them by
 * value (writes nothing when its rows already match), so publishing twice is harmless.
 * @returns how many changes of each kind were recorded
 */
export async function publishCatalogue(
  db: CentralTx | CentralDb,
  clinicId: string,
  nowMs: number,
): Promise<CataloguePublished> {
  const people = await db
    .select()
    .from(practitioners)
    .where(eq(practitioners.clinicId, clinicId))
    .orderBy(asc(practitioners.id));
  const codes = await db
    .select()
    .from(practitionerSpecialties)
    .where(eq(practitionerSpecialties.clinicId, clinicId))
    .orderBy(asc(practitionerSpecialties.code));
  const weeks = await db
    .select()
    .from(schedules)
    .where(eq(schedules.clinicId, clinicId))
    .orderBy(asc(schedules.weekday), asc(schedules.startMin));
  const away = await db
    .select()
    .from(timeOff)
    .where(eq(timeOff.clinicId, clinicId))
    .orderBy(asc(timeOff.startsAt));
  const base = { clinicId, op: 'update' as const, version: 1, accountId: null };
  for (const p of people) {
    await recordChange(db, nowMs, {
      ...base,
      entity: 'practitioner',
      entityId: p.id,
      payload: {
        id: p.id,
        name: p.name,
        displayName: p.displayName,
        active: p.active,
        specialties: codes.filter((c) => c.practitionerId === p.id).map((c) => c.code),
      },
    });
    await recordChange(db, nowMs, {
      ...base,
      entity: 'schedule',
      entityId: p.id,
      payload: {
        practitionerId: p.id,
        blocks: weeks
          .filter((s) => s.practitionerId === p.id)
          .map((s) => ({ id: s.id, weekday: s.weekday, startMin: s.startMin, endMin: s.endMin })),
      },
    });
    await recordChange(db, nowMs, {
      ...base,
      entity: 'time_off',
      entityId: p.id,
      payload: {
        practitionerId: p.id,
        periods: away
          .filter((o) => o.practitionerId === p.id)
          .map((o) => ({ id: o.id, startsAt: o.startsAt.toISOString(), endsAt: o.endsAt.toISOString() })),
      },
    });
  }
  return { practitioners: people.length, schedules: people.length, timeOff: people.length };
}
