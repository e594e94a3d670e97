/**
 * Medium tests of the desk's calendar through the real app: a day's columns and free slots, booking at a
 * free start (opening hours, durations, no double booking, past times), moving and cancelling, each with
 * its outbox and audit rows stamped by the injected clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentId, PatientId } from '../../../domain/ids.ts';
import { createPatient } from '../patients/repo.ts';
import type { AppointmentView } from '../appointments/repo.ts';
import { writeSettings } from '../settings/repo.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import type { CalendarDay, SlotList } from './service.ts';
import { versionOf, withVersion } from '../../testing/versions.ts';

/** Monday 23 November 2026, 10:00 in Lisbon (UTC+0 in winter). */
const NOW = Date.parse('2026-11-23T10:00:00Z');
const TOMORROW = '2026-11-24';
const at = (hhmm: string, date = TOMORROW) => `${date}T${hhmm}:00.000Z`;

let h: Harness;
let clinic: SmallClinic;
let ana: PatientId;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
  ana = createPatient(h.deps, { fullName: 'Ana Teste Silva' }, 'system').id;
});
afterEach(() => h.close());

const json = async <T>(res: Response | Promise<Response>) => {
  const r = await res;
  return { status: r.status, body: (await r.json()) as T & { error?: { code: string; details?: unknown } } };
};
const bookAt = (startsAt: string, over: Record<string, unknown> = {}) =>
  json<AppointmentView>(
    h.req('POST', '/api/calendar/appointments', {
      patientId: ana,
      specialtyId: clinic.specialties.evaluation,
      practitionerId: clinic.practitioners.marta,
      startsAt,
      ...over,
    }),
  );
const slots = async (query: Record<string, string>) =>
  (await json<SlotList>(h.req('GET', `/api/calendar/slots?${new URLSearchParams(query)}`))).body;
const martaStarts = async (date = TOMORROW) =>
  (
    await slots({
      date,
      specialtyId: clinic.specialties.evaluation,
      practitionerId: clinic.practitioners.marta,
    })
  ).slots.map((s) => s.startsAt.slice(11, 16));
const audit = (id: string) =>
  h.deps.db
    .prepare('SELECT at, actor, action, detail FROM audit_log WHERE entity_id = ? ORDER BY seq')
    .all(id) as { at: string; actor: string; action: string; detail: string }[];
const outbox = (id: string) =>
  h.deps.db
    .prepare('SELECT entity, op, version, payload, created_at FROM outbox WHERE entity_id = ?')
    .all(id) as {
    entity: string;
    op: string;
    version: number;
    payload: string;
    created_at: string;
  }[];

/**
 * The audit actor of the harness's default caller (a screen or a staff account, whichever the harness
 * signs in as), read from the audit row of a search it makes.
 */
async function callerActor(): Promise<string> {
  await h.req('GET', '/api/patients?q=zzzz');
  return (
    h.deps.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'patient.search' ORDER BY seq DESC LIMIT 1")
      .get() as { actor: string }
  ).actor;
}

/** Every 15-minute start from `first` to `last` (HH:MM, same day). */
function grid(first: string, last: string): string[] {
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  const out: string[] = [];
  for (let m = toMin(first); m <= toMin(last); m += 15)
    out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  return out;
}

