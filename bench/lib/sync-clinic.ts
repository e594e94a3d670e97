/**
 * The sync benchmark's clinic side (runs in the harness's process): a real clinic database (SQLite file,
 * migrated, the demo clinic seeded, as `npm start` has it) in a temporary folder; the days of work of a
 * `DaysPlan` written through the clinic's own repositories and payment service (each write queues its
 * outbox row in its transaction, as at the desk); a `SyncClient` that times each request and when the
 * engine acknowledges it; the pull's check against the feed; and the bare SQLite reference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { DEMO_PRACTITIONERS } from '../../server/domain/demo-clinic.ts';
import { newId, type PractitionerId, type RoomId, type SpecialtyId } from '../../server/domain/ids.ts';
import type { PullDto, PushDto, SyncOutboxEntry } from '../../server/domain/sync.ts';
import { formatTicket } from '../../server/domain/visit.ts';
import { openDatabase } from '../../server/clinic/db/database.ts';
import type { ClinicDeps } from '../../server/clinic/deps.ts';
import {
  insertAppointment,
  newBookingCode,
  updateAppointment,
  type AppointmentRow,
} from '../../server/clinic/features/appointments/repo.ts';
import { createPatient, type Patient } from '../../server/clinic/features/patients/repo.ts';
import { recordPayment } from '../../server/clinic/features/payments/service.ts';
import { ChangeBus } from '../../server/clinic/lib/events.ts';
import { seedDemoClinic } from '../../server/clinic/seed/demo.ts';
import { SyncClient } from '../../server/clinic/sync/client.ts';
import type { DaysPlan, Feed, TimedBatch } from './sync-data.ts';

/** A clinic database in a temporary folder, with a settable clock. */
export interface BenchClinic {
  deps: ClinicDeps;
  dir: string;
  /** Moves the clinic's clock (ms since epoch). */
  setNow(ms: number): void;
  /** Closes the database and removes the folder. */
  close(): void;
}

