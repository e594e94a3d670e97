/**
 * The clinic's side of a portal link (issue 9, same-patient merge): `resolveLocalPatient` (by
 * portal_account_id, else by the account's own id, then merged_into), and `applyPatientLink` — a walk-in
 * linked to the account; a row pulled earlier for that account merged into the walk-in (appointments
 * moved, both rows queued, audited); a replay writes nothing; an unknown, erased or differently linked
 * record is skipped without throwing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createHarness, type Harness } from '../testing/harness.ts';
import { seedSmallClinic, type SmallClinic } from '../testing/fixtures.ts';
import type { PulledChange } from '../../domain/sync.ts';
import { applyPatientLink, resolveLocalPatient } from './patient-links.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

type Json = Record<string, unknown>;
const row = (id: string) => h.deps.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Json;
const walkIn = async (body: Json) =>
  ((await (await h.req('POST', '/api/patients', body)).json()) as { id: string }).id;
/** A patient row as the pull inserts it for an online booking: its id is the account's. */
function pulledPatient(accountId: string, name: string): void {
  const at = new Date(NOW).toISOString();
  h.deps.db
    .prepare(
      `INSERT INTO patients (id, full_name, email, created_at, updated_at, version, portal_account_id)
       VALUES (?, ?, ?, ?, ?, 1, ?)`,
    )
    .run(accountId, name, 'ana@example.pt', at, at, accountId);
}
const link = (clinicPatientId: string, accountId: string, seq = 1): PulledChange => ({
  seq,
  entity: 'patient_link',
  entityId: clinicPatientId,
  op: 'insert',
  version: 1,
  payload: { clinicPatientId, accountId },
  createdAt: new Date(NOW).toISOString(),
});
const apply = (change: PulledChange) => h.deps.db.transaction(() => applyPatientLink(h.deps, change))();

describe('applyPatientLink', () => {
  it('links a walk-in with no other row: portal_account_id set, queued, audited; a replay does nothing', async () => {
    const w = await walkIn({ fullName: 'Ana Silva', phone: '912345678' });
    const account = uuidv7();
    expect(resolveLocalPatient(h.deps.db, account)).toBe(null);
    h.deps.db.prepare('DELETE FROM outbox').run();
    const result = apply(link(w, account));
    expect(result).toEqual({
      patients: [w],
      appointments: [],
      mergedId: null,
      faceErased: false,
      skipped: false,
    });
    expect(row(w)).toMatchObject({ portal_account_id: account, version: 2 });
    expect(resolveLocalPatient(h.deps.db, account)).toBe(w);
    const outbox = h.deps.db.prepare('SELECT entity, entity_id, version FROM outbox').all();
    expect(outbox).toEqual([{ entity: 'patient', entity_id: w, version: 2 }]);
    expect(apply(link(w, account, 2))).toEqual({
      patients: [],
      appointments: [],
      mergedId: null,
      faceErased: false,
      skipped: false,
    });
    expect(row(w)).toMatchObject({ version: 2 });
    const audit = h.deps.db
      .prepare("SELECT actor, entity_id, detail FROM audit_log WHERE action = 'patient.link'")
      .all();
    expect(audit).toEqual([{ actor: 'system', entity_id: w, detail: JSON.stringify({ merged: null }) }]);
  });

  it("merges the account's pulled row into the walk-in: its bookings follow and the account resolves to the walk-in", async () => {
    const account = uuidv7();
    // The pulled row is older than the walk-in here: the link still keeps the clinic's record.
    pulledPatient(account, 'Ana Maria Silva');
    h.setNow(NOW + 60_000);
    const w = await walkIn({ fullName: 'Ana Silva', phone: '912345678' });
    const appt = (await (
      await h.req('POST', '/api/calendar/appointments', {
        patientId: account,
        specialtyId: clinic.specialties.evaluation,
        practitionerId: clinic.practitioners.joao,
        startsAt: '2026-11-24T09:00:00Z',
      })
    ).json()) as { id: string };
    const result = apply(link(w, account));
    expect(result).toEqual({
      patients: [w, account],
      appointments: [appt.id],
      mergedId: account,
      faceErased: false,
      skipped: false,
    });
    expect(row(w)).toMatchObject({
      portal_account_id: account,
      email: 'ana@example.pt',
      full_name: 'Ana Silva',
    });
    expect(row(account)).toMatchObject({ merged_into: w, full_name: '', portal_account_id: null });
    expect(
      (h.deps.db.prepare('SELECT patient_id FROM appointments WHERE id = ?').get(appt.id) as Json).patient_id,
    ).toBe(w);
    expect(resolveLocalPatient(h.deps.db, account)).toBe(w);
    const merge = h.deps.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'patient.merge'")
      .get() as Json;
    expect(JSON.parse(merge.detail as string)).toMatchObject({
      survivorId: w,
      mergedId: account,
      via: 'link',
    });
    // Replayed: nothing more.
    expect(apply(link(w, account, 2)).patients).toEqual([]);
  });

  it('skips an unknown or erased record and one linked to another account, without throwing', async () => {
    const account = uuidv7();
    expect(apply(link(uuidv7(), account)).skipped).toBe(true);
    const w = await walkIn({ fullName: 'Rui Costa', email: 'rui@example.pt' });
    h.deps.db.prepare('UPDATE patients SET portal_account_id = ? WHERE id = ?').run(uuidv7(), w);
    expect(apply(link(w, account)).skipped).toBe(true);
    const erased = await walkIn({ fullName: 'Apagado', email: 'x@example.pt' });
    h.deps.db.prepare("UPDATE patients SET deleted_at = '2026-11-20T00:00:00Z' WHERE id = ?").run(erased);
    expect(apply(link(erased, account)).skipped).toBe(true);
    expect(apply({ ...link(w, account), payload: { clinicPatientId: w } }).skipped).toBe(true);
    expect(resolveLocalPatient(h.deps.db, account)).toBe(null);
  });
});
