/**
 * Medium tests of the visit workflow through the HTTP API on a fresh SQLite with the small test clinic
 * (server/clinic/testing/fixtures.ts), so tickets, waits and queue order are asserted exactly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import type { Board, BoardAppointment } from './service.ts';
import { withVersion } from '../../testing/versions.ts';

// A fixed clinic moment: Saturday 21 Nov 2026, 10:00 in Lisbon (UTC+0 in winter).
const NOW = Date.parse('2026-11-21T10:00:00Z');
const at = (min: number) => new Date(NOW + min * 60_000).toISOString();

let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

const count = (table: string) =>
  (h.deps.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

async function setStatus(id: string, body: Record<string, unknown>) {
  const res = await h.req(
    'POST',
    `/api/appointments/${id}/status`,
    withVersion(h.deps, `/api/appointments/${id}/status`, body),
  );
  return { status: res.status, body: (await res.json()) as BoardAppointment & { error?: { code: string } } };
}

function outboxFor(id: string) {
  return (
    h.deps.db.prepare('SELECT version, payload FROM outbox WHERE entity_id = ? ORDER BY seq').all(id) as {
      version: number;
      payload: string;
    }[]
  ).map((r) => ({ version: r.version, row: JSON.parse(r.payload) as Record<string, unknown> }));
}

describe('visit workflow', () => {
  it('walks the state machine with one version, outbox snapshot and audit row per move, stamped by the clock', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 15);
    const outbox0 = count('outbox');
    const audit0 = count('audit_log');

    const illegal = await setStatus(a.id, { status: 'in_session' });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({
      error: { code: 'illegal_transition', details: { from: 'scheduled', to: 'in_session' } },
    });
    expect(count('outbox')).toBe(outbox0);

    const steps = [
      ['arrived', 1],
      ['called', 2],
      ['in_session', 3],
      ['done', 4],
    ] as const;
    // Each move replaces the appointment's queued snapshot (only the newest version needs to travel).
    const queued = [outboxFor(a.id).map((o) => [o.version, o.row.status])];
    for (const [status, minutes] of steps) {
      h.setNow(NOW + minutes * 60_000);
      const res = await setStatus(a.id, { status });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(status);
      queued.push(outboxFor(a.id).map((o) => [o.version, o.row.status]));
    }
    expect(count('outbox')).toBe(outbox0);
    expect(count('audit_log')).toBe(audit0 + 4);
    expect(queued).toEqual([
      [[1, 'scheduled']],
      [[2, 'arrived']],
      [[3, 'called']],
      [[4, 'in_session']],
      [[5, 'done']],
    ]);
    expect(outboxFor(a.id).at(-1)!.row).toMatchObject({
      arrived_at: at(1),
      called_at: at(2),
      session_started_at: at(3),
      ended_at: at(4),
      updated_at: at(4),
      room_id: clinic.rooms.sala1,
    });
  });

  it('rejects a stale write with version_conflict and keeps the row as it was', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 15);
    expect((await setStatus(a.id, { status: 'arrived', expectedVersion: 1 })).body.version).toBe(2);
    const stale = await setStatus(a.id, { status: 'no_show', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'version_conflict' } });
    const board = (await (await h.req('GET', '/api/board')).json()) as Board;
    expect(board.appointments.find((x) => x.id === a.id)).toMatchObject({ status: 'arrived', version: 2 });
  });

  it('issues A001, A002… at check-in and stores the exact wait shown, in the same version and outbox row', async () => {
    const a = book(h.deps, clinic, 'Paulo Teste Reis', 20); // Marta, 30 min
    const b = book(h.deps, clinic, 'Rita Teste Costa', 25); // Marta, after a
    const c = book(h.deps, clinic, 'Sara Teste Dias', 5, { practitionerId: clinic.practitioners.joao });
    const ra = (await setStatus(a.id, { status: 'arrived' })).body;
    const rb = (await setStatus(b.id, { status: 'arrived' })).body;
    const rc = (await setStatus(c.id, { status: 'arrived' })).body;
    // a starts at its booked time (+20); b waits for a to end (+20 + 30 = +50); c has João to themself (+5).
    expect([ra.ticket, ra.estimate]).toEqual([
      'A001',
      { predictedStartAt: at(20), waitMin: 20, position: 1, band: '10to20' },
    ]);
    expect([rb.ticket, rb.estimate]).toEqual([
      'A002',
      { predictedStartAt: at(50), waitMin: 50, position: 2, band: 'gt20' },
    ]);
    expect([rc.ticket, rc.estimate]).toEqual([
      'A003',
      { predictedStartAt: at(5), waitMin: 5, position: 1, band: '5to10' },
    ]);
    expect(ra.checkInMethod).toBe('desk');
    expect(outboxFor(b.id).map((o) => [o.version, o.row.ticket, o.row.wait_estimate_min])).toEqual([
      [2, 'A002', 50],
    ]);
  });

  it('calls the first in the room queue into that room, then answers queue_empty', async () => {
    const later = book(h.deps, clinic, 'Zé Teste Tardio', 30);
    const sooner = book(h.deps, clinic, 'Ana Teste Cedo', 10);
    await setStatus(later.id, { status: 'arrived' });
    await setStatus(sooner.id, { status: 'arrived' });
    const call = () => h.req('POST', '/api/queue/call-next', { roomId: clinic.rooms.sala1 });

    const first = (await (await call()).json()) as BoardAppointment;
    expect([first.id, first.status, first.room?.name, first.calledAt]).toEqual([
      sooner.id,
      'called',
      'Sala 1',
      at(0),
    ]);
    // The room holds one called or in-session patient: the next call waits until that visit ends.
    const busy = await call();
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({
      error: { code: 'room_busy', details: { appointmentId: sooner.id, ticket: first.ticket } },
    });
    for (const status of ['in_session', 'done']) await setStatus(sooner.id, { status });
    const second = (await (await call()).json()) as BoardAppointment;
    expect(second.id).toBe(later.id);
    for (const status of ['in_session', 'done']) await setStatus(later.id, { status });
    const empty = await call();
    expect(empty.status).toBe(409);
    expect(await empty.json()).toMatchObject({ error: { code: 'queue_empty' } });
    const otherRoom = await h.req('POST', '/api/queue/call-next', { roomId: clinic.rooms.sala2 });
    expect(otherRoom.status).toBe(409);
  });

  it('gives a room to exactly one of 50 simultaneous "call next" requests, and the database refuses a second', async () => {
    const waiting = Array.from({ length: 50 }, (_, i) => book(h.deps, clinic, `Fila ${i} Teste`, 5 + i));
    for (const a of waiting) await setStatus(a.id, { status: 'arrived' });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => h.req('POST', '/api/queue/call-next', { roomId: clinic.rooms.sala1 })),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = answers.filter((r) => r.status === 409);
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(await r.json()).toMatchObject({ error: { code: 'room_busy' } });
    const inRoom = () =>
      h.deps.db
        .prepare(
          "SELECT COUNT(*) AS n FROM appointments WHERE room_id = ? AND status IN ('called', 'in_session')",
        )
        .get(clinic.rooms.sala1) as { n: number };
    expect(inRoom()).toEqual({ n: 1 });
    // Whatever the code path: the database itself refuses a second patient in the room.
    expect(() =>
      h.deps.db
        .prepare("UPDATE appointments SET status = 'called', room_id = ? WHERE id = ?")
        .run(clinic.rooms.sala1, waiting[49]!.id),
    ).toThrow(/UNIQUE constraint failed/);
    expect(inRoom()).toEqual({ n: 1 });
  });

  it('registers a walk-in atomically with the practitioner free first, or nothing', async () => {
    // João (Sala 2) is busy for 45 more minutes; Marta (Sala 1) is free: the walk-in goes to Marta.
    const busy = book(h.deps, clinic, 'Tiago Teste Luz', 0, {
      practitionerId: clinic.practitioners.joao,
      specialtyId: clinic.specialties.massage,
    });
    for (const status of ['arrived', 'called', 'in_session']) await setStatus(busy.id, { status });

    const res = await h.req('POST', '/api/walk-ins', {
      fullName: 'Vítor Teste Neves',
      specialtyId: clinic.specialties.evaluation,
    });
    expect(res.status).toBe(201);
    const a = (await res.json()) as BoardAppointment;
    expect(a).toMatchObject({
      status: 'arrived',
      walkIn: true,
      startsAt: at(0),
      durationMin: 30,
      checkInMethod: 'desk',
      ticket: 'A002',
      practitioner: { id: clinic.practitioners.marta },
      room: { id: clinic.rooms.sala1, name: 'Sala 1' },
      // Free now; the walk to the room (callToStartMin, 1 min by default) is the whole wait.
      estimate: { predictedStartAt: at(1), waitMin: 1, position: 1, band: 'next' },
    });

    const patients = count('patients');
    const bad = await h.req('POST', '/api/walk-ins', {
      fullName: 'Sem Especialidade',
      specialtyId: '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c',
    });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ error: { code: 'specialty_not_found' } });
    expect(count('patients')).toBe(patients);
  });

  it('registers a walk-in for an existing patient without creating another, and refuses an unknown one', async () => {
    const known = book(h.deps, clinic, 'Helena Teste Sousa', -120);
    const patients = count('patients');
    const res = await h.req('POST', '/api/walk-ins', {
      patientId: known.patient.id,
      specialtyId: clinic.specialties.evaluation,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      walkIn: true,
      status: 'arrived',
      patient: { id: known.patient.id, fullName: 'Helena Teste Sousa' },
    });
    expect(count('patients')).toBe(patients);
    const unknown = await h.req('POST', '/api/walk-ins', {
      patientId: '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c',
      specialtyId: clinic.specialties.evaluation,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'patient_not_found' } });
    const neither = await h.req('POST', '/api/walk-ins', { specialtyId: clinic.specialties.evaluation });
    expect(neither.status).toBe(400);
    expect(count('patients')).toBe(patients);
  });

  it('sends a walk-in for "any practitioner" to the one of that specialty free first', async () => {
    // João is busy for 45 min; Marta is free but does not do massage: the massage walk-in waits for João.
    const busy = book(h.deps, clinic, 'Tiago Teste Luz', 0, {
      practitionerId: clinic.practitioners.joao,
      specialtyId: clinic.specialties.massage,
    });
    for (const status of ['arrived', 'called', 'in_session']) await setStatus(busy.id, { status });
    const res = await h.req('POST', '/api/walk-ins', {
      fullName: 'Maria Teste Massagem',
      specialtyId: clinic.specialties.massage,
    });
    expect(await res.json()).toMatchObject({
      practitioner: { id: clinic.practitioners.joao },
      estimate: { predictedStartAt: at(45), waitMin: 45, position: 1, band: 'gt20' },
    });
  });

  it('learns session lengths: a practitioner whose evaluations take 50 min pushes the next patient to +51', async () => {
    // Five earlier evaluations with Marta of 48, 52, 50, 49 and 51 minutes, on the previous days.
    for (const [i, minutes] of [48, 52, 50, 49, 51].entries()) {
      const day = NOW - (5 - i) * 24 * 3600_000;
      const past = book(h.deps, clinic, `Antes ${i} Teste`, (day - NOW) / 60_000);
      h.setNow(day);
      for (const status of ['arrived', 'called', 'in_session']) await setStatus(past.id, { status });
      h.setNow(day + minutes * 60_000);
      await setStatus(past.id, { status: 'done' });
    }
    h.setNow(NOW);
    const current = book(h.deps, clinic, 'Agora Teste', 0);
    for (const status of ['arrived', 'called', 'in_session']) await setStatus(current.id, { status });
    const next = book(h.deps, clinic, 'Depois Teste', 5);
    const { body } = await setStatus(next.id, { status: 'arrived' });
    // α 0.2: means 48 → 48.8 → 49.04 → 49.032 → 49.4256; MADs 0 → 0.8 → 0.88 → 0.712 → 0.9632;
    // expected = 49.4256 + 1 × 0.9632 = 50.3888 min (booked: 30), so the next patient waits ⌈50.39⌉ = 51.
    expect(body.estimate).toMatchObject({ waitMin: 51, position: 1, band: 'gt20' });
  });

  it('books "now" when no time is given, with a typeable booking code', async () => {
    const patient = (await (
      await h.req('POST', '/api/patients', { fullName: 'Walter Teste Inácio' })
    ).json()) as {
      id: string;
    };
    const res = await h.req('POST', '/api/appointments', {
      patientId: patient.id,
      specialtyId: clinic.specialties.massage,
    });
    expect(res.status).toBe(201);
    const a = (await res.json()) as BoardAppointment;
    expect(a).toMatchObject({ walkIn: true, startsAt: at(0), durationMin: 45, status: 'scheduled' });
    expect(a.bookingCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/); // no 0/O, 1/I/L look-alikes
    const missing = await h.req('POST', '/api/appointments', {
      patientId: '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c',
      specialtyId: clinic.specialties.massage,
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'patient_not_found' } });
  });

  it("lists a given day's appointments on the board, and today's on the live board", async () => {
    book(h.deps, clinic, 'Hoje Teste', 60);
    book(h.deps, clinic, 'Amanhã Teste', 24 * 60);
    const today = (await (await h.req('GET', '/api/board')).json()) as Board;
    expect([today.date, today.appointments.map((a) => a.patient.fullName)]).toEqual([
      '2026-11-21',
      ['Hoje Teste'],
    ]);
    const tomorrow = (await (await h.req('GET', '/api/board?date=2026-11-22')).json()) as Board;
    expect(tomorrow.appointments.map((a) => a.patient.fullName)).toEqual(['Amanhã Teste']);
    expect(today.rooms.map((r) => r.name)).toEqual(['Sala 1', 'Sala 2']);
  });
});
