/**
 * The clinic server of the load benchmark (bench/load.ts), run as a child process (`fork`, tsx): a fresh
 * SQLite file in a temp folder with the demo clinic's busy day (server/clinic/seed/demo.ts) on a clock
 * shifted to 11:00 (Europe/Lisbon) today, so the morning's visits are done, in session, called or waiting
 * whatever the hour of the run; the real app (server/clinic/app.ts) on 127.0.0.1, and on a second port the
 * references in the same process: `GET /bare/board` (a fixed string the size of the board's JSON) and
 * `POST /bare/insert` (one better-sqlite3 insert into a WAL, synchronous FULL file, as the clinic's).
 *
 * Sends `LoadServerReady` over IPC once listening; answers `{ stats: true }` with `LoadServerStats`.
 * `checkIns` appointments (argv[2], default 8000) are booked on the following 60 days, one per check-in
 * request (each id checked in once), so the live board stays the demo's day.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { newId, type AppointmentId, type PractitionerId } from '../../server/domain/ids.ts';
import { clinicDate, clinicDayBounds } from '../../server/domain/time.ts';
import { createApp } from '../../server/clinic/app.ts';
import { openDatabase } from '../../server/clinic/db/database.ts';
import type { FaceDeps } from '../../server/clinic/deps.ts';
import { board, callPatient, transition } from '../../server/clinic/features/appointments/service.ts';
import { insertAppointment, newBookingCode } from '../../server/clinic/features/appointments/repo.ts';
import { KioskSessions } from '../../server/clinic/features/kiosk/sessions.ts';
import { startStaffSession } from '../../server/clinic/features/staff/sessions.ts';
import { screenCredentials } from '../../server/clinic/http/credentials.ts';
import { hubFor } from '../../server/clinic/http/snapshot-hub.ts';
import { ChangeBus } from '../../server/clinic/lib/events.ts';
import { seedDemoClinic } from '../../server/clinic/seed/demo.ts';
import { ARGON2_TEST } from '../../server/http/passwords.ts';

/** What the server child tells the harness once it listens. */
export interface LoadServerReady {
  origin: string;
  bareOrigin: string;
  /** `Authorization` header value of a receptionist's live session. */
  staffAuth: string;
  /** `Authorization` header value of the app's own display window. */
  displayAuth: string;
  /** Scheduled appointments to check in, one request each. */
  checkInIds: AppointmentId[];
  /** Called appointments (one per room) to recall, as often as wanted. */
  recallIds: AppointmentId[];
  /** Size of the board's JSON at start, bytes. */
  boardBytes: number;
  /** Appointments on the live board. */
  boardAppointments: number;
}

/** Counters of the server's shared snapshots (server/clinic/http/snapshot-hub.ts). */
export interface LoadServerStats {
  /** Change-bus sequence: changes since start. */
  changes: number;
  /** Display snapshots computed since start (shared by every display stream). */
  displaySnapshots: number;
  /** Full board computations since start. */
  boardSnapshots: number;
  streams: number;
  /** This process's CPU time (user + system) since start, ms. */
  cpuMs: number;
}

