/**
 * Liveness (presentation-attack detection) from face landmarks over a short frame sequence (pure).
 *
 * Idea (shared/reference/face-check-in.md, issue 14): every view of a flat picture (a print or a phone
 * screen held to the camera) is related to every other view by one plane-to-plane homography, however
 * the picture is moved, scaled, rotated or tilted. A real head is not flat: as it turns, the nose tip
 * moves against the eyes and the face contour (motion parallax), and no single homography of the first
 * frame explains the later frames. So for each later frame we fit the homography that best maps the first
 * frame's 68 landmarks onto that frame's, and measure what it leaves unexplained.
 *
 * Method
 * - Homography: normalised direct linear transform (DLT), least squares over all 68 correspondences:
 *   Hartley & Zisserman, "Multiple View Geometry in Computer Vision", 2nd ed. (2004), §4.1 and
 *   Algorithm 4.2 (points translated to their centroid and scaled to mean distance √2 in each frame;
 *   the solution is the eigenvector of AᵀA with the smallest eigenvalue, found here by cyclic Jacobi
 *   rotations); Hartley, "In defense of the eight-point algorithm", IEEE PAMI 19(6), 1997, for why the
 *   normalisation matters. Landmarks are dense and outliers rare, so no RANSAC: one bad frame is
 *   absorbed by taking a quantile over frames instead.
 * - Residual of frame i: RMS transfer error ‖x_i − H(x_0)‖ over the 68 points, in pixels, divided by the
 *   inter-ocular distance (IOD: distance between the two eye centres, points 36–41 and 42–47 of the
 *   iBUG-300W 68-point scheme that face-api uses), averaged over the two frames. Unit: IOD (≈ 6.3 cm on an
 *   adult face), so the score does not depend on how near the face is. A flat picture leaves only
 *   landmark jitter; a turning head leaves parallax.
 * - Parallax of frame i (reported, and usable as the decision score): the homography is fitted on the
 *   face's outline (jaw 0–16, brows 17–26, eye corners 36, 39, 42, 45) only and the RMS transfer error of
 *   the nose (27–35) is measured, in IOD. The nose is the part of the face furthest from the plane of
 *   the outline, so a head turn shows most there.
 * - Motion of frame i: the RMS residual of the best similarity transform (translation, rotation, uniform
 *   scale; closed-form least squares, Umeyama 1991 in 2-D) from frame 0 to frame i, in IOD. Moving,
 *   rotating in the image plane or approaching the camera give none; a head turn (and a tilted picture)
 *   gives some. With too little of it, nothing can be told apart, and the kiosk should prompt ("turn your
 *   head slightly") rather than reject.
 * - Sequence scores: the `quantile` (default upper quartile) of the per-frame scores over frames 1…n−1,
 *   so a single frame with bad landmarks (blur, a hand) neither makes nor breaks the decision.
 * - Decision: residual ≥ `minResidual` → 'live'; else motion ≥ `minMotion` → 'attack' (the face deformed,
 *   but exactly as a plane does); else 'insufficient_motion'.
 *
 * Limits: a recorded video of the patient replayed on a screen shows real 3D motion and passes this test;
 * a random prompt the video cannot anticipate, and screen artefacts, are what answer that attack. Facial
 * expression changes (speaking, blinking) are non-planar too and count as live evidence.
 */
import { z } from 'zod';

/** Number of landmarks per frame (face-api's `FaceLandmarks68`, iBUG-300W order). */
export const LANDMARK_COUNT = 68;

const point = z.tuple([z.number(), z.number()]);

/** One frame: 68 landmarks and the detector's face box, both in the frame's pixel coordinates. */
export const livenessFrameSchema = z.object({
  landmarks: z.array(point).length(LANDMARK_COUNT),
  box: z.object({
    x: z.number(),
    y: z.number(),
    width: z.number().positive(),
    height: z.number().positive(),
  }),
});
export type LivenessFrame = z.infer<typeof livenessFrameSchema>;

