/**
 * Medium tests of the desk board's actions through the HTTP API on a fresh SQLite with the small test
 * clinic: calling a given patient, recall, move, the one-minute undo of each action, and the board's
 * timers and alerts. Exact values throughout (clock fixed by the harness).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, TEST_STAFF, type Harness } from '../../testing/harness.ts';
import type { Board, BoardActionResult, BoardAppointment } from './service.ts';
import { transition } from './service.ts';
import { writeSettings } from '../settings/repo.ts';
import { versionOf, withVersion } from '../../testing/versions.ts';

// Saturday 21 Nov 2026, 10:00 in Lisbon (UTC+0 in winter).
const NOW = Date.parse('2026-11-21T10:00:00Z');
const at = (min: number) => new Date(NOW + min * 60_000).toISOString();
const atSec = (sec: number) => new Date(NOW + sec * 1000).toISOString();
/** The audit actor of the harness's default caller (its test admin). */
const ACTOR = `staff:${TEST_STAFF.admin}`;

let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

type Answer = BoardActionResult & { error?: { code: string; details?: Record<string, unknown> } };

async function post(route: string, body: Record<string, unknown>) {
  // Without an explicit expectedVersion, the current one (a desk with a fresh board): testing/versions.ts.
  const res = await h.req('POST', route, withVersion(h.deps, route, body));
  return { status: res.status, body: (await res.json()) as Answer };
}
const status = (id: string, s: string, extra: Record<string, unknown> = {}) =>
  post(`/api/appointments/${id}/status`, { status: s, ...extra });
const undo = (appointmentId: string, expectedVersion: number) =>
  post('/api/board/undo', { appointmentId, expectedVersion });

function row(id: string) {
  return h.deps.db
    .prepare(
      `SELECT status, room_id, practitioner_id, ticket, arrived_at, called_at, check_in_method,
              wait_estimate_min, version FROM appointments WHERE id = ?`,
    )
    .get(id) as Record<string, unknown>;
}

function audits(id: string) {
  return (
    h.deps.db
      .prepare('SELECT actor, action, detail FROM audit_log WHERE entity_id = ? ORDER BY seq')
      .all(id) as { actor: string; action: string; detail: string }[]
  ).map((a) => [a.actor, a.action, JSON.parse(a.detail) as unknown]);
}

async function boardRow(id: string): Promise<BoardAppointment> {
  const board = (await (await h.req('GET', '/api/board')).json()) as Board;
  return board.appointments.find((a) => a.id === id)!;
}

describe('calling a given patient', () => {
  it('calls the second in the queue into a chosen room, answers undoUntil, and keeps one patient per room', async () => {
    const first = book(h.deps, clinic, 'Ana Teste Primeira', 5);
    const second = book(h.deps, clinic, 'Bruno Teste Segundo', 10);
    const third = book(h.deps, clinic, 'Carla Teste Terceira', 15);
    for (const a of [first, second, third]) await status(a.id, 'arrived');

    const called = await post(`/api/appointments/${second.id}/call`, {
      roomId: clinic.rooms.sala2,
      expectedVersion: 2,
    });
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({
      id: second.id,
      status: 'called',
      room: { id: clinic.rooms.sala2, name: 'Sala 2' },
      calledAt: at(0),
      version: 3,
      undoUntil: at(1),
    });
    expect(audits(second.id).at(-1)).toEqual([
      ACTOR,
      'appointment.status',
      { from: 'arrived', to: 'called' },
    ]);

    const busy = await post(`/api/appointments/${third.id}/call`, { roomId: clinic.rooms.sala2 });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({
      code: 'room_busy',
      details: { roomId: clinic.rooms.sala2, appointmentId: second.id, ticket: 'A002' },
    });
    // Without a room: the appointment's own (Sala 1, Marta's), which is free.
    const own = await post(`/api/appointments/${third.id}/call`, {});
    expect([own.status, own.body.room?.name]).toEqual([200, 'Sala 1']);

    const stale = await post(`/api/appointments/${first.id}/call`, { expectedVersion: 1 });
    expect([stale.status, stale.body.error?.code]).toEqual([409, 'version_conflict']);
    const booked = book(h.deps, clinic, 'Duarte Teste Marcado', 30);
    const notHere = await post(`/api/appointments/${booked.id}/call`, { roomId: clinic.rooms.sala1 });
    expect([notHere.status, notHere.body.error?.code]).toEqual([409, 'illegal_transition']);
    const noRoom = await post(`/api/appointments/${first.id}/call`, {
      roomId: '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c',
    });
    expect([noRoom.status, noRoom.body.error?.code]).toEqual([404, 'room_not_found']);
  });
});

