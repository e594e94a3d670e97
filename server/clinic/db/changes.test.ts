/**
 * Medium tests of the change log (docs/sync.md) on a real SQLite file: after every kind of write the local
 * server does, the outbox holds exactly one snapshot per changed row and it is the row as committed (same
 * version, every column); face data never reaches it; acknowledged entries leave it; audit rows older than
 * the retention are pruned and no others.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FaceEngine } from '../face/engine.ts';
import type { BoardAppointment } from '../features/appointments/service.ts';
import {
  addPractitionerSpecialty,
  insertPractitioner,
  insertRoom,
  insertSpecialty,
} from '../features/catalog/repo.ts';
import { enrol } from '../features/face/service.ts';
import { confirmCheckIn } from '../features/kiosk/service.ts';
import type { Patient } from '../features/patients/repo.ts';
import { seedSmallClinic, type SmallClinic } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import {
  acknowledgeOutbox,
  AUDIT_RETENTION_DEFAULT_DAYS,
  outboxBacklog,
  parseRetentionPolicy,
  pruneAudit,
  readOutbox,
  runMaintenance,
  startMaintenance,
  writeAudit,
  writeOutbox,
} from './changes.ts';
import { versionOf } from '../testing/versions.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

/** Tables whose rows travel, by outbox entity. */
const SYNCED: Record<string, string> = {
  patient: 'patients',
  appointment: 'appointments',
  payment: 'payments',
  room: 'rooms',
  practitioner: 'practitioners',
  specialty: 'specialties',
};

/** A face engine that finds one large face with a fixed, recognisable descriptor in any image. */
const DESCRIPTOR = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i * 0.37) * 0.3);
const fakeEngine: FaceEngine = {
  info: { backend: 'wasm', faceApiVersion: 'test', tfjsVersion: 'test', modelId: 'test-model-v1' },
  analyze: () =>
    Promise.resolve({
      width: 640,
      height: 480,
      faces: [
        {
          box: { x: 100, y: 80, width: 300, height: 300 },
          score: 0.99,
          descriptor: DESCRIPTOR,
          keypoints: [],
          landmarks: [],
        },
      ],
      timings: { decode: 0, detect: 0, describe: 0, total: 0 },
      padded: false,
    } as unknown as Awaited<ReturnType<FaceEngine['analyze']>>),
};

let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false, engine: fakeEngine });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

interface OutboxRow {
  seq: number;
  entity: string;
  entity_id: string;
  op: string;
  version: number;
  payload: string;
  created_at: string;
}
const outboxRows = () => h.deps.db.prepare('SELECT * FROM outbox ORDER BY seq').all() as OutboxRow[];

/**
 * Nothing has been acknowledged, so every synced row must have exactly one queued snapshot and it must be
 * the row as it is in its table now (version included); and no snapshot may be of anything else.
 */
function expectOutboxMirrorsTables(): void {
  const rows = outboxRows();
  const byKey = new Map<string, OutboxRow[]>();
  for (const r of rows)
    byKey.set(`${r.entity}/${r.entity_id}`, [...(byKey.get(`${r.entity}/${r.entity_id}`) ?? []), r]);
  let expected = 0;
  for (const [entity, table] of Object.entries(SYNCED)) {
    for (const row of h.deps.db.prepare(`SELECT * FROM ${table}`).all() as {
      id: string;
      version: number;
    }[]) {
      const queued = byKey.get(`${entity}/${row.id}`) ?? [];
      expect(queued, `${entity} ${row.id}`).toHaveLength(1);
      expect(queued[0]!.version, `${entity} ${row.id} version`).toBe(row.version);
      expect(JSON.parse(queued[0]!.payload), `${entity} ${row.id} payload`).toEqual(row);
      expected++;
    }
  }
  for (const s of h.deps.db.prepare('SELECT * FROM settings').all() as {
    key: string;
    value: string;
    updated_at: string;
    version: number;
  }[]) {
    const queued = byKey.get(`settings/${s.key}`) ?? [];
    expect(queued, `settings ${s.key}`).toHaveLength(1);
    expect(queued[0]!.version).toBe(s.version);
    const payload = JSON.parse(queued[0]!.payload) as { value: unknown };
    expect(payload).toEqual({
      id: s.key,
      key: s.key,
      value: JSON.parse(s.value),
      updated_at: s.updated_at,
      version: s.version,
    });
    expect(JSON.stringify(payload.value)).toBe(s.value);
    expected++;
  }
  for (const l of h.deps.db.prepare('SELECT * FROM practitioner_specialties').all() as {
    practitioner_id: string;
    specialty_id: string;
    created_at: string;
  }[]) {
    const queued = byKey.get(`practitioner_specialty/${l.practitioner_id}:${l.specialty_id}`) ?? [];
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]!.payload)).toEqual({
      id: `${l.practitioner_id}:${l.specialty_id}`,
      version: 1,
      ...l,
    });
    expected++;
  }
  expect(rows).toHaveLength(expected);
}

