/** Enrolment photo quality: the measures on synthetic images with known values, and the exact limits. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUALITY_THRESHOLDS,
  measureQuality,
  qualityProblem,
  type FaceQuality,
} from './face-quality.ts';

const W = 100;
const H = 100;
const box = { x: 10, y: 10, width: 80, height: 80 };

/** An RGB image whose grey level at (x, y) is `f(x, y)`. */
function image(f: (x: number, y: number) => number): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      rgb.fill(Math.max(0, Math.min(255, Math.round(f(x, y)))), (y * W + x) * 3, (y * W + x) * 3 + 3);
  return rgb;
}

/** 68 landmarks of a frontal face: jaw ends at x 20 and 80, nose tip at `noseX`, eyes at heights ly / ry. */
function landmarks(noseX = 50, ly = 40, ry = 40): [number, number][] {
  const p: [number, number][] = Array.from({ length: 68 }, () => [50, 50] as [number, number]);
  p[0] = [20, 50];
  p[16] = [80, 50];
  p[30] = [noseX, 55];
  for (let k = 36; k < 42; k++) p[k] = [35, ly];
  for (let k = 42; k < 48; k++) p[k] = [65, ry];
  return p;
}

describe('measureQuality', () => {
  it('measures brightness and contrast as the mean and spread of BT.601 luma over the box', () => {
    const q = measureQuality(
      image(() => 100),
      W,
      H,
      box,
      landmarks(),
    );
    expect(q.brightness).toBeCloseTo(100, 6);
    expect(q.contrast).toBeCloseTo(0, 6);
    expect(q.sharpness).toBeCloseTo(0, 6);
    // Half 50, half 150: mean 100, standard deviation 50.
    const halves = measureQuality(
      image((x) => (x < 50 ? 50 : 150)),
      W,
      H,
      box,
      landmarks(),
    );
    expect(halves.brightness).toBeCloseTo(100, 6);
    expect(halves.contrast).toBeCloseTo(50, 6);
  });

  it('finds fine detail sharp and a smooth gradient blurred', () => {
    const detail = measureQuality(
      image((x, y) => ((x + y) % 4 < 2 ? 60 : 190)),
      W,
      H,
      box,
      landmarks(),
    );
    const smooth = measureQuality(
      image((x) => 60 + x),
      W,
      H,
      box,
      landmarks(),
    );
    expect(detail.sharpness).toBeGreaterThan(DEFAULT_QUALITY_THRESHOLDS.minSharpness * 10);
    expect(smooth.sharpness).toBeLessThan(1);
  });

  it('reads yaw from the nose between the jaw ends and roll from the eye line', () => {
    const frontal = measureQuality(
      image(() => 100),
      W,
      H,
      box,
      landmarks(),
    );
    expect(frontal.yaw).toBeCloseTo(0, 6);
    expect(frontal.roll).toBeCloseTo(0, 6);
    // Nose at x 70: d(left jaw) ≈ 50.2, d(right) ≈ 11.2 → (50.2 − 11.2) / 61.4 ≈ 0.636.
    const turned = measureQuality(
      image(() => 100),
      W,
      H,
      box,
      landmarks(70),
    );
    expect(turned.yaw).toBeCloseTo(
      (Math.hypot(50, 5) - Math.hypot(10, 5)) / (Math.hypot(50, 5) + Math.hypot(10, 5)),
      6,
    );
    // Right eye 30 px right and 30 px lower: 45°.
    expect(
      measureQuality(
        image(() => 100),
        W,
        H,
        box,
        landmarks(50, 40, 70),
      ).roll,
    ).toBeCloseTo(45, 6);
  });

  it('refuses a short buffer or too few landmarks', () => {
    expect(() => measureQuality(new Uint8Array(10), W, H, box, landmarks())).toThrow(RangeError);
    expect(() =>
      measureQuality(
        image(() => 1),
        W,
        H,
        box,
        landmarks().slice(0, 5),
      ),
    ).toThrow(RangeError);
  });
});

describe('qualityProblem', () => {
  const good: FaceQuality = { brightness: 120, contrast: 45, sharpness: 500, yaw: 0.1, roll: 3 };
  it('accepts a good face and names the first problem in fixing order at the exact limits', () => {
    expect(qualityProblem(good)).toBeNull();
    expect(qualityProblem({ ...good, brightness: 54.9 })).toBe('face_too_dark');
    expect(qualityProblem({ ...good, brightness: 55 })).toBeNull();
    expect(qualityProblem({ ...good, brightness: 200.1 })).toBe('face_too_bright');
    expect(qualityProblem({ ...good, contrast: 19.9 })).toBe('face_low_contrast');
    expect(qualityProblem({ ...good, sharpness: 39.9 })).toBe('face_blurred');
    expect(qualityProblem({ ...good, yaw: -0.51 })).toBe('face_turned');
    expect(qualityProblem({ ...good, yaw: 0.5 })).toBeNull();
    expect(qualityProblem({ ...good, roll: 25.1 })).toBe('face_tilted');
    // Dark and blurred: the light is fixed first.
    expect(qualityProblem({ ...good, brightness: 30, sharpness: 5 })).toBe('face_too_dark');
  });
});
