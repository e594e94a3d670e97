/**
 * Medium tests of the kiosk's routes without the face engine: booking code lookup and confirmation with
 * exact receipts, the check-in window, how frames of the wrong kind are refused, and withdrawal of face
 * consent bound to the kiosk session's identification by code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientId } from '../../../domain/ids.ts';
import { encryptDescriptors } from '../../face/crypto.ts';
import { upsertEnrolment } from '../face/repo.ts';
import { KIOSK_WITHDRAW_WINDOW_MS } from './service.ts';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, TEST_CREDENTIALS, type Harness } from '../../testing/harness.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

const asKiosk = { authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` };
const kiosk = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  h.req('POST', route, body, { ...asKiosk, ...headers });

describe('booking code', () => {
  it('finds the appointment by code (any case, spaces), checks in once with an exact receipt', async () => {
    const a = book(h.deps, clinic, 'Olga Teste Pires', 20);
    const code = a.bookingCode.toLowerCase().replace(/^(...)/, '$1 ');
    const candidate = await (await kiosk('/api/kiosk/code', { code })).json();
    expect(candidate).toEqual({
      appointmentId: a.id,
      initials: 'O. P.',
      startsAt: '2026-11-21T10:20:00.000Z',
      practitionerName: 'Dr.ª Marta Lopes',
      faceEnrolled: false,
    });

    const receipt = await (
      await kiosk('/api/kiosk/confirm', { appointmentId: a.id, checkInMethod: 'code' })
    ).json();
    expect(receipt).toEqual({
      ticket: 'A001',
      roomName: 'Sala 1',
      practitionerName: 'Dr.ª Marta Lopes',
      waitMin: 20,
      band: '10to20',
      predictedStartAt: '2026-11-21T10:20:00.000Z',
    });
    const row = h.deps.db
      .prepare('SELECT check_in_method, wait_estimate_min FROM appointments WHERE id = ?')
      .get(a.id);
    expect(row).toEqual({ check_in_method: 'code', wait_estimate_min: 20 });
    const audit = h.deps.db
      .prepare("SELECT actor, detail FROM audit_log WHERE action = 'appointment.status' AND entity_id = ?")
      .get(a.id);
    expect(audit).toEqual({
      actor: 'kiosk',
      detail: JSON.stringify({ from: 'scheduled', to: 'arrived', checkInMethod: 'code' }),
    });

    const again = await kiosk('/api/kiosk/confirm', { appointmentId: a.id, checkInMethod: 'code' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'already_checked_in' } });
  });

  it('opens check-in 60 min before to 30 min after the booked time, by default', async () => {
    const early = book(h.deps, clinic, 'Cedo Teste', 61);
    const edge = book(h.deps, clinic, 'Limite Teste', 60);
    const late = book(h.deps, clinic, 'Tarde Teste', -31);
    const lookup = async (code: string) => (await kiosk('/api/kiosk/code', { code })).status;
    expect(await lookup(early.bookingCode)).toBe(404);
    expect(await lookup(edge.bookingCode)).toBe(200);
    expect(await lookup(late.bookingCode)).toBe(404);
    const outside = await kiosk('/api/kiosk/code', { code: early.bookingCode });
    expect(await outside.json()).toMatchObject({ error: { code: 'appointment_not_found' } });
    const unknown = await kiosk('/api/kiosk/code', { code: 'ZZZZZZ' });
    expect(unknown.status).toBe(404);
    const malformed = await kiosk('/api/kiosk/code', { code: 'AB' });
    expect(malformed.status).toBe(400);
  });
});

describe('booking code guessing (issue 13)', () => {
  const NO_OPEN = {
    error: {
      code: 'appointment_not_found',
      message: 'no appointment open for check-in with this code now; please see reception',
    },
  };

  it('gives one answer for an unknown code, one of another day and one of today not open now', async () => {
    const later = book(h.deps, clinic, 'Tarde Teste', 6 * 60);
    const tomorrow = book(h.deps, clinic, 'Amanhã Teste', 24 * 60);
    const yesterday = book(h.deps, clinic, 'Ontem Teste', -24 * 60);
    const answers = [];
    for (const code of ['ZZZZZZ', later.bookingCode, tomorrow.bookingCode, yesterday.bookingCode]) {
      const res = await kiosk('/api/kiosk/code', { code });
      answers.push({ status: res.status, body: await res.json() });
    }
    expect(answers).toEqual(Array(4).fill({ status: 404, body: NO_OPEN }));
  });

  it('allows 10 lookups a minute per kiosk, then 429 rate_limited with Retry-After until the minute ends', async () => {
    const a = book(h.deps, clinic, 'Olga Teste Pires', 20);
    for (let i = 0; i < 10; i++)
      expect((await kiosk('/api/kiosk/code', { code: a.bookingCode })).status).toBe(200);
    h.setNow(NOW + 45_000);
    const refused = await kiosk('/api/kiosk/code', { code: a.bookingCode });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('15');
    expect(await refused.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: 'too many booking codes: try again in 15 s',
        details: { retryAfterSec: 15 },
      },
    });
    h.setNow(NOW + 60_000);
    expect((await kiosk('/api/kiosk/code', { code: a.bookingCode })).status).toBe(200);
  });

  it('locks a kiosk after 10 wrong codes for 1 min, then 2 min after the next wrong one', async () => {
    const a = book(h.deps, clinic, 'Olga Teste Pires', 20);
    const wrong = ['ZZZZZA', 'ZZZZZB', 'ZZZZZC', 'ZZZZZD', 'ZZZZZE', 'ZZZZZF', 'ZZZZZG', 'ZZZZZH', 'ZZZZZJ'];
    for (const [i, code] of [...wrong, 'ZZZZZK'].entries()) {
      h.setNow(NOW + i * 7_000); // 10 tries in 63 s: two windows, never over 10 a minute
      expect((await kiosk('/api/kiosk/code', { code })).status).toBe(404);
    }
    h.setNow(NOW + 63_000 + 30_000);
    const locked = await kiosk('/api/kiosk/code', { code: a.bookingCode }); // even the right code
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('30');
    h.setNow(NOW + 63_000 + 60_000);
    expect((await kiosk('/api/kiosk/code', { code: 'ZZZZZL' })).status).toBe(404);
    const again = await kiosk('/api/kiosk/code', { code: a.bookingCode });
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('120');
  });
});

describe('camera frames', () => {
  it('refuses a frame of the wrong type, too large, or without a session id', async () => {
    const session = { 'x-kiosk-session': 'kiosk-session-1' };
    const wrongType = await kiosk('/api/kiosk/frames', 'hello', { 'content-type': 'text/plain', ...session });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const big = await kiosk('/api/kiosk/frames', new Uint8Array(3 * 1024 * 1024), {
      'content-type': 'image/jpeg',
      ...session,
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const noSession = await kiosk('/api/kiosk/frames', new Uint8Array([0xff, 0xd8, 0xff]), {
      'content-type': 'image/jpeg',
    });
    expect(noSession.status).toBe(400);
    expect(await noSession.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('answers 503 face_engine_unavailable while the engine is not loaded', async () => {
    const res = await kiosk('/api/kiosk/frames', new Uint8Array([0xff, 0xd8, 0xff]), {
      'content-type': 'image/jpeg',
      'x-kiosk-session': 'kiosk-session-1',
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'face_engine_unavailable' } });
  });
});

describe('withdrawal of face consent at the kiosk', () => {
  const S1 = { 'x-kiosk-session': 'kiosk-session-1' };
  const S2 = { 'x-kiosk-session': 'kiosk-session-2' };

  /** Enrols the patient through the repo (desk consent; no engine needed). */
  const enrolFace = (patientId: PatientId) =>
    upsertEnrolment(h.deps, {
      patientId,
      blob: encryptDescriptors(h.deps.faceKey, patientId, [new Float32Array(128).fill(0.1)]),
      sampleCount: 1,
      modelId: 'test-model',
      consentBy: 'desk',
    });
  const enrolled = (patientId: PatientId) =>
    h.deps.db.prepare('SELECT COUNT(*) AS n FROM face_enrolments WHERE patient_id = ?').get(patientId);
  const withdraw = (appointmentId: string, headers: Record<string, string> = S1) =>
    kiosk('/api/kiosk/face/withdraw', { appointmentId }, headers);
  const refusedWith = async (res: Response, reason: string) => {
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: 'code_identification_required', details: { reason } },
    });
  };

  it('deletes the enrolment of the patient this session identified by code, then check-in goes on', async () => {
    const a = book(h.deps, clinic, 'Olga Teste Pires', 20);
    enrolFace(a.patient.id);
    const candidate = await (await kiosk('/api/kiosk/code', { code: a.bookingCode }, S1)).json();
    expect(candidate).toMatchObject({ appointmentId: a.id, faceEnrolled: true });

    h.setNow(NOW + 60_000);
    const res = await withdraw(a.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: true });
    expect(enrolled(a.patient.id)).toEqual({ n: 0 });
    const audit = h.deps.db
      .prepare("SELECT actor, detail FROM audit_log WHERE action = 'face.delete' AND entity_id = ?")
      .all(a.patient.id);
    expect(audit).toEqual([{ actor: 'kiosk', detail: JSON.stringify({ channel: 'kiosk' }) }]);
    const status = await (await h.req('GET', `/api/patients/${a.patient.id}/face`)).json();
    expect(status).toMatchObject({
      enrolled: false,
      consent: null,
      history: [
        { event: 'given', channel: 'desk', by: 'desk' },
        { event: 'withdrawn', channel: 'kiosk', by: 'kiosk', at: '2026-11-21T10:01:00.000Z' },
      ],
    });
    // The identification is used up; the check-in itself still works.
    await refusedWith(await withdraw(a.id), 'none');
    const confirm = await kiosk('/api/kiosk/confirm', { appointmentId: a.id, checkInMethod: 'code' });
    expect(confirm.status).toBe(200);
  });

  it('refuses without an identification by code, or from another session', async () => {
    const a = book(h.deps, clinic, 'Olga Teste Pires', 20);
    enrolFace(a.patient.id);
    await refusedWith(await withdraw(a.id), 'none');
    await kiosk('/api/kiosk/code', { code: a.bookingCode }); // no session header: binds nothing
    await refusedWith(await withdraw(a.id), 'none');
    await kiosk('/api/kiosk/code', { code: a.bookingCode }, S1);
    await refusedWith(await withdraw(a.id, S2), 'none');
    const noSession = await withdraw(a.id, {});
    expect(noSession.status).toBe(400);
    expect(await noSession.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(enrolled(a.patient.id)).toEqual({ n: 1 });
  });

  it('refuses for another patient than the one identified', async () => {
    const a = book(h.deps, clinic, 'Olga Teste Pires', 20);
    const other = book(h.deps, clinic, 'Rui Outro Santos', 10);
    enrolFace(a.patient.id);
    enrolFace(other.patient.id);
    await kiosk('/api/kiosk/code', { code: a.bookingCode }, S1);
    await refusedWith(await withdraw(other.id), 'other_appointment');
    // A later failed lookup in the same session drops the earlier identification.
    await kiosk('/api/kiosk/code', { code: 'ZZZZZZ' }, S1);
    await refusedWith(await withdraw(a.id), 'none');
    expect(enrolled(a.patient.id)).toEqual({ n: 1 });
    expect(enrolled(other.patient.id)).toEqual({ n: 1 });
  });

  it('refuses after the window, and answers 404 when there is no enrolment', async () => {
    const a = book(h.deps, clinic, 'Olga Teste Pires', 20);
    enrolFace(a.patient.id);
    await kiosk('/api/kiosk/code', { code: a.bookingCode }, S1);
    h.setNow(NOW + KIOSK_WITHDRAW_WINDOW_MS + 1);
    await refusedWith(await withdraw(a.id), 'expired');
    expect(enrolled(a.patient.id)).toEqual({ n: 1 });

    const b = book(h.deps, clinic, 'Bruno Sem Rosto', 20);
    const candidate = await (await kiosk('/api/kiosk/code', { code: b.bookingCode }, S1)).json();
    expect(candidate).toMatchObject({ faceEnrolled: false });
    const none = await withdraw(b.id);
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { code: 'enrolment_not_found' } });
  });
});