/** The queued snapshot of one entity (there is exactly one), parsed. */
function snapshot(entity: string, id: string): Record<string, unknown> {
  const rows = outboxRows().filter((r) => r.entity === entity && r.entity_id === id);
  expect(rows).toHaveLength(1);
  return JSON.parse(rows[0]!.payload) as Record<string, unknown>;
}

async function post<T>(route: string, body: unknown, expected = 200): Promise<T> {
  const res = await h.req('POST', route, body);
  expect(res.status, `${route}: ${await res.clone().text()}`).toBe(expected);
  return (await res.json()) as T;
}

describe('outbox snapshots', () => {
  it('after every kind of write, holds one snapshot per changed row, equal to the committed row', async () => {
    expectOutboxMirrorsTables(); // the catalogue: rooms, practitioners, specialties, links

    // Catalogue changes (the seed and, later, the setup wizard).
    h.setNow(NOW + 1 * MIN);
    h.deps.db.transaction(() => {
      const room = insertRoom(h.deps, 'Sala 3');
      const spec = insertSpecialty(h.deps, {
        code: 'shock_waves',
        namePt: 'Ondas de choque',
        nameEn: 'Shock waves',
        defaultDurationMin: 20,
        priceCents: 5000,
      });
      const pr = insertPractitioner(h.deps, {
        fullName: 'Ana Reis',
        displayName: 'Dr.ª Ana Reis',
        defaultRoomId: room,
      });
      addPractitionerSpecialty(h.deps, pr, spec);
    })();
    expectOutboxMirrorsTables();

    // Create patient, book an appointment.
    h.setNow(NOW + 2 * MIN);
    const patient = await post<Patient>(
      '/api/patients',
      { fullName: 'Marta Teste Sousa', phone: '+351912345678' },
      201,
    );
    expect(snapshot('patient', patient.id)).toMatchObject({
      full_name: 'Marta Teste Sousa',
      version: 1,
      deleted_at: null,
    });
    expectOutboxMirrorsTables();
    const booked = await post<BoardAppointment>(
      '/api/appointments',
      {
        patientId: patient.id,
        specialtyId: clinic.specialties.evaluation,
        practitionerId: clinic.practitioners.marta,
        startsAt: new Date(NOW + 20 * MIN).toISOString(),
      },
      201,
    );
    expectOutboxMirrorsTables();

    // Walk-in (patient + appointment + check-in in one transaction): the appointment's one snapshot is
    // its version 2, with the ticket and the wait estimate of the check-in.
    h.setNow(NOW + 3 * MIN);
    const walkIn = await post<BoardAppointment>(
      '/api/walk-ins',
      {
        fullName: 'Rui Teste Costa',
        specialtyId: clinic.specialties.evaluation,
        practitionerId: clinic.practitioners.joao,
      },
      201,
    );
    expect(walkIn.estimate).not.toBeNull();
    expect(snapshot('appointment', walkIn.id)).toMatchObject({
      version: 2,
      status: 'arrived',
      ticket: 'A001',
      wait_estimate_min: walkIn.estimate!.waitMin,
    });
    expectOutboxMirrorsTables();

    // Check-in at the desk: one version bump, and the snapshot carries the estimate the patient was shown.
    h.setNow(NOW + 4 * MIN);
    const arrived = await post<BoardAppointment>(`/api/appointments/${booked.id}/status`, {
      expectedVersion: versionOf(h.deps, booked.id),
      status: 'arrived',
    });
    expect(arrived.version).toBe(2);
    expect(snapshot('appointment', booked.id)).toMatchObject({
      version: 2,
      status: 'arrived',
      ticket: 'A002',
      arrived_at: new Date(NOW + 4 * MIN).toISOString(),
      wait_estimate_min: arrived.estimate!.waitMin,
    });
    expect(arrived.estimate!.waitMin).toBeGreaterThan(0);
    expectOutboxMirrorsTables();

    // Call (next in the room), start, done.
    h.setNow(NOW + 20 * MIN);
    await post('/api/queue/call-next', { roomId: clinic.rooms.sala1 });
    expectOutboxMirrorsTables();
    h.setNow(NOW + 21 * MIN);
    await post(`/api/appointments/${booked.id}/status`, {
      expectedVersion: versionOf(h.deps, booked.id),
      status: 'in_session',
    });
    expectOutboxMirrorsTables();
    h.setNow(NOW + 50 * MIN);
    await post(`/api/appointments/${booked.id}/status`, {
      expectedVersion: versionOf(h.deps, booked.id),
      status: 'done',
    });
    expect(snapshot('appointment', booked.id)).toMatchObject({ version: 5, status: 'done' });
    expectOutboxMirrorsTables();

    // Kiosk check-in (by booking code), no-show and cancel.
    const book = async (name: string, minutes: number) => {
      const p = await post<Patient>('/api/patients', { fullName: name }, 201);
      return post<BoardAppointment>(
        '/api/appointments',
        {
          patientId: p.id,
          specialtyId: clinic.specialties.massage,
          practitionerId: clinic.practitioners.joao,
          startsAt: new Date(h.deps.now() + minutes * MIN).toISOString(),
        },
        201,
      );
    };
    const kiosk = await book('Sara Teste Dias', 10);
    confirmCheckIn(h.deps, kiosk.id, 'code');
    expect(snapshot('appointment', kiosk.id)).toMatchObject({
      version: 2,
      check_in_method: 'code',
      status: 'arrived',
    });
    expect(snapshot('appointment', kiosk.id).wait_estimate_min).toEqual(expect.any(Number));
    expectOutboxMirrorsTables();
    const absent = await book('Nuno Teste Faltou', -30);
    await post(`/api/appointments/${absent.id}/status`, {
      expectedVersion: versionOf(h.deps, absent.id),
      status: 'no_show',
    });
    expectOutboxMirrorsTables();
    const cancelled = await book('Inês Teste Cancelou', 60);
    await post(`/api/appointments/${cancelled.id}/status`, {
      expectedVersion: versionOf(h.deps, cancelled.id),
      status: 'cancelled',
    });
    expect(snapshot('appointment', cancelled.id)).toMatchObject({ version: 2, status: 'cancelled' });
    expectOutboxMirrorsTables();

    // Settings change.
    h.setNow(NOW + 55 * MIN);
    const res = await h.req('PATCH', '/api/settings', { turnoverBufferMin: 3, clinicName: 'Clínica Teste' });
    expect(res.status).toBe(200);
    expectOutboxMirrorsTables();

    // Desk payment, then its void.
    const payment = await post<{ id: string }>(
      `/api/appointments/${booked.id}/payments`,
      { method: 'cash', amountCents: 3500 },
      201,
    );
    expectOutboxMirrorsTables();
    h.setNow(NOW + 56 * MIN);
    await post(`/api/payments/${payment.id}/void`, { reason: 'Valor errado' });
    expect(snapshot('payment', payment.id)).toMatchObject({ version: 2, void_reason: 'Valor errado' });
    expectOutboxMirrorsTables();

    // Face enrolment and its deletion write no outbox row at all, and no face data is anywhere in it.
    const before = outboxRows();
    await enrol(h.deps, patient.id, [new Uint8Array([1, 2, 3])], true, 'desk');
    const enrolled = h.deps.db
      .prepare('SELECT descriptors FROM face_enrolments WHERE patient_id = ?')
      .get(patient.id) as {
      descriptors: Buffer;
    };
    expect(outboxRows()).toEqual(before);
    expect((await h.req('DELETE', `/api/patients/${patient.id}/face`)).status).toBe(200);
    expect(outboxRows()).toEqual(before);
    const all = JSON.stringify(outboxRows());
    for (const needle of [
      'descriptor',
      'face_enrol',
      'consent',
      'test-model-v1',
      enrolled.descriptors.toString('base64').slice(0, 24),
      enrolled.descriptors.toString('hex').slice(0, 24),
      String(DESCRIPTOR[1]),
    ])
      expect(all).not.toContain(needle);
    expect(() => writeOutbox(h.deps, 'face_enrolment', { id: patient.id, version: 1 })).toThrow(
      /never be synced/,
    );
    expect(() => writeOutbox(h.deps, 'patient', { id: patient.id, version: 9, descriptors: 'x' })).toThrow(
      /never be synced/,
    );
  });

  it('keeps the newest snapshot when an entity changes twice in one transaction', () => {
    h.deps.db.transaction(() => {
      const id = insertRoom(h.deps, 'Sala 9');
      h.deps.db.prepare("UPDATE rooms SET name = 'Sala 10', version = version + 1 WHERE id = ?").run(id);
      writeOutbox(
        h.deps,
        'room',
        h.deps.db.prepare('SELECT * FROM rooms WHERE id = ?').get(id) as {
          id: string;
          version: number;
        },
      );
    })();
    expectOutboxMirrorsTables();
    const rooms = outboxRows().filter((r) => r.entity === 'room');
    expect(rooms.map((r) => (JSON.parse(r.payload) as { name: string }).name)).toEqual([
      'Sala 1',
      'Sala 2',
      'Sala 10',
    ]);
  });
});

