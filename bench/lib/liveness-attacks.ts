/**
 * Synthetic presentation attacks for the liveness benchmark: a dev photo shown to the kiosk camera as a
 * print or on a phone screen, moved over a short sequence of 640×480 JPEG frames.
 *
 * Geometry: the photo is a plane ("sheet") facing a pinhole camera (focal length 600 px, about a 56°
 * horizontal field of view, like a laptop webcam), centred on the face. Each frame's pose (yaw, pitch,
 * roll in radians, scale, image shift in pixels) gives the plane-to-image homography
 * H = T(shift) · K · [s·r₁ s·r₂ t] (Hartley & Zisserman 2004, §8.1.1: a plane's image under a pinhole
 * camera), and each output pixel is sampled from the sheet through H⁻¹ (bilinear). So the tilts are true
 * perspective views of a flat picture, not affine approximations.
 *
 * Media (applied after the warp, in image coordinates, then JPEG-encoded as a webcam would):
 * - print: white paper margin, warm tint, a soft glare spot, JPEG quality 85;
 * - screen: black bezel, moiré (two crossed sinusoidal gratings of 9–14 px period whose beat drifts
 *   with the frame), a stronger glare spot, a slight gamma lift, JPEG quality 60.
 *
 * Motions (frame k of n, p = k/(n−1)): shift (1 px per frame: today's end-to-end "live" clip), scale
 * (+2 % per frame), rotate (1° per frame in the image plane), yaw (0 → 25° about the vertical axis),
 * pitch (0 → 20° about the horizontal axis), close (held near the lens, face 1.8× larger, yaw 0 → 30° and
 * pitch 0 → 10°: the strongest perspective), handheld (seeded smooth random walk of all six).
 */
import sharp from 'sharp';
import { mulberry32 } from '../../server/clinic/simulation/rng.ts';

export const MOTIONS = ['shift', 'scale', 'rotate', 'yaw', 'pitch', 'close', 'handheld'] as const;
export type Motion = (typeof MOTIONS)[number];
export const MEDIA = ['print', 'screen'] as const;
export type Medium = (typeof MEDIA)[number];

/** Decoded RGB image (interleaved, 3 bytes per pixel). */
export interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

/** Pose of the flat picture in one frame. Angles in radians, shift in output pixels. */
export interface Pose {
  yaw: number;
  pitch: number;
  roll: number;
  scale: number;
  tx: number;
  ty: number;
}

const W = 640;
const H = 480;
const FOCAL = 600;
type M3 = number[];

function mul(a: M3, b: M3): M3 {
  const r = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return r;
}

