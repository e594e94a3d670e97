/**
 * Medium tests of the face consent record (issue 14 part 6): every enrolment stores the consent version,
 * channel, time and actor; a consent history (given / withdrawn) is written in the same transaction as
 * the enrolment and its deletion, survives the deletion, holds no face data, and is served by
 * `GET /api/patients/:id/face`. Enrolments go through the repo (no face engine needed); deletion goes
 * through the API exactly as the desk calls it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FACE_CONSENT_VERSION } from '../../../domain/consent.ts';
import type { PatientId } from '../../../domain/ids.ts';
import { encryptDescriptors } from '../../face/crypto.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createPatient } from '../patients/repo.ts';
import { upsertEnrolment } from './repo.ts';
import { deleteEnrolment } from './service.ts';

const T0 = Date.parse('2026-11-21T10:00:00Z');
const T1 = Date.parse('2026-11-21T11:30:00Z');
const T2 = Date.parse('2026-11-22T09:15:00Z');
let h: Harness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

const descriptors = () => [Float32Array.from({ length: 128 }, (_, i) => Math.cos(i * 0.9) * 0.3)];

/** A patient enrolled through the repo at the harness's current time, as `by` through `channel`. */
function enrolled(harness: Harness, by: 'desk' | 'seed' = 'desk'): { patientId: PatientId; blob: Buffer } {
  const patient = createPatient(harness.deps, { fullName: 'Inês Consentida Rocha' }, 'desk');
  const blob = encryptDescriptors(harness.deps.faceKey, patient.id, descriptors());
  upsertEnrolment(harness.deps, {
    patientId: patient.id,
    blob,
    sampleCount: 1,
    modelId: 'test-model',
    consentBy: by,
    consentChannel: by,
  });
  return { patientId: patient.id, blob };
}

describe('face consent record', () => {
  it('GET shows the consent of the enrolment and its history', async () => {
    h = createHarness({ seed: false, now: T0 });
    const { patientId } = enrolled(h);
    const res = await h.req('GET', `/api/patients/${patientId}/face`);
    expect(res.status).toBe(200);
    const given = {
      version: FACE_CONSENT_VERSION,
      channel: 'desk',
      at: '2026-11-21T10:00:00.000Z',
      by: 'desk',
    };
    expect(await res.json()).toEqual({
      enrolled: true,
      consentAt: '2026-11-21T10:00:00.000Z',
      sampleCount: 1,
      modelId: 'test-model',
      consent: given,
      history: [{ event: 'given', ...given }],
    });
  });

  it('keeps when consent was given and withdrawn after the enrolment is deleted through the API', async () => {
    h = createHarness({ seed: false, now: T0 });
    const { patientId } = enrolled(h);
    h.setNow(T1);
    const del = await h.req('DELETE', `/api/patients/${patientId}/face`);
    expect(del.status).toBe(200);

    const res = await h.req('GET', `/api/patients/${patientId}/face`);
    expect(await res.json()).toEqual({
      enrolled: false,
      consentAt: null,
      sampleCount: 0,
      modelId: null,
      consent: null,
      history: [
        {
          event: 'given',
          version: FACE_CONSENT_VERSION,
          channel: 'desk',
          at: '2026-11-21T10:00:00.000Z',
          by: 'desk',
        },
        {
          event: 'withdrawn',
          version: FACE_CONSENT_VERSION,
          channel: 'desk',
          at: '2026-11-21T11:30:00.000Z',
          by: 'staff:test.admin',
        },
      ],
    });
    const audit = h.deps.db
      .prepare("SELECT actor, detail FROM audit_log WHERE action = 'face.delete' AND entity_id = ?")
      .all(patientId);
    expect(audit).toEqual([{ actor: 'staff:test.admin', detail: '{}' }]);
  });

  it('records a re-enrolment as a new given event and a kiosk withdrawal with its channel', () => {
    h = createHarness({ seed: false, now: T0 });
    const { patientId } = enrolled(h);
    h.setNow(T1);
    upsertEnrolment(h.deps, {
      patientId,
      blob: encryptDescriptors(h.deps.faceKey, patientId, descriptors()),
      sampleCount: 1,
      modelId: 'test-model',
      consentBy: 'desk',
    });
    h.setNow(T2);
    deleteEnrolment(h.deps, patientId, 'kiosk', 'kiosk');
    const rows = h.deps.db
      .prepare('SELECT event, channel, actor, at FROM face_consent_events WHERE patient_id = ? ORDER BY seq')
      .all(patientId);
    expect(rows).toEqual([
      { event: 'given', channel: 'desk', actor: 'desk', at: '2026-11-21T10:00:00.000Z' },
      { event: 'given', channel: 'desk', actor: 'desk', at: '2026-11-21T11:30:00.000Z' },
      { event: 'withdrawn', channel: 'kiosk', actor: 'kiosk', at: '2026-11-22T09:15:00.000Z' },
    ]);
    const audit = h.deps.db
      .prepare("SELECT actor, detail FROM audit_log WHERE action = 'face.delete' AND entity_id = ?")
      .get(patientId);
    expect(audit).toEqual({ actor: 'kiosk', detail: JSON.stringify({ channel: 'kiosk' }) });
  });

  it('writes no withdrawn event when there was nothing to delete (404), and none that holds face data', async () => {
    h = createHarness({ seed: false, now: T0 });
    const { patientId, blob } = enrolled(h, 'seed');
    const status = await (await h.req('GET', `/api/patients/${patientId}/face`)).json();
    expect(status).toMatchObject({ consent: { channel: 'seed', by: 'seed' } });
    expect((await h.req('DELETE', `/api/patients/${patientId}/face`)).status).toBe(200);
    const again = await h.req('DELETE', `/api/patients/${patientId}/face`);
    expect(again.status).toBe(404);
    const rows = h.deps.db.prepare('SELECT * FROM face_consent_events').all() as Record<string, unknown>[];
    expect(rows.map((r) => r.event)).toEqual(['given', 'withdrawn']);
    // Only short text columns: no blob, nothing as long as a descriptor or its ciphertext.
    for (const r of rows)
      for (const v of Object.values(r)) {
        expect(Buffer.isBuffer(v)).toBe(false);
        expect(String(v).length).toBeLessThan(64);
        expect(String(v)).not.toContain(blob.subarray(0, 16).toString('base64'));
      }
  });

  it('rolls the enrolment back when its consent event cannot be written (one transaction)', () => {
    h = createHarness({ seed: false, now: T0 });
    const patient = createPatient(h.deps, { fullName: 'Inês Consentida Rocha' }, 'desk');
    expect(() =>
      upsertEnrolment(h!.deps, {
        patientId: patient.id,
        blob: encryptDescriptors(h!.deps.faceKey, patient.id, descriptors()),
        sampleCount: 1,
        modelId: 'test-model',
        consentBy: 'desk',
        consentChannel: 'post' as 'desk', // violates the CHECK on both tables
      }),
    ).toThrow(/CHECK constraint/);
    expect(h.deps.db.prepare('SELECT COUNT(*) AS n FROM face_enrolments').get()).toEqual({ n: 0 });
  });
});
