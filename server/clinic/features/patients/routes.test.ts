/**
 * Medium tests of the patient register: create with outbox and audit; search by name (accents and word
 * order ignored), phone, NIF, date of birth or booking code; the patient card (details, face consent,
 * appointments, payments), audited as patient.view.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';
import type { Board } from '../appointments/service.ts';
import { seedDemoClinic } from '../../seed/demo.ts';
import { seedSmallClinic } from '../../testing/fixtures.ts';
import { FACE_CONSENT_VERSION } from '../../../domain/consent.ts';
import { upsertEnrolment } from '../face/repo.ts';
import type { Patient } from './repo.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
});
afterEach(() => h.close());

const create = async (body: Record<string, unknown>) =>
  (await (await h.req('POST', '/api/patients', body)).json()) as Patient;
/**
 * The audit actor of the harness's default caller (a screen or a staff account, whichever the harness
 * signs in as), read from the audit row of a search it makes.
 */
async function callerActor(): Promise<string> {
  await h.req('GET', '/api/patients?q=zzzz');
  return (
    h.deps.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'patient.search' ORDER BY seq DESC LIMIT 1")
      .get() as { actor: string }
  ).actor;
}
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
    expect(audit).toEqual([
      { at: '2026-11-21T10:00:00.000Z', actor: await callerActor(), action: 'patient.create' },
    ]);
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

describe('patient card', () => {
  it('shows details, face consent, appointments and payments, and audits every read as patient.view', async () => {
    const clinic = seedSmallClinic(h.deps);
    const p = await create({
      fullName: 'Ana Teste Silva',
      phone: '912 345 678',
      nif: '123456789',
      email: 'ana@example.pt',
      birthDate: '1980-03-07',
    });
    const bookAt = async (startsAt: string, specialtyId = clinic.specialties.evaluation) =>
      (await (
        await h.req('POST', '/api/calendar/appointments', {
          patientId: p.id,
          specialtyId,
          practitionerId: clinic.practitioners.joao,
          startsAt,
        })
      ).json()) as { id: string; bookingCode: string };
    const first = await bookAt('2026-11-23T09:00:00Z');
    const second = await bookAt('2026-11-24T15:00:00Z', clinic.specialties.massage);
    const paid = (await (
      await h.req('POST', `/api/appointments/${first.id}/payments`, { method: 'cash', amountCents: 3500 })
    ).json()) as { id: string };
    h.setNow(NOW + 60_000);
    await h.req('POST', `/api/payments/${paid.id}/void`, { reason: 'Valor errado' });
    await h.req('POST', `/api/appointments/${first.id}/payments`, { method: 'card', amountCents: 3000 });
    upsertEnrolment(h.deps, {
      patientId: p.id,
      blob: Buffer.from('not read by the card'),
      sampleCount: 3,
      modelId: 'test-model',
      consentBy: 'desk',
    });

    const res = await h.req('GET', `/api/patients/${p.id}`);
    expect(res.status).toBe(200);
    const card = await res.json();
    expect(card).toEqual({
      patient: {
        id: p.id,
        fullName: 'Ana Teste Silva',
        phone: '912 345 678',
        email: 'ana@example.pt',
        nif: '123456789',
        birthDate: '1980-03-07',
        version: 1,
      },
      portalAccount: false,
      createdAt: '2026-11-21T10:00:00.000Z',
      face: {
        enrolled: true,
        consentVersion: FACE_CONSENT_VERSION,
        consentAt: '2026-11-21T10:01:00.000Z',
        consentChannel: 'desk',
        currentVersion: FACE_CONSENT_VERSION,
        history: [
          { event: 'given', version: FACE_CONSENT_VERSION, channel: 'desk', at: '2026-11-21T10:01:00.000Z' },
        ],
      },
      appointments: [
        {
          id: second.id,
          startsAt: '2026-11-24T15:00:00.000Z',
          durationMin: 45,
          status: 'scheduled',
          walkIn: false,
          bookingCode: second.bookingCode,
          version: 1,
          practitioner: { id: clinic.practitioners.joao, displayName: 'Dr. João Ferreira' },
          specialty: {
            id: clinic.specialties.massage,
            code: 'massage',
            namePt: 'Massagem',
            nameEn: 'Massage',
          },
        },
        expect.objectContaining({ id: first.id, startsAt: '2026-11-23T09:00:00.000Z', durationMin: 30 }),
      ],
      payments: [
        {
          id: expect.any(String),
          appointmentId: first.id,
          amountCents: 3000,
          method: 'card',
          status: 'paid',
          receipt: 'R 2026/2',
          at: '2026-11-21T10:01:00.000Z',
        },
        {
          id: paid.id,
          appointmentId: first.id,
          amountCents: 3500,
          method: 'cash',
          status: 'voided',
          receipt: 'R 2026/1',
          at: '2026-11-21T10:00:00.000Z',
        },
      ],
    });
    expect(JSON.stringify(card)).not.toContain('not read by the card');

    // Withdrawing consent at the desk deletes the descriptors; the card shows the history.
    h.setNow(NOW + 120_000);
    expect((await h.req('DELETE', `/api/patients/${p.id}/face`)).status).toBe(200);
    const after = (await (await h.req('GET', `/api/patients/${p.id}`)).json()) as { face: unknown };
    expect(after.face).toEqual({
      enrolled: false,
      consentVersion: null,
      consentAt: null,
      consentChannel: null,
      currentVersion: FACE_CONSENT_VERSION,
      history: [
        { event: 'given', version: FACE_CONSENT_VERSION, channel: 'desk', at: '2026-11-21T10:01:00.000Z' },
        {
          event: 'withdrawn',
          version: FACE_CONSENT_VERSION,
          channel: 'desk',
          at: '2026-11-21T10:02:00.000Z',
        },
      ],
    });
    const views = h.deps.db
      .prepare(
        "SELECT at, actor, entity, entity_id, detail FROM audit_log WHERE action = 'patient.view' ORDER BY seq",
      )
      .all();
    const actor = await callerActor();
    expect(views).toEqual([
      { at: '2026-11-21T10:01:00.000Z', actor, entity: 'patient', entity_id: p.id, detail: '{}' },
      { at: '2026-11-21T10:02:00.000Z', actor, entity: 'patient', entity_id: p.id, detail: '{}' },
    ]);
  });

  it('answers 404 patient_not_found for an unknown patient (not audited) and 400 for a malformed id', async () => {
    const missing = await h.req('GET', '/api/patients/0190f0f0-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('patient_not_found');
    expect((await h.req('GET', '/api/patients/not-an-id')).status).toBe(400);
    expect(
      h.deps.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'patient.view'").get(),
    ).toEqual({
      n: 0,
    });
  });
});
