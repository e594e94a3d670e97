/**
 * Small tests of the route fuzzers' own parts (tests/support/fuzz): the pass rule refuses what it must
 * (a 500, a bare 4xx, a code with another status; `undocumented`: a status the route does not document) and lets through what it must;
 * the SQLite write watcher sees a write and ignores the audit log; the "valid" generator draws values the
 * zod schemas accept, and the hostile one values they refuse.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idParam, patientQuery, statusInput } from '../domain/schemas.ts';
import { pairingCodeInput } from '../domain/staff.ts';
import { hostileOf, validOf } from '../../tests/support/fuzz/arbitrary.ts';
import { jsonSchemaOf } from '../../tests/support/fuzz/clinic-routes.ts';
import { watchSqliteWrites } from '../../tests/support/fuzz/fingerprint.ts';
import { checkAnswer, undocumented, type FuzzRequest } from '../../tests/support/fuzz/requests.ts';
import { openDatabase } from './db/database.ts';

function req(over: Partial<FuzzRequest> = {}, documented?: number[]): FuzzRequest {
  return {
    route: { method: 'POST', path: '/api/x', ...(documented ? { documented: new Set(documented) } : {}) },
    auth: 'valid',
    raw: { method: 'POST', target: '/api/x', headers: [] },
    family: 'json',
    framing: false,
    ...over,
  };
}

const answer = (status: number, body: unknown) => ({
  status,
  headers: {},
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('the fuzzers’ pass rule', () => {
  it('passes a 2xx and a coded 4xx whose code has that status', () => {
    expect(checkAnswer(req(), answer(201, { id: 1 }))).toBeNull();
    expect(checkAnswer(req(), answer(404, { error: { code: 'not_found', message: 'no route' } }))).toBeNull();
    expect(
      checkAnswer(req(), answer(503, { error: { code: 'face_engine_unavailable', message: 'x' } })),
    ).toBeNull();
  });

  it('refuses a 500, a bare 4xx, a code of another status, an unknown code and an undocumented status', () => {
    expect(checkAnswer(req(), answer(500, { error: { code: 'internal', message: 'internal error' } }))).toBe(
      '500 internal: internal error',
    );
    expect(checkAnswer(req(), answer(400, 'Bad Request'))).toBe('400 without a JSON body: Bad Request');
    expect(checkAnswer(req(), answer(409, { error: { code: 'validation_failed', message: 'x' } }))).toBe(
      '409 with code validation_failed, whose status is 400',
    );
    expect(checkAnswer(req(), answer(400, { error: { code: 'oops', message: 'x' } }))).toBe(
      '400 with an unknown code oops',
    );
    expect(checkAnswer(req(), answer(400, { error: { code: 'bad_json' } }))).toMatch(/without \{ error/);
    const media = answer(415, { error: { code: 'unsupported_media_type', message: 'x' } });
    expect(checkAnswer(req({}, [200, 400]), media)).toBeNull();
    expect(undocumented(req({}, [200, 400]), media)).toBe(
      "415 unsupported_media_type is not among the route's documented answers (200, 400)",
    );
    expect(undocumented(req({}, [200, 415]), media)).toBeNull();
    expect(checkAnswer(req(), { status: 0, headers: {}, body: '' })).toBe(
      'no answer (socket closed or timed out)',
    );
  });

  it('lets Node’s parser answer malformed bytes bare, but never with a 5xx', () => {
    expect(checkAnswer(req({ framing: true }), answer(400, ''))).toBeNull();
    expect(checkAnswer(req({ framing: true }), { status: 0, headers: {}, body: '' })).toBeNull();
    expect(
      checkAnswer(req({ framing: true }), answer(500, { error: { code: 'internal', message: 'x' } })),
    ).toBe('500 internal: x');
  });
});

describe('the SQLite write watcher', () => {
  it('names the tables written since the last call, and ignores the audit log', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-fuzz-'));
    const db = openDatabase(path.join(dir, 'clinic.sqlite'));
    try {
      const watch = watchSqliteWrites(db);
      expect(watch.writes()).toEqual([]);
      db.prepare(
        `INSERT INTO rooms (id, name, created_at, updated_at) VALUES ('r1', 'Sala X', 'x', 'x')`,
      ).run();
      db.prepare(
        `INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01T00:00:00Z', 'system', 'x')`,
      ).run();
      expect(watch.writes()).toEqual(['rooms']);
      expect(watch.writes()).toEqual([]);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the generators', () => {
  const ctx = { root: {}, knownIds: [] };
  for (const [name, schema] of Object.entries({
    patientQuery,
    statusInput,
    pairingCodeInput,
    id: idParam(),
  })) {
    it(`draws values ${name} accepts, and hostile ones it mostly refuses`, () => {
      const json = jsonSchemaOf(schema);
      for (const v of fc.sample(validOf(json, ctx), { numRuns: 40, seed: 7 }))
        expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(true);
      const hostile = fc.sample(hostileOf(json, ctx), { numRuns: 40, seed: 7 });
      expect(hostile.filter((v) => !schema.safeParse(v).success).length).toBeGreaterThan(20);
    });
  }
});
