/**
 * Portal links on each driver (issue 9, same-patient merge): the clinic's invite (protocol header and
 * credential required; a usable e-mail or mobile required; the link sent by e-mail and SMS; only the
 * token's SHA-256 stored; audited), the portal's view of a link, the logged-in patient's accept (the link
 * stored, the token used, a `patient_link` change in that clinic's feed only; audited), and the refusals:
 * reuse (410 link_token_used), expiry after 14 days (410 link_token_expired), an unknown token (404),
 * a patient already linked (409), an account already linked to another record (409 link_conflict), and an
 * account's erasure reaching the linked clinic's feed.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { auditLog } from '../../db/schema.ts';
import { hashToken } from '../../http/auth.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, loggedInPatient, seedClinic } from '../../testing/fixtures.ts';
import {
  addClinicB,
  call,
  CLINIC_B,
  pairClinic,
  PROTOCOL,
  syncClient,
  type Json,
} from '../sync/test-support.ts';
import { feedLinkedErasures } from './service.ts';
import { patientLinkInvites, patientLinks } from './tables.ts';

const W1 = uuidv7();
const W2 = uuidv7();
const W3 = uuidv7();

describeDrivers('portal links of clinic patients', (driver) => {
  let t: TestCentral;
  let credential: string;
  let credentialB: string;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t);
    await addClinicB(t);
    credential = await pairClinic(t, DEMO_CLINIC.id);
    credentialB = await pairClinic(t, CLINIC_B);
  });
  afterAll(async () => t.close());

  const auth = () => ({ ...PROTOCOL, authorization: `Bearer ${credential}` });
  const inviteFor = (clinicPatientId: string, body: Json = { email: 'ana@example.pt' }) =>
    call(t, 'POST', '/api/sync/patient-links', { clinicPatientId, ...body }, auth());
  /** Invites by e-mail and returns the token read from the e-mail sent. */
  async function tokenFor(clinicPatientId: string): Promise<string> {
    const before = t.mail.length;
    const res = await inviteFor(clinicPatientId);
    expect(res.status).toBe(201);
    expect(t.mail.length).toBe(before + 1);
    const m = /\/link\/([A-Za-z0-9_-]{43})/.exec(t.mail.at(-1)!.text);
    return m![1]!;
  }
  const errorCode = async (res: Response) => ((await res.json()) as Json).error.code as string;

  it('sends the link by e-mail and SMS for a paired clinic only, storing only its hash', async () => {
    expect(
      (await call(t, 'POST', '/api/sync/patient-links', { clinicPatientId: W1, email: 'a@b.pt' }, PROTOCOL))
        .status,
    ).toBe(401);
    const noHeader = await call(
      t,
      'POST',
      '/api/sync/patient-links',
      { clinicPatientId: W1, email: 'a@b.pt' },
      {
        authorization: `Bearer ${credential}`,
      },
    );
    expect(noHeader.status).toBe(400);
    expect(await errorCode(noHeader)).toBe('sync_protocol_mismatch');
    const landline = await inviteFor(W1, { phone: '212345678' });
    expect(landline.status).toBe(422);
    expect(await errorCode(landline)).toBe('contact_required');
    expect((await inviteFor(W1, {})).status).toBe(400);

    const res = await inviteFor(W1, { email: 'Ana@Example.pt', phone: '912 345 678', locale: 'pt' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      expiresAt: '2026-12-07T09:00:00.000Z',
      sent: { email: true, sms: true },
    });
    const mail = t.mail.at(-1)!;
    expect(mail.to).toBe('ana@example.pt');
    expect(mail.subject).toContain(DEMO_CLINIC.name);
    const token = /\/link\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    const sms = t.sms.at(-1)!;
    expect(sms.to).toBe('+351912345678');
    expect(sms.body).toContain(`/link/${token}`);
    const stored = await t.deps.db
      .select()
      .from(patientLinkInvites)
      .where(eq(patientLinkInvites.tokenHash, hashToken(token)));
    expect(stored.map((r) => [r.clinicId, r.clinicPatientId, r.usedAt])).toEqual([
      [DEMO_CLINIC.id, W1, null],
    ]);
    const all = await t.deps.db.select().from(patientLinkInvites);
    expect(JSON.stringify(all)).not.toContain(token);
    const audit = await t.deps.db.select().from(auditLog).where(eq(auditLog.action, 'patient_link.invite'));
    expect(audit.map((a) => [a.actor, a.entityId, a.details])).toEqual([
      [`clinic:${DEMO_CLINIC.id}`, W1, { email: true, sms: true }],
    ]);
  });

  it('links the logged-in account once and tells only that clinic', async () => {
    const token = await tokenFor(W2);
    const info = await call(t, 'GET', `/api/patient-links/${token}`);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({
      clinicName: DEMO_CLINIC.name,
      expiresAt: '2026-12-07T09:00:00.000Z',
    });
    expect(
      (
        await call(t, 'POST', `/api/patient-links/${token}/accept`, undefined, {
          origin: 'http://127.0.0.1:4320',
        })
      ).status,
    ).toBe(401);
    const before = (await syncClient(t, credential).pull(0)).body.cursor as number;
    const beforeB = (await syncClient(t, credentialB).pull(0)).body.cursor as number;
    const ana = await loggedInPatient(t, 'Ana Silva');
    const res = await ana.http.post(`/api/patient-links/${token}/accept`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ clinicName: DEMO_CLINIC.name, linkedAt: '2026-11-23T09:00:00.000Z' });
    const links = await t.deps.db.select().from(patientLinks).where(eq(patientLinks.accountId, ana.id));
    expect(links.map((l) => [l.clinicId, l.clinicPatientId])).toEqual([[DEMO_CLINIC.id, W2]]);
    const feed = (await syncClient(t, credential).pull(before)).body;
    expect(feed.changes.map((c: Json) => [c.entity, c.entityId, c.op, c.payload])).toEqual([
      ['patient_link', W2, 'insert', { clinicPatientId: W2, accountId: ana.id }],
    ]);
    expect((await syncClient(t, credentialB).pull(beforeB)).body.changes).toEqual([]);
    const audit = await t.deps.db.select().from(auditLog).where(eq(auditLog.action, 'patient_link.accept'));
    expect(audit.map((a) => [a.actor, a.entityId, a.clinicId])).toEqual([
      [`account:${ana.id}`, W2, DEMO_CLINIC.id],
    ]);

    // Used: the token is done, and the patient cannot be invited again.
    const again = await ana.http.post(`/api/patient-links/${token}/accept`);
    expect(again.status).toBe(410);
    expect(await errorCode(again)).toBe('link_token_used');
    expect(await errorCode(await call(t, 'GET', `/api/patient-links/${token}`))).toBe('link_token_used');
    const relinked = await inviteFor(W2);
    expect(relinked.status).toBe(409);
    expect(await errorCode(relinked)).toBe('patient_has_portal_account');
    // The same account for another record of the same clinic: refused, the token stays usable.
    const other = await tokenFor(W3);
    const conflict = await ana.http.post(`/api/patient-links/${other}/accept`);
    expect(conflict.status).toBe(409);
    expect(await errorCode(conflict)).toBe('link_conflict');
    expect((await call(t, 'GET', `/api/patient-links/${other}`)).status).toBe(200);

    // The account's erasure reaches the clinic that links it.
    const told = await t.deps.db.transaction((tx) => feedLinkedErasures(tx, t.deps.now(), ana.id));
    expect(told).toBe(1);
    const erased = (await syncClient(t, credential).pull(before)).body.changes.at(-1);
    expect([erased.entity, erased.entityId, erased.op, erased.payload]).toEqual([
      'patient',
      ana.id,
      'delete',
      { id: ana.id, erased: true },
    ]);
  });

  it('refuses an unknown token and one past its 14 days', async () => {
    const unknown = await call(t, 'GET', `/api/patient-links/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('link_token_invalid');
    const token = await tokenFor(uuidv7());
    t.clock.advance(14 * 86_400_000);
    const ana = await loggedInPatient(t, 'Ana Tarde');
    const late = await ana.http.post(`/api/patient-links/${token}/accept`);
    expect(late.status).toBe(410);
    expect(await errorCode(late)).toBe('link_token_expired');
  });
});
