/**
 * Data-migration test of 0030-face-consent-record: enrolments made before it get consent version
 * 'unrecorded', channel 'seed' (demo seed) or 'desk' (the rest), and one backfilled 'given' consent
 * event each at their consent time; new rows are checked against the channel list.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FACE_CONSENT_VERSION_UNRECORDED } from '../../domain/consent.ts';
import { loadMigrations, migrate } from './database.ts';

const AT = '2026-11-01T09:00:00.000Z';

describe('migration 0030-face-consent-record', () => {
  it('backfills version, channel and a given event for existing enrolments', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const all = loadMigrations();
    expect(all.map((m) => m.name)).toContain('0030-face-consent-record');
    migrate(
      db,
      all.filter((m) => m.version < 30),
    );
    const patient = db.prepare(
      'INSERT INTO patients (id, full_name, created_at, updated_at) VALUES (?, ?, ?, ?)',
    );
    const enrolment = db.prepare(
      `INSERT INTO face_enrolments (id, patient_id, descriptors, sample_count, model_id, consent_at, consent_by,
         created_at, updated_at) VALUES (?, ?, x'00', 1, 'm', ?, ?, ?, ?)`,
    );
    for (const [id, by, at] of [
      ['p-desk', 'desk', AT],
      ['p-seed', 'seed', '2026-10-01T08:00:00.000Z'],
    ] as const) {
      patient.run(id, 'Nome', at, at);
      enrolment.run(`e-${id}`, id, at, by, at, at);
    }
    patient.run('p-none', 'Nome', AT, AT);

    expect(
      migrate(
        db,
        all.filter((m) => m.version <= 30),
      ),
    ).toEqual(['0030-face-consent-record']);

    expect(
      db
        .prepare(
          'SELECT patient_id, consent_version, consent_channel FROM face_enrolments ORDER BY patient_id',
        )
        .all(),
    ).toEqual([
      { patient_id: 'p-desk', consent_version: FACE_CONSENT_VERSION_UNRECORDED, consent_channel: 'desk' },
      { patient_id: 'p-seed', consent_version: FACE_CONSENT_VERSION_UNRECORDED, consent_channel: 'seed' },
    ]);
    expect(
      db
        .prepare(
          'SELECT patient_id, event, version, channel, actor, at FROM face_consent_events ORDER BY seq',
        )
        .all(),
    ).toEqual([
      {
        patient_id: 'p-seed',
        event: 'given',
        version: 'unrecorded',
        channel: 'seed',
        actor: 'seed',
        at: '2026-10-01T08:00:00.000Z',
      },
      { patient_id: 'p-desk', event: 'given', version: 'unrecorded', channel: 'desk', actor: 'desk', at: AT },
    ]);
    expect(() =>
      db.prepare("UPDATE face_enrolments SET consent_channel = 'post' WHERE patient_id = 'p-desk'").run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});
