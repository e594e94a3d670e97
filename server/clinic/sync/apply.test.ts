/**
 * Medium tests of applying central's pulled changes to the clinic's SQLite (apply.ts), with synthetic
 * pages shaped as central's feed: an erasure (personal fields, face template and consent trail gone,
 * and a later booking payload does not bring the patient back); central wins for the booking but not
 * over a visit already under way; unknown practitioners skipped while the cursor moves on; a page that
 * fails half-way leaves nothing applied and the cursor where it was; nothing goes to the outbox. Central's
 * catalogue: an unknown practitioner is inserted with its specialties, a known one renamed and made
 * inactive; a practitioner's schedule and time off replace the clinic's copy (a replay writes nothing).
 * An online order's payment state is kept (newer version wins): the desk sees "paid online" and a desk
 * charge is refused (`paid_online`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import type { PatientId } from '../../domain/ids.ts';
import type { PulledChange } from '../../domain/sync.ts';
import { readOutbox, acknowledgeOutbox } from '../db/changes.ts';
import { encryptDescriptors } from '../face/crypto.ts';
import { upsertEnrolment } from '../features/face/repo.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { freeSlots } from '../features/calendar/service.ts';
import { paidAppointmentIds } from '../features/payments/repo.ts';
import type { PractitionerId, SpecialtyId } from '../../domain/ids.ts';
import { applyPulledPage, readPullCursor } from './apply.ts';

const NOW = Date.parse('2026-11-23T09:00:00.000Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW });
  acknowledgeOutbox(h.deps, { upToSeq: Number.MAX_SAFE_INTEGER }); // the seed's rows: as if pushed
});
afterEach(() => h.close());

let seq = 100;
/** An online booking change as central's feed carries it. */
function booking(
  id: string,
  patientId: string,
  over: Record<string, unknown> = {},
  op: 'insert' | 'update' = 'insert',
): PulledChange {
  seq += 1;
  return {
    seq,
    entity: 'appointment',
    entityId: id,
    op,
    version: 1,
    payload: {
      id,
      practitionerId: DEMO_PRACTITIONERS[0]!.id,
      accountId: patientId,
      specialty: 'msk_physio',
      startsAt: '2026-11-25T10:00:00.000Z',
      endsAt: '2026-11-25T10:45:00.000Z',
      status: 'confirmed',
      bookingCode: 'K7M2QX',
      rescheduledFrom: null,
      version: 1,
      patient: {
        id: patientId,
        name: 'Rita Online',
        phone: '+351912000111',
        email: 'r@example.com',
        nif: null,
        birthDate: null,
      },
      ...over,
    },
    createdAt: '2026-11-23T09:00:00.000Z',
  };
}

const row = (table: string, id: string) =>
  h.deps.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>;

