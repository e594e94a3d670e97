/**
 * The portal link end to end, the clinic and central over real HTTP (tests/support/sync-central.ts:
 * central on PGlite on a free port; the clinic's real SQLite): a walk-in registered at the desk, the same
 * person books online (the pull creates a second patient row, the account's), the desk sends the portal
 * invitation (the clinic's `POST /api/patients/:id/portal-invite` → central's `/api/sync/patient-links`,
 * an e-mail with the link), the patient confirms in the portal, and the clinic pulls the `patient_link`
 * change: one patient, the walk-in's id, with the account, the online booking and nothing left on the
 * other row; the next push tells central (the booking under the walk-in, the other row gone). The
 * `patient_link` change is applied here with `applyPatientLink`, as apply.ts will once it is wired.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHttpCentral, type HttpCentral } from '../../../tests/support/sync-central.ts';
import { bookOnlineAsPatient } from '../../../tests/support/online-patient.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import { ARGON2_TEST } from '../../http/passwords.ts';
import { createApp } from '../app.ts';
import { createHarness, TEST_SESSION_KEY, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import { applyPulledPage, readPullCursor } from './apply.ts';
import { SyncClient } from './client.ts';
import { savePairing, syncPairingFile } from './credentials.ts';
import { pushOutbox } from './engine.ts';
import { portalInviter, resolveLocalPatient } from './patient-links.ts';

const NOW = '2026-11-23T09:00:00.000Z';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let central: HttpCentral;
let h: Harness;
let dataDir: string;
let client: SyncClient;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  central = await startHttpCentral(NOW);
  h = createHarness({ now: Date.parse(NOW) });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-link-'));
  const paired = await new SyncClient({ centralUrl: central.url }).pair(await central.pairingCode());
  savePairing(syncPairingFile(dataDir), { centralUrl: central.url, ...paired });
  client = new SyncClient({ centralUrl: central.url, credential: paired.credential });
  app = createApp(h.deps, {
    token: TEST_TOKEN,
    allowedHosts: ['localhost'],
    rendererDir: null,
    sessionKey: TEST_SESSION_KEY,
    argon2: ARGON2_TEST,
    portalInvite: portalInviter(dataDir),
  });
}, 60_000);

afterAll(async () => {
  h?.close();
  await central?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function desk(method: string, route: string, body?: unknown): Promise<Response> {
  return app.request(route, {
    method,
    headers: {
      host: 'localhost',
      ...(await h.as('receptionist')),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** One pull pass: pages applied by apply.ts, `patient_link` changes by applyPatientLink. */
async function pull(): Promise<void> {
  for (;;) {
    const page = await client.pull(readPullCursor(h.deps), 500);
    h.deps.db.transaction(() => {
      applyPulledPage(h.deps, page.changes, page.cursor);
    })();
    if (!page.more) break;
  }
}

it('a walk-in who books online and links the invitation becomes one patient, at the clinic and central', async () => {
  const created = await desk('POST', '/api/patients', { fullName: 'Rita Balcão', email: 'rita@example.pt' });
  expect(created.status).toBe(201);
  const walkIn = ((await created.json()) as Json).id as string;

  const portal = await bookOnlineAsPatient(central.t, '2026-11-24T10:00:00.000Z', 'Rita Online');
  await pull();
  const row = (id: string) => h.deps.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Json;
  expect(row(portal.id)).toMatchObject({ full_name: 'Rita Online', deleted_at: null });
  expect(resolveLocalPatient(h.deps.db, portal.id)).toBe(portal.id);

  const invited = await desk('POST', `/api/patients/${walkIn}/portal-invite`, { locale: 'pt' });
  expect(invited.status).toBe(201);
  expect(((await invited.json()) as Json).sent).toEqual({ email: true, sms: false });
  const mail = central.t.mail.at(-1)!;
  expect(mail.to).toBe('rita@example.pt');
  const token = /\/link\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  const audit = h.deps.db
    .prepare("SELECT entity_id FROM audit_log WHERE action = 'patient.portal_invite'")
    .all() as Json[];
  expect(audit.map((a) => a.entity_id)).toEqual([walkIn]);

  const accepted = await portal.post(`/api/patient-links/${token}/accept`);
  expect(accepted.status).toBe(200);
  await pull();

  // One patient: the walk-in's id, with the account and the online booking; the other row emptied.
  expect(row(walkIn)).toMatchObject({
    portal_account_id: portal.id,
    full_name: 'Rita Balcão',
    deleted_at: null,
  });
  expect(row(portal.id)).toMatchObject({ merged_into: walkIn, full_name: '', email: null });
  expect(resolveLocalPatient(h.deps.db, portal.id)).toBe(walkIn);
  const appt = h.deps.db
    .prepare('SELECT patient_id FROM appointments WHERE id = ?')
    .get(portal.appointment.id) as Json;
  expect(appt.patient_id).toBe(walkIn);
  const card = (await (await desk('GET', `/api/patients/${walkIn}`)).json()) as Json;
  expect(card.portalAccount).toBe(true);
  expect(card.appointments.map((a: Json) => a.id)).toEqual([portal.appointment.id]);

  // The push tells central: the walk-in with its account, the other row gone.
  const report = await pushOutbox(h.deps, client);
  expect(report.rejected).toEqual([]);
  const records = await central.records();
  const record = (entity: string, id: string) =>
    records.find((r) => r.entity === entity && r.entityId === id);
  expect(record('patient', walkIn)?.payload).toMatchObject({ portal_account_id: portal.id });
  expect(record('patient', portal.id)?.payload).toMatchObject({ deleted_at: expect.any(String) });
  expect(JSON.stringify(record('patient', portal.id)?.payload)).not.toContain('Rita');
  // A later online booking of the account lands on the walk-in; the account's erasure erases the walk-in.
  const held = await portal.post('/api/holds', {
    clinicId: DEMO_CLINIC.id,
    specialty: 'msk_physio',
    startsAt: '2026-11-25T10:00:00.000Z',
    practitionerId: DEMO_PRACTITIONERS[0]!.id,
  });
  expect(held.status).toBe(201);
  const hold = ((await held.json()) as Json).hold;
  const confirmed = await portal.post(`/api/holds/${hold.id}/confirm`);
  expect(confirmed.status).toBe(201);
  const second = ((await confirmed.json()) as Json).appointment;
  await pull();
  const secondRow = h.deps.db
    .prepare('SELECT patient_id FROM appointments WHERE id = ?')
    .get(second.id) as Json;
  expect(secondRow.patient_id).toBe(walkIn);
  expect(row(walkIn)).toMatchObject({ full_name: 'Rita Balcão', deleted_at: null });
  await central.feed([
    {
      entity: 'patient',
      entityId: portal.id,
      op: 'delete',
      version: 9,
      payload: { id: portal.id, erased: true },
    },
  ]);
  await pull();
  expect(row(walkIn)).toMatchObject({ full_name: '', email: null, deleted_at: expect.any(String) });

  // The token is used up.
  const again = await portal.post(`/api/patient-links/${token}/accept`);
  expect(again.status).toBe(410);
}, 60_000);
