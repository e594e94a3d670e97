/**
 * Data-migration test of 0070-one-patient-per-room: a database from before the rule, with several
 * patients called or in session in one room, keeps each room's most recent occupant (older calls go back
 * to the queue, an older session is closed), and from then on the database refuses a second occupant.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './database.ts';

const AT = '2026-11-21T09:00:00.000Z';

describe('migration 0070-one-patient-per-room', () => {
  it('settles rooms with several occupants, then enforces one per room', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const all = loadMigrations();
    migrate(
      db,
      all.filter((m) => m.version < 70),
    );
    db.prepare(
      "INSERT INTO rooms (id, name, created_at, updated_at) VALUES ('r1', 'Sala 1', ?, ?), ('r2', 'Sala 2', ?, ?)",
    ).run(AT, AT, AT, AT);
    db.prepare(
      "INSERT INTO specialties (id, code, name_pt, name_en, default_duration_min, price_cents, created_at, updated_at) VALUES ('s', 'evaluation', 'Avaliação', 'Evaluation', 30, 4500, ?, ?)",
    ).run(AT, AT);
    db.prepare(
      "INSERT INTO practitioners (id, full_name, display_name, default_room_id, created_at, updated_at) VALUES ('pr', 'Marta Lopes', 'Dr.ª Marta Lopes', 'r1', ?, ?)",
    ).run(AT, AT);
    const insert = db.prepare(
      `INSERT INTO appointments (id, patient_id, practitioner_id, specialty_id, room_id, starts_at, duration_min,
         status, booking_code, called_at, session_started_at, created_at, updated_at)
       VALUES (?, ?, 'pr', 's', ?, ?, 30, ?, ?, ?, ?, ?, ?)`,
    );
    const visits = [
      // id, room, status, called_at, session_started_at
      ['a', 'r1', 'in_session', '2026-11-21T09:58:00.000Z', '2026-11-21T10:00:00.000Z'],
      ['b', 'r1', 'called', '2026-11-21T10:05:00.000Z', null],
      ['c', 'r1', 'called', '2026-11-21T10:02:00.000Z', null],
      ['d', 'r2', 'called', '2026-11-21T10:01:00.000Z', null],
    ] as const;
    for (const [id, room, status, calledAt, startedAt] of visits) {
      db.prepare('INSERT INTO patients (id, full_name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
        `p-${id}`,
        'Nome Teste',
        AT,
        AT,
      );
      insert.run(id, `p-${id}`, room, AT, status, `CODE${id.toUpperCase()}1`, calledAt, startedAt, AT, AT);
    }
    expect(
      migrate(
        db,
        all.filter((m) => m.version <= 70),
      ),
    ).toEqual(['0070-one-patient-per-room']);
    expect(db.prepare('SELECT id, status, called_at, version FROM appointments ORDER BY id').all()).toEqual([
      { id: 'a', status: 'done', called_at: '2026-11-21T09:58:00.000Z', version: 2 },
      { id: 'b', status: 'called', called_at: '2026-11-21T10:05:00.000Z', version: 1 },
      { id: 'c', status: 'arrived', called_at: null, version: 2 },
      { id: 'd', status: 'called', called_at: '2026-11-21T10:01:00.000Z', version: 1 },
    ]);
    expect(() => db.prepare("UPDATE appointments SET status = 'called' WHERE id = 'c'").run()).toThrow(
      /UNIQUE constraint failed/,
    );
    // Another room is free: the same patient can be called there.
    db.prepare("UPDATE appointments SET status = 'done' WHERE id = 'd'").run();
    db.prepare("UPDATE appointments SET status = 'called', room_id = 'r2' WHERE id = 'c'").run();
  });
});
