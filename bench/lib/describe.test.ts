/** Unit test of the detection counts over described images (the engine itself is not loaded). */
import { describe, expect, it } from 'vitest';
import { detectionSummary } from './describe.ts';
import type { ImageDescriptor } from './describe.ts';

const d = (path: string, source: string, face: boolean, padded: boolean): ImageDescriptor => ({
  path,
  identity: path.split('/')[1] ?? '',
  source,
  descriptor: face ? new Float32Array(128) : null,
  padded,
  boxes: face ? [{ x: 0, y: 0, width: 100, height: 100 }] : [],
  quality: null,
});

describe('detectionSummary', () => {
  it('counts failures to acquire without the border (by source, in order met) and with it', () => {
    const described = [
      d('lfw_subset/x/1.jpg', 'lfw_subset', true, false),
      d('faceapi_bbt/penny/penny3.png', 'faceapi_bbt', false, true), // no face even with the border
      d('lfw_subset/y/2.jpg', 'lfw_subset', true, true), // found after the border
      d('faceapi_bbt/amy/amy1.png', 'faceapi_bbt', true, true),
    ];
    expect(detectionSummary(described)).toEqual({
      images: 4,
      noFaceWithoutBorder: 3,
      noFaceWithoutBorderBySource: { faceapi_bbt: 2, lfw_subset: 1 },
      noFaceWithBorder: 1,
      noFaceWithBorderPaths: ['faceapi_bbt/penny/penny3.png'],
    });
    expect(Object.keys(detectionSummary(described).noFaceWithoutBorderBySource)).toEqual([
      'faceapi_bbt',
      'lfw_subset',
    ]);
  });
});
