/**
 * Medium tests of the same-patient merge at the desk (issue 9): suggestions only on an exact NIF, e-mail
 * or phone (never a name); `POST /api/patients/:id/merge` — the older row survives with its id, fills its
 * empty fields, takes the other's portal account, appointments (and their payments), face enrolment
 * (re-encrypted under its id) and consent trail; two enrolments → the newer kept, the other's descriptors
 * deleted; the merged row emptied and gone from search; both rows and the moved appointments queued;
 * audited; refusals (receptionist and admin only, stale version, both with portal accounts, already
 * merged, itself). And the portal invitation's refusals before central is called.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { decryptDescriptors, encryptDescriptors } from '../../face/crypto.ts';
import { upsertEnrolment } from '../face/repo.ts';
import type { PatientCard } from './card.ts';
import type { Patient } from './repo.ts';
import type { SamePersonSuggestion } from './same-person.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

type Json = Record<string, unknown>;
const create = async (body: Json) => (await (await h.req('POST', '/api/patients', body)).json()) as Patient;
const bookFor = async (patientId: string, startsAt: string) =>
  (await (
    await h.req('POST', '/api/calendar/appointments', {
      patientId,
      specialtyId: clinic.specialties.evaluation,
      practitionerId: clinic.practitioners.joao,
      startsAt,
    })
  ).json()) as { id: string; version: number };
const descriptor = (seed: number) => Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed + i));
const enrol = (patientId: string, seed: number) =>
  upsertEnrolment(h.deps, {
    patientId: patientId as Patient['id'],
    blob: encryptDescriptors(h.deps.faceKey, patientId, [descriptor(seed)]),
    sampleCount: 1,
    modelId: 'test-model',
    consentBy: 'desk',
  });
const row = (id: string) => h.deps.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Json;
const setAccount = (id: string, account: string) =>
  h.deps.db.prepare('UPDATE patients SET portal_account_id = ? WHERE id = ?').run(account, id);
const merge = (id: string, body: Json, headers?: Record<string, string>) =>
  h.req('POST', `/api/patients/${id}/merge`, body, headers);
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('same-person suggestions', () => {
  it('match on the exact NIF, e-mail or normalised phone, never on the name alone', async () => {
    const w = await create({
      fullName: 'Ana Silva',
      phone: '912 345 678',
      email: 'Ana@Example.pt',
      nif: '123456789',
    });
    const byPhone = await create({ fullName: 'A. Silva', phone: '+351912345678' });
    const byEmail = await create({ fullName: 'Ana S.', email: 'ana@example.pt' });
    const byNif = await create({ fullName: 'Ana Maria Silva', nif: '123456789' });
    await create({ fullName: 'Ana Silva' }); // same name, nothing else: never suggested
    await create({ fullName: 'Ana Silva', phone: '912 345 679', email: 'ana@example.com' });
    const res = await h.req('GET', `/api/patients/${w.id}/same-person`);
    expect(res.status).toBe(200);
    const found = (await res.json()) as SamePersonSuggestion[];
    expect(found.map((s) => [s.id, s.matchedOn])).toEqual([
      [byPhone.id, ['phone']],
      [byEmail.id, ['email']],
      [byNif.id, ['nif']],
    ]);
    const audit = h.deps.db
      .prepare("SELECT entity_id, detail FROM audit_log WHERE action = 'patient.same_person'")
      .all();
    expect(audit).toEqual([{ entity_id: w.id, detail: JSON.stringify({ results: 3 }) }]);
    const alone = await create({ fullName: 'Rui Costa' });
    expect(await (await h.req('GET', `/api/patients/${alone.id}/same-person`)).json()).toEqual([]);
  });
});

describe('POST /api/patients/:id/merge', () => {
  it('keeps the older row, fills it, moves appointments, payments, face and consent; queues and audits', async () => {
    const w = await create({ fullName: 'Ana Silva', phone: '912 345 678' });
    const wAppt = await bookFor(w.id, '2026-11-23T09:00:00Z');
    h.setNow(NOW + 3_600_000);
    const a = await create({
      fullName: 'Ana Maria Silva',
      phone: '912345678',
      email: 'ana@example.pt',
      nif: '123456789',
      birthDate: '1980-03-07',
    });
    setAccount(a.id, 'acc-ana');
    const aAppt = await bookFor(a.id, '2026-11-24T09:00:00Z');
    const paid = (await (
      await h.req('POST', `/api/appointments/${aAppt.id}/payments`, { method: 'cash', amountCents: 3500 })
    ).json()) as { id: string };
    enrol(a.id, 1);
    h.deps.db.prepare('DELETE FROM outbox').run();

    // Called from the newer row's card: the older row (the walk-in) still survives.
    const res = await merge(a.id, { otherId: w.id, expectedVersion: 1 });
    expect(res.status).toBe(200);
    const card = (await res.json()) as PatientCard;
    expect(card.patient).toEqual({
      id: w.id,
      fullName: 'Ana Silva',
      phone: '912 345 678',
      email: 'ana@example.pt',
      nif: '123456789',
      birthDate: '1980-03-07',
      version: 2,
    });
    expect(card.portalAccount).toBe(true);
    expect(card.appointments.map((x) => x.id).sort()).toEqual([wAppt.id, aAppt.id].sort());
    expect(card.payments.map((p) => p.id)).toEqual([paid.id]);
    expect(card.face.enrolled).toBe(true);
    expect(card.face.history.map((e) => e.event)).toEqual(['given']);
    expect(row(w.id)).toMatchObject({ portal_account_id: 'acc-ana', merged_into: null, deleted_at: null });
    expect(row(a.id)).toMatchObject({
      full_name: '',
      phone: null,
      email: null,
      nif: null,
      birth_date: null,
      portal_account_id: null,
      merged_into: w.id,
      deleted_at: '2026-11-21T11:00:00.000Z',
      version: 2,
    });
    // The enrolment moved, re-encrypted under the survivor's id (the id is the associated data).
    const enrolment = h.deps.db.prepare('SELECT patient_id, descriptors FROM face_enrolments').all() as {
      patient_id: string;
      descriptors: Buffer;
    }[];
    expect(enrolment.map((e) => e.patient_id)).toEqual([w.id]);
    expect(Array.from(decryptDescriptors(h.deps.faceKey, w.id, enrolment[0]!.descriptors)[0]!)).toEqual(
      Array.from(descriptor(1)),
    );
    expect(() => decryptDescriptors(h.deps.faceKey, a.id, enrolment[0]!.descriptors)).toThrow();
    // Outbox: both patient rows and the moved appointment, as upserts of their new versions; no face data.
    const outbox = h.deps.db
      .prepare('SELECT entity, entity_id, op, version, payload FROM outbox ORDER BY seq')
      .all() as { entity: string; entity_id: string; op: string; version: number; payload: string }[];
    expect(outbox.map((o) => [o.entity, o.entity_id, o.op, o.version])).toEqual([
      ['patient', a.id, 'upsert', 2],
      ['patient', w.id, 'upsert', 2],
      ['appointment', aAppt.id, 'upsert', aAppt.version + 1],
    ]);
    expect(JSON.parse(outbox[2]!.payload).patient_id).toBe(w.id);
    expect(JSON.parse(outbox[1]!.payload).portal_account_id).toBe('acc-ana');
    expect(outbox.some((o) => o.payload.includes('descriptors'))).toBe(false);
    const audit = h.deps.db
      .prepare("SELECT entity_id, detail FROM audit_log WHERE action = 'patient.merge'")
      .all();
    expect(audit).toEqual([
      {
        entity_id: w.id,
        detail: JSON.stringify({
          survivorId: w.id,
          mergedId: a.id,
          via: 'staff',
          appointments: 1,
          face: 'moved',
          portalAccount: true,
        }),
      },
    ]);
    // The merged row is gone from search and cards; the board shows the survivor's name.
    const found = (await (await h.req('GET', '/api/patients?q=ana')).json()) as Patient[];
    expect(found.map((p) => p.id)).toEqual([w.id]);
    expect((await h.req('GET', `/api/patients/${a.id}`)).status).toBe(404);
    const again = await merge(w.id, { otherId: a.id, expectedVersion: 2 });
    expect(again.status).toBe(409);
    expect(await code(again)).toBe('patient_merged');
  });

  it('keeps the newer of two enrolments and deletes the other descriptors for real', async () => {
    const w = await create({ fullName: 'Rui Costa', nif: '123456789' });
    enrol(w.id, 1);
    h.setNow(NOW + 60_000);
    const a = await create({ fullName: 'Rui Costa', nif: '123456789' });
    enrol(a.id, 2); // newer consent: kept, moved to the survivor
    const res = await merge(w.id, { otherId: a.id, expectedVersion: 1 });
    expect(res.status).toBe(200);
    const rows = h.deps.db.prepare('SELECT patient_id, descriptors FROM face_enrolments').all() as {
      patient_id: string;
      descriptors: Buffer;
    }[];
    expect(rows.length).toBe(1);
    expect(rows[0]!.patient_id).toBe(w.id);
    expect(Array.from(decryptDescriptors(h.deps.faceKey, w.id, rows[0]!.descriptors)[0]!)).toEqual(
      Array.from(descriptor(2)),
    );
    // Both consents stay in the survivor's trail (no face data there).
    const trail = h.deps.db.prepare('SELECT patient_id FROM face_consent_events').all();
    expect(trail).toEqual([{ patient_id: w.id }, { patient_id: w.id }]);
    const detail = JSON.parse(
      (
        h.deps.db.prepare("SELECT detail FROM audit_log WHERE action = 'patient.merge'").get() as {
          detail: string;
        }
      ).detail,
    );
    expect(detail.face).toBe('other_kept');
  });

  it('refuses a stale version, two portal accounts, itself, and callers other than the desk', async () => {
    const w = await create({ fullName: 'Rui Costa', phone: '912000000' });
    const a = await create({ fullName: 'Rui Costa', phone: '912000000' });
    const stale = await merge(a.id, { otherId: w.id, expectedVersion: 7 });
    expect(stale.status).toBe(409);
    expect(await code(stale)).toBe('version_conflict');
    setAccount(w.id, 'acc-1');
    setAccount(a.id, 'acc-2');
    const both = await merge(a.id, { otherId: w.id, expectedVersion: 1 });
    expect(both.status).toBe(409);
    expect(await code(both)).toBe('both_portal_accounts');
    const self = await merge(a.id, { otherId: a.id, expectedVersion: 1 });
    expect(self.status).toBe(400);
    expect((await h.req('POST', `/api/patients/${a.id}/merge`, { otherId: w.id })).status).toBe(400);
    setAccount(a.id, 'acc-1b');
    h.deps.db.prepare('UPDATE patients SET portal_account_id = NULL WHERE id = ?').run(w.id);
    const practitioner = await merge(a.id, { otherId: w.id, expectedVersion: 1 }, await h.as('practitioner'));
    expect(practitioner.status).toBe(403);
    // Nothing changed by the refusals.
    expect(row(w.id)).toMatchObject({ version: 1, merged_into: null });
    expect(row(a.id)).toMatchObject({ version: 1, merged_into: null });
    const receptionist = await merge(a.id, { otherId: w.id, expectedVersion: 1 }, await h.as('receptionist'));
    expect(receptionist.status).toBe(200);
    expect(row(a.id)).toMatchObject({ merged_into: w.id });
    expect(row(w.id)).toMatchObject({ portal_account_id: 'acc-1b' });
  });
});

describe('POST /api/patients/:id/portal-invite', () => {
  it('refuses a patient with a portal account, without contacts, or when the clinic does not sync', async () => {
    const none = await create({ fullName: 'Sem Contactos', phone: '212345678' });
    const res = await h.req('POST', `/api/patients/${none.id}/portal-invite`, {});
    expect(res.status).toBe(422);
    expect(await code(res)).toBe('contact_required');
    const ok = await create({ fullName: 'Com Contactos', email: 'c@example.pt' });
    const unpaired = await h.req('POST', `/api/patients/${ok.id}/portal-invite`, {});
    expect(unpaired.status).toBe(409);
    expect(await code(unpaired)).toBe('sync_not_paired');
    setAccount(ok.id, 'acc-x');
    const linked = await h.req('POST', `/api/patients/${ok.id}/portal-invite`, {});
    expect(linked.status).toBe(409);
    expect(await code(linked)).toBe('patient_has_portal_account');
  });
});
