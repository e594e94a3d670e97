/**
 * Push (POST /api/sync/push) on each driver: idempotency by entry id (the same batch twice → all
 * 'duplicate', sync_records checksum, inbox and change feed unchanged), out-of-order batches and stale
 * versions (a version not newer than central's is 'stale'; version jumps are applied), and each conflict
 * rule: central wins for an online booking's time, practitioner and cancellation while the clinic's
 * visit state (status, room, wait) is applied; central wins for a payment already made online; an
 * erasure (at the clinic or of the portal account at central) is never undone by a clinic upsert.
 * Also per-entry rejections (unknown or face entity, payload not matching its entry, malformed
 * appointment) and the 500-entry limit.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anonymiseAccount } from '../accounts/repo.ts';
import type { ChangeNotice } from '../../db/changes.ts';
import { ChangeFanout } from '../../db/fanout.ts';
import { appointments, changes, orders, syncInbox, syncRecords } from '../../db/schema.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, seedClinic } from '../../testing/fixtures.ts';
import {
  addClinicB,
  appointmentRow,
  bookOnline,
  call,
  CLINIC_B,
  entry,
  pairClinic,
  patientRow,
  PROTOCOL,
  syncClient,
  type Json,
} from './test-support.ts';

const SALA_2 = '0d3b0c1a-1c5e-4d6f-9a51-0000000000a2';

/** Waits until `fn` is true (a NOTIFY arrives just after its transaction commits). */
async function until(fn: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeDrivers('sync push', (driver) => {
  let t: TestCentral;
  let clinic: ReturnType<typeof syncClient>;
  let credential: string;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t);
    credential = await pairClinic(t, DEMO_CLINIC.id);
    clinic = syncClient(t, credential);
  });
  afterAll(async () => t.close());

  const statuses = (body: Json) =>
    body.results.map((r: Json) => (r.reason ? `${r.status}:${r.reason}` : r.status));

  async function checksum(): Promise<string> {
    const rows = await t.deps.db.execute<{ sum: string }>(
      sql`SELECT md5(coalesce(string_agg(clinic_id::text || entity || entity_id || version::text || payload::text || coalesce(erased_at::text, ''), '|' ORDER BY entity, entity_id), '')) AS sum FROM sync_records`,
    );
    return (
      (rows as unknown as { rows?: { sum: string }[] }).rows?.[0]?.sum ??
      (rows as unknown as { sum: string }[])[0]!.sum
    );
  }
  async function count(table: 'changes' | 'sync_inbox'): Promise<number> {
    const q =
      table === 'changes'
        ? t.deps.db.select({ n: sql<number>`count(*)::int` }).from(changes)
        : t.deps.db.select({ n: sql<number>`count(*)::int` }).from(syncInbox);
    return (await q)[0]!.n;
  }
  async function record(entity: string, id: string) {
    const [r] = await t.deps.db
      .select()
      .from(syncRecords)
      .where(
        and(
          eq(syncRecords.clinicId, DEMO_CLINIC.id),
          eq(syncRecords.entity, entity),
          eq(syncRecords.entityId, id),
        ),
      );
    return r;
  }

  it('applies a batch once: the same batch again is all duplicates and changes nothing', async () => {
    const patientId = '0194f0c2-0000-7000-8000-00000000b001';
    const walkInId = '0194f0c2-0000-7000-8000-00000000b002';
    const paymentId = '0194f0c2-0000-7000-8000-00000000b003';
    const batch = [
      entry('patient', patientId, 1, patientRow('João Balcão')),
      entry(
        'appointment',
        walkInId,
        4,
        appointmentRow({
          patient_id: patientId,
          status: 'called',
          walk_in: 1,
          ticket: 'A07',
          check_in_method: 'desk',
          wait_estimate_min: 9,
        }),
      ),
      entry('payment', paymentId, 1, {
        appointment_id: walkInId,
        method: 'cash',
        amount_cents: 4500,
        receipt_year: 2026,
        receipt_seq: 1,
        received_by: 'desk',
        voided_at: null,
        void_reason: null,
      }),
      entry('room', SALA_2, 2, {
        name: 'Sala 2',
        created_at: '2026-11-01T00:00:00.000Z',
        updated_at: '2026-11-20T00:00:00.000Z',
        deleted_at: null,
      }),
      entry('practitioner_specialty', `${DEMO_PRACTITIONERS[0]!.id}:msk`, 1, {
        practitioner_id: DEMO_PRACTITIONERS[0]!.id,
        specialty_id: 'msk',
      }),
      entry('settings', 'wait_alert_min', 3, {
        key: 'wait_alert_min',
        value: 25,
        updated_at: '2026-11-22T10:00:00.000Z',
      }),
    ];
    const first = await clinic.push(batch);
    expect(first.status).toBe(200);
    expect(statuses(first.body)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    expect(first.body.results.map((r: Json) => r.id)).toEqual(batch.map((e) => e.id));
    const sum = await checksum();
    const feed = await count('changes');
    const inbox = await count('sync_inbox');
    expect(inbox).toBe(6);
    const second = await clinic.push(batch);
    expect(statuses(second.body)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(await checksum()).toBe(sum);
    expect(await count('changes')).toBe(feed);
    expect(await count('sync_inbox')).toBe(6);
    const walkIn = await record('appointment', walkInId);
    expect([walkIn!.version, walkIn!.payload.ticket, walkIn!.payload.status]).toEqual([4, 'A07', 'called']);
    const setting = await record('settings', 'wait_alert_min');
    expect([setting!.version, setting!.payload.value]).toEqual([3, 25]);
    const pay = await record('payment', paymentId);
    expect([pay!.version, pay!.payload.amount_cents]).toEqual([1, 4500]);
  });

  it('applies a batch delivered twice at the same time once; two versions racing end at the newer', async () => {
    const patientId = '0194f0c2-0000-7000-8000-00000000b101';
    const visitId = '0194f0c2-0000-7000-8000-00000000b102';
    const batch = [
      entry('patient', patientId, 1, patientRow('Luís Duas Vezes')),
      entry(
        'appointment',
        visitId,
        3,
        appointmentRow({ patient_id: patientId, status: 'arrived', ticket: 'C01' }),
      ),
    ];
    const [x, y] = await Promise.all([clinic.push(batch), clinic.push(batch)]);
    expect([...statuses(x.body), ...statuses(y.body)].sort()).toEqual([
      'applied',
      'applied',
      'duplicate',
      'duplicate',
    ]);
    const fed = await t.deps.db.select().from(changes).where(eq(changes.entityId, visitId));
    expect(fed.map((c) => [c.op, c.version])).toEqual([['insert', 3]]);
    const v4 = entry(
      'appointment',
      visitId,
      4,
      appointmentRow({ patient_id: patientId, status: 'called', ticket: 'C01' }),
    );
    const v5 = entry(
      'appointment',
      visitId,
      5,
      appointmentRow({ patient_id: patientId, status: 'in_session', ticket: 'C01' }),
    );
    const [r4, r5] = await Promise.all([clinic.push([v4]), clinic.push([v5])]);
    expect(statuses(r5.body)).toEqual(['applied']);
    expect(['applied', 'stale']).toContain(statuses(r4.body)[0]);
    const r = await record('appointment', visitId);
    expect([r!.version, r!.payload.status]).toEqual([5, 'in_session']);
  });

  it('after a lost acknowledgement, the resent batch with a newer entry is duplicate + applied', async () => {
    const visitId = '0194f0c2-0000-7000-8000-00000000b201';
    const patientId = '0194f0c2-0000-7000-8000-00000000b202';
    const e1 = entry(
      'appointment',
      visitId,
      3,
      appointmentRow({ patient_id: patientId, status: 'arrived', ticket: 'D04' }),
    );
    const e2 = entry('patient', patientId, 1, patientRow('Marco Reenviado'));
    expect(statuses((await clinic.push([e1, e2])).body)).toEqual(['applied', 'applied']);
    // The answer is lost; meanwhile the visit moved on, so the outbox replaced e1 by e1' (v4, new id).
    const e1b = entry(
      'appointment',
      visitId,
      4,
      appointmentRow({ patient_id: patientId, status: 'called', ticket: 'D04' }),
    );
    const resent = await clinic.push([e2, e1b]);
    expect(statuses(resent.body)).toEqual(['duplicate', 'applied']);
    const r = await record('appointment', visitId);
    expect([r!.version, r!.payload.status]).toEqual([4, 'called']);
    const fed = await t.deps.db.select().from(changes).where(eq(changes.entityId, patientId));
    expect(fed.length).toBe(1);
  });

  it('takes out-of-order batches and version jumps; a version not newer is stale', async () => {
    const id = '0194f0c2-0000-7000-8000-00000000c001';
    const v2 = entry(
      'appointment',
      id,
      2,
      appointmentRow({ status: 'arrived', ticket: 'A01', wait_estimate_min: 5 }),
    );
    const v5 = entry(
      'appointment',
      id,
      5,
      appointmentRow({ status: 'done', ticket: 'A01', wait_estimate_min: 5 }),
    );
    expect(statuses((await clinic.push([v5])).body)).toEqual(['applied']);
    expect(statuses((await clinic.push([v2])).body)).toEqual(['stale']);
    const sameVersion = entry('appointment', id, 5, appointmentRow({ status: 'no_show' }));
    expect(statuses((await clinic.push([sameVersion])).body)).toEqual(['stale']);
    expect((await record('appointment', id))!.payload.status).toBe('done');
    const v9 = entry(
      'appointment',
      id,
      9,
      appointmentRow({ status: 'done', ticket: 'A01', wait_estimate_min: 7 }),
    );
    expect(statuses((await clinic.push([v9, v2])).body)).toEqual(['applied', 'duplicate']);
    const r = await record('appointment', id);
    expect([r!.version, r!.payload.wait_estimate_min]).toEqual([9, 7]);
    const [inboxV2] = await t.deps.db.select().from(syncInbox).where(eq(syncInbox.entryId, v2.id));
    expect([inboxV2!.status, inboxV2!.version]).toEqual(['stale', 2]);
  });

  it("applies the clinic's visit state to an online booking (clinic wins) and tells the portal", async () => {
    const { appointment, patient } = await bookOnline(t, '2026-11-25T10:00:00.000Z', 'Inês Chegada');
    const [before] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    const heard: ChangeNotice[] = [];
    const fanout = new ChangeFanout(t.deps.database, (n) => n.accountId);
    const unsubscribe = await fanout.subscribe(patient.id, (n) => heard.push(n));
    const row = {
      starts_at: appointment.startsAt,
      duration_min: (Date.parse(appointment.endsAt) - Date.parse(appointment.startsAt)) / 60_000,
      room_id: SALA_2,
      ticket: 'B03',
      check_in_method: 'code',
      wait_estimate_min: 12,
    };
    const res = await clinic.push([
      entry('appointment', appointment.id, 2, appointmentRow({ ...row, status: 'arrived' })),
    ]);
    expect(statuses(res.body)).toEqual(['applied']);
    const [after] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect([after!.status, after!.visitStatus, after!.visitRoom, after!.waitMin, after!.version]).toEqual([
      'confirmed',
      'arrived',
      'Sala 2',
      12,
      before!.version + 1,
    ]);
    const [feed] = await t.deps.db
      .select()
      .from(changes)
      .where(eq(changes.entityId, appointment.id))
      .orderBy(sql`seq DESC`)
      .limit(1);
    expect([feed!.accountId, feed!.clinicId, feed!.payload]).toEqual([
      patient.id,
      DEMO_CLINIC.id,
      { id: appointment.id, visitStatus: 'arrived', visitRoom: 'Sala 2', waitMin: 12, ticket: 'B03' },
    ]);
    await until(() => heard.length === 1);
    unsubscribe();
    expect(heard).toEqual([
      {
        seq: feed!.seq,
        clinicId: DEMO_CLINIC.id,
        entity: 'appointment',
        entityId: appointment.id,
        accountId: patient.id,
      },
    ]);
    const called = await clinic.push([
      entry('appointment', appointment.id, 3, appointmentRow({ ...row, status: 'in_session' })),
    ]);
    expect(statuses(called.body)).toEqual(['applied']);
    const [now] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect([now!.visitStatus, now!.version]).toEqual(['in_session', before!.version + 2]);
  });

  it('keeps central’s booking when the clinic moved or cancelled it (central wins), visit state still applied', async () => {
    const { appointment } = await bookOnline(t, '2026-11-25T11:00:00.000Z', 'Rui Mudado');
    const moved = await clinic.push([
      entry(
        'appointment',
        appointment.id,
        2,
        appointmentRow({
          starts_at: '2026-11-25T15:00:00.000Z',
          duration_min: 45,
          status: 'arrived',
          wait_estimate_min: 4,
        }),
      ),
    ]);
    expect(statuses(moved.body)).toEqual(['conflict_central_wins:central_owns_booking']);
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect([a!.startsAt.toISOString(), a!.status, a!.visitStatus, a!.waitMin]).toEqual([
      '2026-11-25T11:00:00.000Z',
      'confirmed',
      'arrived',
      4,
    ]);
    const cancelledAtDesk = await clinic.push([
      entry(
        'appointment',
        appointment.id,
        3,
        appointmentRow({ starts_at: appointment.startsAt, duration_min: 45, status: 'cancelled' }),
      ),
    ]);
    expect(statuses(cancelledAtDesk.body)).toEqual(['conflict_central_wins:central_owns_booking']);
    const [b] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect([b!.status, b!.visitStatus]).toEqual(['confirmed', 'arrived']);
  });

  it('keeps an online cancellation when the clinic checked the patient in offline', async () => {
    const { appointment, patient } = await bookOnline(t, '2026-11-25T12:00:00.000Z', 'Sara Cancelou');
    const cancel = await patient.http.post(`/api/me/appointments/${appointment.id}/cancel`);
    expect(cancel.status).toBe(200);
    const res = await clinic.push([
      entry(
        'appointment',
        appointment.id,
        2,
        appointmentRow({
          starts_at: appointment.startsAt,
          duration_min: 45,
          status: 'arrived',
          ticket: 'A09',
        }),
      ),
    ]);
    expect(statuses(res.body)).toEqual(['conflict_central_wins:central_owns_booking']);
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect([a!.status, a!.cancelledBy, a!.visitStatus]).toEqual(['cancelled', 'patient', 'arrived']);
  });

  it('keeps a payment made online: a desk payment for the same visit is stored but central wins', async () => {
    const { appointment } = await bookOnline(t, '2026-11-26T10:00:00.000Z', 'Tiago Pagou');
    await t.deps.db.update(orders).set({ status: 'paid' }).where(eq(orders.appointmentId, appointment.id));
    const paymentId = '0194f0c2-0000-7000-8000-00000000d001';
    const res = await clinic.push([
      entry('payment', paymentId, 1, {
        appointment_id: appointment.id,
        method: 'card',
        amount_cents: 4500,
        voided_at: null,
        void_reason: null,
      }),
    ]);
    expect(statuses(res.body)).toEqual(['conflict_central_wins:paid_online']);
    const [order] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, appointment.id));
    expect(order!.status).toBe('paid');
    expect((await record('payment', paymentId))!.payload.amount_cents).toBe(4500);
    const voided = await clinic.push([
      entry('payment', paymentId, 2, {
        appointment_id: appointment.id,
        method: 'card',
        amount_cents: 4500,
        voided_at: '2026-11-26T10:50:00.000Z',
        void_reason: 'pago online',
      }),
    ]);
    expect(statuses(voided.body)).toEqual(['applied']);
  });

  it('never resurrects a patient erased at the clinic', async () => {
    const id = '0194f0c2-0000-7000-8000-00000000e001';
    expect(
      statuses((await clinic.push([entry('patient', id, 1, patientRow('Paula Apagada'))])).body),
    ).toEqual(['applied']);
    const erased = await clinic.push([
      entry('patient', id, 2, patientRow('deleted', '2026-11-23T09:00:00.000Z')),
    ]);
    expect(statuses(erased.body)).toEqual(['applied']);
    const r = await record('patient', id);
    expect([r!.payload, r!.erasedAt!.toISOString()]).toEqual([
      { id, version: 2, deleted_at: '2026-11-23T09:00:00.000Z' },
      '2026-11-23T09:00:00.000Z',
    ]);
    const back = await clinic.push([entry('patient', id, 3, patientRow('Paula Apagada'))]);
    expect(statuses(back.body)).toEqual(['conflict_central_wins:erased']);
    expect((await record('patient', id))!.payload).toEqual({
      id,
      version: 2,
      deleted_at: '2026-11-23T09:00:00.000Z',
    });
  });

  it('never resurrects a patient whose portal account was erased at central, and tells the clinic', async () => {
    const { patient } = await bookOnline(t, '2026-11-25T14:00:00.000Z', 'Vera Online');
    await anonymiseAccount(t.deps.db, patient.id, t.deps.now());
    const res = await clinic.push([entry('patient', patient.id, 4, patientRow('Vera Online'))]);
    expect(statuses(res.body)).toEqual(['conflict_central_wins:erased']);
    expect((await record('patient', patient.id))!.payload).toEqual({
      id: patient.id,
      version: 4,
      deleted_at: '2026-11-23T09:00:00.000Z',
    });
    const pulled = await clinic.pull(0);
    const erasure = pulled.body.changes.filter((c: Json) => c.entity === 'patient');
    expect(erasure.map((c: Json) => [c.entityId, c.op, c.payload])).toEqual([
      [patient.id, 'delete', { id: patient.id, erased: true }],
    ]);
  });

  it("takes a settings key another clinic also pushed as this clinic's own row (text keys are per clinic)", async () => {
    await addClinicB(t);
    const b = syncClient(t, await pairClinic(t, CLINIC_B));
    const mine = await clinic.push([
      entry('settings', 'masking_policy', 1, { key: 'masking_policy', value: 'initials' }),
    ]);
    expect(statuses(mine.body)).toEqual(['applied']);
    const theirs = await b.push([
      entry('settings', 'masking_policy', 1, { key: 'masking_policy', value: 'ticket' }),
      entry('settings', 'wait_alert_min', 1, { key: 'wait_alert_min', value: 25 }),
    ]);
    expect(statuses(theirs.body)).toEqual(['applied', 'applied']);
    const stored = await t.deps.db
      .select({ clinicId: syncRecords.clinicId, payload: syncRecords.payload })
      .from(syncRecords)
      .where(and(eq(syncRecords.entity, 'settings'), eq(syncRecords.entityId, 'masking_policy')));
    expect(
      stored.map((r) => [r.clinicId, (r.payload as Json).value]).sort((x, y) => x[0]!.localeCompare(y[0]!)),
    ).toEqual(
      [
        [DEMO_CLINIC.id, 'initials'],
        [CLINIC_B, 'ticket'],
      ].sort((x, y) => x[0]!.localeCompare(y[0]!)),
    );
  });

  it('rejects, per entry, what it cannot take; more than 500 entries is a 400', async () => {
    const id = '0194f0c2-0000-7000-8000-00000000f001';
    const face = entry('face_enrolment', id, 1, { patient_id: id });
    const mismatch = {
      ...entry('patient', id, 1, patientRow('X')),
      entityId: '0194f0c2-0000-7000-8000-00000000f002',
    };
    const badAppointment = entry('appointment', id, 1, appointmentRow({ status: 'teleported' }));
    const notUuid = entry('patient', 'p-1', 1, patientRow('Y'));
    const ok = entry('patient', id, 1, patientRow('Zé Certo'));
    const res = await clinic.push([face, mismatch, badAppointment, notUuid, ok]);
    expect(statuses(res.body)).toEqual([
      'rejected:unknown_entity',
      'rejected:payload_id_mismatch',
      'rejected:payload_invalid',
      'rejected:entity_id_invalid',
      'applied',
    ]);
    const [kept] = await t.deps.db.select().from(syncInbox).where(eq(syncInbox.entryId, face.id));
    expect(kept).toBe(undefined);
    const many = Array.from({ length: 501 }, (_, i) =>
      entry('settings', `k${i}`, 1, { key: `k${i}`, value: i }),
    );
    const big = await call(
      t,
      'POST',
      '/api/sync/push',
      { format: 1, entries: many },
      { ...PROTOCOL, authorization: `Bearer ${credential}` },
    );
    expect(big.status).toBe(400);
    expect(((await big.json()) as Json).error.code).toBe('validation_failed');
    const huge = entry('settings', 'huge', 1, { key: 'huge', value: 'x'.repeat(4 * 1024 * 1024) });
    const tooLarge = await call(
      t,
      'POST',
      '/api/sync/push',
      { format: 1, entries: [huge] },
      { ...PROTOCOL, authorization: `Bearer ${credential}` },
    );
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as Json).error.code).toBe('payload_too_large');
  });
});