describe('applying a pulled page', () => {
  it('erases a patient: fields cleared, face template and consent trail deleted, and it stays erased', () => {
    const patientId = uuidv7() as PatientId;
    const appointmentId = uuidv7();
    applyPulledPage(h.deps, [booking(appointmentId, patientId)], 101);
    upsertEnrolment(h.deps, {
      patientId,
      blob: encryptDescriptors(h.deps.faceKey, patientId, [new Float32Array(128).fill(0.1)]),
      sampleCount: 1,
      modelId: 'test-model',
      consentBy: 'desk',
    });
    acknowledgeOutbox(h.deps, { upToSeq: Number.MAX_SAFE_INTEGER });
    const erased = applyPulledPage(
      h.deps,
      [
        {
          seq: 200,
          entity: 'patient',
          entityId: patientId,
          op: 'delete',
          version: 2,
          payload: { id: patientId, erased: true },
          createdAt: '2026-11-23T09:00:00.000Z',
        },
      ],
      200,
    );
    expect(erased.erased).toEqual([patientId]);
    expect(row('patients', patientId)).toMatchObject({
      full_name: '',
      phone: null,
      email: null,
      nif: null,
      birth_date: null,
      deleted_at: '2026-11-23T09:00:00.000Z',
      version: 2,
    });
    const count = (sql: string) => (h.deps.db.prepare(sql).get(patientId) as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM face_enrolments WHERE patient_id = ?')).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM face_consent_events WHERE patient_id = ?')).toBe(0);
    // A later booking change still naming the patient does not bring the data back.
    applyPulledPage(h.deps, [booking(appointmentId, patientId, { status: 'cancelled' }, 'update')], 201);
    expect(row('patients', patientId)).toMatchObject({
      full_name: '',
      phone: null,
      deleted_at: expect.any(String),
    });
    expect(row('appointments', appointmentId)).toMatchObject({ status: 'cancelled' });
    expect(readOutbox(h.deps)).toEqual([]);
    expect(readPullCursor(h.deps)).toBe(201);
  });

  it('central wins for the booking (moved, cancelled) but not over a visit already under way', () => {
    const a = uuidv7();
    const b = uuidv7();
    applyPulledPage(h.deps, [booking(a, uuidv7()), booking(b, uuidv7(), { bookingCode: 'P3R4T5' })], 102);
    // Moved online: start and length follow central.
    applyPulledPage(
      h.deps,
      [
        booking(
          a,
          row('appointments', a).patient_id as string,
          { startsAt: '2026-11-25T11:00:00.000Z', endsAt: '2026-11-25T12:00:00.000Z' },
          'update',
        ),
      ],
      103,
    );
    expect(row('appointments', a)).toMatchObject({
      starts_at: '2026-11-25T11:00:00.000Z',
      duration_min: 60,
      version: 2,
      status: 'scheduled',
    });
    // b is in session at the clinic when central's cancellation arrives: the clinic's visit state stays.
    h.deps.db.prepare("UPDATE appointments SET status = 'in_session' WHERE id = ?").run(b);
    applyPulledPage(
      h.deps,
      [
        booking(a, row('appointments', a).patient_id as string, { status: 'cancelled' }, 'update'),
        booking(
          b,
          row('appointments', b).patient_id as string,
          { status: 'cancelled', bookingCode: 'P3R4T5' },
          'update',
        ),
      ],
      104,
    );
    expect(row('appointments', a)).toMatchObject({ status: 'cancelled' });
    expect(row('appointments', b)).toMatchObject({ status: 'in_session' });
    expect(readOutbox(h.deps)).toEqual([]);
  });

  it('skips what it cannot map (unknown practitioner, an order change without its fields) and moves the cursor on', () => {
    const result = applyPulledPage(
      h.deps,
      [
        booking(uuidv7(), uuidv7(), { practitionerId: uuidv7() }),
        {
          seq: 300,
          entity: 'order',
          entityId: uuidv7(),
          op: 'update',
          version: 2,
          payload: { status: 'paid' },
          createdAt: '2026-11-23T09:00:00.000Z',
        },
      ],
      300,
    );
    expect(result).toMatchObject({ appointments: [], skipped: 2 });
    expect(readPullCursor(h.deps)).toBe(300);
  });

  it("keeps an online order's payment state: the desk sees it paid online and refuses to charge again", async () => {
    const id = uuidv7();
    const orderId = uuidv7();
    const order = (version: number, status: string, extra: Record<string, unknown> = {}): PulledChange => ({
      seq: (seq += 1),
      entity: 'order',
      entityId: orderId,
      op: 'update',
      version,
      payload: { appointmentId: id, status, amountCents: 4500, paidAt: null, ...extra },
      createdAt: '2026-11-23T09:00:00.000Z',
    });
    applyPulledPage(
      h.deps,
      [booking(id, uuidv7(), { status: 'awaiting_payment' }), order(1, 'pending')],
      seq,
    );
    const pending = await (await h.req('GET', `/api/appointments/${id}/payment`)).json();
    expect(pending).toMatchObject({
      status: 'unpaid',
      payment: null,
      online: { status: 'pending', amountCents: 4500, method: null, paidAt: null },
    });
    const paid = order(3, 'paid', {
      paidAt: '2026-11-23T09:05:00.000Z',
      payment: { method: 'mbway', status: 'paid' },
    });
    const result = applyPulledPage(h.deps, [paid, order(2, 'pending')], seq);
    expect(result.appointments).toEqual([id]); // the board hears it; the older version changes nothing
    expect(
      h.deps.db.prepare('SELECT status, method, version FROM online_orders WHERE order_id = ?').get(orderId),
    ).toEqual({
      status: 'paid',
      method: 'mbway',
      version: 3,
    });
    expect(applyPulledPage(h.deps, [paid], seq).appointments).toEqual([]); // a replay writes nothing
    const status = await (await h.req('GET', `/api/appointments/${id}/payment`)).json();
    expect(status).toMatchObject({
      status: 'paid',
      payment: null,
      online: { status: 'paid', amountCents: 4500, method: 'mbway', paidAt: '2026-11-23T09:05:00.000Z' },
    });
    const charge = await h.req('POST', `/api/appointments/${id}/payments`, {
      method: 'cash',
      amountCents: 4500,
    });
    expect(charge.status).toBe(409);
    expect(((await charge.json()) as { error: { code: string } }).error.code).toBe('paid_online');
    expect(h.deps.db.prepare('SELECT COUNT(*) AS n FROM payments WHERE appointment_id = ?').get(id)).toEqual({
      n: 0,
    });
    expect(paidAppointmentIds(h.deps, [id])).toEqual(new Set([id]));
    expect(readOutbox(h.deps, { afterSeq: 0, limit: 100 }).filter((e) => e.entity === 'payment')).toEqual([]);
  });

  it('a page that fails half-way applies nothing and keeps the cursor (it is replayed whole)', () => {
    applyPulledPage(h.deps, [], 50);
    h.deps.db.exec(
      "CREATE TEMP TRIGGER crash BEFORE INSERT ON appointments WHEN NEW.booking_code = 'CRASH1' BEGIN SELECT RAISE(ABORT, 'crash'); END",
    );
    const first = uuidv7();
    const patient = uuidv7();
    const page = [
      booking(first, patient, { bookingCode: 'FINE22' }),
      booking(uuidv7(), uuidv7(), { bookingCode: 'CRASH1' }),
    ];
    expect(() => applyPulledPage(h.deps, page, 400)).toThrow('crash');
    expect(readPullCursor(h.deps)).toBe(50);
    expect(h.deps.db.prepare('SELECT id FROM appointments WHERE id = ?').get(first)).toBeUndefined();
    expect(h.deps.db.prepare('SELECT id FROM patients WHERE id = ?').get(patient)).toBeUndefined();
    h.deps.db.exec('DROP TRIGGER crash');
    applyPulledPage(h.deps, page, 400);
    applyPulledPage(h.deps, page, 400); // replayed again (a crash after the commit): nothing doubled
    expect(readPullCursor(h.deps)).toBe(400);
    expect(row('appointments', first)).toMatchObject({ version: 1, status: 'scheduled' });
    expect(readOutbox(h.deps)).toEqual([]);
  });

  it("applies central's catalogue: practitioners, their week and time off, without the outbox", () => {
    const marta = DEMO_PRACTITIONERS[0]!.id;
    const newcomer = uuidv7();
    const change = (entity: string, entityId: string, payload: Record<string, unknown>): PulledChange => {
      seq += 1;
      return {
        seq,
        entity,
        entityId,
        op: 'update',
        version: 1,
        payload,
        createdAt: '2026-11-23T09:00:00.000Z',
      };
    };
    const block = (weekday: number, startMin: number, endMin: number) => ({
      id: uuidv7(),
      weekday,
      startMin,
      endMin,
    });
    const monday = block(1, 540, 780);
    const page = [
      change('practitioner', newcomer, {
        id: newcomer,
        name: 'Carla Nova',
        displayName: 'Dr.ª Carla Nova',
        active: true,
        specialties: ['massage', 'not_a_code'],
      }),
      change('schedule', newcomer, { practitionerId: newcomer, blocks: [monday, block(3, 840, 1140)] }),
      change('practitioner', marta, {
        id: marta,
        name: 'Marta Lopes Silva',
        displayName: 'Dr.ª Marta Silva',
        active: false,
        specialties: ['msk_physio'],
      }),
      change('time_off', marta, {
        practitionerId: marta,
        periods: [{ id: uuidv7(), startsAt: '2026-11-30T00:00:00.000Z', endsAt: '2026-12-05T00:00:00.000Z' }],
      }),
      change('schedule', marta, { practitionerId: uuidv7(), blocks: [] }), // names another practitioner
    ];
    const result = applyPulledPage(h.deps, page, 900);
    expect(result).toMatchObject({ practitioners: [newcomer, marta], skipped: 1 });
    expect(row('practitioners', newcomer)).toMatchObject({
      full_name: 'Carla Nova',
      display_name: 'Dr.ª Carla Nova',
      deleted_at: null,
      version: 1,
    });
    const links = h.deps.db
      .prepare(
        'SELECT s.code FROM practitioner_specialties ps JOIN specialties s ON s.id = ps.specialty_id WHERE ps.practitioner_id = ?',
      )
      .all(newcomer);
    expect(links).toEqual([{ code: 'massage' }]);
    expect(row('practitioners', marta)).toMatchObject({
      full_name: 'Marta Lopes Silva',
      display_name: 'Dr.ª Marta Silva',
      deleted_at: '2026-11-23T09:00:00.000Z',
    });
    const week = () =>
      h.deps.db
        .prepare(
          'SELECT weekday, start_min, end_min FROM practitioner_schedules WHERE practitioner_id = ? ORDER BY weekday',
        )
        .all(newcomer);
    expect(week()).toEqual([
      { weekday: 1, start_min: 540, end_min: 780 },
      { weekday: 3, start_min: 840, end_min: 1140 },
    ]);
    expect(
      h.deps.db
        .prepare('SELECT starts_at, ends_at FROM practitioner_time_off WHERE practitioner_id = ?')
        .all(marta),
    ).toEqual([{ starts_at: '2026-11-30T00:00:00.000Z', ends_at: '2026-12-05T00:00:00.000Z' }]);
    // Replayed: nothing written. A new week without Wednesday replaces the old one.
    expect(applyPulledPage(h.deps, page, 900)).toMatchObject({ practitioners: [] });
    applyPulledPage(
      h.deps,
      [change('schedule', newcomer, { practitionerId: newcomer, blocks: [monday] })],
      901,
    );
    expect(week()).toEqual([{ weekday: 1, start_min: 540, end_min: 780 }]);
    expect(readOutbox(h.deps)).toEqual([]);
  });

  it("the desk calendar offers a practitioner's time from central's week, minus central's time off", () => {
    const marta = DEMO_PRACTITIONERS[0]!.id;
    const specialtyId = (
      h.deps.db.prepare("SELECT id FROM specialties WHERE code = 'msk_physio'").get() as { id: SpecialtyId }
    ).id;
    const starts = (date: string) =>
      freeSlots(h.deps, { date, specialtyId, practitionerId: marta as PractitionerId }).slots.map(
        (s) => s.startsAt,
      );
    expect(starts('2026-12-01').length).toBeGreaterThan(0); // Tuesday: the demo week before central's
    applyPulledPage(
      h.deps,
      [
        {
          seq: 950,
          entity: 'schedule',
          entityId: marta,
          op: 'update',
          version: 1,
          payload: {
            practitionerId: marta,
            blocks: [{ id: uuidv7(), weekday: 1, startMin: 540, endMin: 720 }],
          },
          createdAt: '2026-11-23T09:00:00.000Z',
        },
        {
          seq: 951,
          entity: 'time_off',
          entityId: marta,
          op: 'update',
          version: 1,
          payload: {
            practitionerId: marta,
            periods: [
              { id: uuidv7(), startsAt: '2026-11-30T10:00:00.000Z', endsAt: '2026-11-30T11:00:00.000Z' },
            ],
          },
          createdAt: '2026-11-23T09:00:00.000Z',
        },
      ],
      951,
    );
    expect(starts('2026-12-01')).toEqual([]); // central's week has no Tuesday
    const monday = starts('2026-11-30'); // Lisbon is UTC in winter: 09:00–12:00, away 10:00–11:00
    expect(monday[0]).toBe('2026-11-30T09:00:00.000Z');
    expect(monday.some((s) => s >= '2026-11-30T11:00:00.000Z' && s < '2026-11-30T12:00:00.000Z')).toBe(true);
    expect(monday.filter((s) => s >= '2026-11-30T09:30:00.000Z' && s < '2026-11-30T11:00:00.000Z')).toEqual(
      [],
    );
    expect(monday.every((s) => s < '2026-11-30T12:00:00.000Z')).toBe(true);
  });
});