/** Decision thresholds; defaults from `npm run bench:liveness` (docs/benchmarks.md). */
export const livenessThresholdsSchema = z.object({
  /** Smallest sequence residual (IOD units) taken as 3D evidence: at or above it the face is 'live'. */
  minResidual: z.number().min(0).max(1),
  /** Smallest non-similarity motion (IOD units) needed to call a planar sequence an 'attack'. */
  minMotion: z.number().min(0).max(1),
  /** Which score the residual test uses: all 68 points ('residual') or nose vs outline ('parallax'). */
  score: z.enum(['residual', 'parallax']),
  /** Quantile (0..1) of the per-frame scores taken as the sequence score. */
  quantile: z.number().min(0).max(1),
  /** Fewer frames than this give 'insufficient_motion' (at least 2: a reference and one more). */
  minFrames: z.number().int().min(2).max(100),
});
export type LivenessThresholds = z.infer<typeof livenessThresholdsSchema>;

/**
 * Defaults chosen on the benchmark (`npm run bench:liveness`, docs/benchmarks.md "Liveness"). There,
 * flat pictures left up to 0.039 IOD of residual: not only jitter, the landmark net itself bends a
 * zoomed or moiré-covered picture a little (smoothing over frames did not lower that floor). Genuine
 * windows of the live clip left at least 0.078 (0.73 s windows) or 0.048 (0.37 s). `minResidual` is
 * 0.045. A rigid head (no expression change) reaches that only after turning by about 16° within the
 * window (synthetic head of liveness.test.ts: 0.027 at 10°, 0.041 at 15°, 0.055 at 20°), so the
 * kiosk's prompt must ask for a clear turn. On genuine windows the residual was at least ~0.6 × the
 * motion, hence `minMotion` = 0.045 / 0.6 = 0.075: a face that deformed that much yet stayed planar is
 * a picture; anything with less motion gets a prompt instead of a verdict.
 */
export const DEFAULT_LIVENESS_THRESHOLDS: LivenessThresholds = {
  minResidual: 0.045,
  minMotion: 0.075,
  score: 'residual',
  quantile: 0.75,
  minFrames: 6,
};

export type LivenessDecision = 'live' | 'attack' | 'insufficient_motion';

/** Sequence scores, all in inter-ocular distances (IOD) except `frames`. */
export interface LivenessScores {
  /** Quantile over frames of the 68-point homography RMS transfer error. */
  residual: number;
  /** Quantile over frames of the nose's transfer error under the outline's homography. */
  parallax: number;
  /** Quantile over frames of the similarity-fit RMS residual (how much the face deformed in the image). */
  motion: number;
  /** Largest RMS landmark displacement from frame 0 (any movement, including a plain shift). */
  displacement: number;
  /** Frames used. */
  frames: number;
}

export interface LivenessResult {
  decision: LivenessDecision;
  scores: LivenessScores;
  thresholds: LivenessThresholds;
  /** Per later frame (1…n−1): residual, parallax and motion in IOD, for logs and benchmarks. */
  perFrame: { residual: number; parallax: number; motion: number }[];
}

type Pt = readonly [number, number];
/** 3×3 matrix, row-major. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

/** Applies a row-major 3×3 homography to a point (homogeneous division). */
export function applyHomography(h: Mat3, p: Pt): [number, number] {
  const w = h[6] * p[0] + h[7] * p[1] + h[8];
  return [(h[0] * p[0] + h[1] * p[1] + h[2]) / w, (h[3] * p[0] + h[4] * p[1] + h[5]) / w];
}

