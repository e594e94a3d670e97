/**
 * Medium tests of the audit viewer: entries resolved to the patient they concern (directly or through an
 * appointment), filters, pages, the CSV export (quoted, formula-safe) and the audit of reading the audit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';
import type { Board } from '../appointments/service.ts';
import type { AuditEntry } from './service.ts';
import { versionOf } from '../../testing/versions.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW });
});
afterEach(() => h.close());

const page = async (query: string) => {
  const res = await h.req('GET', `/api/audit?from=2026-11-21&to=2026-11-21&${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { entries: AuditEntry[]; nextBefore: number | null };
};

/** A patient with a booking, checked in at the desk: patient.create, appointment.create, appointment.status. */
async function visit(fullName: string) {
  const board = (await (await h.req('GET', '/api/board')).json()) as Board;
  const patient = (await (await h.req('POST', '/api/patients', { fullName })).json()) as { id: string };
  const a = (await (
    await h.req('POST', '/api/appointments', {
      patientId: patient.id,
      specialtyId: board.specialties[0]!.id,
      practitionerId: board.practitioners[0]!.id,
      startsAt: new Date(NOW + 15 * 60_000).toISOString(),
    })
  ).json()) as { id: string };
  await h.req('POST', `/api/appointments/${a.id}/status`, {
    expectedVersion: versionOf(h.deps, a.id),
    status: 'arrived',
  });
  return { patientId: patient.id, appointmentId: a.id };
}

describe('audit viewer', () => {
  it('shows who did what to which patient, filtered by patient, action prefix and actor', async () => {
    const jose = await visit('José Conceição Teste');
    await visit('Rita Teste Lopes');
    const mine = await page('patient=conceicao');
    expect(mine.entries.map((e) => [e.actor, e.action, e.entity, e.patient?.fullName])).toEqual([
      ['staff:test.admin', 'appointment.status', 'appointment', 'José Conceição Teste'],
      ['staff:test.admin', 'appointment.create', 'appointment', 'José Conceição Teste'],
      ['staff:test.admin', 'patient.create', 'patient', 'José Conceição Teste'],
    ]);
    expect(mine.entries[0]).toMatchObject({
      entityId: jose.appointmentId,
      at: '2026-11-21T10:00:00.000Z',
      detail: { from: 'scheduled', to: 'arrived', checkInMethod: 'desk' },
    });
    const statuses = await page('action=appointment.status');
    expect(statuses.entries.map((e) => e.patient?.fullName)).toEqual([
      'Rita Teste Lopes',
      'José Conceição Teste',
    ]);
    const byPrefix = await page('action=appointment&patient=rita');
    expect(byPrefix.entries.map((e) => e.action)).toEqual(['appointment.status', 'appointment.create']);
    expect((await page('actor=kiosk&patient=rita')).entries).toEqual([]);
    expect((await page('patient=ninguem')).entries).toEqual([]);
  });

  it('pages newest first, and audits each reading without the search text', async () => {
    await visit('José Conceição Teste');
    const first = await page('patient=conceicao&limit=2');
    expect(first.entries.map((e) => e.action)).toEqual(['appointment.status', 'appointment.create']);
    const second = await page(`patient=conceicao&limit=2&before=${first.nextBefore}`);
    expect(second.entries.map((e) => e.action)).toEqual(['patient.create']);
    expect(second.nextBefore).toBeNull();
    const reads = h.deps.db
      .prepare("SELECT actor, detail FROM audit_log WHERE action = 'audit.read' ORDER BY seq")
      .all() as { actor: string; detail: string }[];
    expect(reads).toHaveLength(2);
    expect(JSON.parse(reads[0]!.detail)).toEqual({
      from: '2026-11-21',
      to: '2026-11-21',
      actor: null,
      action: null,
      byPatient: true,
      results: 2,
      format: 'json',
    });
    expect(reads[0]!.detail).not.toContain('conceicao');
  });

  it('exports CSV with quoting where needed and formulas defused', async () => {
    await visit('=HYPERLINK("x") Teste, Lda');
    const res = await h.req('GET', '/api/audit.csv?from=2026-11-21&to=2026-11-21&action=patient');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="audit-2026-11-21-2026-11-21.csv"',
    );
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('seq,at_utc,actor,action,entity,entity_id,patient_id,patient_name,detail');
    const created = lines.find((l) => l.includes('patient.create'))!;
    expect(created).toContain(`"'=HYPERLINK(""x"") Teste, Lda"`);
    expect(created).toMatch(/,2026-11-21T10:00:00\.000Z,staff:test\.admin,patient\.create,patient,/);
  });

  it('refuses a reversed or too long range', async () => {
    const reversed = await h.req('GET', '/api/audit?from=2026-11-21&to=2026-11-20');
    expect(reversed.status).toBe(400);
    expect(await reversed.json()).toMatchObject({ error: { code: 'validation_failed' } });
    const long = await h.req('GET', '/api/audit.csv?from=2025-01-01&to=2026-11-21');
    expect(long.status).toBe(400);
  });
});
