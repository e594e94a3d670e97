/**
 * Central's catalogue in the clinic's feed, on each driver: pairing publishes the clinic's practitioners
 * (name, active, specialty codes), their weekly schedules and time off as changes the clinic's pull
 * brings (not echoes); `publishCatalogue` called again after a change (what any future catalogue edit
 * must do) carries the new state; another clinic's pull never sees them.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { timeOff } from '../../db/schema.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, seedClinic } from '../../testing/fixtures.ts';
import { publishCatalogue } from './catalogue.ts';
import { addClinicB, CLINIC_B, pairClinic, syncClient, type Json } from './test-support.ts';

describeDrivers('sync: catalogue in the feed', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t);
    await addClinicB(t);
  });
  afterAll(async () => t.close());

  it('publishes practitioners, schedules and time off when a clinic pairs, and again on demand', async () => {
    const clinic = syncClient(t, await pairClinic(t, DEMO_CLINIC.id));
    const { body } = await clinic.pull(0);
    const of = (entity: string) => body.changes.filter((c: Json) => c.entity === entity);
    const marta = DEMO_PRACTITIONERS[0]!;
    expect(
      of('practitioner')
        .map((c: Json) => c.entityId)
        .sort(),
    ).toEqual(DEMO_PRACTITIONERS.map((p) => p.id).sort());
    expect(of('practitioner').find((c: Json) => c.entityId === marta.id).payload).toEqual({
      id: marta.id,
      name: marta.fullName,
      displayName: marta.displayName,
      active: true,
      specialties: [...marta.codes].sort(),
    });
    const week = of('schedule').find((c: Json) => c.entityId === marta.id).payload;
    expect(week.practitionerId).toBe(marta.id);
    expect(
      week.blocks
        .map((b: Json) => [b.weekday, b.startMin, b.endMin])
        .sort((a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]!),
    ).toEqual(
      marta.schedule
        .map((b) => [b.weekday, b.startMin, b.endMin])
        .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
    );
    expect(of('time_off').find((c: Json) => c.entityId === marta.id).payload).toEqual({
      practitionerId: marta.id,
      periods: [],
    });

    // A catalogue edit (here: time off added directly) followed by publishCatalogue reaches the clinic.
    const away = {
      id: uuidv7(),
      startsAt: new Date('2026-11-30T00:00:00.000Z'),
      endsAt: new Date('2026-12-05T00:00:00.000Z'),
    };
    await t.deps.db.transaction(async (tx) => {
      await tx
        .insert(timeOff)
        .values({ ...away, clinicId: DEMO_CLINIC.id, practitionerId: marta.id, reason: 'férias' });
      expect(await publishCatalogue(tx, DEMO_CLINIC.id, t.deps.now())).toEqual({
        practitioners: DEMO_PRACTITIONERS.length,
        schedules: DEMO_PRACTITIONERS.length,
        timeOff: DEMO_PRACTITIONERS.length,
      });
    });
    const next = await clinic.pull(body.cursor);
    expect(
      next.body.changes.find((c: Json) => c.entity === 'time_off' && c.entityId === marta.id).payload,
    ).toEqual({
      practitionerId: marta.id,
      periods: [{ id: away.id, startsAt: '2026-11-30T00:00:00.000Z', endsAt: '2026-12-05T00:00:00.000Z' }],
    });

    // Clinic B (no practitioners at central) pairs: an empty catalogue, and none of A's changes.
    const b = syncClient(t, await pairClinic(t, CLINIC_B));
    expect((await b.pull(0)).body.changes).toEqual([]);
  });
});
