/**
 * How much the change log costs per visit, on real SQLite files: the same visits (walk-in with check-in,
 * call, start, done, cash payment; 100 a day) on a clinic whose outbox is never pushed and on one whose
 * pusher acknowledges after every visit. Acknowledged rows are deleted, so the second database holds only
 * the clinic's rows and the audit log. The default run is small; `CFD_MEASURE_VISITS=10000` measures a
 * big day's worth and prints the figures (docs/sync.md records them; not a timing test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWalkIn, transition } from '../features/appointments/service.ts';
import { recordPayment } from '../features/payments/service.ts';
import { ChangeBus } from '../lib/events.ts';
import { seedSmallClinic } from '../testing/fixtures.ts';
import { acknowledgeOutbox, readOutbox } from './changes.ts';
import { checkpointTruncate, openDatabase } from './database.ts';

const VISITS = Number(process.env.CFD_MEASURE_VISITS ?? 100);
const PER_DAY = 100;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

interface Measure {
  /** Database file growth per visit after a TRUNCATE checkpoint, bytes. */
  fileBytesPerVisit: number;
  /** Pages in use (page_count − freelist_count) per visit, bytes. */
  usedBytesPerVisit: number;
  outboxRows: number;
  auditRows: number;
  /** Bytes per visit of each table and index (dbstat), largest first. */
  byObject: Record<string, number>;
}

function runVisits(acknowledge: boolean): Measure {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-size-'));
  dirs.push(dir);
  const file = path.join(dir, 'clinic.sqlite');
  const db = openDatabase(file);
  let now = Date.parse('2026-01-05T08:00:00Z');
  const deps = { db, now: () => now, events: new ChangeBus() };
  const clinic = seedSmallClinic(deps);
  acknowledgeOutbox(deps, { upToSeq: Number.MAX_SAFE_INTEGER }); // the catalogue was pushed
  const size = () => {
    checkpointTruncate(db);
    const pages = (p: string) => db.pragma(p, { simple: true }) as number;
    return {
      file: fs.statSync(file).size,
      used: (pages('page_count') - pages('freelist_count')) * pages('page_size'),
    };
  };
  const base = size();
  const baseObjects = objectSizes(db);
  for (let i = 0; i < VISITS; i++) {
    now =
      Date.parse('2026-01-05T08:00:00Z') + Math.floor(i / PER_DAY) * 86_400_000 + (i % PER_DAY) * 5 * 60_000;
    const a = createWalkIn(
      deps,
      {
        fullName: `Paciente Teste ${i}`,
        phone: '+351912345678',
        specialtyId: clinic.specialties.evaluation,
        checkIn: true,
      },
      'desk',
    );
    for (const to of ['called', 'in_session', 'done'] as const) {
      now += 60_000;
      transition(deps, a.id, to, { actor: 'desk' });
    }
    recordPayment(deps, a.id, { method: 'cash', amountCents: 3500 }, 'desk');
    if (acknowledge) {
      // What a pusher does once the central API confirmed the batch.
      const pushed = readOutbox(deps, { limit: 10_000 });
      acknowledgeOutbox(deps, { upToSeq: pushed.at(-1)!.seq });
    }
  }
  const end = size();
  const count = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  const objects = objectSizes(db);
  const byObject = Object.fromEntries(
    Object.entries(objects)
      .map(([name, bytes]) => [name, Math.round((bytes - (baseObjects[name] ?? 0)) / VISITS)] as const)
      .filter(([, b]) => b > 0)
      .sort((x, y) => y[1] - x[1]),
  );
  const measure = {
    fileBytesPerVisit: Math.round((end.file - base.file) / VISITS),
    usedBytesPerVisit: Math.round((end.used - base.used) / VISITS),
    outboxRows: count('outbox'),
    auditRows: count('audit_log'),
    byObject,
  };
  db.close();
  return measure;
}

/** Bytes of each table and index (the dbstat virtual table). */
function objectSizes(db: ReturnType<typeof openDatabase>): Record<string, number> {
  const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
    name: string;
    bytes: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
}

describe('change log size per visit', () => {
  it(`with acknowledged outbox rows deleted, a visit keeps no outbox row (${VISITS} visits)`, () => {
    const kept = runVisits(false);
    const pushed = runVisits(true);
    if (process.env.CFD_MEASURE_VISITS)
      console.log(JSON.stringify({ visits: VISITS, kept, pushed }, null, 1));
    // Unpushed: one snapshot per patient, appointment and payment (older versions replaced).
    expect(kept.outboxRows).toBe(3 * VISITS);
    expect(pushed.outboxRows).toBe(0);
    // Audit rows stay (retention): create patient, create appointment, 4 status moves, payment.
    expect(pushed.auditRows).toBe(7 * VISITS);
    expect(pushed.byObject.outbox ?? 0).toBe(0);
    expect(pushed.usedBytesPerVisit).toBeLessThan(kept.usedBytesPerVisit);
  }, 3_600_000);
});