describe('calendar day', () => {
  it('lists each practitioner with working hours, appointments and free slots of the asked specialty', async () => {
    await bookAt(at('09:00'));
    const { status, body } = await json<CalendarDay>(
      h.req('GET', `/api/calendar?date=${TOMORROW}&specialtyId=${clinic.specialties.massage}`),
    );
    expect(status).toBe(200);
    expect(body.date).toBe(TOMORROW);
    expect(body.now).toBe('2026-11-23T10:00:00.000Z');
    expect(body.opening).toEqual([{ startsAt: at('08:30'), endsAt: at('20:00') }]);
    expect(body.columns.map((c) => c.practitioner.displayName)).toEqual([
      'Dr. João Ferreira',
      'Dr.ª Marta Lopes',
    ]);
    const [joao, marta] = body.columns as [CalendarDay['columns'][0], CalendarDay['columns'][0]];
    expect(joao.hours).toEqual([{ startsAt: at('08:30'), endsAt: at('20:00') }]);
    // Massage (45 min) is João's only: starts 08:30 … 19:15 (the session must end by 20:00).
    expect(joao.durationMin).toBe(45);
    expect(joao.freeSlots.map((s) => s.startsAt.slice(11, 16))).toEqual(grid('08:30', '19:15'));
    expect(joao.freeSlots[0]).toEqual({ startsAt: at('08:30'), endsAt: at('09:15') });
    expect(marta.freeSlots).toEqual([]);
    expect(marta.appointments.map((a) => [a.startsAt, a.status, a.patient.fullName])).toEqual([
      [at('09:00'), 'scheduled', 'Ana Teste Silva'],
    ]);
  });

  it('sizes each column by its shortest specialty without one asked, and is empty on a closed day', async () => {
    const day = (await json<CalendarDay>(h.req('GET', `/api/calendar?date=${TOMORROW}`))).body;
    expect(day.columns.map((c) => c.durationMin)).toEqual([30, 30]);
    expect(day.columns[1]!.freeSlots).toHaveLength(grid('08:30', '19:30').length);
    // Sunday: the clinic is closed.
    const sunday = (await json<CalendarDay>(h.req('GET', '/api/calendar?date=2026-11-29'))).body;
    expect(sunday.opening).toEqual([]);
    expect(sunday.columns.map((c) => [c.hours, c.freeSlots])).toEqual([
      [[], []],
      [[], []],
    ]);
    // Today: nothing before now (10:00).
    const today = (await json<CalendarDay>(h.req('GET', '/api/calendar?date=2026-11-23'))).body;
    expect(today.columns[1]!.freeSlots[0]!.startsAt).toBe('2026-11-23T10:00:00.000Z');
  });

  it('keeps Lisbon wall-clock hours across the clocks changing: 08:30 is 07:30 UTC in summer', async () => {
    // Saturday 30 October 2027 (summer time, UTC+1) opens 09:00–13:00; Monday 1 November (UTC+0) 08:30.
    const saturday = (await json<CalendarDay>(h.req('GET', '/api/calendar?date=2027-10-30'))).body;
    expect(saturday.opening).toEqual([
      { startsAt: '2027-10-30T08:00:00.000Z', endsAt: '2027-10-30T12:00:00.000Z' },
    ]);
    const monday = (await json<CalendarDay>(h.req('GET', '/api/calendar?date=2027-11-01'))).body;
    expect(monday.opening).toEqual([
      { startsAt: '2027-11-01T08:30:00.000Z', endsAt: '2027-11-01T20:00:00.000Z' },
    ]);
    const june = await slots({ date: '2027-06-15', specialtyId: clinic.specialties.evaluation });
    expect(june.slots[0]).toEqual({
      startsAt: '2027-06-15T07:30:00.000Z',
      endsAt: '2027-06-15T08:00:00.000Z',
      practitionerIds: [clinic.practitioners.joao, clinic.practitioners.marta],
    });
    expect((await bookAt('2027-06-15T07:30:00Z')).status).toBe(201);
    expect((await bookAt('2027-06-15T06:30:00Z')).body.error?.code).toBe('outside_hours');
  });

  it('follows the opening hours the setup saved: a Sunday morning, nothing on a Tuesday', async () => {
    writeSettings(
      h.deps,
      {
        openingHours: [
          { weekday: 1, opensMin: 14 * 60, closesMin: 16 * 60 },
          { weekday: 7, opensMin: 10 * 60, closesMin: 11 * 60 },
        ],
      },
      'system',
    );
    const sunday = (await json<CalendarDay>(h.req('GET', '/api/calendar?date=2026-11-29'))).body;
    expect(sunday.opening).toEqual([
      { startsAt: '2026-11-29T10:00:00.000Z', endsAt: '2026-11-29T11:00:00.000Z' },
    ]);
    expect(sunday.columns[1]!.freeSlots.map((x) => x.startsAt.slice(11, 16))).toEqual(grid('10:00', '10:30'));
    expect((await json<CalendarDay>(h.req('GET', `/api/calendar?date=${TOMORROW}`))).body.opening).toEqual(
      [],
    );
    expect((await bookAt(at('10:00'))).body.error?.code).toBe('outside_hours');
    expect((await bookAt('2026-11-30T15:30:00Z')).status).toBe(201);
  });

  it('answers 400 for a bad date and 404 for an unknown specialty', async () => {
    expect((await json(h.req('GET', '/api/calendar?date=2026-13-01'))).body.error?.code).toBe(
      'validation_failed',
    );
    const unknown = '0190f0f0-0000-7000-8000-000000000000';
    const r = await json(h.req('GET', `/api/calendar?date=${TOMORROW}&specialtyId=${unknown}`));
    expect([r.status, r.body.error?.code]).toEqual([404, 'specialty_not_found']);
  });
});