function mul3(a: Mat3, b: Mat3): Mat3 {
  const r = new Array<number>(9).fill(0) as Mat3;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      r[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  return r;
}

/** Hartley normalisation: centroid to the origin, mean distance √2; returns T and T⁻¹. */
function normaliser(pts: readonly Pt[]): { t: Mat3; inv: Mat3 } {
  let cx = 0;
  let cy = 0;
  for (const p of pts) {
    cx += p[0];
    cy += p[1];
  }
  cx /= pts.length;
  cy /= pts.length;
  let d = 0;
  for (const p of pts) d += Math.hypot(p[0] - cx, p[1] - cy);
  d /= pts.length;
  const s = d > 0 ? Math.SQRT2 / d : 1;
  return {
    t: [s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1],
    inv: [1 / s, 0, cx, 0, 1 / s, cy, 0, 0, 1],
  };
}

/**
 * Eigenvector of the smallest eigenvalue of a symmetric n×n matrix (row-major), by cyclic Jacobi
 * rotations (Golub & Van Loan, "Matrix Computations", §8.5). Exact enough for n = 9.
 */
function smallestEigenvector(m: number[], n: number): number[] {
  const a = [...m];
  const v: number[] = Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (a[i * n + i]! < a[best * n + best]!) best = i;
  return Array.from({ length: n }, (_, k) => v[k * n + best]!);
}

/**
 * Least-squares homography H with `to[i] ≈ H(from[i])`, by the normalised DLT (Hartley & Zisserman 2004,
 * Algorithm 4.2). Coordinates in pixels; H is scaled so that its last entry is 1 when that is not ~0.
 * @throws RangeError when fewer than 4 pairs are given or the two lists differ in length.
 */
export function fitHomography(from: readonly Pt[], to: readonly Pt[]): Mat3 {
  if (from.length !== to.length || from.length < 4) {
    throw new RangeError(
      `homography needs ≥ 4 point pairs of equal count (got ${from.length}, ${to.length})`,
    );
  }
  const n1 = normaliser(from);
  const n2 = normaliser(to);
  const ata = new Array<number>(81).fill(0);
  const add = (row: number[]) => {
    for (let i = 0; i < 9; i++) {
      if (row[i] === 0) continue;
      for (let j = 0; j < 9; j++) ata[i * 9 + j]! += row[i]! * row[j]!;
    }
  };
  for (let i = 0; i < from.length; i++) {
    const [x, y] = applyHomography(n1.t, from[i]!);
    const [u, v] = applyHomography(n2.t, to[i]!);
    add([0, 0, 0, -x, -y, -1, v * x, v * y, v]);
    add([x, y, 1, 0, 0, 0, -u * x, -u * y, -u]);
  }
  const h = smallestEigenvector(ata, 9) as Mat3;
  const full = mul3(n2.inv, mul3(h, n1.t));
  const scale = Math.abs(full[8]) > 1e-12 ? full[8] : 1;
  return full.map((x) => x / scale) as Mat3;
}

/** RMS of ‖to[i] − H(from[i])‖ over the given indices, pixels. */
function rmsTransfer(h: Mat3, from: readonly Pt[], to: readonly Pt[], idx: readonly number[]): number {
  let sum = 0;
  for (const i of idx) {
    const [x, y] = applyHomography(h, from[i]!);
    sum += (to[i]![0] - x) ** 2 + (to[i]![1] - y) ** 2;
  }
  return Math.sqrt(sum / idx.length);
}

/**
 * RMS residual (pixels) of the least-squares similarity transform from `from` to `to` (closed form:
 * points as complex numbers, to ≈ a·from + b; Umeyama, IEEE PAMI 13(4), 1991, in 2-D).
 */
export function similarityResidual(from: readonly Pt[], to: readonly Pt[]): number {
  const n = from.length;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]![0];
    fy += from[i]![1];
    tx += to[i]![0];
    ty += to[i]![1];
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  let re = 0;
  let im = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i]![0] - fx;
    const py = from[i]![1] - fy;
    const qx = to[i]![0] - tx;
    const qy = to[i]![1] - ty;
    // a = Σ conj(p)·q / Σ |p|²
    re += px * qx + py * qy;
    im += px * qy - py * qx;
    norm += px * px + py * py;
  }
  const ar = norm > 0 ? re / norm : 1;
  const ai = norm > 0 ? im / norm : 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i]![0] - fx;
    const py = from[i]![1] - fy;
    const ex = to[i]![0] - tx - (ar * px - ai * py);
    const ey = to[i]![1] - ty - (ar * py + ai * px);
    sum += ex * ex + ey * ey;
  }
  return Math.sqrt(sum / n);
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const ALL = range(0, LANDMARK_COUNT - 1);
/** Face outline for the parallax fit: jaw, brows and the four eye corners. */
const OUTLINE = [...range(0, 26), 36, 39, 42, 45];
/** Nose bridge and tip (27–35). */
const NOSE = range(27, 35);

