/**
 * Two clinics syncing with one central API at once, over real HTTP (tests/support/sync-central.ts; PGlite,
 * and PostgreSQL too when DATABASE_URL is set, through `describeDrivers`): the demo clinic and a second
 * clinic with its own catalogue each push their walk-ins and pull, in parallel passes. Each clinic's rows
 * are stored under its own id only (checksums equal, no row in both), a booking made online at the demo
 * clinic reaches the demo clinic and not the other, and an entry of the other clinic's row pushed by
 * mistake is rejected (`belongs_to_another_clinic`) and kept in the outbox. A first pass of each takes the
 * catalogue central publishes at pairing before the booking is made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  checksum,
  describeDrivers,
  startHttpCentral,
  type HttpCentral,
} from '../../../tests/support/sync-central.ts';
import { DEMO_CLINIC } from '../../domain/demo-clinic.ts';
import { readOutbox, writeOutbox } from '../db/changes.ts';
import { seedSmallClinic } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { SyncClient } from './client.ts';
import { savePairing, syncPairingFile } from './credentials.ts';
import { SyncService } from './engine.ts';

const NOW = '2026-11-23T09:00:00.000Z';
let central: HttpCentral;
let clinicB: string;

describeDrivers('two clinics at once', (driver) => {
  const dirs: string[] = [];
  const clinics: { h: Harness; sync: SyncService; id: string }[] = [];
  beforeAll(async () => {
    central = await startHttpCentral(NOW, driver);
    clinicB = await central.addClinicB();
    for (const id of [DEMO_CLINIC.id, clinicB]) {
      const h = createHarness({ now: Date.parse(NOW), seed: id === DEMO_CLINIC.id });
      if (id !== DEMO_CLINIC.id) seedSmallClinic(h.deps);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-sync-two-'));
      dirs.push(dir);
      const answer = await new SyncClient({ centralUrl: central.url }).pair(await central.pairingCode(id));
      expect(answer.clinicId).toBe(id);
      savePairing(syncPairingFile(dir), { centralUrl: central.url, ...answer });
      clinics.push({ h, id, sync: new SyncService(h.deps, { dataDir: dir, timeoutMs: 30_000 }) });
    }
  });
  afterAll(async () => {
    await central.close();
    for (const c of clinics) c.h.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A clinic's patient/appointment rows (but those pulled from central and unchanged) → checksum. */
  function local(h: Harness): Map<string, string> {
    const pulled = new Set(
      (
        h.deps.db.prepare("SELECT entity_id FROM audit_log WHERE action LIKE 'sync.%_pulled'").all() as {
          entity_id: string;
        }[]
      ).map((r) => r.entity_id),
    );
    const out = new Map<string, string>();
    for (const [entity, table] of [
      ['patient', 'patients'],
      ['appointment', 'appointments'],
    ] as const)
      for (const row of h.deps.db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[])
        if (!pulled.has(row.id as string)) out.set(`${entity}:${row.id as string}`, checksum(row));
    return out;
  }

  async function remote(clinicId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const r of await central.records(clinicId))
      if (r.entity === 'patient' || r.entity === 'appointment')
        out.set(`${r.entity}:${r.entityId}`, checksum(r.payload));
    return out;
  }

  it('two clinics push and pull at once: each gets its own rows and bookings only', async () => {
    const [a, b] = clinics as [(typeof clinics)[0], (typeof clinics)[0]];
    // A first pass each: the seeds pushed, and the catalogue central publishes at pairing pulled.
    await Promise.all([a.sync.syncOnce(), b.sync.syncOnce()]);
    const online = await central.bookOnline('2026-11-25T10:00:00.000Z', 'Rita Só Clínica A');
    for (const c of clinics) {
      const specialtyId = (
        c.h.deps.db.prepare("SELECT id FROM specialties WHERE code = 'massage'").get() as { id: string }
      ).id;
      for (const name of ['Ana Duas', 'Bruno Duas']) {
        const res = await c.h.req('POST', '/api/walk-ins', { fullName: name, specialtyId });
        expect(res.status).toBe(201);
      }
    }
    const [ra, rb] = await Promise.all([a.sync.syncOnce(), b.sync.syncOnce()]);
    expect([ra.push.rejected, rb.push.rejected]).toEqual([[], []]);
    expect([ra.pull.received, rb.pull.received]).toEqual([1, 0]);
    expect(
      a.h.deps.db.prepare('SELECT status FROM appointments WHERE id = ?').get(online.appointment.id),
    ).toEqual({
      status: 'scheduled',
    });
    expect(
      b.h.deps.db.prepare('SELECT 1 FROM appointments WHERE id = ?').get(online.appointment.id),
    ).toBeUndefined();

    const [remoteA, remoteB] = [await remote(a.id), await remote(b.id)];
    expect(remoteA).toEqual(local(a.h));
    expect(remoteB).toEqual(local(b.h));
    expect([...remoteA.keys()].filter((k) => remoteB.has(k))).toEqual([]);

    // Clinic B queues a row of clinic A (a bug, or a copied database): rejected, kept, sent again later.
    const stray = a.h.deps.db.prepare('SELECT * FROM appointments WHERE walk_in = 1 LIMIT 1').get() as {
      id: string;
      version: number;
    };
    b.h.deps.db.transaction(() =>
      writeOutbox(b.h.deps, 'appointment', { ...stray, version: stray.version + 1 }),
    )();
    const again = await b.sync.syncOnce();
    expect(again.push.rejected.map((r) => r.reason)).toEqual(['belongs_to_another_clinic']);
    expect(readOutbox(b.h.deps).map((e) => e.entityId)).toEqual([stray.id]);
    expect(b.sync.status()).toMatchObject({ rejected: 1, pending: 1, online: true, lastError: null });
    expect(await remote(a.id)).toEqual(remoteA);
  });
});