describe('recall', () => {
  it('stamps a new calledAt (the display announces it again), audited, and only for a called patient', async () => {
    const a = book(h.deps, clinic, 'Ana Teste Chamada', 0);
    await status(a.id, 'arrived');
    const early = await post(`/api/appointments/${a.id}/recall`, {});
    expect([early.status, early.body.error?.code]).toEqual([409, 'illegal_transition']);
    await post(`/api/appointments/${a.id}/call`, {});

    h.setNow(NOW + 90_000);
    const again = await post(`/api/appointments/${a.id}/recall`, { expectedVersion: 3 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'called',
      calledAt: atSec(90),
      version: 4,
      undoUntil: atSec(150),
    });
    expect(audits(a.id).at(-1)).toEqual([ACTOR, 'appointment.recall', { roomId: clinic.rooms.sala1 }]);
    const display = (await (await h.req('GET', '/api/display')).json()) as {
      nowCalling: { id: string; calledAt: string }[];
    };
    expect(display.nowCalling.map((c) => [c.id, c.calledAt])).toEqual([[a.id, atSec(90)]]);
  });
});

describe('move', () => {
  it("moves a waiting patient to another practitioner and that practitioner's room, or to a given room", async () => {
    const a = book(h.deps, clinic, 'Ana Teste Mudada', 10);
    await status(a.id, 'arrived');
    const moved = await post(`/api/appointments/${a.id}/move`, {
      practitionerId: clinic.practitioners.joao,
      expectedVersion: 2,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      status: 'arrived',
      practitioner: { id: clinic.practitioners.joao, displayName: 'Dr. João Ferreira' },
      room: { id: clinic.rooms.sala2, name: 'Sala 2' },
      version: 3,
      undoUntil: at(1),
    });
    expect(audits(a.id).at(-1)).toEqual([
      ACTOR,
      'appointment.move',
      {
        status: 'arrived',
        fromRoomId: clinic.rooms.sala1,
        toRoomId: clinic.rooms.sala2,
        fromPractitionerId: clinic.practitioners.marta,
        toPractitionerId: clinic.practitioners.joao,
      },
    ]);
    const roomOnly = await post(`/api/appointments/${a.id}/move`, { roomId: clinic.rooms.sala1 });
    expect(roomOnly.body).toMatchObject({
      practitioner: { id: clinic.practitioners.joao },
      room: { id: clinic.rooms.sala1 },
    });
  });

  it('moves a called patient only into a free room, announcing them there; refuses what cannot move', async () => {
    const inS2 = book(h.deps, clinic, 'Bruno Teste Sala2', 0, { practitionerId: clinic.practitioners.joao });
    const a = book(h.deps, clinic, 'Ana Teste Chamada', 5);
    for (const s of ['arrived', 'called']) {
      await status(inS2.id, s);
      await status(a.id, s);
    }
    h.setNow(NOW + 30_000);
    const busy = await post(`/api/appointments/${a.id}/move`, { roomId: clinic.rooms.sala2 });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ code: 'room_busy', details: { appointmentId: inS2.id } });
    expect(row(a.id)).toMatchObject({ room_id: clinic.rooms.sala1, version: 3 });

    await status(inS2.id, 'in_session');
    await status(inS2.id, 'done');
    const moved = await post(`/api/appointments/${a.id}/move`, { roomId: clinic.rooms.sala2 });
    expect(moved.body).toMatchObject({
      status: 'called',
      room: { id: clinic.rooms.sala2 },
      calledAt: atSec(30),
    });

    const unknown = await post(`/api/appointments/${a.id}/move`, {
      practitionerId: '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c',
    });
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'practitioner_not_found']);
    h.deps.db
      .prepare('UPDATE practitioners SET deleted_at = ? WHERE id = ?')
      .run(at(0), clinic.practitioners.marta);
    const gone = await post(`/api/appointments/${a.id}/move`, { practitionerId: clinic.practitioners.marta });
    expect([gone.status, gone.body.error?.code]).toEqual([404, 'practitioner_not_found']);
    const booked = book(h.deps, clinic, 'Carla Teste Marcada', 60, {
      practitionerId: clinic.practitioners.joao,
    });
    const notHere = await post(`/api/appointments/${booked.id}/move`, { roomId: clinic.rooms.sala2 });
    expect([notHere.status, notHere.body.error?.code]).toEqual([409, 'illegal_transition']);
    const empty = await post(`/api/appointments/${a.id}/move`, {});
    expect([empty.status, empty.body.error?.code]).toEqual([400, 'validation_failed']);
    await status(a.id, 'in_session');
    const inSession = await post(`/api/appointments/${a.id}/move`, { roomId: clinic.rooms.sala1 });
    expect([inSession.status, inSession.body.error?.code]).toEqual([409, 'illegal_transition']);
  });
});

