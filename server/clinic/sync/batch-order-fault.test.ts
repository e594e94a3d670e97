/**
 * Fault test over real HTTP, from the clinic side, on each driver of `describeDrivers` (central in this
 * process on PGlite, and on PostgreSQL when DATABASE_URL is set, served by tests/support/sync-central.ts):
 * - **batches out of order**: the clinic's batch 2 (a newer version of an appointment, and a new walk-in)
 *   reaches central before batch 1 (the appointment's older version and its patient); the older version
 *   is answered `stale` and changes nothing, the rest is `applied`;
 * - **the same batch delivered twice at once**: two concurrent pushes of one batch; each entry is answered
 *   `applied` by one and `duplicate` by the other, and central keeps one inbox row per entry.
 * After each, the clinic acknowledges as its push loop does and both sides converge (row checksums).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  checksum,
  describeDrivers,
  startHttpCentral,
  type HttpCentral,
} from '../../../tests/support/sync-central.ts';
import { acknowledgeOutbox, readOutbox, type OutboxEntry } from '../db/changes.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { SyncClient } from './client.ts';
import { pushOutbox } from './engine.ts';
import { versionOf } from '../testing/versions.ts';

const NOW = '2026-11-23T09:00:00.000Z';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

describeDrivers('batches out of order and delivered twice', (driver) => {
  let central: HttpCentral;
  let h: Harness;
  let client: SyncClient;

  beforeAll(async () => {
    central = await startHttpCentral(NOW, driver);
    h = createHarness({ now: Date.parse(NOW) });
    const { credential } = await new SyncClient({ centralUrl: central.url }).pair(
      await central.pairingCode(),
    );
    client = new SyncClient({ centralUrl: central.url, credential, timeoutMs: 60_000 });
    const seed = await pushOutbox(h.deps, client); // the demo seed: both sides start in step
    expect(seed.rejected).toEqual([]);
    expect(readOutbox(h.deps)).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await central?.close();
    h?.close();
  });

  const specialtyId = () =>
    (h.deps.db.prepare("SELECT id FROM specialties WHERE code = 'msk_physio'").get() as { id: string }).id;

  async function walkIn(name: string): Promise<Json> {
    const res = await h.req('POST', '/api/walk-ins', {
      fullName: name,
      specialtyId: specialtyId(),
      checkIn: false,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Json;
  }

  /** The clinic acknowledges as `pushOutbox` does: every entry whose answer is not `rejected`. */
  function acknowledge(batch: OutboxEntry[], results: { id: string; status: string }[]): void {
    expect(results.map((r) => r.id)).toEqual(batch.map((e) => e.id));
    acknowledgeOutbox(h.deps, { ids: results.filter((r) => r.status !== 'rejected').map((r) => r.id) });
  }

  async function expectConverged(): Promise<void> {
    const local = new Map<string, string>();
    for (const [entity, table] of [
      ['patient', 'patients'],
      ['appointment', 'appointments'],
    ] as const)
      for (const row of h.deps.db.prepare(`SELECT * FROM ${table}`).all() as Json[])
        local.set(`${entity}:${row.id as string}`, checksum(row));
    const remote = new Map<string, string>();
    for (const r of await central.records())
      if (r.entity === 'patient' || r.entity === 'appointment')
        remote.set(`${r.entity}:${r.entityId}`, checksum(r.payload));
    expect(remote).toEqual(local);
  }

  it('batch 2 before batch 1: the older version after the newer is stale, nothing lost, both converge', async () => {
    const visit = await walkIn('Inês Ordem Trocada');
    const batch1 = readOutbox(h.deps); // the patient and the appointment at version 1
    expect(batch1.map((e) => [e.entity, e.version]).sort()).toEqual([
      ['appointment', 1],
      ['patient', 1],
    ]);
    const arrived = await h.req('POST', `/api/appointments/${visit.id as string}/status`, {
      expectedVersion: versionOf(h.deps, visit.id as string),
      status: 'arrived',
    });
    expect(arrived.status).toBe(200);
    const other = await walkIn('Jorge Segundo Lote');
    // Batch 2: what the clinic queued since (the appointment's version 2 replaced its version 1 entry).
    const batch2 = readOutbox(h.deps).filter((e) => !batch1.some((b) => b.id === e.id));
    expect(batch2.find((e) => e.entityId === visit.id)?.version).toBe(2);
    expect(batch2.some((e) => e.entityId === other.id)).toBe(true);

    const second = await client.push(batch2);
    expect(second.results.map((r) => r.status)).toEqual(batch2.map(() => 'applied'));
    acknowledge(batch2, second.results);
    const first = await client.push(batch1);
    const byId = new Map(first.results.map((r) => [r.id, r.status]));
    expect(byId.get(batch1.find((e) => e.entity === 'appointment')!.id)).toBe('stale');
    expect(byId.get(batch1.find((e) => e.entity === 'patient')!.id)).toBe('applied');
    acknowledge(batch1, first.results);

    expect(readOutbox(h.deps)).toEqual([]);
    const record = (await central.records()).find((r) => r.entityId === visit.id)!;
    expect(record).toMatchObject({ version: 2, payload: { status: 'arrived', version: 2 } });
    for (const e of [...batch1, ...batch2]) expect(await central.inboxRows(e.id)).toBe(1);
    await expectConverged();

    // The late batch 1 once more (a retry of the retry): all duplicates, still nothing changes.
    const again = await client.push(batch1);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    await expectConverged();
  });

  it('the same batch pushed twice at once: one applies each entry, the other answers duplicate', async () => {
    for (const name of ['Luís Duas Vezes', 'Marta Duas Vezes', 'Nuno Duas Vezes']) await walkIn(name);
    const batch = readOutbox(h.deps);
    expect(batch).toHaveLength(6);
    const [a, b] = await Promise.all([client.push(batch), client.push(batch)]);
    for (const [i, e] of batch.entries()) {
      expect([a.results[i]!.id, b.results[i]!.id]).toEqual([e.id, e.id]);
      expect([a.results[i]!.status, b.results[i]!.status].sort()).toEqual(['applied', 'duplicate']);
      expect(await central.inboxRows(e.id)).toBe(1);
    }
    acknowledge(batch, a.results);
    acknowledge(batch, b.results); // the second acknowledgement removes nothing more, harmlessly
    expect(readOutbox(h.deps)).toEqual([]);
    const records = await central.records();
    for (const e of batch) expect(records.filter((r) => r.entityId === e.entityId)).toHaveLength(1);
    await expectConverged();
  });
});