function inv(m: M3): M3 {
  const [a, b, c, d, e, f, g, h, i] = m as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/**
 * Homography from sheet pixels (with the face centre at `centre`) to output pixels for `pose`; at the
 * identity pose the face centre lands on the image centre at scale `pose.scale`.
 */
export function poseHomography(pose: Pose, centre: [number, number]): M3 {
  const cy = Math.cos(pose.yaw);
  const sy = Math.sin(pose.yaw);
  const cp = Math.cos(pose.pitch);
  const sp = Math.sin(pose.pitch);
  const cr = Math.cos(pose.roll);
  const sr = Math.sin(pose.roll);
  const rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const r = mul(rz, mul(ry, rx));
  // plane point (X, Y) → R·(s·X, s·Y, 0) + (0, 0, FOCAL); camera K; then the image shift
  const s = pose.scale;
  const rt = [r[0]! * s, r[1]! * s, 0, r[3]! * s, r[4]! * s, 0, r[6]! * s, r[7]! * s, FOCAL];
  const k = [FOCAL, 0, W / 2 + pose.tx, 0, FOCAL, H / 2 + pose.ty, 0, 0, 1];
  const centreShift = [1, 0, -centre[0], 0, 1, -centre[1], 0, 0, 1];
  return mul(k, mul(rt, centreShift));
}

/** Pose of frame k of n for a motion (seeded for 'handheld'). */
export function motionPose(motion: Motion, k: number, n: number, seed: number): Pose {
  const p = n > 1 ? k / (n - 1) : 0;
  const base: Pose = { yaw: 0, pitch: 0, roll: 0, scale: 1, tx: 0, ty: 0 };
  const deg = Math.PI / 180;
  switch (motion) {
    case 'shift':
      return { ...base, tx: k };
    case 'scale':
      return { ...base, scale: 1.02 ** k };
    case 'rotate':
      return { ...base, roll: k * deg };
    case 'yaw':
      return { ...base, yaw: p * 25 * deg };
    case 'pitch':
      return { ...base, pitch: p * 20 * deg };
    case 'close':
      // held close to the lens (face ~1.8× larger): the strongest perspective a flat picture shows
      return { ...base, scale: 1.8, yaw: p * 30 * deg, pitch: p * 10 * deg };
    case 'handheld': {
      // smooth random walk: each parameter a sum of two random-phase sinusoids over the window
      const rnd = mulberry32(seed);
      const wave = (amp: number) => {
        const a = rnd() * 2 * Math.PI;
        const b = rnd() * 2 * Math.PI;
        const f = 0.5 + rnd();
        return amp * (0.7 * Math.sin(a + f * Math.PI * p) + 0.3 * Math.sin(b + 2 * f * Math.PI * p));
      };
      return {
        yaw: wave(15 * deg),
        pitch: wave(10 * deg),
        roll: wave(5 * deg),
        scale: 1 + wave(0.1),
        tx: wave(20),
        ty: wave(15),
      };
    }
  }
}

/**
 * Renders one attack frame: the sheet (photo plus a margin of `margin` px in the medium's colour) under
 * the pose's homography on a grey-gradient room background, then the medium's artefacts, JPEG-encoded.
 * @param sheet the photo, RGB
 * @param centre face centre in sheet pixels
 */
export async function renderAttackFrame(
  sheet: Rgb,
  centre: [number, number],
  pose: Pose,
  medium: Medium,
  k: number,
): Promise<Buffer> {
  const hInv = inv(poseHomography(pose, centre));
  const out = Buffer.alloc(W * H * 3);
  const margin = Math.round(0.04 * Math.max(sheet.width, sheet.height));
  const border = medium === 'print' ? [245, 243, 238] : [12, 12, 14];
  const sw = sheet.width;
  const sh = sheet.height;
  const d = sheet.data;
  // glare: a Gaussian spot drifting across the frame
  const gx = W * (0.3 + 0.02 * k);
  const gy = H * 0.35;
  const gSigma = medium === 'print' ? 90 : 60;
  const gAmp = medium === 'print' ? 45 : 90;
  // separable tables: glare = gx(x)·gy(y); each grating sin(αx + βy) = sin αx cos βy + cos αx sin βy
  const glareX = Float64Array.from({ length: W }, (_, x) => Math.exp(-((x - gx) ** 2) / (2 * gSigma ** 2)));
  const glareY = Float64Array.from(
    { length: H },
    (_, y) => gAmp * Math.exp(-((y - gy) ** 2) / (2 * gSigma ** 2)),
  );
  const moireAngle = 0.3 + 0.01 * k;
  const grating = (angle: number, period: number) => {
    const ax = (2 * Math.PI * Math.cos(angle)) / period;
    const ay = (2 * Math.PI * Math.sin(angle)) / period;
    return {
      sx: Float64Array.from({ length: W }, (_, x) => Math.sin(ax * x)),
      cx: Float64Array.from({ length: W }, (_, x) => Math.cos(ax * x)),
      sy: Float64Array.from({ length: H }, (_, y) => Math.sin(ay * y)),
      cy: Float64Array.from({ length: H }, (_, y) => Math.cos(ay * y)),
    };
  };
  const g1 = grating(moireAngle, 9);
  const g2 = grating(moireAngle + 0.12, 9.8);
  const gamma = Uint8Array.from({ length: 256 }, (_, i) => Math.round(255 * (i / 255) ** 0.9));
  const clamp = (val: number) => (val < 0 ? 0 : val > 255 ? 255 : Math.round(val));
  const screen = medium === 'screen';
  for (let y = 0; y < H; y++) {
    const scan = 0.04 * Math.sin((2 * Math.PI * y) / 14);
    for (let x = 0; x < W; x++) {
      const w = hInv[6]! * x + hInv[7]! * y + hInv[8]!;
      const u = (hInv[0]! * x + hInv[1]! * y + hInv[2]!) / w;
      const v = (hInv[3]! * x + hInv[4]! * y + hInv[5]!) / w;
      const o = (y * W + x) * 3;
      let r: number;
      let g: number;
      let b: number;
      if (u >= 0 && v >= 0 && u < sw - 1 && v < sh - 1) {
        const x0 = Math.floor(u);
        const y0 = Math.floor(v);
        const fx = u - x0;
        const fy = v - y0;
        const i00 = (y0 * sw + x0) * 3;
        const i01 = i00 + sw * 3;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        r = d[i00]! * w00 + d[i00 + 3]! * w10 + d[i01]! * w01 + d[i01 + 3]! * w11;
        g = d[i00 + 1]! * w00 + d[i00 + 4]! * w10 + d[i01 + 1]! * w01 + d[i01 + 4]! * w11;
        b = d[i00 + 2]! * w00 + d[i00 + 5]! * w10 + d[i01 + 2]! * w01 + d[i01 + 5]! * w11;
      } else if (u >= -margin && v >= -margin && u < sw + margin && v < sh + margin) {
        r = border[0]!;
        g = border[1]!;
        b = border[2]!;
      } else {
        r = 90 + (70 * y) / H;
        g = r - 4;
        b = r - 10;
      }
      const glare = glareX[x]! * glareY[y]!;
      if (screen) {
        const m1 = g1.sx[x]! * g1.cy[y]! + g1.cx[x]! * g1.sy[y]!;
        const m2 = g2.sx[x]! * g2.cy[y]! + g2.cx[x]! * g2.sy[y]!;
        const f = 1 + 0.09 * m1 * m2 + scan;
        out[o] = gamma[clamp(r * f + glare)]!;
        out[o + 1] = gamma[clamp(g * f + glare)]!;
        out[o + 2] = gamma[clamp(b * f + glare)]!;
      } else {
        out[o] = clamp(r + glare);
        out[o + 1] = clamp(g + glare);
        out[o + 2] = clamp(0.95 * b + glare);
      }
    }
  }
  return sharp(out, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: medium === 'print' ? 85 : 60 })
    .toBuffer();
}

/**
 * Prepares a sheet from a 640×480 kiosk-style frame of a dev photo and the face box found in it: the
 * frame is rescaled so the face is about `faceWidth` px wide at scale 1 (factor clamped to 0.6–2.5).
 */
export async function makeSheet(
  frameJpeg: Buffer,
  box: { x: number; y: number; width: number; height: number },
  faceWidth = 170,
): Promise<{ sheet: Rgb; centre: [number, number] }> {
  const f = Math.max(0.6, Math.min(2.5, faceWidth / box.width));
  const width = Math.round(W * f);
  const height = Math.round(H * f);
  const { data, info } = await sharp(frameJpeg)
    .resize(width, height)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    sheet: { data, width: info.width, height: info.height },
    centre: [(box.x + box.width / 2) * f, (box.y + box.height / 2) * f],
  };
}
