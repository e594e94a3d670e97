/**
 * Timing pass: "kiosk frame → check-in candidate", per stage (decode, detect, landmarks, descriptor,
 * match, total; median and p95), on 640×480 JPEG frames (`dataset.ts` `makeFrame`), for
 * - our pipeline (`server/clinic/face/engine.ts`) with the Tiny Face Detector at the kiosk's shipped
 *   settings ("tiny") and with SSD MobileNet v1 ("ssd"), then `decideMatch` against the gallery;
 * - face-api's stock `detectSingleFace(…, SsdMobilenetv1Options).withFaceLandmarks().withFaceDescriptor()`
 *   ("stock") on the same frames and the same loaded models (same decode, same match), for comparison.
 * The three pipelines run interleaved per frame (order rotated) after a few warm-up frames, so drift in
 * machine load affects them alike. Stage figures are taken over the frames where every pipeline found a
 * face, so the three are comparable; outcome counts are over all frames.
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type * as FaceApi from '@vladmandic/face-api';
import type { AnalyzeOptions, FaceEngine } from '../../server/clinic/face/engine.ts';
import { decideMatch } from '../../server/domain/matching.ts';
import type { GalleryEntry } from '../../server/domain/matching.ts';
import { DEFAULT_MATCH, TINY_INPUT_SIZE, TINY_MIN_SCORE, WARMUP_FRAMES } from './config.ts';
import { round, summarize } from './metrics.ts';
import type { Summary } from './metrics.ts';

const require = createRequire(import.meta.url);
type FaceApiModule = typeof FaceApi;

export type PipelineName = 'tiny' | 'ssd' | 'stock';
/** Pipelines in their base order; frame i runs them rotated left by i mod 3. */
export const PIPELINE_NAMES: readonly PipelineName[] = ['tiny', 'ssd', 'stock'];
export type Outcome = 'correct' | 'wrong' | 'no_match' | 'no_face';

/** One pipeline on one frame. */
export interface FrameRun {
  /** Milliseconds per stage; `faceapi` is the stock call (detect + landmarks + descriptor). */
  stages: Record<string, number>;
  /** Milliseconds, frame bytes in → decision out. */
  total: number;
  outcome: Outcome;
}

/** A kiosk frame of a probe image: its JPEG bytes and who is on it. */
export interface TimingFrame {
  path: string;
  identity: string;
  jpeg: Buffer;
}