function mean(pts: readonly Pt[], idx: readonly number[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += pts[i]![0];
    y += pts[i]![1];
  }
  return [x / idx.length, y / idx.length];
}

/**
 * Inter-ocular distance, pixels: between the centres of points 36–41 and 42–47. Falls back to 0.4 × the
 * face box's width (the usual ratio on face-api boxes) when the eyes coincide.
 */
export function interOcularDistance(frame: LivenessFrame): number {
  const a = mean(frame.landmarks, range(36, 41));
  const b = mean(frame.landmarks, range(42, 47));
  const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
  return d > 1e-6 ? d : 0.4 * frame.box.width;
}

/** The q-quantile (0..1) by linear interpolation between closest ranks (NumPy 'linear'); NaN if empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((x, y) => x - y);
  const r = q * (s.length - 1);
  const lo = Math.floor(r);
  return s[lo]! + (s[Math.ceil(r)]! - s[lo]!) * (r - lo);
}

/**
 * Per-frame scores of `frame` against the reference frame `ref`, in IOD units (see the module comment).
 */
export function frameScores(
  ref: LivenessFrame,
  frame: LivenessFrame,
): { residual: number; parallax: number; motion: number; displacement: number } {
  const from = ref.landmarks;
  const to = frame.landmarks;
  const iod = (interOcularDistance(ref) + interOcularDistance(frame)) / 2;
  const residual = rmsTransfer(fitHomography(from, to), from, to, ALL) / iod;
  const outline = fitHomography(
    OUTLINE.map((i) => from[i]!),
    OUTLINE.map((i) => to[i]!),
  );
  const parallax = rmsTransfer(outline, from, to, NOSE) / iod;
  const motion = similarityResidual(from, to) / iod;
  let d = 0;
  for (const i of ALL) d += (to[i]![0] - from[i]![0]) ** 2 + (to[i]![1] - from[i]![1]) ** 2;
  const displacement = Math.sqrt(d / ALL.length) / iod;
  return { residual, parallax, motion, displacement };
}

/**
 * Decides live / attack / insufficient_motion for a sequence of frames (oldest first), each with 68
 * landmarks and its face box in pixels. Frame 0 is the reference; see the module comment for the scores.
 * `thresholds` fields override the defaults (DEFAULT_LIVENESS_THRESHOLDS).
 * @throws ZodError when a frame does not have 68 finite points and a positive box, or a threshold is out of range.
 */
export function assessLiveness(
  frames: readonly LivenessFrame[],
  thresholds: Partial<LivenessThresholds> = {},
): LivenessResult {
  const t = livenessThresholdsSchema.parse({ ...DEFAULT_LIVENESS_THRESHOLDS, ...thresholds });
  const parsed = frames.map((f) => livenessFrameSchema.parse(f));
  if (parsed.length < t.minFrames) {
    return {
      decision: 'insufficient_motion',
      scores: { residual: 0, parallax: 0, motion: 0, displacement: 0, frames: parsed.length },
      thresholds: t,
      perFrame: [],
    };
  }
  const ref = parsed[0]!;
  const all = parsed.slice(1).map((f) => frameScores(ref, f));
  const scores: LivenessScores = {
    residual: quantile(
      all.map((s) => s.residual),
      t.quantile,
    ),
    parallax: quantile(
      all.map((s) => s.parallax),
      t.quantile,
    ),
    motion: quantile(
      all.map((s) => s.motion),
      t.quantile,
    ),
    displacement: Math.max(...all.map((s) => s.displacement)),
    frames: parsed.length,
  };
  const evidence = t.score === 'residual' ? scores.residual : scores.parallax;
  const decision: LivenessDecision =
    evidence >= t.minResidual ? 'live' : scores.motion >= t.minMotion ? 'attack' : 'insufficient_motion';
  return {
    decision,
    scores,
    thresholds: t,
    perFrame: all.map(({ residual, parallax, motion }) => ({ residual, parallax, motion })),
  };
}