/** Opens a fresh clinic database (migrated, demo clinic seeded at the real time now). */
export function openBenchClinic(): BenchClinic {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-bench-sync-'));
  const db = openDatabase(path.join(dir, 'clinic.sqlite'));
  let now = Date.now();
  const deps: ClinicDeps = { db, now: () => now, events: new ChangeBus() };
  seedDemoClinic(deps);
  return {
    deps,
    dir,
    setNow: (ms) => {
      now = ms;
    },
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `plan` as the desk would: for visit i (day ⌊i / visitsPerDay⌋ after `firstDay`; practitioner
 * i mod 4, 20-minute slots every 24 minutes from 08:00 UTC), the patient created (new ones), the appointment booked (or a walk-in), then
 * moved along arrived (ticket, check-in method, wait estimate) → called (the practitioner's room) →
 * in session → done, or cancelled / no-show / left waiting, each move its own transaction through
 * `updateAppointment`, the clock at the move's time; a paid visit's payment through `recordPayment`.
 * Then the patients registered without a visit.
 * @returns the patients created, in plan order
 */
export function writeDays(
  clinic: BenchClinic,
  plan: DaysPlan,
  opts: { firstDay: string; visitsPerDay: number },
): Patient[] {
  const { deps } = clinic;
  const specialty = new Map(
    (deps.db.prepare('SELECT id, code FROM specialties').all() as { id: SpecialtyId; code: string }[]).map(
      (s) => [s.code, s.id],
    ),
  );
  const patients: Patient[] = [];
  const first = Date.parse(`${opts.firstDay}T08:00:00.000Z`);
  // Setup only: ~12,000 small transactions, each an fsync with the clinic's synchronous = FULL, took a
  // minute on a busy machine; NORMAL (no fsync per commit in WAL mode) while writing, FULL again after,
  // so the measured phases run with the clinic's own setting.
  deps.db.pragma('synchronous = NORMAL');
  try {
    writeVisits(clinic, plan, first, specialty, patients, opts.visitsPerDay);
  } finally {
    deps.db.pragma('synchronous = FULL');
  }
  for (let i = 0; i < plan.patientsOnly; i++)
    patients.push(createPatient(deps, { fullName: `Utente Bench ${patients.length}` }, 'desk'));
  clinic.setNow(Date.now());
  return patients;
}

function writeVisits(
  clinic: BenchClinic,
  plan: DaysPlan,
  first: number,
  specialty: Map<string, SpecialtyId>,
  patients: Patient[],
  visitsPerDay: number,
): void {
  const { deps } = clinic;
  const opts = { visitsPerDay };
  plan.visits.forEach((v, i) => {
    // Each practitioner's visits follow one another every 24 minutes (20-minute slots never overlap:
    // central keeps desk bookings in its calendar, where two bookings of a practitioner cannot overlap).
    const day = Math.floor(i / opts.visitsPerDay);
    const k = Math.floor((i % opts.visitsPerDay) / DEMO_PRACTITIONERS.length);
    const startsAt = first + day * 86_400_000 + k * 24 * 60_000;
    clinic.setNow(startsAt - 2 * 86_400_000);
    if (v.newPatient)
      patients.push(
        createPatient(
          deps,
          {
            fullName: `Utente Bench ${patients.length}`,
            phone: `91${String(patients.length).padStart(7, '0')}`,
          },
          'desk',
        ),
      );
    const practitioner = DEMO_PRACTITIONERS[i % DEMO_PRACTITIONERS.length]!;
    const id = newId<'appointment'>();
    if (v.walkIn) clinic.setNow(startsAt - 10 * 60_000);
    deps.db.transaction(() =>
      insertAppointment(deps, {
        id,
        patient_id: patients[v.patient]!.id,
        practitioner_id: practitioner.id as PractitionerId,
        specialty_id: specialty.get(practitioner.codes[i % practitioner.codes.length]!)!,
        room_id: null,
        starts_at: new Date(startsAt).toISOString(),
        duration_min: 20,
        status: 'scheduled',
        walk_in: v.walkIn ? 1 : 0,
        booking_code: newBookingCode(deps),
        ticket: null,
        check_in_method: null,
        arrived_at: null,
        called_at: null,
        session_started_at: null,
        ended_at: null,
        wait_estimate_min: null,
      }),
    )();
    const moves: [number, Partial<AppointmentRow>][] = [];
    const at = (ms: number) => new Date(ms).toISOString();
    if (v.end === 'cancelled') moves.push([startsAt - 86_400_000, { status: 'cancelled' }]);
    else if (v.end === 'no_show') moves.push([startsAt + 20 * 60_000, { status: 'no_show' }]);
    else if (v.end !== 'scheduled') {
      moves.push([
        startsAt - 8 * 60_000,
        {
          status: 'arrived',
          arrived_at: at(startsAt - 8 * 60_000),
          ticket: formatTicket((i % opts.visitsPerDay) + 1),
          check_in_method: v.walkIn ? 'desk' : v.checkIn,
          wait_estimate_min: 5 + (i % 15),
        },
      ]);
      if (v.end === 'done')
        moves.push(
          [
            startsAt + 60_000,
            { status: 'called', called_at: at(startsAt + 60_000), room_id: practitioner.roomId as RoomId },
          ],
          [startsAt + 2 * 60_000, { status: 'in_session', session_started_at: at(startsAt + 2 * 60_000) }],
          [startsAt + 20 * 60_000, { status: 'done', ended_at: at(startsAt + 20 * 60_000) }],
        );
    }
    let version = 1;
    for (const [ms, patch] of moves) {
      clinic.setNow(ms);
      version = deps.db.transaction(() => updateAppointment(deps, id, version, patch).version)();
    }
    if (v.paid) {
      clinic.setNow(startsAt + 21 * 60_000);
      recordPayment(
        deps,
        id,
        { method: i % 3 === 0 ? 'cash' : 'card', amountCents: 3500 + (i % 4) * 500 },
        'desk',
      );
    }
  });
}

/**
 * The clinic's real `SyncClient`, timing each push and pull: from the call to the parsed answer (`httpMs`),
 * and to the engine's next request or `finish()` (`doneMs`). `pushOutbox` and `pullChanges` acknowledge a
 * batch (or commit a page with its cursor) synchronously right after its answer and read the next batch
 * before the next request, so `doneMs` = request → acknowledged, plus reading the next batch (a few ms).
 */
export class TimedSyncClient extends SyncClient {
  /** Batches of the current phase. */
  batches: TimedBatch[] = [];
  private phaseStart = 0;
  private open: { batch: TimedBatch; t0: number } | null = null;

  /** Starts a phase: clears the batches; times are from now. */
  startPhase(): void {
    this.batches = [];
    this.open = null;
    this.phaseStart = performance.now();
  }

  /** Closes the last batch (the engine returned); the phase's total time, ms. */
  finish(): number {
    this.close();
    return performance.now() - this.phaseStart;
  }

  private close(): void {
    if (this.open) this.open.batch.doneMs = performance.now() - this.open.t0;
    this.open = null;
  }

  private begin(n: number): { batch: TimedBatch; t0: number } {
    this.close();
    const t0 = performance.now();
    const batch: TimedBatch = { n, startMs: t0 - this.phaseStart, httpMs: NaN, doneMs: NaN, serverMs: null };
    this.batches.push(batch);
    return { batch, t0 };
  }

  override async push(entries: readonly SyncOutboxEntry[]): Promise<PushDto> {
    const open = this.begin(entries.length);
    const answer = await super.push(entries);
    open.batch.httpMs = performance.now() - open.t0;
    this.open = open;
    return answer;
  }

  override async pull(cursor: number, limit?: number): Promise<PullDto> {
    const open = this.begin(0);
    const answer = await super.pull(cursor, limit);
    open.batch.n = answer.changes.length;
    open.batch.httpMs = performance.now() - open.t0;
    this.open = open;
    return answer;
  }
}

/** What the clinic holds of the feed's appointments, against what it should. */
export interface PullCheck {
  /** Rows of the feed's appointment ids (one each if nothing doubled), and how many should be. */
  rows: number;
  expectedRows: number;
  /** Rows whose status, start and version are what the feed says. */
  asExpected: number;
  distinctBookingCodes: number;
  cancelled: number;
  expectedCancelled: number;
  /** Patients of the feed's accounts at the clinic, and how many should be. */
  patients: number;
  expectedPatients: number;
  /** Outbox entries after the pull (0: nothing pulled was echoed back). */
  outbox: number;
}

/** Compares the clinic's appointments and patients with what `feed` should have made. */
export function checkPull(deps: ClinicDeps, feed: Feed): PullCheck {
  const ids = JSON.stringify([...feed.expected.appointments.keys()]);
  const rows = deps.db
    .prepare(
      `SELECT id, status, starts_at, version, booking_code, patient_id FROM appointments
       WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(ids) as {
    id: string;
    status: string;
    starts_at: string;
    version: number;
    booking_code: string;
    patient_id: string;
  }[];
  let asExpected = 0;
  for (const r of rows) {
    const want = feed.expected.appointments.get(r.id)!;
    if (r.status === want.status && r.starts_at === want.startsAt && r.version === want.version) asExpected++;
  }
  const accountIds = JSON.stringify([...new Set(feed.rows.map((r) => r.accountId))]);
  const patients = (
    deps.db
      .prepare('SELECT COUNT(*) AS n FROM patients WHERE id IN (SELECT value FROM json_each(?))')
      .get(accountIds) as { n: number }
  ).n;
  return {
    rows: rows.length,
    expectedRows: feed.expected.appointments.size,
    asExpected,
    distinctBookingCodes: new Set(rows.map((r) => r.booking_code)).size,
    cancelled: rows.filter((r) => r.status === 'cancelled').length,
    expectedCancelled: feed.expected.cancelled,
    patients,
    expectedPatients: feed.expected.patients,
    outbox: (deps.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n,
  };
}

/** True when every figure of `c` is what it should be. */
export function pullCheckOk(c: PullCheck): boolean {
  return (
    c.rows === c.expectedRows &&
    c.asExpected === c.expectedRows &&
    c.distinctBookingCodes === c.expectedRows &&
    c.cancelled === c.expectedCancelled &&
    c.patients === c.expectedPatients &&
    c.outbox === 0
  );
}

/**
 * The bare SQLite reference of the pull's apply: the pulled changes' appointment fields inserted into a
 * scratch table of a new SQLite file in `dir` (WAL, synchronous FULL, as the clinic's database), one
 * transaction of `batchSize` rows per page through one prepared statement; ms per page.
 */
export function bareSqliteInsert(
  dir: string,
  rows: readonly { entityId: string; payload: Record<string, unknown> }[],
  batchSize: number,
): number[] {
  const file = path.join(dir, 'bare.sqlite');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE bare (id TEXT NOT NULL, seq INTEGER PRIMARY KEY, practitioner_id TEXT NOT NULL,
      starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, status TEXT NOT NULL, booking_code TEXT NOT NULL,
      account_id TEXT NOT NULL) STRICT`);
    const insert = db.prepare(
      `INSERT INTO bare (id, practitioner_id, starts_at, ends_at, status, booking_code, account_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const times: number[] = [];
    for (let i = 0; i < rows.length; i += batchSize) {
      const t0 = performance.now();
      db.transaction(() => {
        for (const r of rows.slice(i, i + batchSize)) {
          const p = r.payload;
          insert.run(
            r.entityId,
            p.practitionerId,
            p.startsAt,
            p.endsAt,
            p.status,
            p.bookingCode,
            p.accountId,
          );
        }
      })();
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    db.close();
  }
}