const checkIns = Number(process.argv[2] ?? 8000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-load-'));
const db = openDatabase(path.join(dir, 'clinic.sqlite'));
const today = clinicDate(Date.now());
const offset = clinicDayBounds(today).start.getTime() + 11 * 3600_000 - Date.now();
const token = randomBytes(24).toString('base64url');
const sessionKey = randomBytes(32);
const deps: FaceDeps = {
  db,
  events: new ChangeBus(),
  now: () => Date.now() + offset,
  engine: () => null,
  faceKey: randomBytes(32),
  kioskSessions: new KioskSessions(),
};
seedDemoClinic(deps);

// A receptionist (written directly, as the test harness does: no Argon2 cost at start).
const at = new Date(deps.now()).toISOString();
db.prepare(
  `INSERT INTO staff (id, username, display_name, role, practitioner_id, password_hash, created_at, updated_at)
   VALUES ('staff-load', 'load.rececao', 'Carga', 'receptionist', NULL, '$argon2id$unusable', ?, ?)`,
).run(at, at);
const session = await startStaffSession({ ...deps, sessionKey }, 'staff-load', 'bench-load');

// One called patient per room (the recall targets): at 11:00 the demo's rooms are all in session, so
// those sessions end first and the next waiting patients are called in.
const day = board(deps);
const waiting = day.appointments.filter((a) => a.status === 'arrived');
for (const room of day.rooms) {
  const occupant = day.appointments.find((a) => a.room?.id === room.id && a.status === 'in_session');
  if (occupant) transition(deps, occupant.id, 'done', { actor: 'system' });
  const next = waiting.shift();
  if (next) callPatient(deps, next.id, { roomId: room.id, actor: 'system' });
}
const live = board(deps);
const recallIds = live.appointments.filter((a) => a.status === 'called').map((a) => a.id);

// The check-in pool: later days, the demo's patients and practitioners.
const patients = db.prepare('SELECT id FROM patients ORDER BY id').all() as { id: string }[];
const pairs = db
  .prepare('SELECT practitioner_id, specialty_id FROM practitioner_specialties ORDER BY practitioner_id')
  .all() as { practitioner_id: PractitionerId; specialty_id: string }[];
const checkInIds: AppointmentId[] = [];
db.transaction(() => {
  const tomorrow = clinicDayBounds(today).end.getTime();
  for (let i = 0; i < checkIns; i++) {
    const id = newId<'appointment'>();
    const pair = pairs[i % pairs.length]!;
    insertAppointment(deps, {
      id,
      patient_id: patients[i % patients.length]!.id as never,
      practitioner_id: pair.practitioner_id,
      specialty_id: pair.specialty_id as never,
      room_id: null,
      starts_at: new Date(tomorrow + (i % 60) * 86_400_000 + 8 * 3600_000 + i * 1000).toISOString(),
      duration_min: 30,
      status: 'scheduled',
      walk_in: 0,
      booking_code: newBookingCode(deps),
      ticket: null,
      check_in_method: null,
      arrived_at: null,
      called_at: null,
      session_started_at: null,
      ended_at: null,
      wait_estimate_min: null,
    });
    checkInIds.push(id);
  }
})();

const app = createApp(deps, {
  token,
  allowedHosts: ['127.0.0.1', 'localhost'],
  rendererDir: null,
  sessionKey,
  argon2: ARGON2_TEST,
});

// The references, in this process: the board's size served as it is, and a bare insert.
const boardJson = JSON.stringify(live);
const bareDb = new Database(path.join(dir, 'bare.sqlite'));
bareDb.pragma('journal_mode = WAL');
bareDb.pragma('synchronous = FULL');
bareDb.exec('CREATE TABLE bare (id TEXT PRIMARY KEY, status TEXT NOT NULL, at TEXT NOT NULL) STRICT');
const bareInsert = bareDb.prepare('INSERT INTO bare (id, status, at) VALUES (?, ?, ?)');
const bare = new Hono()
  .get('/bare/board', (c) => c.body(boardJson, 200, { 'content-type': 'application/json' }))
  .post('/bare/insert', async (c) => {
    const body = (await c.req.json()) as { status?: string };
    const id = newId<'appointment'>();
    bareInsert.run(id, body.status ?? 'arrived', new Date().toISOString());
    return c.json({ id }, 201);
  });

const listen = (fetch: (req: Request) => Response | Promise<Response>) =>
  new Promise<string>((resolve) => {
    serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
const origin = await listen(app.fetch);
const bareOrigin = await listen(bare.fetch);
const hub = hubFor(deps);

const ready: LoadServerReady = {
  origin,
  bareOrigin,
  staffAuth: `Bearer ${session.access}`,
  displayAuth: `Bearer ${screenCredentials(token).display}`,
  checkInIds,
  recallIds,
  boardBytes: Buffer.byteLength(boardJson),
  boardAppointments: live.appointments.length,
};
process.send?.({ ready });
process.on('message', (m: { stats?: boolean }) => {
  if (!m.stats) return;
  const cpu = process.cpuUsage();
  const stats: LoadServerStats = {
    changes: deps.events.seq,
    displaySnapshots: hub.computeCount('display'),
    boardSnapshots: hub.computeCount('board'),
    streams: hub.streamCount,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  process.send?.({ stats });
});
process.on('disconnect', () => {
  db.close();
  bareDb.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
