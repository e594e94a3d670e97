/**
 * The clinic's sync against a real central API over real HTTP (tests/support/sync-central.ts: PGlite,
 * and PostgreSQL too when DATABASE_URL is set (`describeDrivers`), the demo clinic, `@hono/node-server` on a
 * free port) and the clinic's real SQLite (testing/harness.ts):
 * pairing and rotation through the clinic's own routes (pairing file 0600); walk-in and call at the
 * clinic pushed with exact rows at central; a booking made online pulled onto the board (no echo into
 * the outbox) and its online cancellation refused at the kiosk; the same batch delivered twice (no
 * acknowledgement the first time) doubling nothing; central stopped (local work goes on, pending grows,
 * backoff), then back (converges: row checksums equal on both sides); a revoked credential stopping the
 * loop without retries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  checksum,
  describeDrivers,
  waitFor,
  startHttpCentral,
  type HttpCentral,
} from '../../../tests/support/sync-central.ts';
import { DEMO_CLINIC } from '../../domain/demo-clinic.ts';
import { createApp } from '../app.ts';
import { readOutbox } from '../db/changes.ts';
import { ARGON2_TEST } from '../../http/passwords.ts';
import {
  createHarness,
  TEST_CREDENTIALS,
  TEST_SESSION_KEY,
  TEST_TOKEN,
  type Harness,
} from '../testing/harness.ts';
import { SyncClient } from './client.ts';
import { syncPairingFile } from './credentials.ts';
import { pushOutbox, SyncService } from './engine.ts';
import { versionOf } from '../testing/versions.ts';

const NOW = '2026-11-23T09:00:00.000Z';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let central: HttpCentral;
let h: Harness;
let dataDir: string;
let sync: SyncService;
let app: ReturnType<typeof createApp>;

/** Calls the clinic app that has the sync service, as the harness's admin (or `headers`). */
async function clinic(method: string, route: string, body?: unknown, headers?: Record<string, string>) {
  return app.request(route, {
    method,
    headers: {
      host: 'localhost',
      ...(headers ?? (await h.as('admin'))),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

const specialtyId = () =>
  (h.deps.db.prepare("SELECT id FROM specialties WHERE code = 'msk_physio'").get() as { id: string }).id;

async function walkIn(name: string, checkIn = true): Promise<Json> {
  const res = await clinic('POST', '/api/walk-ins', { fullName: name, specialtyId: specialtyId(), checkIn });
  expect(res.status).toBe(201);
  return (await res.json()) as Json;
}

/** Local patient/appointment rows by `entity:id` → checksum. */
function localChecksums(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [entity, table] of [
    ['patient', 'patients'],
    ['appointment', 'appointments'],
  ] as const)
    for (const row of h.deps.db.prepare(`SELECT * FROM ${table}`).all() as Json[])
      out.set(`${entity}:${row.id as string}`, checksum(row));
  return out;
}

/** Central's snapshots of the clinic's patient/appointment rows by `entity:id` → checksum. */
async function centralChecksums(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of await central.records())
    if (r.entity === 'patient' || r.entity === 'appointment')
      out.set(`${r.entity}:${r.entityId}`, checksum(r.payload));
  return out;
}

describeDrivers('clinic ↔ central sync over HTTP', (driver) => {
  beforeAll(async () => {
    central = await startHttpCentral(NOW, driver);
    h = createHarness({ now: Date.parse(NOW) });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-sync-'));
    sync = new SyncService(h.deps, {
      dataDir,
      intervalMs: 150,
      debounceMs: 10,
      backoffMinMs: 50,
      backoffMaxMs: 400,
      timeoutMs: 20_000, // the first push carries the demo seed (~250 rows): seconds on busy cores
    });
    app = createApp(h.deps, {
      token: TEST_TOKEN,
      allowedHosts: ['localhost'],
      rendererDir: null,
      sessionKey: TEST_SESSION_KEY,
      argon2: ARGON2_TEST,
      sync,
    });
  });
  afterAll(async () => {
    await sync.stop();
    await central.close();
    h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('pairs with a one-time code (stored 0600), rotates, and refuses a used code', async () => {
    const unpaired = (await (await clinic('GET', '/api/sync/status')).json()) as Json;
    expect(unpaired).toMatchObject({ paired: false, running: false, lastSyncAt: null });
    expect(unpaired.pending).toBeGreaterThan(0); // the demo seed's rows wait for the first push

    const code = await central.pairingCode();
    const asDesk = await h.as('receptionist');
    expect((await clinic('POST', '/api/sync/pair', { centralUrl: central.url, code }, asDesk)).status).toBe(
      403,
    );
    const paired = await clinic('POST', '/api/sync/pair', { centralUrl: central.url, code });
    expect(paired.status).toBe(200);
    expect(await paired.json()).toEqual({
      clinicId: DEMO_CLINIC.id,
      centralUrl: central.url,
    });
    await sync.stop(); // the tests below drive passes themselves until the scheduler test
    const file = syncPairingFile(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
    expect(stored).toEqual({
      centralUrl: central.url,
      clinicId: expect.any(String),
      credential: expect.any(String),
    });

    const again = await clinic('POST', '/api/sync/pair', { centralUrl: central.url, code });
    expect(again.status).toBe(400);
    expect(((await again.json()) as Json).error.code).toBe('pairing_code_invalid');

    const rotated = await clinic('POST', '/api/sync/rotate');
    expect(rotated.status).toBe(200);
    const after = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
    expect(after.credential).not.toBe(stored.credential);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const old = new SyncClient({ centralUrl: central.url, credential: stored.credential as string });
    await expect(old.pull(0)).rejects.toMatchObject({
      code: 'sync_credential_invalid',
      status: 401,
      fatal: true,
    });
  });

  it('pushes the walk-in and its check-in: central has the exact rows, the outbox is empty', async () => {
    const visit = await walkIn('Tiago Balcão Reis', false);
    const called = await clinic('POST', `/api/appointments/${visit.id as string}/status`, {
      expectedVersion: versionOf(h.deps, visit.id as string),
      status: 'arrived',
    });
    expect(called.status, await called.clone().text()).toBe(200);
    const { push } = await sync.syncOnce();
    expect(push.rejected).toEqual([]);
    expect(push.acknowledged).toBe(push.sent);
    expect(readOutbox(h.deps)).toEqual([]);
    const records = await central.records();
    const row = h.deps.db.prepare('SELECT * FROM appointments WHERE id = ?').get(visit.id) as Json;
    const patient = h.deps.db.prepare('SELECT * FROM patients WHERE id = ?').get(row.patient_id) as Json;
    expect(row).toMatchObject({ status: 'arrived', check_in_method: 'desk', version: 2 });
    expect(records.find((r) => r.entityId === visit.id)).toEqual({
      entity: 'appointment',
      entityId: visit.id,
      version: row.version,
      payload: row,
    });
    expect(records.find((r) => r.entityId === patient.id)).toEqual({
      entity: 'patient',
      entityId: patient.id,
      version: patient.version,
      payload: patient,
    });
    expect(await centralChecksums()).toEqual(localChecksums());
    expect(((await (await clinic('GET', '/api/sync/status')).json()) as Json).lastSyncAt).toBe(NOW);
  });

  let online: Awaited<ReturnType<HttpCentral['bookOnline']>>;
  it('pulls a booking made online onto the board, without echoing it into the outbox', async () => {
    online = await central.bookOnline('2026-11-25T10:00:00.000Z', 'Rita Online Sousa');
    const { pull } = await sync.syncOnce();
    expect(pull.received).toBe(1);
    expect(readOutbox(h.deps)).toEqual([]);
    const board = (await (await clinic('GET', '/api/board?date=2026-11-25')).json()) as Json;
    const shown = JSON.stringify(board); // the board's rows, with the patient's name
    expect(shown).toContain(online.appointment.id as string);
    expect(shown).toContain('Rita Online Sousa');
    const row = h.deps.db
      .prepare('SELECT * FROM appointments WHERE id = ?')
      .get(online.appointment.id) as Json;
    expect(row).toMatchObject({
      patient_id: online.patientId,
      status: 'scheduled',
      booking_code: online.appointment.bookingCode,
      starts_at: '2026-11-25T10:00:00.000Z',
      specialty_id: specialtyId(),
      walk_in: 0,
      version: 1,
    });
    // Pulling again (nothing new) changes nothing; replaying the page from cursor 0 doubles nothing.
    h.deps.db.prepare('UPDATE sync_state SET pull_cursor = 0').run();
    await sync.syncOnce();
    expect(
      (
        h.deps.db
          .prepare('SELECT COUNT(*) AS n FROM appointments WHERE id = ?')
          .get(online.appointment.id) as Json
      ).n,
    ).toBe(1);
    expect(
      (h.deps.db.prepare('SELECT version FROM appointments WHERE id = ?').get(online.appointment.id) as Json)
        .version,
    ).toBe(1);
    expect(readOutbox(h.deps)).toEqual([]);
  });

  it('a booking cancelled online is refused at the kiosk after the pull', async () => {
    h.setNow(Date.parse('2026-11-25T09:50:00.000Z'));
    const kiosk = { authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` };
    const code = online.appointment.bookingCode as string;
    expect((await clinic('POST', '/api/kiosk/code', { code }, kiosk)).status).toBe(200);
    expect(await online.cancel()).toBe(200);
    await sync.syncOnce();
    const refused = await clinic('POST', '/api/kiosk/code', { code }, kiosk);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).error.code).toBe('appointment_cancelled');
    expect(
      h.deps.db.prepare('SELECT status FROM appointments WHERE id = ?').get(online.appointment.id),
    ).toEqual({
      status: 'cancelled',
    });
    expect(readOutbox(h.deps)).toEqual([]);
  });

  it('a booking made online while the clinic is offline checks in once sync catches up; central sees it', async () => {
    await central.stop();
    const late = await central.bookOnline('2026-11-25T10:00:00.000Z', 'Vera Tardia Cunha');
    await expect(sync.syncOnce()).rejects.toMatchObject({ code: 'network', status: 0 });
    expect(sync.status()).toMatchObject({ online: false, lastError: { code: 'network' } });
    const kiosk = { authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` };
    const code = late.appointment.bookingCode as string;
    expect((await clinic('POST', '/api/kiosk/code', { code }, kiosk)).status).toBe(404);
    await central.restart();
    await sync.syncOnce();
    expect((await clinic('POST', '/api/kiosk/code', { code }, kiosk)).status).toBe(200);
    const confirm = await clinic(
      'POST',
      '/api/kiosk/confirm',
      { appointmentId: late.appointment.id, checkInMethod: 'code' },
      kiosk,
    );
    expect(confirm.status).toBe(200);
    const { push } = await sync.syncOnce();
    expect(push.statuses).toEqual({ applied: 1 });
    expect(await central.appointment(late.appointment.id as string)).toMatchObject({
      status: 'confirmed',
      visitStatus: 'arrived',
    });
    expect(readOutbox(h.deps)).toEqual([]);
  });

  it('the same batch delivered twice (acknowledgement lost) doubles nothing', async () => {
    const visit = await walkIn('Duarte Duplo Lima');
    const queued = readOutbox(h.deps);
    expect(queued.map((e) => e.entity).sort()).toEqual(['appointment', 'patient']);
    const client = new SyncClient({
      centralUrl: central.url,
      credential: (JSON.parse(fs.readFileSync(syncPairingFile(dataDir), 'utf8')) as Json)
        .credential as string,
    });
    const first = await pushOutbox(h.deps, client, { acknowledge: false });
    expect(first.statuses).toEqual({ applied: 2 });
    expect(readOutbox(h.deps)).toEqual(queued);
    const second = await pushOutbox(h.deps, client);
    expect(second.statuses).toEqual({ duplicate: 2 });
    expect(second.acknowledged).toBe(2);
    expect(readOutbox(h.deps)).toEqual([]);
    for (const e of queued) expect(await central.inboxRows(e.id)).toBe(1);
    const records = await central.records();
    expect(records.filter((r) => r.entityId === visit.id)).toHaveLength(1);
    await expectConverged();
  });

  it('central unreachable: the desk keeps working, pending grows, backoff; back online it converges', async () => {
    await central.stop();
    sync.start();
    const before = sync.status().pending;
    await walkIn('Olga Offline Matos');
    await walkIn('Paulo Offline Neves');
    await waitFor('two failed passes', () => sync.status().failures >= 2);
    const down = sync.status();
    expect(down).toMatchObject({ online: false, running: true, stopped: null });
    expect(down.lastError?.code).toBe('network');
    expect(down.pending).toBe(before + 4);
    // Full jitter: a random share of min × 2^(n−1), capped.
    const jitter = new SyncService(h.deps, {
      dataDir,
      backoffMinMs: 1_000,
      backoffMaxMs: 300_000,
      random: () => 0.999,
    });
    expect([1, 2, 3, 9, 20].map((n) => Math.round(jitter.backoffMs(n)))).toEqual([
      999, 1998, 3996, 255_744, 299_700,
    ]);

    await central.restart();
    await waitFor('the backlog pushed', () => sync.status().pending === 0 && sync.status().online);
    expect(sync.status()).toMatchObject({ failures: 0, lastError: null });
    await expectConverged();
    await sync.stop();
  });

  it('clock skew of ± 10 min at the clinic changes nothing: versions, not clocks, order a row', async () => {
    h.setNow(central.t.clock() + 10 * 60_000);
    const visit = await walkIn('Sara Relógio Adiantado', false);
    expect((await sync.syncOnce()).push.statuses).toEqual({ applied: 2 });
    h.setNow(central.t.clock() - 10 * 60_000); // the clinic's clock now behind its own earlier stamp
    const res = await clinic('POST', `/api/appointments/${visit.id as string}/status`, {
      expectedVersion: versionOf(h.deps, visit.id as string),
      status: 'arrived',
    });
    expect(res.status).toBe(200);
    expect((await sync.syncOnce()).push.statuses).toEqual({ applied: 1 });
    const record = (await central.records()).find((r) => r.entityId === visit.id)!;
    expect(record.payload).toMatchObject({
      status: 'arrived',
      version: 2,
      arrived_at: '2026-11-23T08:50:00.000Z',
    });
    await expectConverged();
  });

  it('live: a desk check-in reaches central within 2 s while online (pushed right after the change)', async () => {
    const live = new SyncService(h.deps, { dataDir, intervalMs: 5_000 }); // production timings
    live.start();
    await waitFor('the first pass', () => live.status().lastSyncAt !== null);
    const booked = await central.bookOnline('2026-11-25T11:00:00.000Z', 'Lia Direto Campos');
    const id = booked.appointment.id as string;
    await live.syncOnce(); // the scheduler pulls it within 5 s; here at once
    await live.whenIdle();
    const at = Date.now();
    const arrived = await clinic('POST', `/api/appointments/${id}/status`, {
      expectedVersion: versionOf(h.deps, id),
      status: 'arrived',
    });
    expect(arrived.status).toBe(200);
    await waitFor(
      'central to see the check-in',
      async () => (await central.appointment(id))?.visitStatus === 'arrived',
      2_000,
    );
    expect(Date.now() - at).toBeLessThan(2_000);
    await live.stop();
  });

  it('a revoked credential stops syncing (no retry storm) and says so', async () => {
    expect(await central.revoke()).toBe(200);
    let calls = 0;
    const counted = new SyncService(h.deps, {
      dataDir,
      intervalMs: 20,
      backoffMinMs: 10,
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        calls += 1;
        return fetch(input, init);
      }) as typeof fetch,
    });
    counted.start();
    await waitFor('the loop to stop', () => counted.status().stopped !== null);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
    expect(counted.status()).toMatchObject({
      stopped: 'sync_credential_invalid',
      running: false,
      online: true,
    });
    await counted.stop();
  });
  it('rotating with a revoked credential answers 409 sync_not_paired (not a 401 the desk would take as its own)', async () => {
    const res = await clinic('POST', '/api/sync/rotate');
    expect(res.status).toBe(409);
    expect(((await res.json()) as Json).error).toMatchObject({
      code: 'sync_not_paired',
      details: { code: 'sync_credential_invalid' },
    });
  });

  it('a protocol mismatch (a central on another version) stops syncing after one request', async () => {
    let calls = 0;
    const newer = new SyncService(h.deps, {
      dataDir,
      intervalMs: 20,
      backoffMinMs: 10,
      // A central that speaks only protocol 2 answers as central's requireProtocol does.
      fetch: (async () => {
        calls += 1;
        return Response.json(
          {
            error: {
              code: 'sync_protocol_mismatch',
              message: 'sync protocol 1 is not supported; this server speaks 2',
              details: { supported: 2, received: '1' },
            },
          },
          { status: 400 },
        );
      }) as typeof fetch,
    });
    newer.start();
    await waitFor('the loop to stop', () => newer.status().stopped !== null);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
    expect(newer.status()).toMatchObject({
      stopped: 'sync_protocol_mismatch',
      running: false,
      lastError: { code: 'sync_protocol_mismatch' },
    });
    await newer.stop();
  });

  it('a damaged pairing file leaves the clinic unpaired (logged), it does not stop the server', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-sync-bad-'));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(syncPairingFile(dir), '{ "centralUrl": 1 }');
    expect(new SyncService(h.deps, { dataDir: dir }).status()).toMatchObject({
      paired: false,
      running: false,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * Both sides agree: every row central stores for the clinic has the clinic's checksum, and every clinic
 * row is at central except rows pulled from central and never changed here (nothing to push).
 */
async function expectConverged(): Promise<void> {
  const remote = await centralChecksums();
  const local = localChecksums();
  const pulled = new Set(
    (
      h.deps.db
        .prepare(
          "SELECT entity_id FROM audit_log WHERE action IN ('sync.appointment_pulled', 'sync.patient_pulled')",
        )
        .all() as { entity_id: string }[]
    ).map((r) => r.entity_id),
  );
  for (const key of local.keys()) if (!remote.has(key) && pulled.has(key.split(':')[1]!)) local.delete(key);
  expect(remote).toEqual(local);
}
