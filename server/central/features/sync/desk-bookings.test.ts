/**
 * Desk bookings into central's appointments (docs/sync.md "Conflict rules"), on each driver: a desk
 * booking the clinic pushes is inserted (source 'clinic', specialty code and price from the clinic's
 * pushed specialty, pay at clinic) under the practitioner's lock, so the availability route stops
 * offering it and an online hold of it is refused 409; moves and cancellations pushed later follow it;
 * a slot an online booking took first is answered 'conflict_central_wins' 'slot_taken' with only the
 * snapshot kept, while an overlap with the clinic's own desk bookings only is 'applied'
 * ('overlaps_desk_booking', snapshot kept: patients seen in parallel); a booking code central already uses is replaced; a walk-in stays a snapshot; the
 * clinic's own pull never brings its desk bookings back (echo suppression).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appointments, syncRecords } from '../../db/schema.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, loggedInPatient, seedClinic } from '../../testing/fixtures.ts';
import {
  appointmentRow,
  bookOnline,
  entry,
  pairClinic,
  patientRow,
  syncClient,
  type Json,
} from './test-support.ts';

const MARTA = DEMO_PRACTITIONERS[0]!.id;
const MSK = '0194f0c2-0000-7000-8000-0000000051c1';
const SPECIALTY = {
  code: 'msk_physio',
  name_pt: 'Fisioterapia',
  name_en: 'Physiotherapy',
  default_duration_min: 45,
  price_cents: 3900,
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  deleted_at: null,
};

describeDrivers('sync push: desk bookings', (driver) => {
  let t: TestCentral;
  let clinic: ReturnType<typeof syncClient>;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t);
    clinic = syncClient(t, await pairClinic(t, DEMO_CLINIC.id));
    const res = await clinic.push([entry('specialty', MSK, 1, SPECIALTY)]);
    expect(res.body.results[0].status).toBe('applied');
  });
  afterAll(async () => t.close());

  const statuses = (body: Json) =>
    body.results.map((r: Json) => (r.reason ? `${r.status}:${r.reason}` : r.status));
  const central = async (id: string) =>
    (await t.deps.db.select().from(appointments).where(eq(appointments.id, id)))[0];
  /** Marta's offered starts on `day` (YYYY-MM-DD) for msk_physio. */
  async function martaOffers(day: string): Promise<string[]> {
    const res = await t.app.request(
      `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=msk_physio&from=${day}&days=1&practitionerId=${MARTA}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    return body.days[0].slots
      .filter((s: Json) => s.practitionerIds.includes(MARTA))
      .map((s: Json) => s.startsAt as string);
  }
  /** An online hold of Marta at `startsAt` by a new patient: the HTTP status and error code. */
  async function holdOnline(startsAt: string): Promise<[number, string | undefined]> {
    const p = await loggedInPatient(t, 'Outra Pessoa');
    const res = await p.http.post('/api/holds', {
      clinicId: DEMO_CLINIC.id,
      specialty: 'msk_physio',
      startsAt,
      practitionerId: MARTA,
    });
    const body = (await res.json()) as Json;
    return [res.status, body.error?.code];
  }

  it('inserts a desk booking so the slot is no longer offered online (409), and never echoes it', async () => {
    const patientId = '0194f0c2-0000-7000-8000-0000000d0001';
    const id = '0194f0c2-0000-7000-8000-0000000d0002';
    const at = '2026-11-25T16:00:00.000Z';
    expect(await martaOffers('2026-11-25')).toContain(at);
    const before = await clinic.pull(0);
    const res = await clinic.push([
      entry('patient', patientId, 1, patientRow('Ana Balcão')),
      entry(
        'appointment',
        id,
        1,
        appointmentRow({
          patient_id: patientId,
          specialty_id: MSK,
          starts_at: at,
          duration_min: 45,
          booking_code: 'DSK001',
        }),
      ),
    ]);
    expect(statuses(res.body)).toEqual(['applied', 'applied']);
    const row = await central(id);
    expect(row).toMatchObject({
      clinicId: DEMO_CLINIC.id,
      practitionerId: MARTA,
      accountId: null,
      clinicPatientId: patientId,
      specialty: 'msk_physio',
      status: 'confirmed',
      bookingCode: 'DSK001',
      priceCents: 3900,
      paymentMode: 'pay_at_clinic',
      source: 'clinic',
      visitStatus: null,
    });
    expect([row!.startsAt.toISOString(), row!.endsAt.toISOString()]).toEqual([
      at,
      '2026-11-25T16:45:00.000Z',
    ]);
    const offered = await martaOffers('2026-11-25');
    expect(offered).not.toContain(at);
    expect(offered).not.toContain('2026-11-25T16:30:00.000Z');
    expect(await holdOnline(at)).toEqual([409, 'slot_unavailable']);
    const after = await clinic.pull(before.body.cursor);
    expect(after.body.changes.filter((c: Json) => c.entityId === id)).toEqual([]);
  });

  it('follows a desk move and a desk cancellation; a stale version changes nothing', async () => {
    const id = '0194f0c2-0000-7000-8000-0000000d0102';
    const base = { specialty_id: MSK, duration_min: 45, booking_code: 'DSK002' };
    const v1 = entry(
      'appointment',
      id,
      1,
      appointmentRow({ ...base, starts_at: '2026-11-26T10:00:00.000Z' }),
    );
    expect(statuses((await clinic.push([v1])).body)).toEqual(['applied']);
    expect(await martaOffers('2026-11-26')).not.toContain('2026-11-26T10:00:00.000Z');
    const moved = entry(
      'appointment',
      id,
      2,
      appointmentRow({ ...base, starts_at: '2026-11-26T15:00:00.000Z', duration_min: 60 }),
    );
    expect(statuses((await clinic.push([moved])).body)).toEqual(['applied']);
    const row = await central(id);
    expect([row!.startsAt.toISOString(), row!.endsAt.toISOString(), row!.status, row!.version]).toEqual([
      '2026-11-26T15:00:00.000Z',
      '2026-11-26T16:00:00.000Z',
      'confirmed',
      2,
    ]);
    const offered = await martaOffers('2026-11-26');
    expect(offered).toContain('2026-11-26T10:00:00.000Z');
    expect(offered).not.toContain('2026-11-26T15:00:00.000Z');
    const arrived = entry(
      'appointment',
      id,
      4,
      appointmentRow({
        ...base,
        starts_at: '2026-11-26T15:00:00.000Z',
        duration_min: 60,
        status: 'arrived',
        wait_estimate_min: 6,
      }),
    );
    expect(statuses((await clinic.push([arrived])).body)).toEqual(['applied']);
    expect(await central(id)).toMatchObject({
      status: 'confirmed',
      visitStatus: 'arrived',
      visitRoom: 'Sala 1',
      waitMin: 6,
    });
    const cancelled = entry(
      'appointment',
      id,
      5,
      appointmentRow({
        ...base,
        starts_at: '2026-11-26T15:00:00.000Z',
        duration_min: 60,
        status: 'cancelled',
      }),
    );
    expect(statuses((await clinic.push([cancelled, moved])).body)).toEqual(['applied', 'duplicate']);
    const again = entry(
      'appointment',
      id,
      3,
      appointmentRow({ ...base, starts_at: '2026-11-26T17:00:00.000Z' }),
    );
    expect(statuses((await clinic.push([again])).body)).toEqual(['stale']);
    const end = await central(id);
    expect([end!.status, end!.cancelledBy, end!.startsAt.toISOString()]).toEqual([
      'cancelled',
      'clinic',
      '2026-11-26T15:00:00.000Z',
    ]);
    expect(await martaOffers('2026-11-26')).toContain('2026-11-26T15:00:00.000Z');
  });

  it('keeps an online booking made while the clinic was offline: slot_taken, only the snapshot kept', async () => {
    const { appointment } = await bookOnline(t, '2026-11-25T11:00:00.000Z', 'Rita Primeiro');
    const before = await central(appointment.id);
    const id = '0194f0c2-0000-7000-8000-0000000d0202';
    const res = await clinic.push([
      entry(
        'appointment',
        id,
        1,
        appointmentRow({
          specialty_id: MSK,
          starts_at: '2026-11-25T11:15:00.000Z',
          duration_min: 45,
          booking_code: 'DSK003',
        }),
      ),
    ]);
    expect(statuses(res.body)).toEqual(['conflict_central_wins:slot_taken']);
    expect(await central(id)).toBeUndefined();
    expect(await central(appointment.id)).toEqual(before);
    const [record] = await t.deps.db
      .select()
      .from(syncRecords)
      .where(and(eq(syncRecords.entity, 'appointment'), eq(syncRecords.entityId, id)));
    expect([record!.version, record!.payload.booking_code]).toEqual([1, 'DSK003']);
    // A desk move onto the online booking's time is refused the same way and leaves the row where it was.
    const other = '0194f0c2-0000-7000-8000-0000000d0203';
    const at = { specialty_id: MSK, duration_min: 45, booking_code: 'DSK004' };
    await clinic.push([
      entry('appointment', other, 1, appointmentRow({ ...at, starts_at: '2026-11-25T09:00:00.000Z' })),
    ]);
    const clash = await clinic.push([
      entry('appointment', other, 2, appointmentRow({ ...at, starts_at: '2026-11-25T11:00:00.000Z' })),
    ]);
    expect(statuses(clash.body)).toEqual(['conflict_central_wins:slot_taken']);
    expect((await central(other))!.startsAt.toISOString()).toBe('2026-11-25T09:00:00.000Z');
  });

  it("takes a desk booking that overlaps only the clinic's own desk bookings (patients seen in parallel)", async () => {
    const at = { specialty_id: MSK, duration_min: 45 };
    const first = '0194f0c2-0000-7000-8000-0000000d0401';
    const parallel = '0194f0c2-0000-7000-8000-0000000d0402';
    const res = await clinic.push([
      entry(
        'appointment',
        first,
        1,
        appointmentRow({ ...at, starts_at: '2026-11-26T09:00:00.000Z', booking_code: 'PAR001' }),
      ),
      entry(
        'appointment',
        parallel,
        1,
        appointmentRow({ ...at, starts_at: '2026-11-26T09:15:00.000Z', booking_code: 'PAR002' }),
      ),
    ]);
    // Not a conflict for staff: the clinic chose to see both; the time is blocked online by the first.
    expect(statuses(res.body)).toEqual(['applied', 'applied:overlaps_desk_booking']);
    expect((await central(first))!.status).toBe('confirmed');
    expect(await central(parallel)).toBeUndefined();
    const [record] = await t.deps.db
      .select()
      .from(syncRecords)
      .where(and(eq(syncRecords.entity, 'appointment'), eq(syncRecords.entityId, parallel)));
    expect(record!.payload.booking_code).toBe('PAR002');
    expect(await martaOffers('2026-11-26')).not.toContain('2026-11-26T09:15:00.000Z');
  });

  it('links a portal patient, replaces a code central already uses, and leaves walk-ins as snapshots', async () => {
    const { appointment, patient } = await bookOnline(t, '2026-11-27T09:00:00.000Z', 'Sofia Portal');
    const id = '0194f0c2-0000-7000-8000-0000000d0302';
    const res = await clinic.push([
      entry(
        'appointment',
        id,
        1,
        appointmentRow({
          patient_id: patient.id,
          specialty_id: MSK,
          starts_at: '2026-11-27T14:00:00.000Z',
          booking_code: appointment.bookingCode,
        }),
      ),
    ]);
    expect(statuses(res.body)).toEqual(['applied']);
    const row = await central(id);
    expect(row!.accountId).toBe(patient.id);
    expect(row!.bookingCode).not.toBe(appointment.bookingCode);
    expect(row!.bookingCode).toMatch(/^[A-Z0-9]{6}$/);
    const mine = (await (await patient.http.get('/api/me/appointments')).json()) as Json;
    expect(mine.upcoming.map((a: Json) => a.id)).toContain(id);
    const walkIn = '0194f0c2-0000-7000-8000-0000000d0303';
    const w = await clinic.push([
      entry(
        'appointment',
        walkIn,
        2,
        appointmentRow({
          specialty_id: MSK,
          starts_at: '2026-11-23T09:00:00.000Z',
          walk_in: 1,
          status: 'arrived',
        }),
      ),
    ]);
    expect(statuses(w.body)).toEqual(['applied']);
    expect(await central(walkIn)).toBeUndefined();
  });
});
