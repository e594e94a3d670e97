/**
 * Test support for the sync feature's route tests (not a test file itself): a second clinic, pairing a
 * clinic through the admin and pair routes, a sync client that sends the protocol header and the
 * clinic's credential, outbox entries shaped as the clinic's `readOutbox` returns them, and an online
 * booking made through the portal's routes.
 */
import { v7 as uuidv7 } from 'uuid';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { SYNC_PROTOCOL_HEADER, type SyncOutboxEntry } from '../../../domain/sync.ts';
import { TEST_ADMIN_TOKEN, TEST_ORIGIN, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, loggedInPatient } from '../../testing/fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** The admin's bearer header. */
export const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** The protocol header of every sync call. */
export const PROTOCOL = { [SYNC_PROTOCOL_HEADER]: '1' };

/** A second clinic (id fixed, defaults for the rest), beside the demo clinic. */
export const CLINIC_B = '0d3b0c1a-1c5e-4d6f-9a51-00000000000b';

/** Inserts clinic B. */
export async function addClinicB(t: TestCentral): Promise<void> {
  await t.deps.db.execute(
    sql`INSERT INTO clinics (id, slug, name, created_at) VALUES (${CLINIC_B}, 'clinica-b', 'Clínica B', ${new Date(t.deps.now()).toISOString()})`,
  );
}

/** A raw request to the app (JSON body when given). */
export async function call(
  t: TestCentral,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return t.app.request(`${TEST_ORIGIN}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** Makes a pairing code as the admin; returns it. */
export async function pairingCode(
  t: TestCentral,
  clinicId: string,
): Promise<{ code: string; expiresAt: string }> {
  const res = await call(t, 'POST', `/api/admin/clinics/${clinicId}/pairing-codes`, undefined, ADMIN);
  expect(res.status).toBe(201);
  return (await res.json()) as { code: string; expiresAt: string };
}

/** Pairs `clinicId` (admin code, then the clinic's pair call); returns its credential. */
export async function pairClinic(t: TestCentral, clinicId: string): Promise<string> {
  const { code } = await pairingCode(t, clinicId);
  const res = await call(t, 'POST', '/api/sync/pair', { code }, PROTOCOL);
  expect(res.status).toBe(200);
  const body = (await res.json()) as Json;
  expect(body.clinicId).toBe(clinicId);
  return body.credential as string;
}

/** A clinic's sync client: protocol header and credential on every call. */
export function syncClient(t: TestCentral, credential: string) {
  const h = { ...PROTOCOL, authorization: `Bearer ${credential}` };
  return {
    async push(entries: SyncOutboxEntry[]): Promise<{ status: number; body: Json }> {
      const res = await call(t, 'POST', '/api/sync/push', { format: 1, entries }, h);
      return { status: res.status, body: (await res.json()) as Json };
    },
    async pull(cursor = 0, limit = 1000): Promise<{ status: number; body: Json }> {
      const res = await call(t, 'GET', `/api/sync/pull?cursor=${cursor}&limit=${limit}`, undefined, h);
      return { status: res.status, body: (await res.json()) as Json };
    },
  };
}

let seq = 0;

/** An outbox entry as the clinic's `readOutbox` returns it; `payload.id`/`version` follow the entry. */
export function entry(
  entity: string,
  entityId: string,
  version: number,
  payload: Record<string, unknown>,
): SyncOutboxEntry {
  seq += 1;
  return {
    seq,
    id: uuidv7(),
    entity,
    entityId,
    op: 'upsert',
    version,
    payload: { ...payload, id: entityId, version },
    createdAt: '2026-11-23T09:00:00.000Z',
  };
}

/** A clinic patient row (server/clinic `patients`). */
export function patientRow(name: string, deletedAt: string | null = null): Record<string, unknown> {
  return {
    full_name: name,
    phone: '+351912000111',
    email: null,
    nif: null,
    birth_date: '1980-05-04',
    created_at: '2026-11-23T08:00:00.000Z',
    updated_at: '2026-11-23T08:00:00.000Z',
    deleted_at: deletedAt,
  };
}

/** A clinic appointment row (server/clinic `appointments`) of Marta in Sala 1. */
export function appointmentRow(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    patient_id: uuidv7(),
    practitioner_id: DEMO_PRACTITIONERS[0]!.id,
    specialty_id: uuidv7(),
    room_id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000a1',
    starts_at: '2026-11-25T14:00:00.000Z',
    duration_min: 45,
    status: 'scheduled',
    walk_in: 0,
    booking_code: 'K7M2QX',
    ticket: null,
    check_in_method: null,
    arrived_at: null,
    called_at: null,
    session_started_at: null,
    ended_at: null,
    wait_estimate_min: null,
    created_at: '2026-11-23T08:00:00.000Z',
    updated_at: '2026-11-23T08:00:00.000Z',
    ...over,
  };
}

/** Books `startsAt` with Marta online (hold + confirm in the portal); returns the appointment and patient. */
export async function bookOnline(t: TestCentral, startsAt: string, name = 'Rita Online') {
  const p = await loggedInPatient(t, name);
  const held = await p.http.post('/api/holds', {
    clinicId: DEMO_CLINIC.id,
    specialty: 'msk_physio',
    startsAt,
    practitionerId: DEMO_PRACTITIONERS[0]!.id,
  });
  expect(held.status).toBe(201);
  const { hold } = (await held.json()) as Json;
  const confirmed = await p.http.post(`/api/holds/${hold.id}/confirm`);
  expect(confirmed.status).toBe(201);
  const { appointment } = (await confirmed.json()) as Json;
  return { patient: p, appointment: appointment as Json };
}
