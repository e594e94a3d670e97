/**
 * Pull (GET /api/sync/pull) on each driver: the calling clinic's changes in seq order (bookings made
 * online, with the patient who booked; an online cancellation), paging by cursor with `limit` and `more`,
 * an empty page at the end keeping the cursor, echo suppression (changes from the clinic's own pushes
 * are in the feed, for the portal, but never pulled back), the query limits, and commit order: a change
 * whose transaction commits after a later-drawn one is still pulled (the cursor is `commit_seq`, drawn at
 * commit; on PostgreSQL, with two transactions really open at once).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordChange } from '../../db/changes.ts';
import { changes } from '../../db/schema.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, seedClinic } from '../../testing/fixtures.ts';
import {
  appointmentRow,
  bookOnline,
  entry,
  pairClinic,
  patientRow,
  syncClient,
  type Json,
} from './test-support.ts';

/** A feed change for the demo clinic (an online cancellation, as the booking service records one). */
function feedChange(entityId: string) {
  return {
    clinicId: DEMO_CLINIC.id,
    entity: 'appointment',
    entityId,
    op: 'update' as const,
    version: 2,
    accountId: null,
    payload: { id: entityId, status: 'cancelled' },
  };
}

describeDrivers('sync pull', (driver) => {
  let t: TestCentral;
  let clinic: ReturnType<typeof syncClient>;
  const booked: Json[] = [];
  const people: { id: string; name: string }[] = [];
  /** The cursor after the catalogue pairing published (catalogue.test.ts covers those changes). */
  let start = 0;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t);
    clinic = syncClient(t, await pairClinic(t, DEMO_CLINIC.id));
    start = (await clinic.pull(0, 1000)).body.cursor as number;
    expect(start).toBeGreaterThan(0);
    for (const [startsAt, name] of [
      ['2026-11-25T09:00:00.000Z', 'Ana Primeira'],
      ['2026-11-25T10:00:00.000Z', 'Bruno Segundo'],
      ['2026-11-25T11:00:00.000Z', 'Carla Terceira'],
    ] as const) {
      const { appointment, patient } = await bookOnline(t, startsAt, name);
      booked.push(appointment);
      people.push({ id: patient.id, name });
    }
    // The clinic's own pushes: a new patient, and the first booking's check-in (visit state applied).
    const pushed = await clinic.push([
      entry('patient', '0194f0c2-0000-7000-8000-00000000a0a0', 1, patientRow('Dora Balcão')),
      entry(
        'appointment',
        booked[0]!.id,
        2,
        appointmentRow({
          starts_at: booked[0]!.startsAt,
          duration_min: 45,
          status: 'arrived',
          ticket: 'A01',
        }),
      ),
    ]);
    expect(pushed.body.results.map((r: Json) => r.status)).toEqual(['applied', 'applied']);
  });
  afterAll(async () => t.close());

  it('carries bookings made online, with the patient, and an online cancellation, in seq order', async () => {
    const bruno = booked[1]!;
    const brunoClient = await bookOnline(t, '2026-11-26T09:00:00.000Z', 'Bruno Outra');
    const cancel = await brunoClient.patient.http.post(
      `/api/me/appointments/${brunoClient.appointment.id}/cancel`,
    );
    expect(cancel.status).toBe(200);
    const { status, body } = await clinic.pull(start, 1000);
    expect(status).toBe(200);
    expect(body.more).toBe(false);
    const seqs = body.changes.map((c: Json) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(body.cursor).toBe(seqs.at(-1));
    expect(
      body.changes.map((c: Json) => [c.entity, c.op, c.entityId, c.payload.status, c.payload.patient?.name]),
    ).toEqual([
      ['appointment', 'insert', booked[0]!.id, 'confirmed', 'Ana Primeira'],
      ['appointment', 'insert', bruno.id, 'confirmed', 'Bruno Segundo'],
      ['appointment', 'insert', booked[2]!.id, 'confirmed', 'Carla Terceira'],
      ['appointment', 'insert', brunoClient.appointment.id, 'confirmed', 'Bruno Outra'],
      ['appointment', 'update', brunoClient.appointment.id, 'cancelled', 'Bruno Outra'],
    ]);
    expect(body.changes[0].payload.patient).toEqual({
      id: people[0]!.id,
      name: 'Ana Primeira',
      phone: '+351912345678',
      email: `${people[0]!.id}@example.com`,
      nif: null,
      birthDate: null,
    });
    expect(body.changes[0].payload.startsAt).toBe('2026-11-25T09:00:00.000Z');
    expect(body.changes[0].payload.bookingCode).toBe(booked[0]!.bookingCode);
  });

  it("leaves out the clinic's own pushes (echo suppression) though the feed has them", async () => {
    const feed = await t.deps.db
      .select()
      .from(changes)
      .where(and(eq(changes.clinicId, DEMO_CLINIC.id)))
      .orderBy(asc(changes.commitSeq));
    const ownPushes = feed.filter(
      (c) => (c.payload as Json).source === 'clinic' || (c.payload as Json).visitStatus,
    );
    expect(ownPushes.map((c) => [c.entity, c.entityId, (c.payload as Json).visitStatus ?? null])).toEqual([
      ['patient', '0194f0c2-0000-7000-8000-00000000a0a0', null],
      ['appointment', booked[0]!.id, 'arrived'],
    ]);
    const pulled = (await clinic.pull(0, 1000)).body.changes.map((c: Json) => c.seq);
    expect(pulled).toEqual(feed.filter((c) => !ownPushes.includes(c)).map((c) => c.commitSeq));
    expect(pulled.length).toBe(feed.length - 2);
  });

  it('pages by cursor: limit per page, more until the last, then an empty page that keeps the cursor', async () => {
    const all = (await clinic.pull(start, 1000)).body.changes.map((c: Json) => c.seq);
    expect(all.length).toBe(5);
    const pages: { seqs: number[]; cursor: number; more: boolean }[] = [];
    let cursor = start;
    for (;;) {
      const { body } = await clinic.pull(cursor, 2);
      pages.push({ seqs: body.changes.map((c: Json) => c.seq), cursor: body.cursor, more: body.more });
      cursor = body.cursor;
      if (!body.more) break;
    }
    expect(pages).toEqual([
      { seqs: all.slice(0, 2), cursor: all[1], more: true },
      { seqs: all.slice(2, 4), cursor: all[3], more: true },
      { seqs: all.slice(4, 5), cursor: all[4], more: false },
    ]);
    expect((await clinic.pull(all[4], 2)).body).toEqual({ changes: [], cursor: all[4], more: false });
    expect((await clinic.pull(all[1], 1)).body.changes.map((c: Json) => c.seq)).toEqual([all[2]]);
  });

  it('refuses a limit over 1000 or a negative cursor', async () => {
    const big = await clinic.pull(0, 1001);
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('validation_failed');
    const negative = await clinic.pull(-1, 10);
    expect(negative.status).toBe(400);
    expect(negative.body.error.code).toBe('validation_failed');
  });
  it('draws the cursor (commit_seq) at commit: null inside the writing transaction, then after every earlier commit', async () => {
    const before = (await clinic.pull(0, 1000)).body.cursor as number;
    const inside = await t.deps.db.transaction(async (tx) => {
      const seq = await recordChange(tx, t.deps.now(), feedChange('0194f0c2-0000-7000-8000-00000000c0c0'));
      const [row] = await tx.select({ c: changes.commitSeq }).from(changes).where(eq(changes.seq, seq));
      return { seq, commitSeq: row!.c };
    });
    expect(inside.commitSeq).toBeNull();
    const [after] = await t.deps.db
      .select({ c: changes.commitSeq })
      .from(changes)
      .where(eq(changes.seq, inside.seq));
    expect(after!.c).toBeGreaterThan(before);
    const { body } = await clinic.pull(before, 1000);
    expect(body.changes.map((c: Json) => [c.entityId, c.seq])).toEqual([
      ['0194f0c2-0000-7000-8000-00000000c0c0', after!.c],
    ]);
  });

  if (driver === 'postgres')
    it('pulls a change whose transaction drew its seq first but committed last (no change skipped)', async () => {
      const cursor = (await clinic.pull(0, 1000)).body.cursor as number;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let drawn!: () => void;
      const early = new Promise<void>((r) => (drawn = r));
      // A: draws the lower seq, then stays open.
      const slow = t.deps.db.transaction(async (tx) => {
        await recordChange(tx, t.deps.now(), feedChange('0194f0c2-0000-7000-8000-00000000d0d1'));
        drawn();
        await held;
      });
      await early;
      // B: draws a higher seq and commits first.
      await recordChange(t.deps.db, t.deps.now(), feedChange('0194f0c2-0000-7000-8000-00000000d0d2'));
      const first = (await clinic.pull(cursor, 1000)).body;
      expect(first.changes.map((c: Json) => c.entityId)).toEqual(['0194f0c2-0000-7000-8000-00000000d0d2']);
      release();
      await slow;
      const seqs = await t.deps.db.execute(
        sql`SELECT entity_id, seq FROM changes WHERE entity_id IN ('0194f0c2-0000-7000-8000-00000000d0d1', '0194f0c2-0000-7000-8000-00000000d0d2') ORDER BY seq`,
      );
      // A really drew the lower seq: with a seq cursor, the next pull (after B's) would have skipped it.
      expect((seqs as unknown as { rows: { entity_id: string }[] }).rows.map((r) => r.entity_id)).toEqual([
        '0194f0c2-0000-7000-8000-00000000d0d1',
        '0194f0c2-0000-7000-8000-00000000d0d2',
      ]);
      const second = (await clinic.pull(first.cursor, 1000)).body;
      expect(second.changes.map((c: Json) => c.entityId)).toEqual(['0194f0c2-0000-7000-8000-00000000d0d1']);
    });
});
