/**
 * The crash suites' verdict can fail (tests/support/crash/clinic-crash.ts `verifyClinic`): on a database
 * with a doubled name, an acknowledged patient missing and an outbox row gone, each
 * check reports it; on the same database before the damage, none does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { newLedger, verifyClinic } from '../../tests/support/crash/clinic-crash.ts';
import { openDatabase } from './db/database.ts';
import { createPatient } from './features/patients/repo.ts';
import { ChangeBus } from './lib/events.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-crash-verify-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('verifyClinic reports lost and doubled writes and a missing change-log row', () => {
  const dbFile = path.join(dir, 'clinic.sqlite');
  const db = openDatabase(dbFile);
  const deps = { db, now: Date.now, events: new ChangeBus() };
  const ledger = newLedger();
  for (const name of ['Teste Falha Aaa', 'Teste Falha Aab']) {
    ledger.names.add(name);
    ledger.patients.set(name, createPatient(deps, { fullName: name }, 'desk').id);
  }
  db.close();
  const clean = verifyClinic(dbFile, ledger);
  expect(clean).toMatchObject({ integrity: 'ok', lost: [], duplicates: [], payments: [], changeLog: [] });

  const raw = openDatabase(dbFile);
  const second = createPatient({ ...deps, db: raw }, { fullName: 'Teste Falha Aaa' }, 'desk');
  const gone = ledger.patients.get('Teste Falha Aab')!;
  raw.prepare('DELETE FROM outbox WHERE entity_id = ?').run(gone);
  raw.prepare('DELETE FROM patients WHERE id = ?').run(gone);
  raw.prepare("DELETE FROM outbox WHERE entity = 'patient' AND entity_id = ?").run(second.id);
  raw.close();
  const damaged = verifyClinic(dbFile, ledger);
  expect(damaged.lost).toEqual([`patient Teste Falha Aab (${gone})`]);
  expect(damaged.duplicates).toEqual(['Teste Falha Aaa']);
  expect(damaged.changeLog).toEqual([`patient ${second.id}: 0 outbox rows`]);
});
