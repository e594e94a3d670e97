/** Medium tests: the HTTP API through app.request() on a fresh migrated SQLite with the demo clinic. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Board, BoardAppointment } from './features/appointments/service.ts';
import type { DisplayState } from './features/queue/display.ts';
import { createHarness, TEST_TOKEN, type Harness } from './testing/harness.ts';

// A fixed clinic moment: Saturday 21 Nov 2026, 10:00 in Lisbon (UTC+0 in winter).
const NOW = Date.parse('2026-11-21T10:00:00Z');

let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW });
});
afterEach(() => h.close());

async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

async function getBoard() {
  return json<Board>(h.req('GET', '/api/board'));
}

async function bookNew(fullName: string, minutesFromNow: number, roomName = 'Sala 1') {
  const board = await getBoard();
  const room = board.rooms.find((r) => r.name === roomName)!;
  const practitioner = board.practitioners.find((p) => p.defaultRoomId === room.id)!;
  const patient = await json<{ id: string }>(h.req('POST', '/api/patients', { fullName }));
  const res = await h.req('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: board.specialties.find((s) => s.code === 'evaluation')!.id,
    practitionerId: practitioner.id,
    startsAt: new Date(NOW + minutesFromNow * 60_000).toISOString(),
  });
  expect(res.status).toBe(201);
  return json<BoardAppointment>(res);
}

function count(table: string): number {
  return (h.deps.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('security', () => {
  it('refuses API calls without the token, with a machine code', async () => {
    const res = await h.req('GET', '/api/board', undefined, { authorization: '' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await h.req('GET', '/api/board', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a Host it does not serve (DNS rebinding)', async () => {
    const res = await h.req('GET', '/api/board', undefined, { host: 'evil.example:4310' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('refuses cross-site state changes even with the cookie', async () => {
    const res = await h.req(
      'POST',
      '/api/patients',
      { fullName: 'Ana Silva' },
      { authorization: '', cookie: `cfd_token=${TEST_TOKEN}`, 'sec-fetch-site': 'cross-site' },
    );
    expect(res.status).toBe(403);
    expect(count('patients')).toBe(40);
  });

  it('accepts the token cookie set by opening a page with ?token=', async () => {
    const page = await h.req('GET', `/desk/?token=${TEST_TOKEN}&lang=en`, undefined, { authorization: '' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/desk/?lang=en');
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const res = await h.req('GET', '/api/board', undefined, {
      authorization: '',
      cookie: cookie.split(';')[0]!,
    });
    expect(res.status).toBe(200);
  });
});

describe('bad input', () => {
  it('answers broken JSON with 400 bad_json and writes nothing', async () => {
    const res = await h.req('POST', '/api/patients', '{"fullName": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_json' } });
    expect(count('patients')).toBe(40);
  });

  it('answers schema violations with 400 validation_failed naming the field', async () => {
    const res = await h.req('POST', '/api/patients', { fullName: 'A', nif: '12' });
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; message: string } }>(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/fullName/);
    expect(body.error.message).toMatch(/nif/);
  });

  it('answers unknown ids with 404 and a specific code', async () => {
    const res = await h.req('POST', '/api/appointments/0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c/status', {
      status: 'arrived',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'appointment_not_found' } });
    const route = await h.req('GET', '/api/nothing-here');
    expect(route.status).toBe(404);
    expect(await route.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('rejects a kiosk frame of the wrong type or too large', async () => {
    const wrongType = await h.req('POST', '/api/kiosk/frames', 'hello', {
      'content-type': 'text/plain',
      'x-kiosk-session': 'kiosk-session-1',
    });
    expect(wrongType.status).toBe(415);
    const big = await h.req('POST', '/api/kiosk/frames', new Uint8Array(3 * 1024 * 1024), {
      'content-type': 'image/jpeg',
      'x-kiosk-session': 'kiosk-session-1',
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 503 face_engine_unavailable while the engine is not loaded', async () => {
    const res = await h.req('POST', '/api/kiosk/frames', new Uint8Array([0xff, 0xd8, 0xff]), {
      'content-type': 'image/jpeg',
      'x-kiosk-session': 'kiosk-session-1',
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'face_engine_unavailable' } });
  });
});

describe('visit workflow', () => {
  it('walks the state machine, rejects illegal moves and records outbox + audit in the same transaction', async () => {
    const a = await bookNew('Marta Teste Sousa', 15);
    const outbox0 = count('outbox');
    const audit0 = count('audit_log');

    const illegal = await h.req('POST', `/api/appointments/${a.id}/status`, { status: 'in_session' });
    expect(illegal.status).toBe(409);
    expect(await illegal.json()).toMatchObject({
      error: { code: 'illegal_transition', details: { from: 'scheduled', to: 'in_session' } },
    });
    expect(count('outbox')).toBe(outbox0);

    for (const status of ['arrived', 'called', 'in_session', 'done'] as const) {
      const res = await h.req('POST', `/api/appointments/${a.id}/status`, { status });
      expect(res.status).toBe(200);
      expect((await json<BoardAppointment>(res)).status).toBe(status);
    }
    expect(count('outbox')).toBe(outbox0 + 4);
    expect(count('audit_log')).toBe(audit0 + 4);
    const last = h.deps.db
      .prepare('SELECT entity, entity_id, version, payload FROM outbox ORDER BY seq DESC LIMIT 1')
      .get() as {
      entity: string;
      entity_id: string;
      version: number;
      payload: string;
    };
    expect(last).toMatchObject({ entity: 'appointment', entity_id: a.id, version: 5 });
    expect(JSON.parse(last.payload)).toMatchObject({ status: 'done' });
  });

  it('rejects a stale write with version_conflict', async () => {
    const a = await bookNew('Marta Teste Sousa', 15);
    await h.req('POST', `/api/appointments/${a.id}/status`, { status: 'arrived', expectedVersion: 1 });
    const stale = await h.req('POST', `/api/appointments/${a.id}/status`, {
      status: 'no_show',
      expectedVersion: 1,
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'version_conflict' } });
  });

  it('issues sequential tickets at check-in and keeps the wait shown', async () => {
    const a = await bookNew('Paulo Teste Reis', 20);
    const b = await bookNew('Rita Teste Costa', 25);
    const ra = await json<BoardAppointment>(
      h.req('POST', `/api/appointments/${a.id}/status`, { status: 'arrived' }),
    );
    const rb = await json<BoardAppointment>(
      h.req('POST', `/api/appointments/${b.id}/status`, { status: 'arrived' }),
    );
    expect(Number(rb.ticket!.slice(1))).toBe(Number(ra.ticket!.slice(1)) + 1);
    expect(ra.checkInMethod).toBe('desk');
    expect(ra.estimate!.waitMin).toBeGreaterThanOrEqual(20);
    const stored = h.deps.db.prepare('SELECT wait_estimate_min FROM appointments WHERE id = ?').get(a.id) as {
      wait_estimate_min: number;
    };
    expect(stored.wait_estimate_min).toBe(ra.estimate!.waitMin);
  });

  it('calls the first in the room queue, then answers queue_empty', async () => {
    const board = await getBoard();
    const sala3 = board.rooms.find((r) => r.name === 'Sala 3')!;
    // Clear whoever the seed has waiting for Sala 3, then queue two patients there.
    for (const a of board.appointments.filter((x) => x.room?.id === sala3.id && x.status === 'arrived')) {
      await h.req('POST', `/api/appointments/${a.id}/status`, { status: 'no_show' });
    }
    const later = await bookNew('Zé Teste Tardio', 30, 'Sala 3');
    const sooner = await bookNew('Ana Teste Cedo', 10, 'Sala 3');
    await h.req('POST', `/api/appointments/${later.id}/status`, { status: 'arrived' });
    await h.req('POST', `/api/appointments/${sooner.id}/status`, { status: 'arrived' });

    const first = await json<BoardAppointment>(h.req('POST', '/api/queue/call-next', { roomId: sala3.id }));
    expect(first.id).toBe(sooner.id);
    expect(first.status).toBe('called');
    const second = await json<BoardAppointment>(h.req('POST', '/api/queue/call-next', { roomId: sala3.id }));
    expect(second.id).toBe(later.id);
    const empty = await h.req('POST', '/api/queue/call-next', { roomId: sala3.id });
    expect(empty.status).toBe(409);
    expect(await empty.json()).toMatchObject({ error: { code: 'queue_empty' } });
  });

  it('registers a walk-in atomically: patient, appointment now and check-in, or nothing', async () => {
    const board = await getBoard();
    const res = await h.req('POST', '/api/walk-ins', {
      fullName: 'Vítor Teste Neves',
      specialtyId: board.specialties[0]!.id,
    });
    expect(res.status).toBe(201);
    const a = await json<BoardAppointment>(res);
    expect(a).toMatchObject({
      status: 'arrived',
      walkIn: true,
      startsAt: new Date(NOW).toISOString(),
      checkInMethod: 'desk',
    });
    expect(a.ticket).toMatch(/^A\d{3}$/);

    const patients = count('patients');
    const bad = await h.req('POST', '/api/walk-ins', {
      fullName: 'Sem Especialidade',
      specialtyId: '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c',
    });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ error: { code: 'specialty_not_found' } });
    expect(count('patients')).toBe(patients);
  });

  it('books a walk-in now with "any practitioner"', async () => {
    const board = await getBoard();
    const patient = await json<{ id: string }>(
      h.req('POST', '/api/patients', { fullName: 'Walter Teste Inácio' }),
    );
    const res = await h.req('POST', '/api/appointments', {
      patientId: patient.id,
      specialtyId: board.specialties[0]!.id,
    });
    expect(res.status).toBe(201);
    const a = await json<BoardAppointment>(res);
    expect(a.walkIn).toBe(true);
    expect(a.startsAt).toBe(new Date(NOW).toISOString());
    expect(a.bookingCode).toMatch(/^[A-Z2-9]{6}$/);
  });
});

describe('waiting-room display', () => {
  it('shows masked names with room and wait, and the called patient with the room', async () => {
    const a = await bookNew('Joaquina Teste Barbosa', 5, 'Sala 2');
    await h.req('POST', `/api/appointments/${a.id}/status`, { status: 'arrived' });
    let state = await json<DisplayState>(h.req('GET', '/api/display'));
    const waiting = state.waiting.find((w) => w.id === a.id)!;
    expect(waiting).toMatchObject({ label: 'Joaquina B.', roomName: 'Sala 2' });
    expect(waiting.waitMin).toBeGreaterThanOrEqual(5);

    await h.req('POST', `/api/appointments/${a.id}/status`, { status: 'called' });
    state = await json<DisplayState>(h.req('GET', '/api/display'));
    expect(state.nowCalling[0]).toMatchObject({ id: a.id, label: 'Joaquina B.', roomName: 'Sala 2' });
    const text = JSON.stringify(state);
    expect(text).not.toContain('Barbosa');
    expect(text).not.toContain('Consulta'); // nothing clinical

    await h.req('PATCH', '/api/settings', { namePolicy: 'ticket' });
    state = await json<DisplayState>(h.req('GET', '/api/display'));
    expect(state.nowCalling[0]!.label).toMatch(/^A\d{3}$/);
  });

  it('streams a snapshot on connect and another after a change', async () => {
    const res = await h.req('GET', '/api/display/stream');
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const readEvent = async () => {
      let buf = '';
      while (!buf.includes('\n\n')) buf += decoder.decode((await reader.read()).value);
      return buf;
    };
    expect(await readEvent()).toMatch(/^event: display\ndata: \{/);
    const a = await bookNew('Helena Teste Matos', 5);
    await h.req('POST', `/api/appointments/${a.id}/status`, { status: 'arrived' });
    let seen = '';
    while (!seen.includes('Helena M.')) seen += await readEvent();
    expect(seen).toContain('Helena M.');
    await reader.cancel();
  });
});

describe('kiosk booking code', () => {
  it('finds the appointment by code (any case, spaces), checks in once, and refuses outside the window', async () => {
    const a = await bookNew('Olga Teste Pires', 20);
    const code = a.bookingCode.toLowerCase().replace(/^(...)/, '$1 ');
    const candidate = await json<{ appointmentId: string; initials: string }>(
      h.req('POST', '/api/kiosk/code', { code }),
    );
    expect(candidate).toMatchObject({ appointmentId: a.id, initials: 'O. P.' });
    expect(JSON.stringify(candidate)).not.toContain('Olga');

    const receipt = await json<{ ticket: string; roomName: string; waitMin: number }>(
      h.req('POST', '/api/kiosk/confirm', { appointmentId: a.id, via: 'code' }),
    );
    expect(receipt.roomName).toBe('Sala 1');
    expect(receipt.ticket).toMatch(/^A\d{3}$/);
    expect(receipt.waitMin).toBeGreaterThanOrEqual(20);
    const again = await h.req('POST', '/api/kiosk/confirm', { appointmentId: a.id, via: 'code' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'already_checked_in' } });

    const far = await bookNew('Olga Teste Pires', 180);
    const outside = await h.req('POST', '/api/kiosk/code', { code: far.bookingCode });
    expect(outside.status).toBe(409);
    expect(await outside.json()).toMatchObject({ error: { code: 'not_expected_now' } });
    const unknown = await h.req('POST', '/api/kiosk/code', { code: 'ZZZZZZ' });
    expect(unknown.status).toBe(404);
  });
});
