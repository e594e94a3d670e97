/**
 * Medium tests of face enrolment with the real face engine (in-process, WASM or tfjs-node) on real photos
 * from ../shared/faces, through the service and the HTTP API.
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFaceEngine, type FaceEngine } from '../../face/engine.ts';
import { DEFAULT_MODELS_DIR } from '../../face/models.ts';
import { decryptDescriptors } from '../../face/crypto.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { bookPatient, photo } from '../../testing/faces.ts';
import { demoPhotoPaths } from '../../seed/demo.ts';
import { FACE_CONSENT_VERSION } from '../../../domain/consent.ts';
import { enrol, refreshTemplate } from './service.ts';
import { requireFaces } from '../../../../tests/e2e/support/faces.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let engine: FaceEngine;
let h: Harness;

const enrolments = () =>
  (h.deps.db.prepare('SELECT COUNT(*) AS n FROM face_enrolments').get() as { n: number }).n;

beforeAll(async () => {
  requireFaces();
  engine = await createFaceEngine(DEFAULT_MODELS_DIR);
}, 120_000);

beforeEach(() => {
  h?.close();
  h = createHarness({ now: NOW, engine });
});
afterAll(() => h?.close());

describe('enrolment', () => {
  it('stores only encrypted descriptors, with the model id, the consent time and who recorded it', async () => {
    const a = await bookPatient(h, 'Pedro Teste Lima', 10);
    const images = [photo('deepface/p13/img38.jpg'), photo('deepface/p13/img39.jpg')];
    const status = await enrol(h.deps, a.patient.id, images, true, 'desk');
    expect(status).toEqual({
      enrolled: true,
      consentAt: '2026-11-21T10:00:00.000Z',
      sampleCount: 2,
      modelId: engine.info.modelId,
      consent: { version: FACE_CONSENT_VERSION, channel: 'desk', at: '2026-11-21T10:00:00.000Z', by: 'desk' },
      history: [
        {
          event: 'given',
          version: FACE_CONSENT_VERSION,
          channel: 'desk',
          at: '2026-11-21T10:00:00.000Z',
          by: 'desk',
        },
      ],
    });
    const row = h.deps.db
      .prepare('SELECT descriptors, consent_by FROM face_enrolments WHERE patient_id = ?')
      .get(a.patient.id) as { descriptors: Buffer; consent_by: string };
    expect(row.consent_by).toBe('desk');
    const descriptors = decryptDescriptors(h.deps.faceKey, a.patient.id, row.descriptors);
    expect(descriptors.map((d) => d.length)).toEqual([128, 128]);
    expect(row.descriptors.length).toBe(12 + 16 + 2 * 512); // iv + tag + 2 × 128 float32: no image bytes kept
    const audit = h.deps.db
      .prepare("SELECT actor, entity_id, detail FROM audit_log WHERE action = 'face.enrol'")
      .all() as { actor: string; entity_id: string; detail: string }[];
    expect(audit).toEqual([
      {
        actor: 'desk',
        entity_id: a.patient.id,
        detail: JSON.stringify({ samples: 2, modelId: engine.info.modelId }),
      },
    ]);
  });

  it('rejects a group photo, a face too small and bytes that are no image, storing nothing', async () => {
    const a = await bookPatient(h, 'Pedro Teste Lima', 10);
    const group = new Uint8Array(fs.readFileSync(demoPhotoPaths()[0]!));
    await expect(enrol(h.deps, a.patient.id, [group], true, 'desk')).rejects.toMatchObject({
      code: 'multiple_faces',
      details: { imageIndex: 0 },
    });
    const small = new Uint8Array(await sharp(photo('deepface/p13/img38.jpg')).resize(160).jpeg().toBuffer());
    await expect(
      enrol(h.deps, a.patient.id, [photo('deepface/p13/img38.jpg'), small], true, 'desk'),
    ).rejects.toMatchObject({
      code: 'face_too_small',
      details: { imageIndex: 1 },
    });
    await expect(
      enrol(h.deps, a.patient.id, [new Uint8Array([1, 2, 3])], true, 'desk'),
    ).rejects.toMatchObject({
      code: 'image_invalid',
    });
    expect(enrolments()).toBe(0);
  });

  it('answers 422 consent_required through the API without consent, and 201 with it', async () => {
    const a = await bookPatient(h, 'Pedro Teste Lima', 10);
    const image = Buffer.from(photo('deepface/p13/img38.jpg')).toString('base64');
    const noConsent = await h.req('POST', `/api/patients/${a.patient.id}/face`, {
      consent: false,
      images: [image],
    });
    expect(noConsent.status).toBe(422);
    expect(await noConsent.json()).toMatchObject({ error: { code: 'consent_required' } });
    expect(enrolments()).toBe(0);

    const ok = await h.req('POST', `/api/patients/${a.patient.id}/face`, { consent: true, images: [image] });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ enrolled: true, sampleCount: 1 });
    const deleted = await h.req('DELETE', `/api/patients/${a.patient.id}/face`);
    expect(await deleted.json()).toEqual({ deleted: true });
    expect(enrolments()).toBe(0);
    const again = await h.req('DELETE', `/api/patients/${a.patient.id}/face`);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: 'enrolment_not_found' } });
  });
});

describe('enrolment photo quality (domain/face-quality.ts)', () => {
  const good = () => photo('deepface/p13/img38.jpg');
  const darkened = async () => new Uint8Array(await sharp(good()).linear(0.25, 0).jpeg().toBuffer());

  it('refuses a dark photo with its own code and index, storing nothing', async () => {
    const a = await bookPatient(h, 'Pedro Teste Lima', 10);
    await expect(enrol(h.deps, a.patient.id, [good(), await darkened()], true, 'desk')).rejects.toMatchObject(
      {
        code: 'face_too_dark',
        details: { imageIndex: 1 },
      },
    );
    expect(enrolments()).toBe(0);
  });

  it('checks one capture through the API as enrolment would, storing nothing', async () => {
    const send = async (bytes: Uint8Array) => {
      const res = await h.req('POST', '/api/face/check', { image: Buffer.from(bytes).toString('base64') });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        ok: boolean;
        problem: string | null;
        face: { width: number } | null;
        quality: { brightness: number; yaw: number } | null;
      };
    };
    const ok = await send(good());
    expect(ok).toMatchObject({ ok: true, problem: null });
    expect(ok.face!.width).toBeGreaterThan(80);
    expect(ok.quality!.brightness).toBeGreaterThan(55);
    const dark = await send(await darkened());
    expect(dark).toMatchObject({ ok: false, problem: 'face_too_dark' });
    expect(dark.quality!.brightness).toBeLessThan(55);
    const group = await send(new Uint8Array(fs.readFileSync(demoPhotoPaths()[0]!)));
    expect(group).toMatchObject({ ok: false, problem: 'multiple_faces', quality: null });
    const bad = await h.req('POST', '/api/face/check', { image: 'x'.repeat(200) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'image_invalid' } });
    expect(enrolments()).toBe(0);
  });
});

describe('template refresh (refreshTemplate)', () => {
  it('keeps the desk samples and at most two refreshed templates, the oldest replaced', async () => {
    const a = await bookPatient(h, 'Pedro Teste Lima', 10);
    await enrol(
      h.deps,
      a.patient.id,
      [photo('deepface/p13/img38.jpg'), photo('deepface/p13/img39.jpg')],
      true,
      'desk',
    );
    const read = () => {
      const row = h.deps.db
        .prepare('SELECT descriptors, sample_count, refresh_count FROM face_enrolments WHERE patient_id = ?')
        .get(a.patient.id) as { descriptors: Buffer; sample_count: number; refresh_count: number };
      return { ...row, list: decryptDescriptors(h.deps.faceKey, a.patient.id, row.descriptors) };
    };
    const desk = read().list;
    const probe = (v: number) => new Float32Array(128).fill(v);
    const detail = { distance: 0.4, margin: 0.2, appointmentId: a.id };
    for (const v of [0.1, 0.2, 0.3])
      expect(refreshTemplate(h.deps, a.patient.id, probe(v), engine.info.modelId, detail)).toBe(true);
    const after = read();
    expect([after.sample_count, after.refresh_count]).toEqual([4, 2]);
    expect(after.list.slice(0, 2)).toEqual(desk);
    expect(after.list.slice(2).map((d) => d[0])).toEqual([Math.fround(0.2), Math.fround(0.3)]);
    // Another model's enrolment is left alone; a re-enrolment at the desk drops refreshed templates.
    expect(refreshTemplate(h.deps, a.patient.id, probe(0.4), 'other-model', detail)).toBe(false);
    await enrol(h.deps, a.patient.id, [photo('deepface/p13/img40.jpg')], true, 'desk');
    expect([read().sample_count, read().refresh_count]).toEqual([1, 0]);
  });
});
