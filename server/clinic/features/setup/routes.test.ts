/**
 * Medium tests of the setup routes on an empty database: a whole setup through the API (outbox and audit
 * rows with the injected clock), validation answers with their codes, the 409s (deactivating what live
 * appointments use, duplicate names and codes), the practitioner photo, and a booking in the configured
 * clinic at a slot computed from its opening hours and the specialty's duration.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstSlot } from '../../../domain/availability.ts';
import { createHarness, TEST_CREDENTIALS, type Harness } from '../../testing/harness.ts';
import { clinicAvailability, type SetupState } from './service.ts';
import { versionOf } from '../../testing/versions.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOW = Date.parse('2026-11-23T08:00:00Z'); // a Monday, 08:00 in Lisbon (WET = UTC)
const AT = '2026-11-23T08:00:00.000Z';
const NIF = '501964843';
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
});
afterEach(() => h.close());

/** Sends a request and returns status and JSON body. */
async function call(method: string, route: string, body?: unknown, headers?: Record<string, string>) {
  const res = await h.req(method, route, body, headers);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

/** The stored setup state. */
async function state(): Promise<SetupState> {
  return (await call('GET', '/api/setup')).body as SetupState;
}

/** Mon–Fri 09:00–13:00 and 14:00–19:00, Saturday 09:00–13:00. */
const WEEK = [
  ...[1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, opensMin: 840, closesMin: 1140 },
    { weekday, opensMin: 540, closesMin: 780 },
  ]),
  { weekday: 6, opensMin: 540, closesMin: 780 },
];

/** Runs the wizard's calls: clinic, two rooms, two specialties, one practitioner, the week, the policy. */
async function fullSetup() {
  expect((await call('PUT', '/api/setup/clinic', clinic())).status).toBe(200);
  const sala1 = (await call('POST', '/api/rooms', { name: 'Sala 1' })).body;
  const sala2 = (await call('POST', '/api/rooms', { name: 'Sala 2' })).body;
  const evaluation = (
    await call('POST', '/api/specialties', { code: 'evaluation', durationMin: 40, priceCents: 3750 })
  ).body;
  const massage = (
    await call('POST', '/api/specialties', {
      code: 'massage',
      namePt: 'Massagem desportiva',
      nameEn: 'Sports massage',
      durationMin: 50,
      priceCents: 4500,
    })
  ).body;
  const marta = await call('POST', '/api/practitioners', {
    fullName: 'Marta Lopes',
    displayName: 'Dr.ª Marta Lopes',
    defaultRoomId: sala1.id,
    specialtyIds: [evaluation.id, massage.id],
  });
  expect(marta.status).toBe(201);
  expect((await call('PUT', '/api/opening-hours', { blocks: WEEK })).status).toBe(200);
  expect((await call('PATCH', '/api/settings', { namePolicy: 'initials' })).status).toBe(200);
  return { sala1, sala2, evaluation, massage, marta: marta.body };
}

function clinic(over: Record<string, unknown> = {}) {
  return {
    name: 'Fisio Alvalade',
    nif: `PT ${NIF}`,
    address: 'Av. da Igreja 10, 1700-239 Lisboa',
    phone: '+351 21 234 5678',
    ...over,
  };
}

