/**
 * Small tests of the liveness check (server/domain/liveness.ts) on synthetic landmarks: a rigid 3D
 * face-like point cloud seen by a pinhole camera (a live head turning), the first view of that cloud
 * warped by plane homographies plus jitter (a picture moved, tilted or zoomed), and no motion at all.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIVENESS_THRESHOLDS,
  LANDMARK_COUNT,
  applyHomography,
  assessLiveness,
  fitHomography,
  interOcularDistance,
  quantile,
  similarityResidual,
  type LivenessFrame,
  type Mat3,
} from './liveness.ts';

type P3 = [number, number, number];

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box–Muller. */
function gauss(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/**
 * 68 points in the iBUG-300W layout, in inter-ocular units (eye centres at x = ±0.5), z towards the
 * camera: the jaw curves back at the sides, the nose tip stands 0.6 forward (about 3.5 cm on an adult).
 */
function faceCloud(): P3[] {
  const pts: P3[] = [];
  for (let i = 0; i <= 16; i++) {
    const a = Math.PI * (i / 16); // jaw: from the right ear round the chin to the left ear
    pts.push([-1.0 * Math.cos(a), 0.1 + 1.1 * Math.sin(a), -0.6 * Math.cos(a) ** 2]);
  }
  for (let i = 0; i < 10; i++) {
    const x = i < 5 ? -0.9 + 0.15 * i : 0.3 + 0.15 * (i - 5);
    pts.push([x, -0.45 - 0.05 * Math.sin((Math.PI * (i % 5)) / 4), 0.15 - 0.2 * Math.abs(x)]);
  }
  for (let i = 0; i < 4; i++) pts.push([0, -0.25 + 0.18 * i, 0.15 + 0.15 * i]); // bridge to tip (27–30)
  for (let i = 0; i < 5; i++) pts.push([-0.2 + 0.1 * i, 0.38, 0.35 + 0.08 * (2 - Math.abs(i - 2))]); // 31–35
  for (const cx of [-0.5, 0.5]) {
    for (let i = 0; i < 6; i++) {
      const a = (Math.PI * 2 * i) / 6;
      pts.push([cx - 0.18 * Math.cos(a), -0.04 * Math.sin(a), 0.05]); // 36–41, 42–47
    }
  }
  for (let i = 0; i < 12; i++) {
    const a = (Math.PI * 2 * i) / 12;
    pts.push([-0.4 * Math.cos(a), 0.7 - 0.12 * Math.sin(a), 0.2 - 0.1 * Math.cos(a) ** 2]); // 48–59
  }
  for (let i = 0; i < 8; i++) {
    const a = (Math.PI * 2 * i) / 8;
    pts.push([-0.3 * Math.cos(a), 0.7 - 0.04 * Math.sin(a), 0.2]); // 60–67
  }
  return pts;
}

/** Pinhole projection (f = 600 px, principal point 320, 240) of the cloud turned by yaw/pitch (radians), head 8 IOD away. */
function project(cloud: P3[], yaw: number, pitch = 0): LivenessFrame {
  // 600 px / 8 IOD: the eyes are 75 px apart, a face at kiosk distance
  const landmarks = cloud.map(([x, y, z]) => {
    const x1 = Math.cos(yaw) * x + Math.sin(yaw) * z;
    const z1 = -Math.sin(yaw) * x + Math.cos(yaw) * z;
    const y2 = Math.cos(pitch) * y - Math.sin(pitch) * z1;
    const z2 = Math.sin(pitch) * y + Math.cos(pitch) * z1;
    const depth = 8 - z2; // camera looks along −z at the head 8 IOD away
    return [320 + (600 * x1) / depth, 240 + (600 * y2) / depth] as [number, number];
  });
  return { landmarks, box: { x: 230, y: 180, width: 180, height: 180 } };
}

function warp(frame: LivenessFrame, h: Mat3, jitterPx: number, rnd: () => number): LivenessFrame {
  return {
    landmarks: frame.landmarks.map((p) => {
      const [x, y] = applyHomography(h, p);
      return [x + jitterPx * gauss(rnd), y + jitterPx * gauss(rnd)] as [number, number];
    }),
    box: frame.box,
  };
}

/** A homography about the image centre: shift, zoom, in-plane rotation, horizontal squeeze and perspective. */
function pictureMotion(k: number, rnd: () => number): Mat3 {
  const s = 1 + 0.02 * k;
  const r = (1.5 * k * Math.PI) / 180;
  const squeeze = 1 - 0.025 * k; // a yaw tilt foreshortens one axis (0.725 ≈ cos 43° at k = 11)
  const px = (rnd() - 0.5) * 4e-4; // perspective terms (px⁻¹)
  const py = (rnd() - 0.5) * 4e-4;
  const c = Math.cos(r) * s;
  const sn = Math.sin(r) * s;
  // centre → origin, then A, then back plus a shift of k px
  const a: Mat3 = [c * squeeze, -sn, 0, sn * squeeze, c, 0, px, py, 1];
  const t1: Mat3 = [1, 0, -320, 0, 1, -240, 0, 0, 1];
  const t2: Mat3 = [1, 0, 320 + k, 0, 1, 240 + 0.5 * k, 0, 0, 1];
  const mul = (m: Mat3, n: Mat3) =>
    Array.from({ length: 9 }, (_, i) => {
      const row = Math.floor(i / 3);
      const col = i % 3;
      return m[row * 3]! * n[col]! + m[row * 3 + 1]! * n[3 + col]! + m[row * 3 + 2]! * n[6 + col]!;
    }) as Mat3;
  return mul(t2, mul(a, t1));
}

describe('fitHomography', () => {
  it('recovers a known homography from exact correspondences', () => {
    const from = project(faceCloud(), 0).landmarks;
    const h: Mat3 = [1.1, 0.05, 12, -0.03, 0.95, -7, 2e-4, -1e-4, 1];
    const to = from.map((p) => applyHomography(h, p));
    const fitted = fitHomography(from, to);
    fitted.forEach((v, i) => expect(v).toBeCloseTo(h[i]!, 8));
  });

  it('rejects fewer than four pairs', () => {
    expect(() =>
      fitHomography(
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(RangeError);
  });
});

describe('similarityResidual', () => {
  it('is 0 for a shifted, rotated and zoomed copy and positive for a squeeze', () => {
    const from = project(faceCloud(), 0).landmarks;
    const sim = from.map(
      ([x, y]) => [1.2 * (0.8 * x - 0.6 * y) + 5, 1.2 * (0.6 * x + 0.8 * y) - 3] as [number, number],
    );
    expect(similarityResidual(from, sim)).toBeLessThan(1e-9);
    const squeezed = from.map(([x, y]) => [0.9 * x, y] as [number, number]);
    expect(similarityResidual(from, squeezed)).toBeGreaterThan(1);
  });
});

describe('quantile and interOcularDistance', () => {
  it('interpolates linearly between ranks', () => {
    expect(quantile([4, 1, 3, 2], 0.75)).toBe(3.25);
    expect(quantile([5], 0.5)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('measures the distance between the eye centres in pixels', () => {
    expect(interOcularDistance(project(faceCloud(), 0))).toBeCloseTo(75 * (8 / (8 - 0.05)), 6);
  });
});

describe('assessLiveness', () => {
  const cloud = faceCloud();

  it('calls a head turning by 20° over 10 frames live (parallax), with jitter of 0.5 px', () => {
    const rnd = rng(1);
    const frames = Array.from({ length: 10 }, (_, k) =>
      warp(project(cloud, ((k / 9) * 20 * Math.PI) / 180), [1, 0, 0, 0, 1, 0, 0, 0, 1], 0.5, rnd),
    );
    const r = assessLiveness(frames);
    expect(r.decision).toBe('live');
    expect(r.scores.residual).toBeGreaterThan(DEFAULT_LIVENESS_THRESHOLDS.minResidual);
    expect(r.scores.parallax).toBeGreaterThan(r.scores.residual);
    expect(r.scores.frames).toBe(10);
    expect(r.perFrame).toHaveLength(9);
  });

  it('calls the first view moved, zoomed, rotated and tilted by random homographies an attack', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = rng(seed);
      const first = project(cloud, 0);
      const frames = Array.from({ length: 12 }, (_, k) => warp(first, pictureMotion(k, rnd), 0.5, rnd));
      const r = assessLiveness(frames);
      expect(r.scores.residual).toBeLessThan(0.015);
      expect(r.scores.motion).toBeGreaterThan(DEFAULT_LIVENESS_THRESHOLDS.minMotion);
      expect(r.decision).toBe('attack');
    }
  });

  it('gives exact zeros for a frozen picture and asks for motion', () => {
    const f = project(cloud, 0);
    const r = assessLiveness(Array.from({ length: 8 }, () => f));
    expect(r.decision).toBe('insufficient_motion');
    expect(r.scores.motion).toBe(0);
    expect(r.scores.displacement).toBe(0);
    expect(r.scores.frames).toBe(8);
    // the DLT's eigenvector is exact up to rounding
    expect(r.scores.residual).toBeLessThan(1e-12);
    expect(r.scores.parallax).toBeLessThan(1e-12);
  });

  it('asks for motion, not a verdict, when a still face only shifts (no deformation)', () => {
    const f = project(cloud, 0);
    const frames = Array.from({ length: 8 }, (_, k) => ({
      ...f,
      landmarks: f.landmarks.map(([x, y]) => [x + k, y] as [number, number]),
    }));
    const r = assessLiveness(frames);
    expect(r.decision).toBe('insufficient_motion');
    expect(r.scores.residual).toBeLessThan(1e-9);
    expect(r.scores.motion).toBeLessThan(1e-9);
    // 7 px after 7 frames, in inter-ocular distances
    expect(r.scores.displacement).toBeCloseTo(7 / interOcularDistance(f), 9);
  });

  it('asks for motion when there are fewer frames than minFrames', () => {
    const frames = Array.from({ length: 3 }, (_, k) => project(cloud, (k * 10 * Math.PI) / 180));
    const r = assessLiveness(frames);
    expect(r.decision).toBe('insufficient_motion');
    expect(r.scores.frames).toBe(3);
    expect(assessLiveness(frames, { minFrames: 3 }).decision).toBe('live');
  });

  it('uses the thresholds given, and the parallax score when asked', () => {
    // a rigid 10° turn: below the default residual threshold, above it on the (more sensitive) parallax score
    const frames = Array.from({ length: 10 }, (_, k) => project(cloud, ((k / 9) * 10 * Math.PI) / 180));
    expect(assessLiveness(frames).decision).not.toBe('live');
    expect(assessLiveness(frames, { minResidual: 0.99 }).decision).not.toBe('live');
    const r = assessLiveness(frames, { score: 'parallax' });
    expect(r.thresholds.score).toBe('parallax');
    expect(r.decision).toBe('live');
  });

  it('refuses a frame without 68 points', () => {
    const f = project(cloud, 0);
    expect(LANDMARK_COUNT).toBe(68);
    expect(() => assessLiveness([f, { ...f, landmarks: f.landmarks.slice(0, 67) }])).toThrow();
  });
});
