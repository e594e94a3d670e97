/**
 * An offline day against a real central API over real HTTP (tests/support/sync-central.ts; PGlite, and
 * PostgreSQL too when DATABASE_URL is set, through `describeDrivers`): the clinic
 * is paired and in sync, central goes away, the clinic works through a day of visits (patient created,
 * booked, arrived, called, in session, done: `CFD_SYNC_OFFLINE_VISITS`, default 150, each visit two
 * outbox entries as the outbox keeps one per row) while its sync loop backs off, then central comes
 * back and the loop converges by itself: the outbox drains and every clinic row is at central with the
 * same checksum. `CFD_SYNC_OFFLINE_VISITS=2500` queues 5 000 entries (the offline day).
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
import { DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import { newId, type PractitionerId, type SpecialtyId } from '../../domain/ids.ts';
import { outboxBacklog } from '../db/changes.ts';
import { insertAppointment, newBookingCode, updateAppointment } from '../features/appointments/repo.ts';
import { createPatient } from '../features/patients/repo.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { SyncClient } from './client.ts';
import { savePairing, syncPairingFile } from './credentials.ts';
import { SyncService } from './engine.ts';

const VISITS = Number(process.env.CFD_SYNC_OFFLINE_VISITS ?? 150);
const NOW = '2026-11-23T07:00:00.000Z';
let central: HttpCentral;
let h: Harness;
let dataDir: string;

describeDrivers('an offline day', (driver) => {
  beforeAll(async () => {
    central = await startHttpCentral(NOW, driver);
    h = createHarness({ now: Date.parse(NOW) });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-sync-day-'));
    const answer = await new SyncClient({ centralUrl: central.url }).pair(await central.pairingCode());
    savePairing(syncPairingFile(dataDir), { centralUrl: central.url, ...answer });
  });
  afterAll(async () => {
    await central.close();
    h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** One visit through the repositories (the outbox as the desk's services write it), 09:00 + i × 4 min. */
  function visit(i: number, specialtyId: SpecialtyId): void {
    const patient = createPatient(h.deps, { fullName: `Visita Offline ${i}` }, 'desk');
    const id = newId<'appointment'>();
    const startsAt = Date.parse('2026-11-23T09:00:00.000Z') + i * 4 * 60_000;
    h.setNow(startsAt - 5 * 60_000);
    h.deps.db.transaction(() =>
      insertAppointment(h.deps, {
        id,
        patient_id: patient.id,
        practitioner_id: DEMO_PRACTITIONERS[i % DEMO_PRACTITIONERS.length]!.id as PractitionerId,
        specialty_id: specialtyId,
        room_id: null,
        starts_at: new Date(startsAt).toISOString(),
        duration_min: 30,
        status: 'scheduled',
        walk_in: 0,
        booking_code: newBookingCode(h.deps),
        ticket: null,
        check_in_method: null,
        arrived_at: null,
        called_at: null,
        session_started_at: null,
        ended_at: null,
        wait_estimate_min: null,
      }),
    )();
    let version = 1;
    for (const [status, column, at] of [
      ['arrived', 'arrived_at', startsAt - 5 * 60_000],
      ['called', 'called_at', startsAt],
      ['in_session', 'session_started_at', startsAt + 60_000],
      ['done', 'ended_at', startsAt + 30 * 60_000],
    ] as const) {
      h.setNow(at);
      version = h.deps.db.transaction(
        () =>
          updateAppointment(h.deps, id, version, { status, [column]: new Date(at).toISOString() }).version,
      )();
      h.deps.events.emit('appointment', id);
    }
  }

  it(`an offline day of ${VISITS} visits: work goes on, the loop backs off, then converges by itself`, async () => {
    const sync = new SyncService(h.deps, {
      dataDir,
      intervalMs: 200,
      debounceMs: 20,
      backoffMinMs: 100,
      backoffMaxMs: 1_000,
      timeoutMs: 30_000,
    });
    sync.start();
    await waitFor('the first pass', () => sync.status().lastSyncAt !== null, 30_000);
    expect(sync.status().pending).toBe(0);

    await central.stop();
    const specialtyId = (
      h.deps.db.prepare("SELECT id FROM specialties WHERE code = 'msk_physio'").get() as { id: SpecialtyId }
    ).id;
    for (let i = 0; i < VISITS; i++) {
      visit(i, specialtyId);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 10)); // let the loop run (and fail)
    }
    await waitFor('a failed pass', () => sync.status().failures >= 1, 10_000);
    const down = sync.status();
    expect(down).toMatchObject({ online: false, running: true, lastError: { code: 'network' } });
    expect(down.pending).toBe(2 * VISITS);
    expect(outboxBacklog(h.deps).pending).toBe(2 * VISITS);

    const back = Date.now();
    await central.restart();
    await waitFor('the day pushed', () => sync.status().pending === 0 && sync.status().online, 120_000);
    const tookMs = Date.now() - back;
    await sync.stop();
    const local = new Map<string, string>();
    for (const [entity, table] of [
      ['patient', 'patients'],
      ['appointment', 'appointments'],
    ] as const)
      for (const row of h.deps.db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[])
        local.set(`${entity}:${row.id as string}`, checksum(row));
    const remote = new Map<string, string>();
    for (const r of await central.records())
      if (r.entity === 'patient' || r.entity === 'appointment')
        remote.set(`${r.entity}:${r.entityId}`, checksum(r.payload));
    expect(remote).toEqual(local);
    console.log(
      JSON.stringify({ offlineDay: { visits: VISITS, entries: 2 * VISITS, convergedInMs: tookMs } }),
    );
  }, 180_000);
});
