/**
 * Face benchmark settings: where the dev faces and the distractor photos are, what a kiosk frame looks
 * like, how many frames are timed, and which thresholds are reported. Shared by the harness
 * (`bench/face.ts`) and its modules; the pure metric code (`metrics.ts`) takes these as arguments instead.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatchThresholds } from '../../server/domain/matching.ts';
import { DEFAULT_SETTINGS } from '../../server/domain/settings.ts';

const require = createRequire(import.meta.url);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared dev face set next to this repository (never copied into it). */
export const FACES_DIR = path.resolve(REPO_ROOT, '../shared/faces');
/** face-api's demo folder; its group photos `sample*.jpg` give the distractor faces. */
export const DEMO_DIR = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
export const RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/face.json');

/** Kiosk camera frame: 640×480 JPEG, photo letterboxed on mid grey. */
export const FRAME = {
  width: 640,
  height: 480,
  quality: 85,
  background: { r: 128, g: 128, b: 128 },
} as const;
/** Grey border added around tight crops before framing, as a share of the crop's long side. */
export const TIGHT_CROP_BORDER = 0.5;
/** Frames in the timing pass (evenly spaced over the probe images) and untimed warm-up frames. */
export const TIMED_FRAMES = 80;
export const WARMUP_FRAMES = 3;
/** The kiosk's shipped detector settings (server/domain/settings.ts). */
export const TINY_INPUT_SIZE = DEFAULT_SETTINGS.faceDetectorInputSize;
export const TINY_MIN_SCORE = DEFAULT_SETTINGS.faceDetectorMinScore;
/** Gallery size for identification and for the timed match stage. */
export const GALLERY_SIZE = 50;
/** Target false match rates for which a verification threshold is chosen. */
export const FMR_TARGETS = [0.01, 0.001] as const;
/** Verification thresholds reported as they are. */
export const FIXED_THRESHOLDS = [0.5, 0.55, 0.6] as const;
/** Suggested `decideMatch` defaults; the timing pass and the frame accuracy use these. */
export const DEFAULT_MATCH: MatchThresholds = {
  maxDistance: DEFAULT_SETTINGS.faceMaxDistance,
  minMargin: DEFAULT_SETTINGS.faceMinMargin,
};
/** `decideMatch` operating points of the identification pass. */
export const MATCH_GRID: MatchThresholds[] = [0.5, 0.55, 0.6].flatMap((maxDistance) =>
  [0, 0.05, 0.1].map((minMargin) => ({ maxDistance, minMargin })),
);
