/**
 * The engine on real photos: a tight crop found only with a border reports its face in the crop's own
 * pixels (not the padded image's), and described faces carry their quality measures when asked.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, type FaceEngine } from './engine.ts';
import { DEFAULT_MODELS_DIR } from './models.ts';
import { photo } from '../testing/faces.ts';
import { requireFaces } from '../../../tests/e2e/support/faces.ts';

let engine: FaceEngine;

beforeAll(async () => {
  requireFaces();
  engine = await createFaceEngine(DEFAULT_MODELS_DIR);
}, 120_000);

describe('face engine', () => {
  it('maps a face found with a border back to the tight crop’s pixels', async () => {
    const crop = photo('faceapi_bbt/sheldon/sheldon1.png');
    const meta = await sharp(crop).metadata();
    const direct = await engine.analyze(crop, { detector: 'ssd', maxFaces: 1 });
    const result = await engine.analyze(crop, {
      detector: 'ssd',
      maxFaces: 1,
      padIfNone: true,
      quality: true,
    });
    expect(direct.faces).toHaveLength(0);
    expect(result.padded).toBe(true);
    expect([result.width, result.height]).toEqual([meta.width, meta.height]);
    const { box, landmarks, keypoints, quality } = result.faces[0]!;
    // A tight crop is mostly face: the box covers much of it and lies (nearly) inside it.
    expect(box.width).toBeGreaterThan(0.5 * meta.width!);
    expect(box.x).toBeGreaterThan(-0.2 * meta.width!);
    expect(box.x + box.width).toBeLessThan(1.2 * meta.width!);
    for (const [x, y] of [...landmarks, ...keypoints]) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(meta.width!);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(meta.height!);
    }
    expect(quality).toBeDefined();
    expect(quality!.brightness).toBeGreaterThan(0);
    // Without `quality` (the kiosk's frames) nothing is measured.
    const plain = await engine.analyze(crop, { detector: 'ssd', maxFaces: 1, padIfNone: true });
    expect(plain.faces[0]!.quality).toBeUndefined();
  });
});