describe('acknowledgement', () => {
  it('reads in seq order, removes what was acknowledged by id or up to a seq, and is idempotent', async () => {
    const start = outboxBacklog(h.deps);
    expect(start.pending).toBe(outboxRows().length);
    expect(start.oldestAt).toBe(new Date(NOW).toISOString());

    // The pusher reads a first batch and sends it.
    const batch = readOutbox(h.deps, { limit: 3 });
    expect(batch.map((e) => e.seq)).toEqual(
      outboxRows()
        .slice(0, 3)
        .map((r) => r.seq),
    );
    expect(batch[0]).toMatchObject({ entity: 'room', op: 'upsert', version: 1, payload: { name: 'Sala 1' } });
    expect(readOutbox(h.deps, { afterSeq: batch[2]!.seq, limit: 1 })[0]!.seq).toBeGreaterThan(batch[2]!.seq);

    // Meanwhile the first room changes: its newer snapshot replaces the one being pushed, at a higher seq.
    const room = batch[0]!.entityId;
    h.setNow(NOW + MIN);
    h.deps.db.transaction(() => {
      h.deps.db.prepare("UPDATE rooms SET name = 'Sala Um', version = 2 WHERE id = ?").run(room);
      writeOutbox(
        h.deps,
        'room',
        h.deps.db.prepare('SELECT * FROM rooms WHERE id = ?').get(room) as {
          id: string;
          version: number;
        },
      );
    })();

    // The central API confirmed the batch: acknowledged entries go; the newer snapshot stays queued.
    expect(acknowledgeOutbox(h.deps, { ids: batch.map((e) => e.id) })).toBe(2);
    expect(acknowledgeOutbox(h.deps, { ids: batch.map((e) => e.id) })).toBe(0); // repeated after a crash
    expect(acknowledgeOutbox(h.deps, { ids: [] })).toBe(0);
    const left = readOutbox(h.deps, { limit: 10_000 });
    expect(left.find((e) => e.entityId === room)).toMatchObject({ version: 2, payload: { name: 'Sala Um' } });
    expect(left.some((e) => batch.some((b) => b.id === e.id))).toBe(false);

    // Up to a seq: everything at or below it goes, nothing above.
    const upTo = left[1]!.seq;
    expect(acknowledgeOutbox(h.deps, { upToSeq: upTo })).toBe(2);
    expect(readOutbox(h.deps, { limit: 10_000 }).map((e) => e.seq)).toEqual(left.slice(2).map((e) => e.seq));
    expect(acknowledgeOutbox(h.deps, { upToSeq: Number.MAX_SAFE_INTEGER })).toBe(left.length - 2);
    expect(outboxBacklog(h.deps)).toEqual({ pending: 0, oldestAt: null });

    // Acknowledged entries are gone for good: a later change queues a fresh snapshot with a new seq.
    h.setNow(NOW + 2 * MIN);
    const res = await h.req('PATCH', '/api/settings', { clinicName: 'Clínica Nova' });
    expect(res.status).toBe(200);
    const after = readOutbox(h.deps);
    expect(after).toHaveLength(1);
    expect(after[0]!.seq).toBeGreaterThan(upTo);
    expect(after[0]).toMatchObject({
      entity: 'settings',
      entityId: 'clinicName',
      createdAt: new Date(NOW + 2 * MIN).toISOString(),
    });

    expect(() => acknowledgeOutbox(h.deps, { upToSeq: -1 })).toThrow(RangeError);
    expect(() => acknowledgeOutbox(h.deps, { upToSeq: 1.5 })).toThrow(RangeError);
    expect(() => readOutbox(h.deps, { limit: 0 })).toThrow(RangeError);
  });
});