describe('setup from an empty database', () => {
  it('starts with nothing configured and not complete', async () => {
    const s = await state();
    expect(s.complete).toBe(false);
    expect(s.steps).toEqual({
      clinic: false,
      rooms: false,
      practitioners: false,
      specialties: false,
      openingHours: false,
      publicScreens: false,
    });
    expect(s.rooms).toEqual([]);
    expect(s.openingHours).toEqual([]);
  });

  it('configures the whole clinic, auditing each change and queueing it for sync', async () => {
    const { sala1, evaluation, massage, marta } = await fullSetup();
    const s = await state();
    expect(s.complete).toBe(true);
    expect(s.clinic).toEqual({
      name: 'Fisio Alvalade',
      nif: NIF,
      address: 'Av. da Igreja 10, 1700-239 Lisboa',
      phone: '212345678',
    });
    expect(s.rooms.map((r) => [r.name, r.active])).toEqual([
      ['Sala 1', true],
      ['Sala 2', true],
    ]);
    expect(s.specialties).toEqual([
      {
        id: evaluation.id,
        code: 'evaluation',
        namePt: 'Consulta de avaliação',
        nameEn: 'Evaluation appointment',
        durationMin: 40,
        priceCents: 3750,
        active: true,
      },
      {
        id: massage.id,
        code: 'massage',
        namePt: 'Massagem desportiva',
        nameEn: 'Sports massage',
        durationMin: 50,
        priceCents: 4500,
        active: true,
      },
    ]);
    expect(s.practitioners).toEqual([
      {
        id: marta.id,
        fullName: 'Marta Lopes',
        displayName: 'Dr.ª Marta Lopes',
        defaultRoomId: sala1.id,
        specialtyIds: [evaluation.id, massage.id],
        active: true,
        photoUpdatedAt: null,
      },
    ]);
    // Stored sorted by weekday and time.
    expect(s.openingHours.slice(0, 2)).toEqual([
      { weekday: 1, opensMin: 540, closesMin: 780 },
      { weekday: 1, opensMin: 840, closesMin: 1140 },
    ]);
    expect(s.namePolicy).toBe('initials');

    const outbox = h.deps.db
      .prepare(
        'SELECT entity, COUNT(*) AS n, MIN(created_at) AS at FROM outbox GROUP BY entity ORDER BY entity',
      )
      .all();
    expect(outbox).toEqual([
      { entity: 'practitioner', n: 1, at: AT },
      { entity: 'practitioner_specialty', n: 2, at: AT },
      { entity: 'room', n: 2, at: AT },
      { entity: 'settings', n: 6, at: AT },
      { entity: 'specialty', n: 2, at: AT },
    ]);
    const audit = h.deps.db.prepare('SELECT at, actor, action, entity FROM audit_log ORDER BY seq').all() as {
      at: string;
      actor: string;
      action: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual([
      'settings.update',
      'room.create',
      'room.create',
      'specialty.create',
      'specialty.create',
      'practitioner.create',
      'settings.update',
      'settings.update',
    ]);
    expect(audit.every((a) => a.at === AT && a.actor === 'staff:test.admin')).toBe(true);
  });

  it('renames and deactivates, bumping versions, and reactivates', async () => {
    const { sala2, marta, massage } = await fullSetup();
    h.setNow(NOW + 60_000);
    const renamed = await call('PATCH', `/api/rooms/${sala2.id}`, { name: 'Ginásio' });
    expect(renamed.body).toEqual({ id: sala2.id, name: 'Ginásio', active: true });
    const off = await call('PATCH', `/api/rooms/${sala2.id}`, { active: false });
    expect(off.body.active).toBe(false);
    expect(
      h.deps.db.prepare('SELECT name, version, updated_at, deleted_at FROM rooms WHERE id = ?').get(sala2.id),
    ).toEqual({
      name: 'Ginásio',
      version: 3,
      updated_at: '2026-11-23T08:01:00.000Z',
      deleted_at: '2026-11-23T08:01:00.000Z',
    });
    // Only the newest snapshot of the room stays queued.
    expect(
      h.deps.db
        .prepare("SELECT version, json_extract(payload, '$.name') AS name FROM outbox WHERE entity_id = ?")
        .all(sala2.id),
    ).toEqual([{ version: 3, name: 'Ginásio' }]);
    // The board and booking no longer offer it.
    expect((await call('PATCH', `/api/rooms/${sala2.id}`, { active: true })).body.active).toBe(true);

    const p = await call('PATCH', `/api/practitioners/${marta.id}`, {
      displayName: 'Dr.ª Marta S. Lopes',
      specialtyIds: [massage.id],
    });
    expect(p.body.specialtyIds).toEqual([massage.id]);
    expect(
      h.deps.db
        .prepare("SELECT op FROM outbox WHERE entity = 'practitioner_specialty' ORDER BY seq")
        .all()
        .map((r) => (r as { op: string }).op),
    ).toEqual(['upsert', 'delete']);
    const detail = h.deps.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'practitioner.update'")
      .get() as { detail: string };
    expect(JSON.parse(detail.detail)).toMatchObject({ fields: ['display_name'] });

    const sp = await call('PATCH', `/api/specialties/${massage.id}`, { priceCents: 4750, durationMin: 55 });
    expect(sp.body).toMatchObject({ priceCents: 4750, durationMin: 55 });
    const audit = h.deps.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'specialty.update'")
      .get() as { detail: string };
    expect(JSON.parse(audit.detail)).toEqual({
      durationMin: { from: 50, to: 55 },
      priceCents: { from: 4500, to: 4750 },
    });
  });
});

describe('validation and conflicts', () => {
  it('answers validation_failed naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['PUT', '/api/setup/clinic', clinic({ name: ' ' }), 'name'],
      ['POST', '/api/rooms', { name: '' }, 'name'],
      ['POST', '/api/rooms', { name: 'Sala', extra: 1 }, ''],
      ['POST', '/api/specialties', { code: 'yoga', durationMin: 30, priceCents: 100 }, 'code'],
      ['POST', '/api/specialties', { code: 'massage', durationMin: 3, priceCents: 100 }, 'durationMin'],
      ['POST', '/api/specialties', { code: 'massage', durationMin: 30, priceCents: 12.5 }, 'priceCents'],
      ['POST', '/api/specialties', { code: 'massage', durationMin: 30, priceCents: -1 }, 'priceCents'],
      [
        'POST',
        '/api/practitioners',
        { fullName: 'Ana Reis', displayName: 'Ana', specialtyIds: [] },
        'specialtyIds',
      ],
      [
        'PUT',
        '/api/opening-hours',
        { blocks: [{ weekday: 8, opensMin: 540, closesMin: 600 }] },
        'blocks.0.weekday',
      ],
      [
        'PUT',
        '/api/opening-hours',
        { blocks: [{ weekday: 1, opensMin: 600, closesMin: 540 }] },
        'blocks.0.closesMin',
      ],
      [
        'PUT',
        '/api/opening-hours',
        { blocks: [{ weekday: 1, opensMin: 540, closesMin: 601 }] },
        'blocks.0.closesMin',
      ],
      [
        'PUT',
        '/api/opening-hours',
        {
          blocks: [
            { weekday: 2, opensMin: 540, closesMin: 780 },
            { weekday: 2, opensMin: 720, closesMin: 900 },
          ],
        },
        'blocks.1',
      ],
      ['PATCH', '/api/rooms/not-a-uuid', { name: 'X' }, 'id'],
      ['PATCH', '/api/rooms/0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c', {}, ''],
    ];
    for (const [method, route, body, path] of cases) {
      const res = await call(method, route, body);
      expect([route, res.status, res.body.error.code]).toEqual([route, 400, 'validation_failed']);
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect(h.deps.db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(h.deps.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
  });

  it('keeps every change to the admin: a receptionist gets 403 and may read the state', async () => {
    const desk = await h.as('receptionist');
    for (const [method, route, body] of [
      ['PUT', '/api/setup/clinic', clinic()],
      ['POST', '/api/rooms', { name: 'Sala 1' }],
      ['POST', '/api/specialties', { code: 'massage', durationMin: 45, priceCents: 4000 }],
      ['PUT', '/api/opening-hours', { blocks: WEEK }],
    ] as const) {
      const res = await call(method, route, body, desk);
      expect([route, res.status, res.body.error.code]).toEqual([route, 403, 'forbidden']);
    }
    expect((await call('GET', '/api/setup', undefined, desk)).status).toBe(200);
  });

  it('names a wrong clinic NIF or phone with its own code', async () => {
    for (const [body, code, path] of [
      [clinic({ nif: '501964844' }), 'nif_invalid', 'nif'],
      [clinic({ nif: '12345' }), 'nif_invalid', 'nif'],
      [clinic({ phone: '12345' }), 'phone_invalid', 'phone'],
      [clinic({ phone: '812345678' }), 'phone_invalid', 'phone'],
    ] as const) {
      const res = await call('PUT', '/api/setup/clinic', body);
      expect([res.status, res.body.error.code]).toEqual([400, code]);
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual([path]);
    }
    expect((await state()).steps.clinic).toBe(false);
  });

  it('answers 404 for unknown ids and 409 for a duplicate room name or specialty code', async () => {
    const unknown = '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c';
    expect((await call('PATCH', `/api/rooms/${unknown}`, { name: 'X' })).body.error.code).toBe(
      'room_not_found',
    );
    expect((await call('PATCH', `/api/practitioners/${unknown}`, { active: false })).body.error.code).toBe(
      'practitioner_not_found',
    );
    expect((await call('PATCH', `/api/specialties/${unknown}`, { active: false })).body.error.code).toBe(
      'specialty_not_found',
    );
    const bad = await call('POST', '/api/practitioners', {
      fullName: 'Ana Reis',
      displayName: 'Ana Reis',
      specialtyIds: [unknown],
    });
    expect([bad.status, bad.body.error.code]).toEqual([404, 'specialty_not_found']);

    await call('POST', '/api/rooms', { name: 'Sala 1' });
    const dup = await call('POST', '/api/rooms', { name: 'sala 1' });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'room_name_taken']);
    const first = await call('POST', '/api/specialties', {
      code: 'massage',
      durationMin: 45,
      priceCents: 4000,
    });
    const again = await call('POST', '/api/specialties', {
      code: 'massage',
      durationMin: 30,
      priceCents: 100,
    });
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([
      409,
      'specialty_taken',
      { id: first.body.id },
    ]);
  });

  it('refuses with 409 has_future_appointments to deactivate what a booking still uses', async () => {
    const { sala1, marta, evaluation } = await fullSetup();
    const patient = (await call('POST', '/api/patients', { fullName: 'Rui Costa' })).body;
    const booked = await call('POST', '/api/appointments', {
      patientId: patient.id,
      specialtyId: evaluation.id,
      practitionerId: marta.id,
      startsAt: '2026-11-24T10:00:00Z',
    });
    expect(booked.status).toBe(201);
    for (const [route, entity] of [
      [`/api/rooms/${sala1.id}`, 'room'],
      [`/api/practitioners/${marta.id}`, 'practitioner'],
      [`/api/specialties/${evaluation.id}`, 'specialty'],
    ] as const) {
      const res = await call('PATCH', route, { active: false });
      expect([res.status, res.body.error.code, res.body.error.details]).toEqual([
        409,
        'has_future_appointments',
        { entity, count: 1 },
      ]);
    }
    // Once the appointment is cancelled, the room can go.
    await call('POST', `/api/appointments/${booked.body.id}/status`, {
      expectedVersion: versionOf(h.deps, booked.body.id),
      status: 'cancelled',
    });
    expect((await call('PATCH', `/api/rooms/${sala1.id}`, { active: false })).status).toBe(200);
    // Marta's usual room was Sala 1: she has none now (new bookings do not land in a closed room).
    expect((await state()).practitioners[0]!.defaultRoomId).toBeNull();
    const audit = h.deps.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'room.update' ORDER BY seq DESC")
      .get() as { detail: string };
    expect(JSON.parse(audit.detail)).toEqual({
      active: { from: true, to: false },
      practitionersUnassigned: [marta.id],
    });
    // A past appointment does not hold anything.
    h.setNow(Date.parse('2026-11-25T08:00:00Z'));
    expect((await call('PATCH', `/api/practitioners/${marta.id}`, { active: false })).status).toBe(200);
  });
});

