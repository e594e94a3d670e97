/**
 * Medium tests of enrolment and identification with the real face engine (in-process, WASM or
 * tfjs-node) on real photos from ../shared/faces.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFaceEngine, type FaceEngine } from '../../face/engine.ts';
import { DEFAULT_MODELS_DIR } from '../../face/models.ts';
import { decryptDescriptors } from '../../face/crypto.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { demoPhotoPaths } from '../../seed/demo.ts';
import type { BoardAppointment, Board } from '../appointments/service.ts';
import { enrol, identifyFrame, type FrameResult } from './service.ts';
import { FACES_DIR, requireFaces } from '../../../../tests/e2e/support/faces.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let engine: FaceEngine;
let h: Harness;

const photo = (rel: string) => new Uint8Array(fs.readFileSync(path.join(FACES_DIR, rel)));

/** Three kiosk-like 640×480 frames of one photo, each shifted a little (a live face moves). */
async function frames(rel: string, still = false): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const shift of [0, 6, 12]) {
    const s = still ? 0 : shift;
    const img = await sharp(photo(rel))
      .resize(680, 510, { fit: 'contain', background: '#808080' })
      .extract({ left: 20 + s, top: 15 + s / 2, width: 640, height: 480 })
      .jpeg({ quality: 85 })
      .toBuffer();
    out.push(new Uint8Array(img));
  }
  return out;
}

async function book(fullName: string, minutesFromNow: number): Promise<BoardAppointment> {
  const board = (await (await h.req('GET', '/api/board')).json()) as Board;
  const patient = (await (await h.req('POST', '/api/patients', { fullName })).json()) as { id: string };
  return (await (
    await h.req('POST', '/api/appointments', {
      patientId: patient.id,
      specialtyId: board.specialties[0]!.id,
      practitionerId: board.practitioners[0]!.id,
      startsAt: new Date(NOW + minutesFromNow * 60_000).toISOString(),
    })
  ).json()) as BoardAppointment;
}

async function runKiosk(rel: string, session: string, still = false): Promise<FrameResult[]> {
  const results: FrameResult[] = [];
  for (const f of await frames(rel, still)) {
    h.setNow(h.deps.now() + 400);
    results.push(await identifyFrame(h.deps, session, f));
  }
  return results;
}

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
  it('stores only encrypted descriptors, with the model id and the consent', async () => {
    const a = await book('Pedro Teste Lima', 10);
    const status = await enrol(
      h.deps,
      a.patient.id,
      [photo('deepface/p13/img38.jpg'), photo('deepface/p13/img39.jpg')],
      'desk',
    );
    expect(status).toMatchObject({ enrolled: true, sampleCount: 2, modelId: engine.info.modelId });
    const row = h.deps.db
      .prepare('SELECT descriptors, consent_by FROM face_enrolments WHERE patient_id = ?')
      .get(a.patient.id) as {
      descriptors: Buffer;
      consent_by: string;
    };
    expect(row.consent_by).toBe('desk');
    expect(decryptDescriptors(h.deps.faceKey, a.patient.id, row.descriptors)).toHaveLength(2);
    expect(row.descriptors.length).toBe(12 + 16 + 2 * 512); // no image bytes kept
  });

  it('requires exactly one big-enough face per photo, and consent through the API', async () => {
    const a = await book('Pedro Teste Lima', 10);
    const group = new Uint8Array(fs.readFileSync(demoPhotoPaths()[0]!));
    await expect(enrol(h.deps, a.patient.id, [group], 'desk')).rejects.toMatchObject({
      code: 'multiple_faces',
    });
    const tiny = new Uint8Array(await sharp(photo('deepface/p13/img38.jpg')).resize(90).jpeg().toBuffer());
    await expect(enrol(h.deps, a.patient.id, [tiny], 'desk')).rejects.toMatchObject({
      code: expect.stringMatching(/face_too_small|no_face/),
    });
    await expect(enrol(h.deps, a.patient.id, [new Uint8Array([1, 2, 3])], 'desk')).rejects.toMatchObject({
      code: 'image_invalid',
    });

    const image = Buffer.from(photo('deepface/p13/img38.jpg')).toString('base64');
    const noConsent = await h.req('POST', `/api/patients/${a.patient.id}/face`, {
      consent: false,
      images: [image],
    });
    expect(noConsent.status).toBe(400);
    expect(h.deps.db.prepare('SELECT COUNT(*) AS n FROM face_enrolments').get()).toEqual({ n: 0 });
  });
});

describe('identification at the kiosk', () => {
  it('proposes the expected patient after a live sequence of frames from another photo', async () => {
    const a = await book('Pedro Teste Lima', 10);
    const decoy = await book('Outra Pessoa Teste', 5);
    await enrol(h.deps, a.patient.id, [photo('deepface/p13/img38.jpg')], 'desk');
    await enrol(h.deps, decoy.patient.id, [photo('deepface/p05/img16.jpg')], 'desk');
    const results = await runKiosk('deepface/p13/img41.jpg', 'kiosk-test-1');
    expect(results.map((r) => r.state)).toEqual(['searching', 'searching', 'candidate']);
    expect(results[2]!.candidate).toMatchObject({ appointmentId: a.id, initials: 'P. L.' });
    const audit = h.deps.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'face.identify' ORDER BY seq DESC LIMIT 1")
      .get() as {
      detail: string;
    };
    expect(JSON.parse(audit.detail)).toMatchObject({
      decision: 'match',
      reason: 'distance_and_margin_ok',
      gallerySize: 2,
    });
  });

  it('does not propose anyone for a frozen picture (no movement)', async () => {
    const a = await book('Pedro Teste Lima', 10);
    await enrol(h.deps, a.patient.id, [photo('deepface/p13/img38.jpg')], 'desk');
    const results = await runKiosk('deepface/p13/img41.jpg', 'kiosk-test-2', true);
    expect(results.every((r) => r.state === 'searching')).toBe(true);
  });

  it('never matches a stranger, nor a patient booked outside the check-in window', async () => {
    const later = await book('Pedro Teste Lima', 240);
    await enrol(h.deps, later.patient.id, [photo('deepface/p13/img38.jpg')], 'desk');
    const now = await book('Outra Pessoa Teste', 5);
    await enrol(h.deps, now.patient.id, [photo('deepface/p05/img16.jpg')], 'desk');

    const outside = await runKiosk('deepface/p13/img41.jpg', 'kiosk-test-3');
    expect(outside.at(-1)!.state).toBe('no_match');
    const stranger = await runKiosk('human/emotions_a/stock-emotions-a-3.jpg', 'kiosk-test-4');
    expect(stranger.at(-1)!.state).toBe('no_match');
    expect(stranger.every((r) => r.candidate === null)).toBe(true);
  });
});
