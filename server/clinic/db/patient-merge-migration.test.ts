/**
 * Data-migration test of 0140-patient-merge: patients the sync pull inserted before it (audited
 * `sync.patient_pulled`; their id is the portal account's) get their own id as `portal_account_id`;
 * desk patients and erased rows get none; and from then on one account names at most one patient.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './database.ts';

const AT = '2026-11-21T09:00:00.000Z';

describe('migration 0140-patient-merge', () => {
  it('marks pulled portal patients with their account, then keeps accounts unique', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const all = loadMigrations();
    migrate(
      db,
      all.filter((m) => m.version < 140),
    );
    const patient = db.prepare(
      'INSERT INTO patients (id, full_name, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?)',
    );
    patient.run('acc-1', 'Portal', AT, AT, null);
    patient.run('desk-1', 'Desk', AT, AT, null);
    patient.run('acc-2', '', AT, AT, AT);
    const audit = db.prepare(
      "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES (?, 'system', ?, 'patient', ?)",
    );
    audit.run(AT, 'sync.patient_pulled', 'acc-1');
    audit.run(AT, 'sync.patient_pulled', 'acc-2');
    audit.run(AT, 'patient.create', 'desk-1');
    migrate(db, all);
    expect(db.prepare('SELECT id, portal_account_id, merged_into FROM patients ORDER BY id').all()).toEqual([
      { id: 'acc-1', portal_account_id: 'acc-1', merged_into: null },
      { id: 'acc-2', portal_account_id: null, merged_into: null },
      { id: 'desk-1', portal_account_id: null, merged_into: null },
    ]);
    expect(() =>
      db.prepare("UPDATE patients SET portal_account_id = 'acc-1' WHERE id = 'desk-1'").run(),
    ).toThrow(/UNIQUE/);
  });
});