describe('undo', () => {
  it('undoes a check-in exactly (status, ticket, times, estimate) as a new version with its outbox row and audit', async () => {
    const a = book(h.deps, clinic, 'Ana Teste Desfeita', 15);
    const before = row(a.id);
    h.setNow(NOW + 20_000);
    const checkedIn = await status(a.id, 'arrived');
    expect(checkedIn.body).toMatchObject({ ticket: 'A001', version: 2, undoUntil: atSec(80) });

    h.setNow(NOW + 80_000); // exactly the minute: still allowed
    const undone = await undo(a.id, 2);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: 'scheduled', ticket: null, arrivedAt: null, version: 3 });
    expect(row(a.id)).toEqual({ ...before, version: 3 });
    const outbox = h.deps.db.prepare('SELECT version, payload FROM outbox WHERE entity_id = ?').all(a.id) as {
      version: number;
      payload: string;
    }[];
    expect(outbox.map((o) => [o.version, (JSON.parse(o.payload) as { status: string }).status])).toEqual([
      [3, 'scheduled'],
    ]);
    expect(audits(a.id).slice(1)).toEqual([
      [ACTOR, 'appointment.status', { from: 'scheduled', to: 'arrived', checkInMethod: 'desk' }],
      [ACTOR, 'appointment.undo', { action: 'check-in', from: 'arrived', to: 'scheduled' }],
    ]);
    // Once undone there is nothing left to undo.
    const twice = await undo(a.id, 3);
    expect([twice.status, twice.body.error?.code]).toEqual([409, 'undo_expired']);
    // A check-in after the undo gets the next free ticket again.
    expect((await status(a.id, 'arrived')).body.ticket).toBe('A001');
  });

  it('refuses after 60 s (undo_expired) and after any other change (undo_conflict), leaving the row as it is', async () => {
    const a = book(h.deps, clinic, 'Ana Teste Tarde', 0);
    await status(a.id, 'arrived');
    h.setNow(NOW + 60_001);
    const late = await undo(a.id, 2);
    expect([late.status, late.body.error?.code]).toEqual([409, 'undo_expired']);
    expect(row(a.id)).toMatchObject({ status: 'arrived', version: 2 });

    const b = book(h.deps, clinic, 'Bruno Teste Conflito', 5);
    await status(b.id, 'arrived');
    const wrong = await undo(b.id, 1);
    expect([wrong.status, wrong.body.error?.code]).toEqual([409, 'undo_conflict']);
    // A change the undo record does not know of (here straight in the database, as a sync would).
    h.deps.db.prepare('UPDATE appointments SET version = version + 1 WHERE id = ?').run(b.id);
    const moved = await undo(b.id, 3);
    expect([moved.status, moved.body.error?.code]).toEqual([409, 'undo_conflict']);
    expect(row(b.id)).toMatchObject({ status: 'arrived', version: 3 });
  });

  it('undoes only the last action: a call after a check-in goes back to waiting, not to booked', async () => {
    const a = book(h.deps, clinic, 'Ana Teste Ultima', 0);
    await status(a.id, 'arrived');
    const called = await post(`/api/appointments/${a.id}/call`, { roomId: clinic.rooms.sala2 });
    expect(called.body.undoUntil).toBe(at(1));
    const undone = await undo(a.id, 3);
    expect(undone.body).toMatchObject({
      status: 'arrived',
      calledAt: null,
      room: { id: clinic.rooms.sala1 },
      ticket: 'A001',
      version: 4,
    });
    expect((await undo(a.id, 4)).body.error?.code).toBe('undo_expired');
  });

  it('undoes a move and a recall, restoring room, practitioner and the earlier call time', async () => {
    const a = book(h.deps, clinic, 'Ana Teste Volta', 0);
    await status(a.id, 'arrived');
    const moved = await post(`/api/appointments/${a.id}/move`, { practitionerId: clinic.practitioners.joao });
    expect((await undo(a.id, moved.body.version)).body).toMatchObject({
      practitioner: { id: clinic.practitioners.marta },
      room: { id: clinic.rooms.sala1 },
    });
    await post(`/api/appointments/${a.id}/call`, {});
    h.setNow(NOW + 45_000);
    const recalled = await post(`/api/appointments/${a.id}/recall`, {});
    expect(recalled.body.calledAt).toBe(atSec(45));
    expect((await undo(a.id, recalled.body.version)).body).toMatchObject({
      status: 'called',
      calledAt: at(0),
    });
  });

  it("refuses another actor's action, and a room taken meanwhile (room_busy)", async () => {
    const a = book(h.deps, clinic, 'Ana Teste Quiosque', 0);
    const atKiosk = transition(h.deps, a.id, 'arrived', { actor: 'kiosk', checkInMethod: 'code' });
    const other = await undo(a.id, atKiosk.version);
    expect([other.status, other.body.error?.code]).toEqual([403, 'forbidden']);
    // A receptionist's call is theirs to undo, not another staff member's.
    const rececao = await h.as('receptionist');
    const called = await h.req(
      'POST',
      `/api/appointments/${a.id}/call`,
      { expectedVersion: versionOf(h.deps, a.id) },
      rececao,
    );
    const { version } = (await called.json()) as BoardActionResult;
    const byAdmin = await undo(a.id, version);
    expect([byAdmin.status, byAdmin.body.error?.code]).toEqual([403, 'forbidden']);
    const mine = await h.req(
      'POST',
      '/api/board/undo',
      { appointmentId: a.id, expectedVersion: version },
      rececao,
    );
    expect([mine.status, ((await mine.json()) as BoardAppointment).status]).toEqual([200, 'arrived']);
    expect(audits(a.id).at(-1)).toEqual([
      `staff:${TEST_STAFF.receptionist}`,
      'appointment.undo',
      { action: 'call', from: 'called', to: 'arrived' },
    ]);

    // Ana's session ends; Bruno is called into Sala 1; undoing Ana's "done" would put two in the room.
    for (const s of ['called', 'in_session', 'done']) await status(a.id, s);
    const b = book(h.deps, clinic, 'Bruno Teste Seguinte', 5);
    await status(b.id, 'arrived');
    await post(`/api/appointments/${b.id}/call`, {});
    const busy = await undo(a.id, 7);
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ code: 'room_busy', details: { appointmentId: b.id } });
    expect(row(a.id)).toMatchObject({ status: 'done', version: 7 });
  });
});

