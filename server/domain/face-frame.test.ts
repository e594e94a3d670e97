/** selectFace: which detected face the kiosk and the enrolment use; duplicate boxes on one head are not "two faces". */
import { describe, expect, it } from 'vitest';
import { iou, sameFace, selectFace } from './face-frame.ts';

const box = (x: number, y: number, width: number, height = width) => ({ box: { x, y, width, height } });

describe('selectFace', () => {
  it('takes the largest face whatever the order', () => {
    expect(selectFace([box(0, 0, 90), box(300, 0, 200), box(600, 0, 50)], 80)).toEqual({
      kind: 'face',
      index: 1,
    });
  });

  it('ignores a second box on the same head (overlap or centre inside) — the false "two faces"', () => {
    expect(selectFace([box(100, 100, 200), box(120, 110, 190)], 80)).toEqual({ kind: 'face', index: 0 });
    // A smaller box inside the face (e.g. on the lower half) has its centre inside the main box.
    expect(selectFace([box(100, 100, 200), box(130, 200, 150)], 80)).toEqual({ kind: 'face', index: 0 });
  });

  it('reports another person of comparable size beside the patient', () => {
    expect(selectFace([box(0, 0, 200), box(300, 0, 130)], 80)).toEqual({ kind: 'multiple_faces', count: 2 });
    // 0.6 × 200 = 120: a 119 px face in the background is ignored, a 120 px one is not.
    expect(selectFace([box(0, 0, 200), box(300, 0, 119)], 80).kind).toBe('face');
    expect(selectFace([box(0, 0, 200), box(300, 0, 120)], 80).kind).toBe('multiple_faces');
  });

  it('says when the face is too small and when there is none', () => {
    expect(selectFace([box(0, 0, 79)], 80)).toEqual({ kind: 'too_small', widthPx: 79 });
    expect(selectFace([box(0, 0, 80)], 80)).toEqual({ kind: 'face', index: 0 });
    expect(selectFace([], 80)).toEqual({ kind: 'no_face' });
  });
});

describe('iou / sameFace', () => {
  it('measures the overlap of two boxes', () => {
    expect(iou(box(0, 0, 10).box, box(0, 0, 10).box)).toBe(1);
    expect(iou(box(0, 0, 10).box, box(5, 0, 10).box)).toBeCloseTo(50 / 150, 10);
    expect(iou(box(0, 0, 10).box, box(20, 0, 10).box)).toBe(0);
    expect(sameFace(box(0, 0, 100).box, box(150, 0, 100).box)).toBe(false);
  });
});
