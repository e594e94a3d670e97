/**
 * Pull (GET /api/sync/pull) on each driver: the calling clinic's changes in seq order (bookings made
 * online, with the patient who booked; an online cancellation), paging by cursor with `limit` and `more`,
 * an empty page at the end keeping the cursor, echo suppression (changes from the clinic's own pushes
 * are in the feed, for the portal, but never pulled back), and the query limits.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
      .orderBy(asc(changes.seq));
    const ownPushes = feed.filter(
      (c) => (c.payload as Json).source === 'clinic' || (c.payload as Json).visitStatus,
    );
    expect(ownPushes.map((c) => [c.entity, c.entityId, (c.payload as Json).visitStatus ?? null])).toEqual([
      ['patient', '0194f0c2-0000-7000-8000-00000000a0a0', null],
      ['appointment', booked[0]!.id, 'arrived'],
    ]);
    const pulled = (await clinic.pull(0, 1000)).body.changes.map((c: Json) => c.seq);
    expect(pulled).toEqual(feed.filter((c) => !ownPushes.includes(c)).map((c) => c.seq));
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
});
