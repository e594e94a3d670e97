/**
 * Pairing and clinic credentials, on each driver: the admin's one-time code (401 without the admin
 * bearer, 404 for an unknown clinic), pairing once (a second use, an expired code and a wrong code are
 * all 400 pairing_code_invalid), only hashes stored, the protocol header required (400
 * sync_protocol_mismatch naming the supported version), rotation (the old credential stops working),
 * the admin's revocation, and scoping between two clinics (clinic B can neither write clinic A's rows
 * nor read A's changes).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appointments, syncCredentials, syncPairingCodes, syncRecords } from '../../db/schema.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, seedClinic } from '../../testing/fixtures.ts';
import { hashToken } from '../../http/auth.ts';
import {
  addClinicB,
  ADMIN,
  appointmentRow,
  bookOnline,
  call,
  CLINIC_B,
  entry,
  pairClinic,
  pairingCode,
  patientRow,
  PROTOCOL,
  syncClient,
  type Json,
} from './test-support.ts';

describeDrivers('sync pairing and credentials', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t);
    await addClinicB(t);
  });
  afterAll(async () => t.close());

  it('makes a pairing code only for the admin and only for a known clinic', async () => {
    const none = await call(t, 'POST', `/api/admin/clinics/${DEMO_CLINIC.id}/pairing-codes`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as Json).error.code).toBe('unauthorized');
    const unknown = await call(
      t,
      'POST',
      '/api/admin/clinics/0d3b0c1a-1c5e-4d6f-9a51-0000000000ff/pairing-codes',
      undefined,
      ADMIN,
    );
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Json).error.code).toBe('clinic_not_found');
    const { code, expiresAt } = await pairingCode(t, DEMO_CLINIC.id);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(expiresAt).toBe('2026-11-23T09:15:00.000Z');
    const [stored] = await t.deps.db
      .select()
      .from(syncPairingCodes)
      .where(eq(syncPairingCodes.codeHash, hashToken(code)));
    expect(stored!.clinicId).toBe(DEMO_CLINIC.id);
    expect(stored!.usedAt).toBe(null);
  });

  it('pairs once: the code is used up, the credential stored only as its SHA-256', async () => {
    const { code } = await pairingCode(t, DEMO_CLINIC.id);
    // Typed in lower case with a dash: still the code.
    const typed = `${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`;
    const res = await call(t, 'POST', '/api/sync/pair', { code: typed }, PROTOCOL);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.clinicId).toBe(DEMO_CLINIC.id);
    expect(body.credential).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.deps.db
      .select()
      .from(syncCredentials)
      .where(eq(syncCredentials.tokenHash, hashToken(body.credential)));
    expect(rows.map((r) => [r.clinicId, r.revokedAt])).toEqual([[DEMO_CLINIC.id, null]]);
    const again = await call(t, 'POST', '/api/sync/pair', { code }, PROTOCOL);
    expect(again.status).toBe(400);
    expect(((await again.json()) as Json).error.code).toBe('pairing_code_invalid');
  });

  it('refuses a wrong code and an expired one with the same answer', async () => {
    const wrong = await call(t, 'POST', '/api/sync/pair', { code: '0000000000' }, PROTOCOL);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Json).error).toEqual({
      code: 'pairing_code_invalid',
      message: 'pairing code unknown, used or expired',
    });
    const { code } = await pairingCode(t, DEMO_CLINIC.id);
    t.clock.advance(15 * 60 * 1000); // exactly at expiresAt: no longer valid
    const late = await call(t, 'POST', '/api/sync/pair', { code }, PROTOCOL);
    expect(late.status).toBe(400);
    expect(((await late.json()) as Json).error.code).toBe('pairing_code_invalid');
    const [stored] = await t.deps.db
      .select()
      .from(syncPairingCodes)
      .where(eq(syncPairingCodes.codeHash, hashToken(code)));
    expect(stored!.usedAt).toBe(null);
  });

  it('refuses a missing or different protocol version explicitly', async () => {
    const cred = await pairClinic(t, DEMO_CLINIC.id);
    const auth = { authorization: `Bearer ${cred}` };
    const missing = await call(t, 'GET', '/api/sync/pull?cursor=0', undefined, auth);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Json).error).toEqual({
      code: 'sync_protocol_mismatch',
      message: 'sync protocol (none) is not supported; this server speaks 1',
      details: { supported: 1, received: null },
    });
    const two = await call(
      t,
      'POST',
      '/api/sync/push',
      { format: 1, entries: [] },
      { ...auth, 'x-cfd-sync-protocol': '2' },
    );
    expect(two.status).toBe(400);
    expect(((await two.json()) as Json).error.details).toEqual({ supported: 1, received: '2' });
    const pairNoHeader = await call(t, 'POST', '/api/sync/pair', { code: 'ABCDEFGHJK' });
    expect(pairNoHeader.status).toBe(400);
    expect(((await pairNoHeader.json()) as Json).error.code).toBe('sync_protocol_mismatch');
    const format2 = await call(
      t,
      'POST',
      '/api/sync/push',
      { format: 2, entries: [] },
      { ...auth, ...PROTOCOL },
    );
    expect(format2.status).toBe(400);
    expect(((await format2.json()) as Json).error).toEqual({
      code: 'sync_protocol_mismatch',
      message: 'outbox format 2 is not supported; this server accepts 1',
      details: { supported: 1, received: 2 },
    });
  });

  it('needs a live credential on every sync call but pair', async () => {
    const noAuth = await call(t, 'GET', '/api/sync/pull', undefined, PROTOCOL);
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as Json).error.code).toBe('sync_credential_invalid');
    const bogus = await syncClient(t, 'x'.repeat(43)).pull();
    expect(bogus.status).toBe(401);
    expect(bogus.body.error.code).toBe('sync_credential_invalid');
  });

  it('rotates: the new credential works, the old one is revoked', async () => {
    const old = await pairClinic(t, DEMO_CLINIC.id);
    const res = await call(t, 'POST', '/api/sync/credential/rotate', undefined, {
      ...PROTOCOL,
      authorization: `Bearer ${old}`,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.clinicId).toBe(DEMO_CLINIC.id);
    expect(body.credential).not.toBe(old);
    expect((await syncClient(t, old).pull()).status).toBe(401);
    expect((await syncClient(t, body.credential).pull()).status).toBe(200);
    const [oldRow] = await t.deps.db
      .select()
      .from(syncCredentials)
      .where(eq(syncCredentials.tokenHash, hashToken(old)));
    expect(oldRow!.revokedReason).toBe('rotated');
    expect(oldRow!.revokedAt!.toISOString()).toBe(new Date(t.clock()).toISOString());
  });

  it('pairing again revokes the earlier credential; the admin revokes them all', async () => {
    const first = await pairClinic(t, DEMO_CLINIC.id);
    const second = await pairClinic(t, DEMO_CLINIC.id);
    expect((await syncClient(t, first).pull()).status).toBe(401);
    expect((await syncClient(t, second).pull()).status).toBe(200);
    const noAdmin = await call(t, 'POST', `/api/admin/clinics/${DEMO_CLINIC.id}/credentials/revoke`);
    expect(noAdmin.status).toBe(401);
    const res = await call(
      t,
      'POST',
      `/api/admin/clinics/${DEMO_CLINIC.id}/credentials/revoke`,
      undefined,
      ADMIN,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 1 });
    const after = await syncClient(t, second).pull();
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('sync_credential_invalid');
  });

  it("scopes every call to the credential's clinic: B cannot write A's rows nor read A's changes", async () => {
    const a = syncClient(t, await pairClinic(t, DEMO_CLINIC.id));
    const b = syncClient(t, await pairClinic(t, CLINIC_B));
    const { appointment } = await bookOnline(t, '2026-11-25T09:00:00.000Z');
    const patientId = '0194f0c2-0000-7000-8000-00000000a001';
    const byA = await a.push([entry('patient', patientId, 1, patientRow('Ana da Clínica A'))]);
    expect(byA.body.results.map((r: Json) => r.status)).toEqual(['applied']);
    const byB = await b.push([
      entry('patient', patientId, 2, patientRow('Impostor')),
      entry(
        'appointment',
        appointment.id,
        3,
        appointmentRow({ status: 'arrived', starts_at: appointment.startsAt }),
      ),
      entry('room', '0d3b0c1a-1c5e-4d6f-9a51-0000000000a1', 9, { name: 'Sala B' }),
      entry('practitioner', DEMO_PRACTITIONERS[0]!.id, 9, { full_name: 'Impostora', display_name: 'X' }),
    ]);
    expect(byB.status).toBe(200);
    expect(byB.body.results.map((r: Json) => [r.status, r.reason])).toEqual([
      ['rejected', 'belongs_to_another_clinic'],
      ['rejected', 'belongs_to_another_clinic'],
      ['rejected', 'belongs_to_another_clinic'],
      ['rejected', 'belongs_to_another_clinic'],
    ]);
    const records = await t.deps.db.select().from(syncRecords).where(eq(syncRecords.entityId, patientId));
    expect(records.map((r) => [r.clinicId, r.version, r.payload.full_name])).toEqual([
      [DEMO_CLINIC.id, 1, 'Ana da Clínica A'],
    ]);
    const [central] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect(central!.visitStatus).toBe(null);
    const pulledByB = await b.pull(0);
    expect(pulledByB.body).toEqual({ changes: [], cursor: 0, more: false });
    const pulledByA = await a.pull(0);
    expect(pulledByA.body.changes.map((c: Json) => c.entityId)).toContain(appointment.id);
  });
});
