/**
 * Medium tests of the Idempotency-Key header on the clinic's creating writes
 * (server/clinic/http/idempotency.ts): a POST sent again with its key answers the entity the first one
 * created (201, `Idempotent-Replayed: true`) and writes nothing more; the same key with another body is
 * 422 `idempotency_key_reused`; keys are per caller and route, forgotten after 24 h; a malformed key is
 * 400; without the header every POST creates.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness.ts';
import { seedSmallClinic, type SmallClinic } from '../testing/fixtures.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

const count = (sql: string, ...args: unknown[]) =>
  (h.deps.db.prepare(`SELECT COUNT(*) AS n FROM ${sql}`).get(...args) as { n: number }).n;
const key = (k: string) => ({ 'idempotency-key': k });

describe('Idempotency-Key', () => {
  it('answers a repeated patient POST with the first patient, replayed, and one patient, outbox row and audit row', async () => {
    const body = { fullName: 'Rita Repetida Sousa', phone: '912 000 111' };
    const first = await h.req('POST', '/api/patients', body, key('0b6f3c1e-desk-retry-1'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const created = (await first.json()) as { id: string };
    const again = await h.req('POST', '/api/patients', body, key('0b6f3c1e-desk-retry-1'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(created);
    expect(count("patients WHERE full_name = 'Rita Repetida Sousa'")).toBe(1);
    expect(count("outbox WHERE entity = 'patient' AND entity_id = ?", created.id)).toBe(1);
    expect(count("audit_log WHERE action = 'patient.create' AND entity_id = ?", created.id)).toBe(1);
    expect(count("audit_log WHERE action = 'request.replayed' AND entity_id = ?", created.id)).toBe(1);
    // Only the id is kept: no name, phone or body in the table.
    expect(h.deps.db.prepare('SELECT * FROM idempotency_keys').all()).toEqual([
      {
        scope: 'staff:test.admin POST /api/patients',
        key: '0b6f3c1e-desk-retry-1',
        request_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        entity_id: created.id,
        created_at: '2026-11-23T10:00:00.000Z',
      },
    ]);
  });

  it('refuses the same key with another body (422 idempotency_key_reused) and writes nothing', async () => {
    await h.req('POST', '/api/patients', { fullName: 'Primeiro Nome Aaa' }, key('k-1'));
    const res = await h.req('POST', '/api/patients', { fullName: 'Outro Nome Bbb' }, key('k-1'));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
    expect(count("patients WHERE full_name = 'Outro Nome Bbb'")).toBe(0);
  });

  it('registers one walk-in (patient, appointment, ticket) for a walk-in POST sent three times', async () => {
    const body = { fullName: 'Walter Entrada Livre', specialtyId: clinic.specialties.massage, checkIn: true };
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.req('POST', '/api/walk-ins', body, key('walk-in-7'));
      expect(res.status).toBe(201);
      answers.push((await res.json()) as { id: string; ticket: string | null; status: string });
    }
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.map((a) => [a.status, a.ticket])).toEqual([
      ['arrived', answers[0]!.ticket],
      ['arrived', answers[0]!.ticket],
      ['arrived', answers[0]!.ticket],
    ]);
    expect(answers[0]!.ticket).toMatch(/^\S+$/);
    expect(count("patients WHERE full_name = 'Walter Entrada Livre'")).toBe(1);
    expect(count('appointments')).toBe(1);
  });

  it('keeps keys per caller and per route, and forgets them after 24 hours', async () => {
    const body = { fullName: 'Chave Partilhada Costa' };
    const admin = (await (await h.req('POST', '/api/patients', body, key('same'))).json()) as { id: string };
    const reception = await h.req('POST', '/api/patients', body, {
      ...(await h.as('receptionist')),
      ...key('same'),
    });
    expect(reception.status).toBe(201);
    expect(reception.headers.get('idempotent-replayed')).toBeNull();
    expect(((await reception.json()) as { id: string }).id).not.toBe(admin.id);
    // The same key on another route is another request.
    const walkIn = await h.req(
      'POST',
      '/api/walk-ins',
      { patientId: admin.id, specialtyId: clinic.specialties.evaluation, checkIn: false },
      key('same'),
    );
    expect(walkIn.status).toBe(201);
    expect(walkIn.headers.get('idempotent-replayed')).toBeNull();
    // 24 h later the key is forgotten: a new patient, and the old rows are swept.
    h.setNow(NOW + 24 * 3_600_000 + 1);
    const later = await h.req('POST', '/api/patients', body, key('same'));
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(count("patients WHERE full_name = 'Chave Partilhada Costa'")).toBe(3);
    expect(count('idempotency_keys')).toBe(1);
  });

  it('answers a malformed key 400 validation_failed, and creates on every POST without one', async () => {
    const bad = await h.req('POST', '/api/patients', { fullName: 'Chave Errada Dias' }, key('a b'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    expect(count("patients WHERE full_name = 'Chave Errada Dias'")).toBe(0);
    await h.req('POST', '/api/patients', { fullName: 'Sem Chave Dias' });
    await h.req('POST', '/api/patients', { fullName: 'Sem Chave Dias' });
    expect(count("patients WHERE full_name = 'Sem Chave Dias'")).toBe(2);
  });

  it('replays a calendar booking and a scheduled appointment without booking twice', async () => {
    const patient = (await (
      await h.req('POST', '/api/patients', { fullName: 'Carla Agenda Reis' })
    ).json()) as {
      id: string;
    };
    const booking = {
      patientId: patient.id,
      specialtyId: clinic.specialties.evaluation,
      practitionerId: clinic.practitioners.marta,
      startsAt: '2026-11-24T10:00:00.000Z',
    };
    const one = await h.req('POST', '/api/calendar/appointments', booking, key('cal-1'));
    expect(one.status).toBe(201);
    const two = await h.req('POST', '/api/calendar/appointments', booking, key('cal-1'));
    expect(two.status).toBe(201);
    expect(two.headers.get('idempotent-replayed')).toBe('true');
    expect(((await two.json()) as { id: string }).id).toBe(((await one.json()) as { id: string }).id);
    const direct = { patientId: patient.id, specialtyId: clinic.specialties.massage };
    await h.req('POST', '/api/appointments', direct, key('appt-1'));
    await h.req('POST', '/api/appointments', direct, key('appt-1'));
    expect(count('appointments WHERE patient_id = ?', patient.id)).toBe(2);
  });
});
