/**
 * Kiosk-like frame sequences of one dev photo: the 640×480 JPEG of `dataset.ts` `makeFrame` (photo
 * letterboxed on mid grey, tight crops bordered first), repeated with the small frame-to-frame changes a
 * camera shows a person standing still: a shift of a few pixels, a 1–3 % change of scale, ±5 %
 * brightness and a JPEG quality of 80–92. The changes are drawn from a seeded generator (mulberry32 of
 * a hash of the image path), so every run makes the same frames.
 */
import sharp from 'sharp';
import { mulberry32 } from '../../server/clinic/simulation/rng.ts';
import { FRAME, TIGHT_CROP_BORDER } from './config.ts';
import { isTightCrop, readImage } from './dataset.ts';
import type { LabelledImage } from './dataset.ts';

/** The changes of one frame relative to the nominal `makeFrame` letterbox. */
export interface FrameJitter {
  /** Shift of the picture in the frame, px (integers in −MAX_SHIFT … MAX_SHIFT). */
  dx: number;
  dy: number;
  /** Scale of the picture relative to the nominal letterbox (0.97 … 1.03). */
  scale: number;
  /** Brightness multiplier (sharp `modulate`), 0.95 … 1.05. */
  brightness: number;
  /** JPEG quality, an integer in 80 … 92. */
  quality: number;
}

/** Largest shift, px, and largest relative change of scale and brightness. */
export const MAX_SHIFT = 4;
export const MAX_SCALE_CHANGE = 0.03;
export const MAX_BRIGHTNESS_CHANGE = 0.05;
/** Frames in the kiosk's decision: `livenessMinFrames` of server/domain/settings.ts. */
export const SEQUENCE_FRAMES = 6;

/** FNV-1a 32-bit hash of a string (the seed of a photo's sequence). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The jitter of `count` frames seeded by `seed`: the first frame's scale change is at least 1 % in
 * magnitude like the others (1–3 %, either sign), shifts uniform integers, brightness uniform, quality
 * uniform integer. Deterministic for a given seed.
 */
export function sequenceJitter(seed: number, count: number): FrameJitter[] {
  const rnd = mulberry32(seed);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  return Array.from({ length: count }, () => {
    const dx = int(-MAX_SHIFT, MAX_SHIFT);
    const dy = int(-MAX_SHIFT, MAX_SHIFT);
    const sign = rnd() < 0.5 ? -1 : 1;
    const scale = 1 + sign * uniform(0.01, MAX_SCALE_CHANGE);
    const brightness = uniform(1 - MAX_BRIGHTNESS_CHANGE, 1 + MAX_BRIGHTNESS_CHANGE);
    const quality = int(80, 92);
    return { dx, dy, scale, brightness, quality };
  });
}

/**
 * The `count` (default SEQUENCE_FRAMES) 640×480 JPEG frames of one dev photo: the photo (bordered by
 * TIGHT_CROP_BORDER first when it is a tight crop, `border` false skips that: the face then fills the
 * frame, as when a patient stands too close) letterboxed at the frame's scale on mid grey, shifted,
 * brightened and encoded at the frame's quality (`sequenceJitter` of fnv1a(path)).
 * @throws when the image cannot be read or decoded.
 */
export async function kioskSequence(
  image: LabelledImage,
  count = SEQUENCE_FRAMES,
  border = true,
): Promise<Buffer[]> {
  const { width: W, height: H, background } = FRAME;
  let input: Buffer = readImage(image);
  const pad = border && isTightCrop(image);
  const meta = await sharp(input).rotate().metadata();
  // one decode of the (possibly huge) photo to a raw letterbox a little larger than the largest frame
  const oversize = 1 + MAX_SCALE_CHANGE + 0.02;
  if (pad) {
    const b = Math.round(Math.max(meta.width ?? 0, meta.height ?? 0) * TIGHT_CROP_BORDER);
    input = await sharp(input)
      .rotate()
      .extend({ top: b, bottom: b, left: b, right: b, background })
      .png()
      .toBuffer();
  }
  const base = await sharp(input)
    .rotate()
    .resize(Math.round(W * oversize), Math.round(H * oversize), { fit: 'contain', background })
    .flatten({ background })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = (info: { width: number; height: number }) => ({
    raw: { width: info.width, height: info.height, channels: 3 as const },
  });
  const out: Buffer[] = [];
  for (const j of sequenceJitter(fnv1a(image.path) ^ (border ? 0 : 0x5bd1e995), count)) {
    const w = Math.round(W * j.scale);
    const h = Math.round(H * j.scale);
    const margin = MAX_SHIFT + Math.ceil(W * MAX_SCALE_CHANGE) + 2;
    // sharp extends after any extract, so the shift (extract of the extended picture) is a second pass
    const scaled = await sharp(base.data, raw(base.info))
      .resize(w, h, { fit: 'fill' })
      .extend({ top: margin, bottom: margin, left: margin, right: margin, background })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const left = Math.round((w + 2 * margin - W) / 2) + j.dx;
    const top = Math.round((h + 2 * margin - H) / 2) + j.dy;
    out.push(
      await sharp(scaled.data, raw(scaled.info))
        .extract({ left, top, width: W, height: H })
        .modulate({ brightness: j.brightness })
        .jpeg({ quality: j.quality })
        .toBuffer(),
    );
  }
  return out;
}