describe('booking from the calendar', () => {
  it('books a free start with one outbox row and one audit row, and the slot is gone', async () => {
    const { status, body } = await bookAt(at('09:00'));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'scheduled',
      startsAt: at('09:00'),
      durationMin: 30,
      walkIn: false,
      version: 1,
      patient: { id: ana, fullName: 'Ana Teste Silva' },
      practitioner: { id: clinic.practitioners.marta, displayName: 'Dr.ª Marta Lopes' },
      room: { id: clinic.rooms.sala1, name: 'Sala 1' },
    });
    expect(body.bookingCode).toMatch(/^[A-Z0-9]{6}$/);
    expect(outbox(body.id).map((o) => [o.entity, o.op, o.version, o.created_at])).toEqual([
      ['appointment', 'upsert', 1, '2026-11-23T10:00:00.000Z'],
    ]);
    expect(audit(body.id)).toEqual([
      {
        at: '2026-11-23T10:00:00.000Z',
        actor: await callerActor(),
        action: 'appointment.create',
        detail: JSON.stringify({
          walkIn: false,
          via: 'calendar',
          startsAt: at('09:00'),
          practitionerId: clinic.practitioners.marta,
        }),
      },
    ]);
    // 08:45 and 09:15 would overlap the 09:00–09:30 session; 08:30 and 09:30 touch it only.
    const starts = await martaStarts();
    expect(starts.slice(0, 3)).toEqual(['08:30', '09:30', '09:45']);
    expect(starts).toHaveLength(grid('08:30', '19:30').length - 3);
  });

  it('refuses a double booking (same start or overlapping) with 409 slot_taken and writes nothing', async () => {
    const first = (await bookAt(at('09:00'))).body;
    const rows = () => h.deps.db.prepare('SELECT COUNT(*) AS n FROM appointments').get() as { n: number };
    for (const start of ['09:00', '08:45', '09:15']) {
      const r = await bookAt(at(start));
      expect([start, r.status, r.body.error?.code]).toEqual([start, 409, 'slot_taken']);
      expect(r.body.error?.details).toEqual({
        startsAt: at(start),
        practitionerId: clinic.practitioners.marta,
      });
    }
    expect(rows().n).toBe(1);
    expect(audit(first.id)).toHaveLength(1);
    // Another practitioner is free then.
    expect((await bookAt(at('09:00'), { practitionerId: clinic.practitioners.joao })).status).toBe(201);
    // Without a practitioner: the first of the specialty free at that start (João and Marta are both
    // busy at 09:00 now, so it is refused; at 10:00 the first free is João, by name).
    expect((await bookAt(at('09:00'), { practitionerId: undefined })).body.error?.code).toBe('slot_taken');
    expect((await bookAt(at('10:00'), { practitionerId: undefined })).body.practitioner.id).toBe(
      clinic.practitioners.joao,
    );
  });

  it('gives one of ten simultaneous requests for the same slot the appointment and the others 409', async () => {
    const others = [];
    for (let i = 0; i < 9; i++)
      others.push(createPatient(h.deps, { fullName: `Outro Teste ${i}` }, 'system').id);
    const answers = await Promise.all(
      [ana, ...others].map((patientId) => bookAt(at('15:00'), { patientId })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(
      h.deps.db.prepare("SELECT COUNT(*) AS n FROM appointments WHERE status = 'scheduled'").get(),
    ).toEqual({ n: 1 });
  });

  it('keeps the clinic turnover buffer free after a session', async () => {
    writeSettings(h.deps, { turnoverBufferMin: 10 }, 'system');
    await bookAt(at('09:00'));
    // 09:00–09:30 blocks until 09:40; an 08:30 session would block until 09:10, into it.
    expect((await martaStarts()).slice(0, 2)).toEqual(['09:45', '10:00']);
    expect((await bookAt(at('09:30'))).body.error?.code).toBe('slot_taken');
  });

  it('refuses the past with 422 slot_in_past and times outside hours or off the grid with 422 outside_hours', async () => {
    const past = await bookAt('2026-11-23T09:45:00Z');
    expect([past.status, past.body.error?.code]).toEqual([422, 'slot_in_past']);
    for (const startsAt of [
      at('07:00'), // before opening
      at('19:45'), // would end at 20:15, after closing
      at('09:05'), // off the 15-minute grid
      at('10:00', '2026-11-29'), // Sunday, closed
    ]) {
      const r = await bookAt(startsAt);
      expect([startsAt, r.status, r.body.error?.code]).toEqual([startsAt, 422, 'outside_hours']);
    }
    // Massage is João's; Marta does not do it.
    const wrong = await bookAt(at('11:00'), { specialtyId: clinic.specialties.massage });
    expect([wrong.status, wrong.body.error?.code]).toEqual([404, 'practitioner_not_found']);
    const nobody = await bookAt(at('11:00'), { patientId: '0190f0f0-0000-7000-8000-000000000000' });
    expect([nobody.status, nobody.body.error?.code]).toEqual([404, 'patient_not_found']);
    expect((h.deps.db.prepare('SELECT COUNT(*) AS n FROM appointments').get() as { n: number }).n).toBe(0);
  });
});