describe('timers and alerts', () => {
  it('gives minutes since check-in and flags late and long waits by the clinic thresholds', async () => {
    const late = book(h.deps, clinic, 'Ana Teste Atrasada', -10); // booked 09:50, not here
    const notYet = book(h.deps, clinic, 'Bruno Teste Quase', -9);
    const early = book(h.deps, clinic, 'Carla Teste Cedo', 30); // arrives 40 min before her 10:30
    const waiting = book(h.deps, clinic, 'Duarte Teste Espera', 0, {
      practitionerId: clinic.practitioners.joao,
    });
    const pick = (a: BoardAppointment) => [a.status, a.sinceArrivalMin, a.alert];
    // At 10:00: 10 minutes after the booked time is late; 9 is not yet.
    expect(pick(await boardRow(late.id))).toEqual(['scheduled', null, 'late']);
    expect(pick(await boardRow(notYet.id))).toEqual(['scheduled', null, null]);

    h.setNow(NOW - 10 * 60_000);
    await status(early.id, 'arrived');
    h.setNow(NOW);
    await status(waiting.id, 'arrived');
    h.setNow(NOW + 20 * 60_000 - 1);
    expect(pick(await boardRow(notYet.id))).toEqual(['scheduled', null, 'late']);
    expect(pick(await boardRow(early.id))).toEqual(['arrived', 29, null]);
    expect(pick(await boardRow(waiting.id))).toEqual(['arrived', 19, null]);
    h.setNow(NOW + 20 * 60_000);
    expect(pick(await boardRow(waiting.id))).toEqual(['arrived', 20, 'waiting_long']);
    expect(pick(await boardRow(early.id))).toEqual(['arrived', 30, null]);

    writeSettings(h.deps, { waitAlertMin: 30, lateAlertMin: 31 }, 'system');
    expect(pick(await boardRow(waiting.id))).toEqual(['arrived', 20, null]);
    expect(pick(await boardRow(late.id))).toEqual(['scheduled', null, null]); // 30 min late, threshold 31
    // Called: the timer keeps counting from the check-in; no alert.
    await post(`/api/appointments/${waiting.id}/call`, {});
    expect(pick(await boardRow(waiting.id))).toEqual(['called', 20, null]);
    await status(waiting.id, 'in_session');
    await status(waiting.id, 'done');
    expect(pick(await boardRow(waiting.id))).toEqual(['done', null, null]);
  });
});
