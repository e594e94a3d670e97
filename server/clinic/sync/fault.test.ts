/**
 * Fault test with real processes and real HTTP: the clinic's local server (`server/clinic/main.ts`, bundled
 * once with esbuild as the app runs it, tests/support/crash/bundle.ts; its own process) pushes a backlog of ~1 100 changes (the demo seed and 1 000 patients) to a real
 * central API (served over HTTP by tests/support/sync-central.ts; on each driver of `describeDrivers`:
 * PGlite, and PostgreSQL when DATABASE_URL is set) and is SIGKILLed mid-push, after central confirmed some
 * batches and while it is sending the next. Restarted on the same data folder, it resumes by itself (the
 * pairing file, the outbox) and converges: every clinic row is at central with the same checksum, once.
 * Then the same server is SIGKILLed mid-pull of 5 000 bookings made online (10 pages): restarted, it
 * resumes from the last page it committed and ends with each booking once, at version 1, and nothing
 * echoed into the outbox. The PostgreSQL copy pulls 2 000 bookings (4 pages) to keep CI time down; the
 * PGlite copy keeps the 5 000.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { BOOKING_CODE_ALPHABET } from '../../domain/booking.ts';
import { DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import {
  checksum,
  describeDrivers,
  waitFor,
  startHttpCentral,
  type HttpCentral,
} from '../../../tests/support/sync-central.ts';
import { readyMessage } from '../../domain/ready.ts';
import { openDatabase } from '../db/database.ts';
import { createPatient } from '../features/patients/repo.ts';
import { ChangeBus } from '../lib/events.ts';
import { ROOT_DIR } from '../paths.ts';
import { seedDemoClinic } from '../seed/demo.ts';
import { SyncClient } from './client.ts';
import { savePairing, syncPairingFile } from './credentials.ts';
import { bundleServer, type ServerBundle } from '../../../tests/support/crash/bundle.ts';

const PATIENTS = 1_000;
let central: HttpCentral;
let bundle: ServerBundle;
let dataDir: string;
let dbFile: string;

describeDrivers('the clinic server SIGKILLed mid-sync', (driver) => {
  beforeAll(async () => {
    bundle = await bundleServer('server/clinic/main.ts', 'server/clinic/db/migrations');
    central = await startHttpCentral(new Date().toISOString(), driver);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-sync-fault-'));
    dbFile = path.join(dataDir, 'clinic.sqlite');
    const db = openDatabase(dbFile);
    const deps = { db, now: Date.now, events: new ChangeBus() };
    seedDemoClinic(deps);
    for (let i = 0; i < PATIENTS; i++) createPatient(deps, { fullName: `Paciente Falha ${i}` }, 'seed');
    db.close();
    const answer = await new SyncClient({ centralUrl: central.url }).pair(await central.pairingCode());
    savePairing(syncPairingFile(dataDir), { centralUrl: central.url, ...answer });
  });
  afterAll(async () => {
    await central.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    bundle?.remove();
  });

  /** Starts the clinic's server on the data folder; resolves once it is ready. */
  async function startClinic(): Promise<ChildProcess> {
    const child = fork(bundle.entry, [], {
      cwd: ROOT_DIR,
      env: {
        ...process.env,
        CFD_PORT: '0',
        CFD_DATA_DIR: dataDir,
        CFD_DEMO: '0',
        CFD_FACE: '0',
        CFD_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: unknown) => readyMessage.safeParse(m).success && resolve());
      child.on('exit', (code) => reject(new Error(`clinic server exited with ${code}`)));
    });
    return child;
  }

  /** Reads the clinic's database (read-only, beside the running server: WAL readers do not block it). */
  function readClinic<T>(read: (db: Database.Database) => T): T {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }
  const pending = () =>
    readClinic((db) => (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n);

  it('SIGKILLed mid-push, restarted: resumes by itself and converges, nothing lost or doubled', async () => {
    const total = pending();
    expect(total).toBeGreaterThan(PATIENTS);
    const first = await startClinic();
    // Kill after central confirmed at least one batch, while later batches are still to go.
    await waitFor('a first acknowledged batch', () => pending() <= total - 500, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = pending();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);

    const second = await startClinic();
    try {
      await waitFor('the backlog pushed', () => pending() === 0, 60_000);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
    const local = new Map<string, string>();
    readClinic((db) => {
      for (const [entity, table] of [
        ['patient', 'patients'],
        ['appointment', 'appointments'],
      ] as const)
        for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[])
          local.set(`${entity}:${row.id as string}`, checksum(row));
    });
    const remote = new Map<string, string>();
    for (const r of await central.records())
      if (r.entity === 'patient' || r.entity === 'appointment')
        remote.set(`${r.entity}:${r.entityId}`, checksum(r.payload));
    expect(local.size).toBeGreaterThan(PATIENTS);
    expect(remote).toEqual(local);
  }, 150_000);

  const cursor = () =>
    readClinic(
      (db) =>
        (db.prepare('SELECT pull_cursor AS c FROM sync_state').get() as { c: number } | undefined)?.c ?? 0,
    );

  it('SIGKILLed mid-pull, restarted: resumes from the last committed page, each booking once', async () => {
    const BOOKINGS = driver === 'pglite' ? 5_000 : 2_000; // the PostgreSQL copy: 4 pages, less CI time
    const codes = new Set<string>();
    while (codes.size < BOOKINGS) {
      let code = '';
      for (let i = 0; i < 6; i++)
        code += BOOKING_CODE_ALPHABET[Math.floor(Math.random() * BOOKING_CODE_ALPHABET.length)];
      codes.add(code);
    }
    const day = Date.parse('2027-01-11T09:00:00.000Z');
    const rows = [...codes].map((bookingCode, i) => {
      const id = uuidv7();
      const patientId = uuidv7();
      const startsAt = day + i * 15 * 60_000;
      return {
        entity: 'appointment',
        entityId: id,
        op: 'insert' as const,
        version: 1,
        payload: {
          id,
          practitionerId: DEMO_PRACTITIONERS[i % DEMO_PRACTITIONERS.length]!.id,
          accountId: patientId,
          specialty: 'massage',
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(startsAt + 45 * 60_000).toISOString(),
          status: 'confirmed',
          bookingCode,
          rescheduledFrom: null,
          version: 1,
          patient: {
            id: patientId,
            name: `Online ${i}`,
            phone: null,
            email: null,
            nif: null,
            birthDate: null,
          },
        },
      };
    });
    const start = cursor();
    const last = await central.feed(rows);
    const first = await startClinic();
    await waitFor('a first committed page', () => cursor() > start, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = cursor();
    expect(atKill).toBeGreaterThan(start);
    expect(atKill).toBeLessThan(last);

    const second = await startClinic();
    try {
      await waitFor('the whole feed applied', () => cursor() === last, 60_000);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
    const ids = JSON.stringify(rows.map((r) => r.entityId));
    const stored = readClinic(
      (db) =>
        db
          .prepare(
            `SELECT COUNT(*) AS n, COUNT(DISTINCT booking_code) AS codes, MAX(version) AS v FROM appointments
           WHERE id IN (SELECT value FROM json_each(?))`,
          )
          .get(ids) as { n: number; codes: number; v: number },
    );
    expect(stored).toEqual({ n: BOOKINGS, codes: BOOKINGS, v: 1 });
    expect(pending()).toBe(0);
  }, 150_000);
});
