/**
 * Medium tests of the patient register: create with outbox and audit; search by name (accents and word
 * order ignored), phone, NIF, date of birth or booking code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';
import type { Board } from '../appointments/service.ts';
import { seedDemoClinic } from '../../seed/demo.ts';
import type { Patient } from './repo.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
});
afterEach(() => h.close());

const create = async (body: Record<string, unknown>) =>
  (await (await h.req('POST', '/api/patients', body)).json()) as Patient;
const search = async (q: string) =>
  ((await (await h.req('GET', `/api/patients?q=${encodeURIComponent(q)}`)).json()) as Patient[]).map(
    (p) => p.fullName,
  );

describe('patients', () => {
  it('creates a patient with one outbox row and one audit row, stamped by the clock', async () => {
    const p = await create({ fullName: '  Ana Teste Silva ', phone: '912 345 678', nif: '123456789' });
    expect(p).toEqual({
      id: p.id,
      fullName: 'Ana Teste Silva',
      phone: '912 345 678',
      email: null,
      nif: '123456789',
      birthDate: null,
      version: 1,
    });
    const outbox = h.deps.db
      .prepare('SELECT entity, op, version, created_at FROM outbox WHERE entity_id = ?')
      .all(p.id);
    expect(outbox).toEqual([
      { entity: 'patient', op: 'upsert', version: 1, created_at: '2026-11-21T10:00:00.000Z' },
    ]);
    const audit = h.deps.db.prepare('SELECT at, actor, action FROM audit_log WHERE entity_id = ?').all(p.id);
    expect(audit).toEqual([{ at: '2026-11-21T10:00:00.000Z', actor: 'desk', action: 'patient.create' }]);
  });

  it('finds patients by part of the name or phone, or by exact NIF, in name order, and audits the search', async () => {
    await create({ fullName: 'Rui Teste Sá', phone: '936000111' });
    await create({ fullName: 'Ana Teste Silva', nif: '501964843' });
    await create({ fullName: 'Bruno Outro' });
    expect(await search('Teste')).toEqual(['Ana Teste Silva', 'Rui Teste Sá']);
    expect(await search('6000')).toEqual(['Rui Teste Sá']);
    expect(await search('501964843')).toEqual(['Ana Teste Silva']);
    expect(await search('5019648')).toEqual([]);
    const audit = h.deps.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'patient.search' ORDER BY seq")
      .all();
    expect(audit).toEqual([
      { detail: '{"results":2}' },
      { detail: '{"results":1}' },
      { detail: '{"results":1}' },
      { detail: '{"results":0}' },
    ]);
  });
  it('finds by name words in any order ignoring accents, by phone digits, date of birth or booking code', async () => {
    const jose = await create({
      fullName: 'José Conceição Teste',
      phone: '912 345 678',
      birthDate: '1980-03-07',
    });
    await create({ fullName: 'Joana Teste Abreu' });
    expect(await search('conceicao jose')).toEqual(['José Conceição Teste']);
    expect(await search('JOSÉ')).toEqual(['José Conceição Teste']);
    expect(await search('+351 912 345')).toEqual(['José Conceição Teste']);
    expect(await search('07/03/1980')).toEqual(['José Conceição Teste']);
    expect(await search('teste')).toEqual(['Joana Teste Abreu', 'José Conceição Teste']);
    // LIKE wildcards are searched literally.
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
    // A booking code of one of the patient's appointments (any case, with a dash).
    seedDemoClinic(h.deps);
    const board = (await (await h.req('GET', '/api/board')).json()) as Board;
    const booked = (await (
      await h.req('POST', '/api/appointments', {
        patientId: jose.id,
        specialtyId: board.specialties[0]!.id,
        practitionerId: board.practitioners[0]!.id,
        startsAt: new Date(NOW + 3_600_000).toISOString(),
      })
    ).json()) as { bookingCode: string };
    const code = booked.bookingCode.toLowerCase();
    expect(await search(`${code.slice(0, 3)}-${code.slice(3)}`)).toEqual(['José Conceição Teste']);
  });
});
