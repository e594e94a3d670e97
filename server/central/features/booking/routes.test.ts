/**
 * Booking routes on each driver: hold → confirm, hold expiry (7.5 min), slot rules, cancel and reschedule
 * within policy, the order and change feed written with each change, emails with an .ics, no patient booked
 * twice at one time, what another patient can (not) see, and live events reaching a stream held by another central instance.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, changes, orders } from '../../db/schema.ts';
import {
  client,
  createTestCentral,
  describeDrivers,
  openSecondInstance,
  type TestCentral,
} from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, loggedInPatient, seedClinic } from '../../testing/fixtures.ts';
import { appointmentIcs } from './ics.ts';
import { applyVisitUpdate } from './visit.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const [MARTA, JOAO] = DEMO_PRACTITIONERS as [(typeof DEMO_PRACTITIONERS)[0], (typeof DEMO_PRACTITIONERS)[0]];
const NOW = '2026-11-23T09:00:00Z'; // Monday, Lisbon = UTC+0
const TUE_10 = '2026-11-24T10:00:00.000Z';

async function body(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

describeDrivers('booking routes', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
    await seedClinic(t);
  });
  afterAll(async () => t.close());

  const holdAt = (
    p: Awaited<ReturnType<typeof loggedInPatient>>,
    startsAt: string,
    practitionerId?: string,
  ) =>
    p.http.post('/api/holds', {
      clinicId: DEMO_CLINIC.id,
      specialty: 'msk_physio',
      startsAt,
      ...(practitionerId ? { practitionerId } : {}),
    });

  it('holds a slot for 7.5 minutes, confirms it into an appointment with a code, an order, a change and an email', async () => {
    const ana = await loggedInPatient(t, 'Ana Teste');
    const held = await holdAt(ana, TUE_10, MARTA.id);
    expect(held.status).toBe(201);
    const { hold } = await body(held);
    expect(hold).toMatchObject({
      expiresAt: '2026-11-23T09:07:30.000Z',
      startsAt: TUE_10,
      endsAt: '2026-11-24T10:45:00.000Z',
      practitionerId: MARTA.id,
      practitionerName: 'Dr.ª Marta Lopes',
      specialty: 'msk_physio',
      priceCents: 4500,
    });
    const res = await ana.http.post(`/api/holds/${hold.id}/confirm`);
    expect(res.status).toBe(201);
    const { appointment } = await body(res);
    expect(appointment).toMatchObject({
      id: hold.id,
      status: 'confirmed',
      clinicName: 'Clínica Fisio Demo',
      canChange: true,
      changeDeadline: '2026-11-23T10:00:00.000Z',
      paymentMode: 'pay_at_clinic',
      visit: null,
    });
    expect(appointment.bookingCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/);
    // Confirming again (a double tap) answers the same appointment, 200.
    const again = await ana.http.post(`/api/holds/${hold.id}/confirm`);
    expect(again.status).toBe(200);
    expect((await body(again)).appointment.bookingCode).toBe(appointment.bookingCode);
    const [order] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, hold.id));
    expect(order).toMatchObject({ amountCents: 4500, status: 'pending', vatRateBp: 0 });
    const feed = await t.deps.db.select().from(changes).where(eq(changes.entityId, hold.id));
    expect(feed.map((c) => [c.entity, c.op, c.clinicId])).toEqual([
      ['appointment', 'insert', DEMO_CLINIC.id],
    ]);
    const mail = t.mail.find((m) => m.to === ana.email)!;
    expect(mail.subject).toBe('Consulta marcada — Clínica Fisio Demo');
    expect(mail.text).toContain(appointment.bookingCode);
    expect(mail.attachments?.[0]?.content).toContain('DTSTART:20261124T100000Z');
    // Marta is no longer offered at 10:00; João still is.
    const avail = await body(
      await t.app.request(
        `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=msk_physio&from=2026-11-24&days=1`,
      ),
    );
    const slot = avail.days[0].slots.find((s: Json) => s.startsAt === TUE_10);
    expect(slot.practitionerIds).toEqual([JOAO.id]);
  });

  it('refuses a second hold on a held time (409) and gives "any" the other practitioner', async () => {
    const a = await loggedInPatient(t);
    const b = await loggedInPatient(t);
    const first = await holdAt(a, '2026-11-24T11:00:00.000Z', JOAO.id);
    expect(first.status).toBe(201);
    const clash = await holdAt(b, '2026-11-24T11:00:00.000Z', JOAO.id);
    expect(clash.status).toBe(409);
    expect((await body(clash)).error.code).toBe('slot_unavailable');
    const any = await holdAt(b, '2026-11-24T11:00:00.000Z');
    expect(any.status).toBe(201);
    expect((await body(any)).hold.practitionerId).toBe(MARTA.id);
    const none = await holdAt(await loggedInPatient(t), '2026-11-24T11:00:00.000Z');
    expect(none.status).toBe(409);
  });

  it('lets a hold expire after 7.5 minutes: confirm answers 410 and the time is free again', async () => {
    const a = await loggedInPatient(t);
    const b = await loggedInPatient(t);
    const { hold } = await body(await holdAt(a, '2026-11-24T15:00:00.000Z', JOAO.id));
    t.clock.advance(7.5 * 60_000);
    try {
      const late = await a.http.post(`/api/holds/${hold.id}/confirm`);
      expect(late.status).toBe(410);
      expect((await body(late)).error.code).toBe('hold_expired');
      expect((await holdAt(b, '2026-11-24T15:00:00.000Z', JOAO.id)).status).toBe(201);
      const [row] = await t.deps.db.select().from(appointments).where(eq(appointments.id, hold.id));
      expect(row!.status).toBe('expired'); // released by status, not deleted
    } finally {
      t.clock.set(NOW);
    }
  });

  it('refuses starts the availability does not offer: off the grid, outside hours, inside the notice', async () => {
    const a = await loggedInPatient(t);
    for (const startsAt of [
      '2026-11-24T10:05:00.000Z', // not on the 15-minute grid
      '2026-11-24T13:00:00.000Z', // lunch break
      '2026-11-29T10:00:00.000Z', // Sunday
      '2026-11-23T09:30:00.000Z', // within the 60-minute notice
      '2026-11-24T18:30:00.000Z', // would end after 19:00
    ]) {
      const res = await holdAt(a, startsAt);
      expect(res.status, startsAt).toBe(409);
    }
    const bad = await a.http.post('/api/holds', {
      clinicId: DEMO_CLINIC.id,
      specialty: 'yoga',
      startsAt: TUE_10,
    });
    expect(bad.status).toBe(400);
    expect((await body(bad)).error.code).toBe('validation_failed');
    // Years 0000 and 9999 and a day that does not exist are refused as input (400), not looked up (409).
    for (const startsAt of ['0000-01-01T10:00:00Z', '9999-12-31T10:00:00Z', '2026-02-30T10:00:00Z']) {
      const res = await holdAt(a, startsAt);
      expect(res.status, startsAt).toBe(400);
      expect((await body(res)).error.code, startsAt).toBe('validation_failed');
    }
    for (const from of ['0000-01-01', '9999-12-31', '2026-02-30']) {
      const res = await a.http.get(
        `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=massage&from=${from}`,
      );
      expect(res.status, from).toBe(400);
    }
  });

  it('cancels within the policy, refuses later changes with outside_policy, and lists upcoming and past', async () => {
    const a = await loggedInPatient(t);
    const { hold } = await body(await holdAt(a, '2026-11-25T09:00:00.000Z', MARTA.id));
    await a.http.post(`/api/holds/${hold.id}/confirm`);
    const { hold: h2 } = await body(await holdAt(a, '2026-11-25T10:00:00.000Z', MARTA.id));
    await a.http.post(`/api/holds/${h2.id}/confirm`);
    const cancelled = await a.http.post(`/api/me/appointments/${hold.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await body(cancelled)).appointment).toMatchObject({ status: 'cancelled', canChange: false });
    expect(t.mail.filter((m) => m.to === a.email).map((m) => m.subject)).toEqual([
      'Consulta marcada — Clínica Fisio Demo',
      'Consulta marcada — Clínica Fisio Demo',
      'Consulta cancelada — Clínica Fisio Demo',
    ]);
    t.clock.set('2026-11-24T10:00:01Z'); // 23 h 59 min 59 s before the second one
    await a.renewAccess();
    try {
      const late = await a.http.post(`/api/me/appointments/${h2.id}/cancel`);
      expect(late.status).toBe(409);
      expect(await body(late)).toMatchObject({
        error: { code: 'outside_policy', details: { cancelNoticeHours: 24 } },
      });
      const mine = await body(await a.http.get('/api/me/appointments'));
      expect(mine.upcoming.map((x: Json) => [x.startsAt, x.status, x.canChange])).toEqual([
        ['2026-11-25T09:00:00.000Z', 'cancelled', false],
        ['2026-11-25T10:00:00.000Z', 'confirmed', false],
      ]);
      expect(mine.past).toEqual([]);
      t.clock.set('2026-11-26T09:00:00Z');
      await a.renewAccess();
      const later = await body(await a.http.get('/api/me/appointments'));
      expect(later.upcoming).toEqual([]);
      expect(later.past.map((x: Json) => x.startsAt)).toEqual([
        '2026-11-25T10:00:00.000Z',
        '2026-11-25T09:00:00.000Z',
      ]);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('reschedules by holding the new slot first, keeping the order, and shows only the new appointment', async () => {
    const a = await loggedInPatient(t);
    const { hold } = await body(await holdAt(a, '2026-11-26T09:00:00.000Z', JOAO.id));
    const old = (await body(await a.http.post(`/api/holds/${hold.id}/confirm`))).appointment;
    const { hold: next } = await body(await holdAt(a, '2026-11-26T16:00:00.000Z', JOAO.id));
    const res = await a.http.post(`/api/me/appointments/${old.id}/reschedule`, { holdId: next.id });
    expect(res.status).toBe(200);
    const moved = (await body(res)).appointment;
    expect(moved).toMatchObject({ id: next.id, status: 'confirmed', startsAt: '2026-11-26T16:00:00.000Z' });
    const [oldRow] = await t.deps.db.select().from(appointments).where(eq(appointments.id, old.id));
    expect(oldRow).toMatchObject({ status: 'cancelled', cancelledBy: 'patient' });
    const [order] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, next.id));
    expect(order!.status).toBe('pending');
    const mine = await body(await a.http.get('/api/me/appointments'));
    expect(mine.upcoming.map((x: Json) => x.id)).toEqual([next.id]);
    // The old time is free again.
    expect((await holdAt(await loggedInPatient(t), '2026-11-26T09:00:00.000Z', JOAO.id)).status).toBe(201);
  });

  it('keeps a patient in one place: a time overlapping their own appointment is refused (409 appointment_overlap) unless it replaces it', async () => {
    const a = await loggedInPatient(t);
    const { hold } = await body(await holdAt(a, '2026-11-26T11:00:00.000Z', MARTA.id));
    const first = (await body(await a.http.post(`/api/holds/${hold.id}/confirm`))).appointment;
    // Another practitioner at the same time, or 30 minutes later (45-minute sessions): refused.
    for (const startsAt of ['2026-11-26T11:00:00.000Z', '2026-11-26T11:30:00.000Z']) {
      const clash = await holdAt(a, startsAt, JOAO.id);
      expect(clash.status).toBe(409);
      expect((await body(clash)).error).toMatchObject({
        code: 'appointment_overlap',
        details: { appointmentId: first.id, startsAt: '2026-11-26T11:00:00.000Z' },
      });
    }
    // Back to back is fine ([start, end) ranges), and another patient is not concerned.
    const backToBack = await holdAt(a, '2026-11-26T11:45:00.000Z', JOAO.id);
    expect(backToBack.status).toBe(201);
    await a.http.delete(`/api/holds/${(await body(backToBack)).hold.id}`);
    const other = await loggedInPatient(t);
    const otherHold = await holdAt(other, '2026-11-26T11:00:00.000Z', JOAO.id);
    expect(otherHold.status).toBe(201);
    await other.http.delete(`/api/holds/${(await body(otherHold)).hold.id}`);
    // A reschedule's hold names the appointment it replaces: its time is no clash.
    const moving = await a.http.post('/api/holds', {
      clinicId: DEMO_CLINIC.id,
      specialty: 'msk_physio',
      practitionerId: JOAO.id,
      startsAt: '2026-11-26T11:30:00.000Z',
      replaces: first.id,
    });
    expect(moving.status).toBe(201);
    const next = (await body(moving)).hold;
    // Confirming that hold as a second appointment is refused, and the hold stays held.
    const confirm = await a.http.post(`/api/holds/${next.id}/confirm`);
    expect(confirm.status).toBe(409);
    expect((await body(confirm)).error.code).toBe('appointment_overlap');
    const [heldRow] = await t.deps.db.select().from(appointments).where(eq(appointments.id, next.id));
    expect(heldRow!.status).toBe('held');
    // Moving the first appointment onto it is what it is for.
    const res = await a.http.post(`/api/me/appointments/${first.id}/reschedule`, { holdId: next.id });
    expect(res.status).toBe(200);
    const mine = await body(await a.http.get('/api/me/appointments'));
    expect(mine.upcoming.map((x: Json) => [x.id, x.startsAt, x.status])).toEqual([
      [next.id, '2026-11-26T11:30:00.000Z', 'confirmed'],
    ]);
  });

  it('books one of six same-time attempts by one patient with two practitioners at once, never two', async () => {
    const a = await loggedInPatient(t);
    const startsAt = '2026-11-25T15:00:00.000Z';
    const statuses = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (i) => {
        const held = await holdAt(a, startsAt, i % 2 ? JOAO.id : MARTA.id);
        if (held.status !== 201) return [held.status, (await body(held)).error.code];
        const res = await a.http.post(`/api/holds/${(await body(held)).hold.id}/confirm`);
        return [res.status, res.status === 201 ? 'booked' : (await body(res)).error.code];
      }),
    );
    expect(statuses.filter(([s]) => s === 201)).toEqual([[201, 'booked']]);
    // The others: overlapping the booked one, the slot held by the patient's own racing hold, or a hold
    // released by the next one.
    for (const [status, code] of statuses.filter(([s]) => s !== 201)) {
      expect([
        [409, 'appointment_overlap'],
        [409, 'slot_unavailable'],
        [410, 'hold_expired'],
      ]).toContainEqual([status, code]);
    }
    const mine = await body(await a.http.get('/api/me/appointments'));
    expect(mine.upcoming.map((x: Json) => x.startsAt)).toEqual([startsAt]);
  });

  it("serves the QR and the .ics of one's own appointment", async () => {
    const a = await loggedInPatient(t);
    const { hold } = await body(await holdAt(a, '2026-11-27T14:00:00.000Z', MARTA.id));
    const appt = (await body(await a.http.post(`/api/holds/${hold.id}/confirm`))).appointment;
    const qr = await a.http.get(`/api/me/appointments/${appt.id}/qr.svg`);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await qr.text()).toMatch(/^<svg /);
    const ics = await a.http.get(`/api/me/appointments/${appt.id}/calendar.ics`);
    expect(ics.headers.get('content-disposition')).toBe(
      `attachment; filename="consulta-${appt.bookingCode}.ics"`,
    );
    const text = await ics.text();
    expect(text).toContain('DTSTART:20261127T140000Z\r\nDTEND:20261127T144500Z\r\n');
    expect(text).toContain(`UID:${appt.id}@clinic-front-desk`);
  });

  it("never lets a patient read or change another patient's appointment or hold (404, not 403)", async () => {
    const owner = await loggedInPatient(t);
    const other = await loggedInPatient(t);
    const { hold } = await body(await holdAt(owner, '2026-11-27T09:00:00.000Z', MARTA.id));
    expect((await other.http.post(`/api/holds/${hold.id}/confirm`)).status).toBe(404);
    expect((await other.http.delete(`/api/holds/${hold.id}`)).status).toBe(404);
    await owner.http.post(`/api/holds/${hold.id}/confirm`);
    for (const path of ['', '/qr.svg', '/calendar.ics']) {
      const res = await other.http.get(`/api/me/appointments/${hold.id}${path}`);
      expect(res.status, path).toBe(404);
      expect((await body(res)).error.code).toBe('appointment_not_found');
    }
    expect((await other.http.post(`/api/me/appointments/${hold.id}/cancel`)).status).toBe(404);
    expect((await body(await other.http.get('/api/me/appointments'))).upcoming).toEqual([]);
    const anonymous = client(t);
    expect((await anonymous.get('/api/me/appointments')).status).toBe(401);
    expect(
      (
        await anonymous.post('/api/holds', {
          clinicId: DEMO_CLINIC.id,
          specialty: 'massage',
          startsAt: TUE_10,
        })
      ).status,
    ).toBe(401);
  });

  it("pushes a change made through another central instance to the patient's event stream", async () => {
    const a = await loggedInPatient(t);
    const { hold } = await body(await holdAt(a, '2026-11-27T16:00:00.000Z', JOAO.id));
    await a.http.post(`/api/holds/${hold.id}/confirm`);
    const other = await openSecondInstance(t);
    try {
      const res = await a.http.get('/api/me/events');
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${needle}`);
          text += decoder.decode(value);
        }
      };
      await readUntil('event: ready');
      const viaOther = client(other);
      for (const [k, v] of a.http.jar) viaOther.jar.set(k, v);
      expect((await viaOther.post(`/api/me/appointments/${hold.id}/cancel`)).status).toBe(200);
      await readUntil('event: appointment');
      const data = JSON.parse(text.split('event: appointment\ndata: ')[1]!.split('\n')[0]!) as Json;
      expect(data.appointment).toMatchObject({ id: hold.id, status: 'cancelled' });
      await reader.cancel();
    } finally {
      await other.close();
    }
  });

  it("pushes the day's visit state reported by the clinic (checked in, room, wait) to the stream", async () => {
    const a = await loggedInPatient(t);
    const { hold } = await body(await holdAt(a, '2026-11-27T17:00:00.000Z', JOAO.id));
    await a.http.post(`/api/holds/${hold.id}/confirm`);
    const res = await a.http.get('/api/me/events');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value);
    await applyVisitUpdate(t.deps, DEMO_CLINIC.id, hold.id, {
      status: 'arrived',
      room: 'Sala 2',
      waitMin: 10,
    });
    while (!text.includes('event: appointment')) text += decoder.decode((await reader.read()).value);
    const data = JSON.parse(text.split('event: appointment\ndata: ')[1]!.split('\n')[0]!) as Json;
    expect(data.appointment.visit).toEqual({ status: 'arrived', room: 'Sala 2', waitMin: 10 });
    await reader.cancel();
    // Another clinic can never write this clinic's rows.
    await expect(
      applyVisitUpdate(t.deps, '0d3b0c1a-1c5e-4d6f-9a51-00000000ffff', hold.id, {
        status: 'done',
        room: null,
        waitMin: null,
      }),
    ).rejects.toThrow(/no appointment/);
  });

  it('creates appointments "awaiting payment" when the clinic takes payment online', async () => {
    const online = await createTestCentral(driver, { now: NOW });
    try {
      await seedClinic(online, 'pay_online');
      const a = await loggedInPatient(online);
      const { hold } = await body(await holdAt(a, TUE_10, MARTA.id));
      const { appointment } = await body(await a.http.post(`/api/holds/${hold.id}/confirm`));
      expect(appointment).toMatchObject({ status: 'awaiting_payment', paymentMode: 'pay_online' });
    } finally {
      await online.close();
    }
  });
});

describe('ics', () => {
  it('escapes text and folds long lines at 75 octets without splitting a character', () => {
    const ics = appointmentIcs({
      uid: 'u',
      startsAt: new Date('2026-11-24T10:00:00Z'),
      endsAt: new Date('2026-11-24T10:45:00Z'),
      stampedAt: new Date('2026-11-23T09:00:00Z'),
      summary: 'Fisioterapia, músculo; esquelética',
      location: 'Rua da Prata 120, 1100-420 Lisboa — '.repeat(4),
      description: 'a\nb',
    });
    expect(ics).toContain('SUMMARY:Fisioterapia\\, músculo\\; esquelética\r\n');
    expect(ics).toContain('DESCRIPTION:a\\nb\r\n');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n /g, '')).toContain('LOCATION:Rua da Prata 120\\, 1100-420 Lisboa — Rua');
  });
});