describe('practitioner photo', () => {
  /** A JPEG header: SOI, APP0, SOF0 of `width` × `height` (the server reads the size, never decodes). */
  const jpeg = (width: number, height: number) =>
    new Uint8Array([
      ...[0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8],
      ...[height >> 8, height & 255, width >> 8, width & 255],
      ...[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9],
    ]);
  const JPEG = jpeg(256, 192);

  it('stores a JPEG, serves it with its ETag and refuses other types and sizes', async () => {
    const { marta } = await fullSetup();
    const route = `/api/practitioners/${marta.id}/photo`;
    expect((await call('GET', route)).body.error.code).toBe('photo_not_found');
    const put = await call('PUT', route, JPEG, { 'content-type': 'image/jpeg' });
    expect(put.status).toBe(200);
    expect(put.body.photoUpdatedAt).toBe(AT);
    const res = await h.req('GET', route);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(JPEG);
    const etag = res.headers.get('etag')!;
    expect((await h.req('GET', route, undefined, { 'if-none-match': etag })).status).toBe(304);
    expect(
      h.deps.db.prepare("SELECT detail FROM audit_log WHERE action = 'practitioner.photo'").get(),
    ).toEqual({ detail: expect.stringContaining(`"bytes":${JPEG.length}`) });

    // Every screen may show it; only an admin changes it.
    const kiosk = await h.req('GET', route, undefined, { authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` });
    expect(kiosk.status).toBe(200);
    const asDesk = await call('PUT', route, JPEG, {
      'content-type': 'image/jpeg',
      ...(await h.as('receptionist')),
    });
    expect([asDesk.status, asDesk.body.error.code]).toEqual([403, 'forbidden']);

    const png = await call('PUT', route, JPEG, { 'content-type': 'image/png' });
    expect([png.status, png.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const lie = await call('PUT', route, new Uint8Array([1, 2, 3, 4]), { 'content-type': 'image/webp' });
    expect([lie.status, lie.body.error.code]).toEqual([400, 'image_invalid']);
    const wide = await call('PUT', route, jpeg(640, 480), { 'content-type': 'image/jpeg' });
    expect([wide.status, wide.body.error.code, wide.body.error.details]).toEqual([
      400,
      'image_invalid',
      { width: 640, height: 480, maxPx: 256 },
    ]);
    const big = new Uint8Array(512 * 1024 + 1);
    big.set(JPEG.subarray(0, 3));
    const tooBig = await call('PUT', route, big, { 'content-type': 'image/jpeg' });
    expect([tooBig.status, tooBig.body.error.code]).toEqual([413, 'payload_too_large']);
  });
});

describe('the configured clinic takes a booking', () => {
  it('offers slots inside the opening hours with the specialty duration, and books one', async () => {
    const { marta, evaluation } = await fullSetup();
    const days = clinicAvailability(h.deps, evaluation.id, '2026-11-23', 7);
    // Sunday is closed; Saturday only in the morning: last 40-minute start 12:15 (ends 12:55 < 13:00).
    expect(days.find((d) => d.date === '2026-11-29')!.slots).toEqual([]);
    expect(days.find((d) => d.date === '2026-11-28')!.slots.at(-1)!.startsAt).toBe(
      '2026-11-28T12:15:00.000Z',
    );
    const slot = firstSlot(days)!;
    expect(slot).toEqual({
      startsAt: '2026-11-23T09:00:00.000Z',
      endsAt: '2026-11-23T09:40:00.000Z',
      practitionerIds: [marta.id],
    });

    const patient = (await call('POST', '/api/patients', { fullName: 'Rui Costa', phone: '912345678' })).body;
    const booked = await call('POST', '/api/appointments', {
      patientId: patient.id,
      specialtyId: evaluation.id,
      startsAt: slot.startsAt,
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ startsAt: slot.startsAt, durationMin: 40 });
    // The slot is taken now: the next free start is after the 40 minutes.
    expect(firstSlot(clinicAvailability(h.deps, evaluation.id, '2026-11-23', 1))!.startsAt).toBe(
      '2026-11-23T09:45:00.000Z',
    );
  });
});