describe('moving and cancelling', () => {
  const move = (id: AppointmentId, body: Record<string, unknown>) =>
    json<AppointmentView>(
      h.req(
        'POST',
        `/api/appointments/${id}/reschedule`,
        withVersion(h.deps, `/api/appointments/${id}/reschedule`, body),
      ),
    );
  const cancel = (id: AppointmentId, body: Record<string, unknown> = {}) =>
    json<AppointmentView>(
      h.req(
        'POST',
        `/api/appointments/${id}/cancel`,
        withVersion(h.deps, `/api/appointments/${id}/cancel`, body),
      ),
    );

  it('moves to another start and practitioner (their room goes along), audited from → to', async () => {
    const a = (await bookAt(at('09:00'))).body;
    h.setNow(NOW + 60_000);
    // Overlapping its own old time is fine.
    const later = await move(a.id, { startsAt: at('09:15'), expectedVersion: 1 });
    expect([later.status, later.body.startsAt, later.body.version]).toEqual([200, at('09:15'), 2]);
    const r = await move(a.id, {
      startsAt: at('11:00', '2026-11-25'),
      practitionerId: clinic.practitioners.joao,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      startsAt: '2026-11-25T11:00:00.000Z',
      version: 3,
      practitioner: { id: clinic.practitioners.joao },
      room: { id: clinic.rooms.sala2 },
      bookingCode: a.bookingCode,
    });
    expect(audit(a.id).map((e) => [e.at, e.action, JSON.parse(e.detail)])).toEqual([
      ['2026-11-23T10:00:00.000Z', 'appointment.create', expect.any(Object)],
      ['2026-11-23T10:01:00.000Z', 'appointment.reschedule', { from: at('09:00'), to: at('09:15') }],
      [
        '2026-11-23T10:01:00.000Z',
        'appointment.reschedule',
        {
          from: at('09:15'),
          to: '2026-11-25T11:00:00.000Z',
          fromPractitionerId: clinic.practitioners.marta,
          toPractitionerId: clinic.practitioners.joao,
        },
      ],
    ]);
    // One outbox row: the newest snapshot replaces the ones not yet pushed.
    const [row] = outbox(a.id);
    expect([outbox(a.id).length, row!.version, row!.created_at]).toEqual([1, 3, '2026-11-23T10:01:00.000Z']);
    expect(JSON.parse(row!.payload)).toMatchObject({
      starts_at: '2026-11-25T11:00:00.000Z',
      practitioner_id: clinic.practitioners.joao,
      room_id: clinic.rooms.sala2,
      version: 3,
    });
    // Marta's 09:00 is free again; the slots for a move count the appointment's own time as free.
    expect((await martaStarts()).slice(0, 3)).toEqual(['08:30', '08:45', '09:00']);
    const own = await slots({
      date: '2026-11-25',
      specialtyId: clinic.specialties.evaluation,
      practitionerId: clinic.practitioners.joao,
      appointmentId: a.id,
    });
    expect(own.slots.map((s) => s.startsAt)).toContain('2026-11-25T11:00:00.000Z');
  });

  it("offers the slots of a move for the appointment's own length", async () => {
    const long = book(h.deps, clinic, 'Rui Teste Longo', 23 * 60, { durationMin: 60 }); // tomorrow 09:00
    const own = await slots({
      date: TOMORROW,
      specialtyId: clinic.specialties.evaluation,
      practitionerId: clinic.practitioners.marta,
      appointmentId: long.id,
    });
    expect(own.durationMin).toBe(60);
    expect(own.slots.map((x) => x.startsAt.slice(11, 16))).toEqual(grid('08:30', '19:00'));
    expect((await move(long.id, { startsAt: at('19:00') })).body).toMatchObject({
      startsAt: at('19:00'),
      durationMin: 60,
    });
  });

  it('refuses a move onto another appointment, into the past, of a stale version or of a visit under way', async () => {
    const a = (await bookAt(at('09:00'))).body;
    const b = (await bookAt(at('10:00'))).body;
    const taken = await move(a.id, { startsAt: at('10:15') });
    expect([taken.status, taken.body.error?.code]).toEqual([409, 'slot_taken']);
    expect((await move(a.id, { startsAt: '2026-11-23T09:00:00Z' })).body.error?.code).toBe('slot_in_past');
    expect((await move(a.id, { startsAt: at('11:00'), expectedVersion: 7 })).body.error?.code).toBe(
      'version_conflict',
    );
    await h.req('POST', `/api/appointments/${b.id}/status`, {
      expectedVersion: versionOf(h.deps, b.id),
      status: 'arrived',
    });
    const underWay = await move(b.id, { startsAt: at('12:00') });
    expect([underWay.status, underWay.body.error?.code]).toEqual([409, 'not_reschedulable']);
    expect(audit(a.id).map((e) => e.action)).toEqual(['appointment.create']);
  });

  it('cancels with the reason audited, frees the slot, and refuses a second cancel', async () => {
    const a = (await bookAt(at('09:00'))).body;
    const r = await cancel(a.id, { reason: 'Pedido do utente', expectedVersion: 1 });
    expect([r.status, r.body.status, r.body.version]).toEqual([200, 'cancelled', 2]);
    expect(audit(a.id).map((e) => [e.action, JSON.parse(e.detail)])).toEqual([
      ['appointment.create', expect.any(Object)],
      ['appointment.cancel', { from: 'scheduled', reason: 'Pedido do utente' }],
    ]);
    expect(JSON.parse(outbox(a.id)[0]!.payload)).toMatchObject({ status: 'cancelled', version: 2 });
    expect((await bookAt(at('09:00'))).status).toBe(201);
    const again = await cancel(a.id);
    expect([again.status, again.body.error?.code]).toEqual([409, 'illegal_transition']);
    const moveCancelled = await move(a.id, { startsAt: at('12:00') });
    expect(moveCancelled.body.error?.code).toBe('not_reschedulable');
    const missing = await cancel('0190f0f0-0000-7000-8000-000000000000' as AppointmentId);
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'appointment_not_found']);
  });
});