describe('audit retention', () => {
  const auditAts = () =>
    (h.deps.db.prepare('SELECT at FROM audit_log ORDER BY seq').all() as { at: string }[]).map((r) => r.at);

  it('deletes audit rows older than the retention, in batches, and keeps the rest and the outbox', () => {
    h.deps.db.prepare('DELETE FROM audit_log').run();
    const start = NOW - 800 * DAY;
    for (const days of [0, 1, 2, 100, 200, 300, 400, 500, 600, 700, 750, 769, 770, 771, 790, 799, 800]) {
      h.setNow(start + days * DAY);
      writeAudit(h.deps, 'desk', 'patient.search', null, null, { results: 1 });
    }
    const outbox = outboxRows();
    h.setNow(NOW);
    // 730 days back from NOW is start + 70 days: rows at day 0, 1, 2 go (the day-70 boundary row is none).
    expect(pruneAudit(h.deps, 730, 2)).toBe(3);
    expect(auditAts()[0]).toBe(new Date(start + 100 * DAY).toISOString());
    expect(pruneAudit(h.deps, 730)).toBe(0);
    // One year: rows before start + 435 days go (100…400).
    expect(runMaintenance(h.deps, { auditRetentionDays: 365 })).toEqual({ auditDeleted: 4 });
    expect(auditAts()).toHaveLength(10);
    expect(auditAts()[0]).toBe(new Date(start + 500 * DAY).toISOString());
    expect(outboxRows()).toEqual(outbox);
    expect(() => pruneAudit(h.deps, 30)).toThrow(RangeError);
  });

  it('prunes everything when every row is old, and nothing in an empty log', () => {
    for (let i = 0; i < 5; i++) writeAudit(h.deps, 'system', 'test.event', null, null);
    h.setNow(NOW + 1000 * DAY);
    const n = auditAts().length;
    expect(n).toBeGreaterThan(0);
    expect(pruneAudit(h.deps, 365, 1)).toBe(n);
    expect(pruneAudit(h.deps, 365)).toBe(0);
  });

  it('runs from the server: 10 s after start, then every interval, until stopped', () => {
    vi.useFakeTimers();
    try {
      const write = () => writeAudit(h.deps, 'system', 'test.event', null, null);
      write();
      h.setNow(NOW + 400 * DAY);
      const stop = startMaintenance(h.deps, { auditRetentionDays: 365 }, 60_000);
      vi.advanceTimersByTime(9_999);
      expect(auditAts().length).toBeGreaterThan(0);
      vi.advanceTimersByTime(1);
      expect(auditAts()).toEqual([]);
      write();
      h.setNow(NOW + 800 * DAY);
      vi.advanceTimersByTime(60_000);
      expect(auditAts()).toEqual([]);
      write();
      h.setNow(NOW + 1200 * DAY);
      stop();
      vi.advanceTimersByTime(3_600_000);
      expect(auditAts()).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads CFD_AUDIT_RETENTION_DAYS: two years by default, never under one year', () => {
    expect(parseRetentionPolicy({})).toEqual({ auditRetentionDays: AUDIT_RETENTION_DEFAULT_DAYS });
    expect(AUDIT_RETENTION_DEFAULT_DAYS).toBe(730);
    expect(parseRetentionPolicy({ CFD_AUDIT_RETENTION_DAYS: '3650' })).toEqual({ auditRetentionDays: 3650 });
    for (const bad of ['30', '364', 'abc', '400.5'])
      expect(() => parseRetentionPolicy({ CFD_AUDIT_RETENTION_DAYS: bad })).toThrow(
        /CFD_AUDIT_RETENTION_DAYS/,
      );
  });
});
