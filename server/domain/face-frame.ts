/**
 * Which face of a frame or photo to use (pure; kiosk frames and desk enrolment photos alike).
 *
 * Detectors sometimes report one face twice (two boxes on one head that non-maximum suppression kept,
 * or a small box on part of the face): counted as "two faces", that sent patients to the booking code.
 * A second detection counts as another person only when it is a face of comparable size
 * ({@link OTHER_FACE_MIN_SIZE_RATIO} of the largest face's width) that does not overlap the largest face
 * (intersection-over-union below {@link DUPLICATE_IOU}) and whose centre lies outside it. Smaller faces
 * (people in the background) are ignored, as before.
 */

/** Pixel rectangle. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A second face at least this share of the largest face's width is another person in front of the camera. */
export const OTHER_FACE_MIN_SIZE_RATIO = 0.6;
/** Boxes overlapping at least this much (intersection over union) are one face detected twice. */
export const DUPLICATE_IOU = 0.3;

/** Intersection over union of two boxes, 0..1. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Whether `b` is the same face as `a` detected again: overlapping boxes, or b's centre inside a. */
export function sameFace(a: Box, b: Box): boolean {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const inside = cx >= a.x && cx <= a.x + a.width && cy >= a.y && cy <= a.y + a.height;
  return inside || iou(a, b) >= DUPLICATE_IOU;
}

/** The outcome of {@link selectFace}: the index of the face to use, or why none. */
export type FaceSelection =
  | { kind: 'face'; index: number }
  | { kind: 'no_face' }
  | { kind: 'multiple_faces'; count: number }
  | { kind: 'too_small'; widthPx: number };

/**
 * Picks the face to identify or enrol among `faces` (any order): the largest, unless another person of
 * comparable size is also in view ('multiple_faces', `count` = distinct such people), or the largest is
 * narrower than `minSizePx` ('too_small'). Duplicate detections of the largest face are ignored.
 */
export function selectFace(faces: readonly { box: Box }[], minSizePx: number): FaceSelection {
  if (faces.length === 0) return { kind: 'no_face' };
  let main = 0;
  for (let i = 1; i < faces.length; i++) if (area(faces[i]!.box) > area(faces[main]!.box)) main = i;
  const mainBox = faces[main]!.box;
  const others = faces.filter(
    (f, i) =>
      i !== main &&
      f.box.width >= OTHER_FACE_MIN_SIZE_RATIO * mainBox.width &&
      !sameFace(mainBox, f.box) &&
      !sameFace(f.box, mainBox),
  );
  if (others.length > 0) return { kind: 'multiple_faces', count: others.length + 1 };
  if (mainBox.width < minSizePx) return { kind: 'too_small', widthPx: mainBox.width };
  return { kind: 'face', index: main };
}

function area(b: Box): number {
  return b.width * b.height;
}
