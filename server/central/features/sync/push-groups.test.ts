/**
 * Push applies a batch in groups of `PUSH_GROUP_SIZE` entries per transaction, a savepoint per entry
 * (docs/sync.md "Push"), on each driver: a rejected entry in the middle of a group rolls back alone (the
 * others are applied, its inbox row is gone so a resend is taken again); a batch longer than a group is
 * answered in order across groups; an unexpected database error in one entry (injected with a trigger
 * on `sync_records`) rolls the group back and its entries are applied one per transaction — once each
 * when the error was transient, and when it is not, the request fails with the entries before the
 * failing one committed (a resend answers them `duplicate`) and none after it.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changes, syncInbox, syncRecords } from '../../db/schema.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, seedClinic } from '../../testing/fixtures.ts';
import { PUSH_GROUP_SIZE } from './push.ts';
import {
  addClinicB,
  CLINIC_B,
  entry,
  pairClinic,
  patientRow,
  syncClient,
  type Json,
} from './test-support.ts';

/** A patient id of this file (the last 4 hex digits vary). */
const pid = (n: number) => `0194f0c2-0000-7000-8000-00000000${(0xc000 + n).toString(16)}`;

/** Fails the first write of FLAKY's snapshot (a sequence is not rolled back) and every write of BROKEN's. */
const FLAKY = pid(900);
const BROKEN = pid(901);

describeDrivers('sync push in groups', (driver) => {
  let t: TestCentral;
  let clinic: ReturnType<typeof syncClient>;
  let clinicB: ReturnType<typeof syncClient>;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t);
    await addClinicB(t);
    clinic = syncClient(t, await pairClinic(t, DEMO_CLINIC.id));
    clinicB = syncClient(t, await pairClinic(t, CLINIC_B));
    await t.deps.db.execute(sql`CREATE SEQUENCE push_fail_once`);
    await t.deps.db.execute(
      sql.raw(`CREATE FUNCTION push_fail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.entity_id = '${FLAKY}' AND nextval('push_fail_once') = 1 THEN RAISE EXCEPTION 'injected once'; END IF;
  IF NEW.entity_id = '${BROKEN}' THEN RAISE EXCEPTION 'injected always'; END IF;
  RETURN NEW;
END $$`),
    );
    await t.deps.db.execute(
      sql`CREATE TRIGGER push_fail BEFORE INSERT OR UPDATE ON sync_records FOR EACH ROW EXECUTE FUNCTION push_fail()`,
    );
  });
  afterAll(async () => t.close());

  const statuses = (body: Json) =>
    body.results.map((r: Json) => (r.reason ? `${r.status}:${r.reason}` : r.status));
  const inboxed = async (ids: string[]) =>
    (await t.deps.db.select({ id: syncInbox.entryId }).from(syncInbox).where(inArray(syncInbox.entryId, ids)))
      .map((r) => r.id)
      .sort();
  const feedCount = async (entityIds: string[]) =>
    (
      await t.deps.db
        .select({ n: sql<number>`count(*)::int` })
        .from(changes)
        .where(inArray(changes.entityId, entityIds))
    )[0]!.n;

  it('rolls back only a rejected entry in the middle of a group; its resend is taken again', async () => {
    const theirs = entry('patient', pid(1), 1, patientRow('Da Clínica B'));
    expect(statuses((await clinicB.push([theirs])).body)).toEqual(['applied']);
    const before = entry('patient', pid(2), 1, patientRow('Antes'));
    const stolen = entry('patient', pid(1), 3, patientRow('Não é nosso'));
    const after = entry('patient', pid(3), 1, patientRow('Depois'));
    const res = await clinic.push([before, stolen, after]);
    expect(res.status).toBe(200);
    expect(statuses(res.body)).toEqual(['applied', 'rejected:belongs_to_another_clinic', 'applied']);
    expect(await inboxed([before.id, stolen.id, after.id])).toEqual([before.id, after.id].sort());
    const [kept] = await t.deps.db
      .select()
      .from(syncRecords)
      .where(eq(syncRecords.entityId, pid(1)));
    expect([kept!.clinicId, kept!.version]).toEqual([CLINIC_B, 1]);
    expect(await feedCount([pid(2), pid(3)])).toBe(2);
    const again = await clinic.push([before, stolen, after]);
    expect(statuses(again.body)).toEqual(['duplicate', 'rejected:belongs_to_another_clinic', 'duplicate']);
  });

  it('answers a batch longer than a group in order, across groups', async () => {
    const n = PUSH_GROUP_SIZE + 20;
    const batch = Array.from({ length: n }, (_, i) => entry('patient', pid(100 + i), 1, patientRow(`P${i}`)));
    // A rejection in the second group, an in-group newer version and a stale one in the first.
    batch[PUSH_GROUP_SIZE + 5] = { ...batch[PUSH_GROUP_SIZE + 5]!, entityId: pid(99) };
    batch[10] = entry('patient', pid(100), 2, patientRow('P0 v2'));
    batch[11] = entry('patient', pid(100), 2, patientRow('P0 v2 again'));
    const res = await clinic.push(batch);
    const want = batch.map(() => 'applied');
    want[PUSH_GROUP_SIZE + 5] = 'rejected:payload_id_mismatch';
    want[11] = 'stale';
    expect(statuses(res.body)).toEqual(want);
    expect(res.body.results.map((r: Json) => r.id)).toEqual(batch.map((e) => e.id));
    const [p0] = await t.deps.db
      .select()
      .from(syncRecords)
      .where(eq(syncRecords.entityId, pid(100)));
    expect(p0!.version).toBe(2);
    expect((await inboxed(batch.map((e) => e.id))).length).toBe(n - 1);
  });

  it('after an unexpected error, applies the group one entry per transaction, each once', async () => {
    const batch = [pid(201), FLAKY, pid(202)].map((id) => entry('patient', id, 1, patientRow(id)));
    const res = await clinic.push(batch);
    expect(res.status).toBe(200);
    expect(statuses(res.body)).toEqual(['applied', 'applied', 'applied']);
    expect(await inboxed(batch.map((e) => e.id))).toEqual(batch.map((e) => e.id).sort());
    expect(await feedCount([pid(201), FLAKY, pid(202)])).toBe(3);
    const again = await clinic.push(batch);
    expect(statuses(again.body)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('fails the request on an error that persists, keeping the entries before it and none after', async () => {
    const first = entry('patient', pid(301), 1, patientRow('Primeiro'));
    const broken = entry('patient', BROKEN, 1, patientRow('Avariado'));
    const last = entry('patient', pid(302), 1, patientRow('Último'));
    const res = await clinic.push([first, broken, last]);
    expect(res.status).toBe(500);
    expect(await inboxed([first.id, broken.id, last.id])).toEqual([first.id]);
    expect(await feedCount([pid(301), BROKEN, pid(302)])).toBe(1);
    const resent = await clinic.push([first, last]);
    expect(statuses(resent.body)).toEqual(['duplicate', 'applied']);
  });
});