/** `items` rotated left by `i` mod length: the run order of the pipelines on frame i. */
export function rotation<T>(items: readonly T[], i: number): T[] {
  const k = i % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function outcomeOf(descriptor: Float32Array | undefined, gallery: GalleryEntry<string>[], identity: string) {
  const t = performance.now();
  if (!descriptor) return { match: 0, outcome: 'no_face' as Outcome };
  const decision = decideMatch(descriptor, gallery, DEFAULT_MATCH);
  const match = performance.now() - t;
  if (decision.kind !== 'match') return { match, outcome: 'no_match' as Outcome };
  return { match, outcome: (decision.best.key === identity ? 'correct' : 'wrong') as Outcome };
}

function loadSameFaceApi(engine: FaceEngine): FaceApiModule {
  // Same specifier as engine.ts → same module instance from the require cache, with the models loaded.
  const faceapi = require(
    engine.info.backend === 'tensorflow'
      ? '@vladmandic/face-api/dist/face-api.node.js'
      : '@vladmandic/face-api/dist/face-api.node-wasm.js',
  ) as FaceApiModule;
  const nets = faceapi.nets;
  if (
    !nets.ssdMobilenetv1.isLoaded ||
    !nets.faceLandmark68Net.isLoaded ||
    !nets.faceRecognitionNet.isLoaded
  ) {
    throw new Error(
      'face bench: the stock face-api module is not the instance the engine loaded its models into',
    );
  }
  return faceapi;
}

function makePipelines(engine: FaceEngine, faceapi: FaceApiModule, gallery: GalleryEntry<string>[]) {
  const ours =
    (options: AnalyzeOptions) =>
    async (frame: TimingFrame): Promise<FrameRun> => {
      const t0 = performance.now();
      const result = await engine.analyze(frame.jpeg, options);
      const { match, outcome } = outcomeOf(result.faces[0]?.descriptor, gallery, frame.identity);
      return { stages: { ...result.timings, match }, total: performance.now() - t0, outcome };
    };

  const stock = async (frame: TimingFrame): Promise<FrameRun> => {
    const t0 = performance.now();
    // the engine's decode: sharp → RGB (long side ≤ 1280) → int32 tensor
    const { data, info } = await sharp(frame.jpeg)
      .rotate()
      .resize({ width: 1280, height: 1280, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const input = faceapi.tf.tensor3d(data, [info.height, info.width, 3], 'int32');
    const t1 = performance.now();
    let result;
    try {
      result = await faceapi
        .detectSingleFace(input, new faceapi.SsdMobilenetv1Options())
        .withFaceLandmarks()
        .withFaceDescriptor();
    } finally {
      input.dispose();
    }
    const t2 = performance.now();
    const { match, outcome } = outcomeOf(result?.descriptor, gallery, frame.identity);
    return { stages: { decode: t1 - t0, faceapi: t2 - t1, match }, total: performance.now() - t0, outcome };
  };

  return {
    tiny: ours({ detector: 'tiny', tinyInputSize: TINY_INPUT_SIZE, minScore: TINY_MIN_SCORE, maxFaces: 1 }),
    ssd: ours({ detector: 'ssd', maxFaces: 1 }),
    stock,
  } satisfies Record<PipelineName, (frame: TimingFrame) => Promise<FrameRun>>;
}

/** A pipeline's figures: per-stage median/p95 (ms, 1 decimal; stages of its first counted run, then total). */
export interface PipelineSummary {
  stages: Record<string, Summary>;
  outcomes: Record<Outcome, number>;
}

/**
 * Aggregates the runs (`runs[name][i]` = pipeline `name` on frame i, one array per pipeline of equal
 * length): stage summaries over the frames where no pipeline had `no_face`, outcome counts over all
 * frames (pure).
 */
export function summarizeRuns(runs: Record<PipelineName, readonly FrameRun[]>): {
  framesWithFaceInAllPipelines: number;
  pipelines: Record<PipelineName, PipelineSummary>;
} {
  const frameCount = Math.max(...PIPELINE_NAMES.map((n) => runs[n].length));
  const common = Array.from({ length: frameCount }, (_, i) =>
    PIPELINE_NAMES.every((n) => runs[n][i]?.outcome !== 'no_face'),
  );
  const pipelineSummary = (name: PipelineName): PipelineSummary => {
    const list = runs[name].filter((_, i) => common[i]);
    const stageNames = Object.keys(list[0]?.stages ?? {});
    const stages: Record<string, Summary> = {};
    for (const s of stageNames) stages[s] = summarize(list.map((r) => r.stages[s] ?? NaN));
    stages.total = summarize(list.map((r) => r.total));
    const count = (o: Outcome) => runs[name].filter((r) => r.outcome === o).length;
    return {
      stages,
      outcomes: {
        correct: count('correct'),
        wrong: count('wrong'),
        no_match: count('no_match'),
        no_face: count('no_face'),
      },
    };
  };
  return {
    framesWithFaceInAllPipelines: common.filter(Boolean).length,
    pipelines: {
      tiny: pipelineSummary('tiny'),
      ssd: pipelineSummary('ssd'),
      stock: pipelineSummary('stock'),
    },
  };
}

/**
 * Runs the three pipelines on every frame (after WARMUP_FRAMES untimed ones from the start of `frames`),
 * matching against `gallery` with DEFAULT_MATCH. Returns face.json `timing`: times in ms (1 decimal),
 * the count of tensors left allocated by the timed runs, and each frame's total and outcome.
 * @throws Error when face-api's module is not the instance the engine loaded its models into.
 */
export async function timingPass(
  engine: FaceEngine,
  frames: readonly TimingFrame[],
  gallery: GalleryEntry<string>[],
) {
  const faceapi = loadSameFaceApi(engine);
  const pipelines = makePipelines(engine, faceapi, gallery);

  for (const frame of frames.slice(0, WARMUP_FRAMES)) {
    for (const name of PIPELINE_NAMES) await pipelines[name](frame);
  }
  // memory() exists at run time but is missing from face-api's trimmed `tf` typings
  const tf = faceapi.tf as unknown as { memory(): { numTensors: number } };
  const tensorsBefore = tf.memory().numTensors;
  const runs: Record<PipelineName, FrameRun[]> = { tiny: [], ssd: [], stock: [] };
  for (const [i, frame] of frames.entries()) {
    for (const name of rotation(PIPELINE_NAMES, i)) runs[name].push(await pipelines[name](frame));
  }
  const tensorsLeaked = tf.memory().numTensors - tensorsBefore;
  const summary = summarizeRuns(runs);

  return {
    frames: frames.length,
    warmupFrames: WARMUP_FRAMES,
    framesWithFaceInAllPipelines: summary.framesWithFaceInAllPipelines,
    matchThresholds: DEFAULT_MATCH,
    galleryEntries: gallery.length,
    tensorsLeaked,
    pipelines: summary.pipelines,
    perFrame: frames.map((f, i) => ({
      path: f.path,
      ...Object.fromEntries(
        PIPELINE_NAMES.map((n) => {
          const r = runs[n][i];
          return [n, { total: round(r?.total ?? NaN, 1), outcome: r?.outcome }];
        }),
      ),
    })),
  };
}

/** face.json `timing`. */
export type TimingResult = Awaited<ReturnType<typeof timingPass>>;
