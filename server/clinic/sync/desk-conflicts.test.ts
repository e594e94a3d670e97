/**
 * Desk bookings against a real central over HTTP (PGlite): a desk booking the clinic pushes is in
 * central's appointments and no longer offered online; a desk booking of a time someone booked online
 * while the clinic had not pulled yet is answered 'conflict_central_wins' 'slot_taken', and the desk's
 * `GET /api/sync/status` lists it in `conflicts` (entity, id, reason, when: nothing else). Also the
 * conflict log itself: a rejected entry sent again is listed once, newest first, 20 shown, 200 kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpCentral, type HttpCentral } from '../../../tests/support/sync-central.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import { createApp } from '../app.ts';
import { ARGON2_TEST } from '../../http/passwords.ts';
import { createHarness, TEST_SESSION_KEY, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import { readConflicts, recordConflicts, SyncService } from './engine.ts';

const NOW = '2026-11-23T09:00:00.000Z';
const MARTA = DEMO_PRACTITIONERS[0]!.id;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let central: HttpCentral;
let h: Harness;
let dataDir: string;
let sync: SyncService;
let app: ReturnType<typeof createApp>;

async function clinic(method: string, route: string, body?: unknown) {
  return app.request(route, {
    method,
    headers: {
      host: 'localhost',
      ...(await h.as('admin')),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** Books Marta at `startsAt` at the desk (msk_physio, 45 min) for a seeded patient; the appointment. */
async function deskBooking(startsAt: string): Promise<Json> {
  const specialtyId = (
    h.deps.db.prepare("SELECT id FROM specialties WHERE code = 'msk_physio'").get() as { id: string }
  ).id;
  const patientId = (
    h.deps.db.prepare('SELECT id FROM patients WHERE deleted_at IS NULL LIMIT 1').get() as { id: string }
  ).id;
  const res = await clinic('POST', '/api/appointments', {
    patientId,
    specialtyId,
    practitionerId: MARTA,
    startsAt,
    durationMin: 45,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as Json;
  return (body.appointment ?? body) as Json;
}

/** Marta's starts central offers online on 2026-11-25. */
async function offeredOnline(): Promise<string[]> {
  const res = await central.t.app.request(
    `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=msk_physio&from=2026-11-25&days=1&practitionerId=${MARTA}`,
  );
  const body = (await res.json()) as Json;
  return body.days[0].slots.map((s: Json) => s.startsAt as string);
}

beforeAll(async () => {
  central = await startHttpCentral(NOW);
  h = createHarness({ now: Date.parse(NOW) });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-desk-'));
  sync = new SyncService(h.deps, { dataDir, intervalMs: 60_000, timeoutMs: 20_000 });
  app = createApp(h.deps, {
    token: TEST_TOKEN,
    allowedHosts: ['localhost'],
    rendererDir: null,
    sessionKey: TEST_SESSION_KEY,
    argon2: ARGON2_TEST,
    sync,
  });
  await sync.pair(await central.pairingCode(), central.url);
  await sync.stop(); // passes run by hand below
  await sync.syncOnce(); // the demo seed
});

afterAll(async () => {
  await sync.stop();
  await central.close();
  h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('desk bookings at central', () => {
  it('blocks a desk booking online, and shows staff the one an online booking took first', async () => {
    expect(await offeredOnline()).toEqual(
      expect.arrayContaining(['2026-11-25T10:00:00.000Z', '2026-11-25T15:00:00.000Z']),
    );
    await central.bookOnline('2026-11-25T10:00:00.000Z', 'Rita Online');
    const clash = await deskBooking('2026-11-25T10:00:00.000Z'); // the clinic has not pulled it yet
    const free = await deskBooking('2026-11-25T15:00:00.000Z');
    const { push } = await sync.syncOnce();
    expect(push.statuses.conflict_central_wins).toBeGreaterThanOrEqual(1);
    expect(await central.appointment(clash.id as string)).toBeUndefined();
    expect(await central.appointment(free.id as string)).toMatchObject({
      source: 'clinic',
      status: 'confirmed',
    });
    expect(await offeredOnline()).not.toContain('2026-11-25T15:00:00.000Z');
    const status = (await (await clinic('GET', '/api/sync/status')).json()) as Json;
    expect(status.conflicts[0]).toEqual({
      entity: 'appointment',
      entityId: clash.id,
      reason: 'slot_taken',
      at: NOW,
    });
    expect(status.conflicts.some((c: Json) => c.entityId === free.id)).toBe(false);
  });
});

describe('conflict log', () => {
  it('lists a rejected entry once, newest first, 20 shown and 200 kept', () => {
    const before = readConflicts(h.deps, 1000).length;
    const rejected = {
      entryId: 'e-rejected',
      entity: 'payment',
      entityId: 'p1',
      status: 'rejected' as const,
      reason: 'payload_invalid',
    };
    recordConflicts(h.deps, [rejected]);
    recordConflicts(h.deps, [rejected]); // sent again next pass
    expect(readConflicts(h.deps, 1000).length).toBe(before + 1);
    recordConflicts(
      h.deps,
      Array.from({ length: 210 }, (_, i) => ({
        entryId: `e-${i}`,
        entity: 'appointment',
        entityId: `a${i}`,
        status: 'conflict_central_wins' as const,
        reason: 'slot_taken',
      })),
    );
    const shown = readConflicts(h.deps);
    expect(shown.length).toBe(20);
    expect(shown[0]!.entityId).toBe('a209');
    expect(shown[19]!.entityId).toBe('a190');
    expect(readConflicts(h.deps, 1000).length).toBe(200);
  });
});
