/**
 * Medium tests of the patient register's input rules (issue 13): names with control, bidirectional or
 * invisible characters, impossible or far-off birth dates and board days are refused with 400
 * validation_failed and store nothing; LIKE wildcards in a search match only themselves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';
import type { Patient } from './repo.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
});
afterEach(() => h.close());

const post = async (body: Record<string, unknown>) => {
  const res = await h.req('POST', '/api/patients', body);
  return {
    status: res.status,
    body: (await res.json()) as Patient & { error?: { code: string; message: string } },
  };
};
const count = () => (h.deps.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
const search = async (q: string) =>
  ((await (await h.req('GET', `/api/patients?q=${encodeURIComponent(q)}`)).json()) as Patient[]).map(
    (p) => p.fullName,
  );

describe('patient names', () => {
  it('refuses NUL, bidi overrides and isolates, zero-width joiners and lone surrogates (400, nothing stored)', async () => {
    for (const fullName of [
      'Ana\u0000Silva',
      '\u202Eavlis anA',
      'Ana \u2066Silva\u2069',
      'An\u200Da Silva',
      'Ana \ud800',
    ]) {
      const r = await post({ fullName });
      expect(r.status, JSON.stringify(fullName)).toBe(400);
      expect(r.body.error?.code).toBe('validation_failed');
      expect(r.body.error?.message).toMatch(/^fullName: control, bidirectional-formatting/);
    }
    expect(count()).toBe(0);
  });

  it('stores a Portuguese name unchanged, and a decomposed one composed (NFC)', async () => {
    expect((await post({ fullName: "João D'Ávila-Gonçalves" })).body.fullName).toBe("João D'Ávila-Gonçalves");
    const decomposed = await post({ fullName: 'Maria da Conceic\u0327a\u0303o' });
    expect(decomposed.body.fullName).toBe('Maria da Conceição');
    expect(decomposed.body.fullName).toHaveLength(18);
  });
});

describe('dates', () => {
  it('refuses birth dates 0000-01-01, 9999-12-31, 2026-02-30 and tomorrow; accepts today', async () => {
    for (const birthDate of ['0000-01-01', '9999-12-31', '2026-02-30', '1899-12-31', '2026-11-22']) {
      const r = await post({ fullName: 'Ana Silva', birthDate });
      expect(r.status, birthDate).toBe(400);
      expect(r.body.error?.code, birthDate).toBe('validation_failed');
    }
    expect(count()).toBe(0);
    expect((await post({ fullName: 'Bebé Silva', birthDate: '2026-11-21' })).status).toBe(201);
  });

  it('refuses board and calendar days outside 2000–2100 or that do not exist', async () => {
    for (const date of ['0000-01-01', '9999-12-31', '2026-02-30']) {
      const board = await h.req('GET', `/api/board?date=${date}`);
      expect(board.status, date).toBe(400);
      expect(((await board.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
      expect((await h.req('GET', `/api/calendar?date=${date}`)).status, date).toBe(400);
      expect((await h.req('GET', `/api/analytics?from=${date}&to=2026-11-21`)).status, date).toBe(400);
    }
    expect((await h.req('GET', '/api/board?date=2026-11-20')).status).toBe(200);
  });
});

describe('search', () => {
  it('matches % and _ literally: each finds only the name that holds it', async () => {
    await post({ fullName: 'Rui Sá' });
    await post({ fullName: 'Ana_Silva' });
    await post({ fullName: 'Bruno 100% Costa' });
    expect(await search('_')).toEqual(['Ana_Silva']);
    expect(await search('%')).toEqual(['Bruno 100% Costa']);
    expect(await search('a_s')).toEqual(['Ana_Silva']);
    expect(await search('0%')).toEqual(['Bruno 100% Costa']);
  });

  it('refuses a query with a NUL or a bidi override (400)', async () => {
    expect((await h.req('GET', `/api/patients?q=${encodeURIComponent('ana\u0000')}`)).status).toBe(400);
    expect((await h.req('GET', `/api/patients?q=${encodeURIComponent('\u202Eana')}`)).status).toBe(400);
  });
});
