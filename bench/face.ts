/**
 * Face benchmark: speed of "kiosk frame → check-in candidate" and accuracy of the descriptors on the
 * shared dev faces (`../shared/faces`, see its README.md). Run with `npm run bench`; writes
 * `bench/results/face.json` and prints a Markdown summary (copied into `docs/benchmarks.md`).
 *
 * What is measured
 * 1. Timing, per stage (decode, detect, landmarks, descriptor, match, total; median and p95), on
 *    640×480 JPEG frames made from the dev photos the way a kiosk camera would deliver them, for
 *    - our pipeline (`server/clinic/face/engine.ts`) with the Tiny Face Detector (the kiosk's settings) and with
 *      SSD MobileNet v1, then `decideMatch` against a gallery of ~50 descriptors;
 *    - face-api's stock `detectSingleFace(…, SsdMobilenetv1Options).withFaceLandmarks().withFaceDescriptor()`
 *      on the same frames and the same loaded models (same decode, same match), for comparison.
 *    The three pipelines run interleaved per frame (order rotated) after a few warm-up frames, so drift
 *    in machine load affects them alike.
 * 2. Verification (1:1), one descriptor per original image (SSD, largest face, 50 % grey border retry
 *    when no face is found: the dev-set README's baseline method). Genuine pairs are the same-person
 *    pairs of `pairs.csv` (LFW-style pair protocol: Huang et al., "Labeled Faces in the Wild", 2007).
 *    Decision thresholds for a target FMR are chosen on ALL different-identity image pairs, not only
 *    the 502 impostor pairs listed in `pairs.csv`, so that FMR 0.1 % rests on more than one sample.
 *    Definitions (ISO/IEC 19795-1, as used by NIST FRVT/FRTE 1:1):
 *      FMR  = impostor comparisons with distance ≤ t / impostor comparisons;
 *      FNMR = genuine comparisons with distance > t / genuine comparisons;
 *    comparisons involving an image without a face (failure to acquire) are left out of both and
 *    counted separately.
 * 3. Identification (1:N): gallery = first image of each of the 29 identities, plus distractor faces
 *    from face-api's demo group photos up to ~50 entries; probes = the other images of enrolled people.
 *    Reports rank-1 and, for a grid of `decideMatch` thresholds (max distance, min margin to the
 *    runner-up), the share of correct accepts, wrong accepts and rejects; and, with each probe's own
 *    identity removed from the gallery, the share of (false) accepts of people who are not enrolled
 *    (FPIR, NIST FRVT 1:N terminology).
 *
 * Dev set only: the held-out set is for acceptance checks, never for tuning (shared/faces/README.md).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type * as FaceApi from '@vladmandic/face-api';
import { createFaceEngine } from '../server/clinic/face/engine.ts';
import type { AnalyzeOptions, FaceEngine } from '../server/clinic/face/engine.ts';
import { DEFAULT_MODELS_DIR } from '../server/clinic/face/models.ts';
import { decideMatch, euclideanDistance, rankGallery } from '../server/domain/matching.ts';
import type { GalleryEntry, MatchThresholds } from '../server/domain/matching.ts';
import { DEFAULT_SETTINGS } from '../server/domain/settings.ts';

const require = createRequire(import.meta.url);
type FaceApiModule = typeof FaceApi;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FACES_DIR = path.resolve(REPO_ROOT, '../shared/faces');
const DEMO_DIR = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/face.json');

/** Kiosk camera frame: 640×480 JPEG, photo letterboxed on mid grey. */
const FRAME = { width: 640, height: 480, quality: 85, background: { r: 128, g: 128, b: 128 } } as const;
/** Frames in the timing pass (evenly spaced over the probe images) and untimed warm-up frames. */
const TIMED_FRAMES = 80;
const WARMUP_FRAMES = 3;
/** The kiosk's shipped detector settings (server/domain/settings.ts). */
const TINY_INPUT_SIZE = DEFAULT_SETTINGS.faceDetectorInputSize;
const TINY_MIN_SCORE = DEFAULT_SETTINGS.faceDetectorMinScore;
/** Gallery size for identification and for the timed match stage. */
const GALLERY_SIZE = 50;
const FMR_TARGETS = [0.01, 0.001] as const;
const FIXED_THRESHOLDS = [0.5, 0.55, 0.6] as const;
/** Suggested `decideMatch` defaults; the timing pass and the frame accuracy use these. */
const DEFAULT_MATCH: MatchThresholds = {
  maxDistance: DEFAULT_SETTINGS.faceMaxDistance,
  minMargin: DEFAULT_SETTINGS.faceMinMargin,
};
const MATCH_GRID: MatchThresholds[] = [0.5, 0.55, 0.6].flatMap((maxDistance) =>
  [0, 0.05, 0.1].map((minMargin) => ({ maxDistance, minMargin })),
);

// ---------------------------------------------------------------- data set

interface LabelledImage {
  /** Relative to FACES_DIR. */
  path: string;
  identity: string;
  source: string;
}

interface Pair {
  a: string;
  b: string;
  same: boolean;
}

function readCsv(file: string): string[][] {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  return lines.slice(1).map((l) => l.split(','));
}

function loadDataset(): { images: LabelledImage[]; pairs: Pair[] } {
  const labels = path.join(FACES_DIR, 'labels.csv');
  const pairsFile = path.join(FACES_DIR, 'pairs.csv');
  if (!fs.existsSync(labels) || !fs.existsSync(pairsFile)) {
    throw new Error(
      `face bench: dev face set not found at ${FACES_DIR} (expected labels.csv and pairs.csv there, ` +
        'i.e. the shared/faces folder next to this repository). It is never copied into the repo.',
    );
  }
  const images = readCsv(labels).map(([p = '', identity = '', source = '']) => ({
    path: p,
    identity,
    source,
  }));
  const pairs = readCsv(pairsFile).map(([a = '', b = '', same]) => ({ a, b, same: same === '1' }));
  return { images, pairs };
}

/** faceapi_bbt images are 150×150 tight crops: detectors need context around the face. */
function isTightCrop(image: LabelledImage): boolean {
  return image.source === 'faceapi_bbt';
}

/** Letterboxes a photo into a 640×480 JPEG, adding a 50 % grey border first for tight crops. */
async function makeFrame(image: LabelledImage): Promise<Buffer> {
  let input: Buffer = fs.readFileSync(path.join(FACES_DIR, image.path));
  if (isTightCrop(image)) {
    const meta = await sharp(input).metadata();
    const border = Math.round(Math.max(meta.width ?? 0, meta.height ?? 0) * 0.5);
    input = await sharp(input)
      .rotate()
      .extend({ top: border, bottom: border, left: border, right: border, background: FRAME.background })
      .png()
      .toBuffer();
  }
  return sharp(input)
    .rotate()
    .resize(FRAME.width, FRAME.height, { fit: 'contain', background: FRAME.background })
    .flatten({ background: FRAME.background })
    .jpeg({ quality: FRAME.quality })
    .toBuffer();
}

// ---------------------------------------------------------------- statistics

/** Percentile with linear interpolation between closest ranks (NumPy's default). */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const at = (i: number) => sorted[i] ?? NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  return at(lo) + (at(Math.ceil(rank)) - at(lo)) * (rank - lo);
}

interface Summary {
  median: number;
  p95: number;
}

function summarize(values: readonly number[]): Summary {
  return { median: round(percentile(values, 50), 1), p95: round(percentile(values, 95), 1) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function rate(count: number, total: number): number {
  return total === 0 ? NaN : round(count / total, 5);
}

function pct(x: number, digits = 1): string {
  return Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(digits)} %`;
}

// ---------------------------------------------------------------- descriptors of the originals

interface ImageDescriptor {
  image: LabelledImage;
  /** Null when no face was found even with the border (failure to acquire). */
  descriptor: Float32Array | null;
  /** True when the face was found only after adding the grey border. */
  padded: boolean;
}

/** An image whose face was found, with its descriptor. */
interface Described {
  image: LabelledImage;
  descriptor: Float32Array;
}

function withFace(described: ImageDescriptor[]): Described[] {
  return described.flatMap(({ image, descriptor }) => (descriptor ? [{ image, descriptor }] : []));
}

const ORIGINAL_OPTIONS: AnalyzeOptions = { detector: 'ssd', maxFaces: 1, padIfNone: true };

async function describeOriginals(engine: FaceEngine, images: LabelledImage[]): Promise<ImageDescriptor[]> {
  const out: ImageDescriptor[] = [];
  for (const image of images) {
    const result = await engine.analyze(fs.readFileSync(path.join(FACES_DIR, image.path)), ORIGINAL_OPTIONS);
    const face = result.faces[0];
    out.push({
      image,
      descriptor: face && face.descriptor.length > 0 ? face.descriptor : null,
      padded: result.padded,
    });
  }
  return out;
}

interface Distractor {
  key: string;
  descriptor: Float32Array;
}

/** Every face (largest first) in face-api's demo group photos `sample*.jpg`: people not in the dev set. */
async function describeDistractors(engine: FaceEngine): Promise<Distractor[]> {
  const files = fs
    .readdirSync(DEMO_DIR)
    .filter((f) => /^sample\d+\.jpg$/.test(f))
    .sort();
  const out: Distractor[] = [];
  for (const file of files) {
    const result = await engine.analyze(fs.readFileSync(path.join(DEMO_DIR, file)), {
      detector: 'ssd',
      maxFaces: 10,
    });
    result.faces.forEach((face, i) => {
      if (face.descriptor.length > 0) {
        out.push({ key: `distractor:${file}#${i + 1}`, descriptor: face.descriptor });
      }
    });
  }
  return out;
}

// ---------------------------------------------------------------- verification (1:1)

interface OperatingPoint {
  threshold: number;
  fmr: number;
  fnmr: number;
}

function verification(described: ImageDescriptor[], pairs: Pair[]) {
  const byPath = new Map(described.map((d) => [d.image.path, d]));
  const genuine: number[] = [];
  const pairsImpostor: number[] = [];
  let skippedGenuine = 0;
  let skippedImpostor = 0;
  for (const pair of pairs) {
    const a = byPath.get(pair.a)?.descriptor;
    const b = byPath.get(pair.b)?.descriptor;
    if (!a || !b) {
      if (pair.same) skippedGenuine++;
      else skippedImpostor++;
      continue;
    }
    (pair.same ? genuine : pairsImpostor).push(euclideanDistance(a, b));
  }

  // all different-identity pairs among images with a descriptor
  const found = withFace(described);
  const allImpostor: number[] = [];
  let allGenuineCount = 0;
  for (const [i, a] of found.entries()) {
    for (const b of found.slice(i + 1)) {
      if (a.image.identity === b.image.identity) allGenuineCount++;
      else allImpostor.push(euclideanDistance(a.descriptor, b.descriptor));
    }
  }
  allImpostor.sort((x, y) => x - y);

  const fmrAt = (t: number, impostor: readonly number[]) =>
    rate(impostor.filter((d) => d <= t).length, impostor.length);
  const fnmrAt = (t: number) => rate(genuine.filter((d) => d > t).length, genuine.length);

  // Largest threshold with at most floor(target × N) impostor distances ≤ t: midway between the k-th and (k+1)-th.
  const atFmr = FMR_TARGETS.map((target) => {
    const k = Math.floor(target * allImpostor.length);
    const next = allImpostor[k] ?? NaN;
    const threshold = k === 0 ? next - 1e-4 : ((allImpostor[k - 1] ?? NaN) + next) / 2;
    return {
      targetFmr: target,
      allowedFalseMatches: k,
      threshold: round(threshold, 4),
      fmr: fmrAt(threshold, allImpostor),
      fnmr: fnmrAt(threshold),
    };
  });

  const fixed = FIXED_THRESHOLDS.map((t) => ({
    threshold: t,
    fnmr: fnmrAt(t),
    fmrAllPairs: fmrAt(t, allImpostor),
    fmrPairsCsv: fmrAt(t, pairsImpostor),
  }));

  // Equal error rate over the candidate thresholds = every observed distance.
  let eer: OperatingPoint = { threshold: NaN, fmr: NaN, fnmr: NaN };
  let bestGap = Infinity;
  for (const t of [...genuine, ...allImpostor]) {
    const fmr = fmrAt(t, allImpostor);
    const fnmr = fnmrAt(t);
    if (Math.abs(fmr - fnmr) < bestGap) {
      bestGap = Math.abs(fmr - fnmr);
      eer = { threshold: round(t, 4), fmr, fnmr };
    }
  }

  return {
    genuinePairs: genuine.length,
    genuinePairsSkippedNoFace: skippedGenuine,
    genuinePairsAllSameIdentity: allGenuineCount,
    impostorPairsCsv: pairsImpostor.length,
    impostorPairsCsvSkippedNoFace: skippedImpostor,
    impostorPairsAll: allImpostor.length,
    genuineDistance: summarizeDistances(genuine),
    impostorDistance: summarizeDistances(allImpostor),
    atFmr,
    fixed,
    eer,
  };
}

function summarizeDistances(values: number[]) {
  return {
    min: round(Math.min(...values), 4),
    median: round(percentile(values, 50), 4),
    max: round(Math.max(...values), 4),
  };
}

// ---------------------------------------------------------------- identification (1:N)

interface Probe {
  path: string;
  identity: string;
  descriptor: Float32Array;
}

function buildGallery(described: ImageDescriptor[], distractors: Distractor[]) {
  const found = withFace(described);
  const enrolled = new Map<string, Described>();
  for (const d of found) {
    if (!enrolled.has(d.image.identity)) enrolled.set(d.image.identity, d);
  }
  const gallery: GalleryEntry<string>[] = [...enrolled.values()].map((d) => ({
    key: d.image.identity,
    descriptors: [d.descriptor],
  }));
  const fill = distractors.slice(0, Math.max(0, GALLERY_SIZE - gallery.length));
  gallery.push(...fill.map((d) => ({ key: d.key, descriptors: [d.descriptor] })));
  const galleryPaths = new Set([...enrolled.values()].map((d) => d.image.path));
  const probes: Probe[] = found
    .filter((d) => !galleryPaths.has(d.image.path))
    .map((d) => ({ path: d.image.path, identity: d.image.identity, descriptor: d.descriptor }));
  const probesNoFace = described.filter((d) => !d.descriptor && !galleryPaths.has(d.image.path)).length;
  return {
    gallery,
    galleryPaths,
    enrolledIdentities: enrolled.size,
    distractorsUsed: fill.length,
    probes,
    probesNoFace,
  };
}

function identification(gallery: GalleryEntry<string>[], probes: Probe[]) {
  const rank1 = probes.filter((p) => rankGallery(p.descriptor, gallery)[0]?.key === p.identity).length;
  const grid = MATCH_GRID.map((thresholds) => {
    let correct = 0;
    let wrong = 0;
    let rejectDistance = 0;
    let rejectMargin = 0;
    let unenrolledAccepts = 0;
    for (const probe of probes) {
      const decision = decideMatch(probe.descriptor, gallery, thresholds);
      if (decision.kind === 'match') {
        if (decision.best.key === probe.identity) correct++;
        else wrong++;
      } else if (decision.reason === 'margin_below_threshold') rejectMargin++;
      else rejectDistance++;
      // the same person when not enrolled (e.g. no appointment now): any accept is a false positive
      const others = gallery.filter((g) => g.key !== probe.identity);
      if (decideMatch(probe.descriptor, others, thresholds).kind === 'match') unenrolledAccepts++;
    }
    const n = probes.length;
    return {
      ...thresholds,
      correctAccept: rate(correct, n),
      wrongAccept: rate(wrong, n),
      reject: rate(rejectDistance + rejectMargin, n),
      rejectByDistance: rate(rejectDistance, n),
      rejectByMargin: rate(rejectMargin, n),
      unenrolledFalseAccept: rate(unenrolledAccepts, n),
    };
  });
  return { probes: probes.length, rank1: rate(rank1, probes.length), grid };
}

// ---------------------------------------------------------------- timing on kiosk frames

type PipelineName = 'tiny' | 'ssd' | 'stock';
type Outcome = 'correct' | 'wrong' | 'no_match' | 'no_face';

interface FrameRun {
  /** Milliseconds per stage; `faceapi` is the stock call (detect + landmarks + descriptor). */
  stages: Record<string, number>;
  total: number;
  outcome: Outcome;
}

interface TimingFrame {
  path: string;
  identity: string;
  jpeg: Buffer;
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

async function timing(engine: FaceEngine, frames: TimingFrame[], gallery: GalleryEntry<string>[]) {
  const faceapi = loadSameFaceApi(engine);
  const pipelines = makePipelines(engine, faceapi, gallery);
  const names: PipelineName[] = ['tiny', 'ssd', 'stock'];

  for (const frame of frames.slice(0, WARMUP_FRAMES)) {
    for (const name of names) await pipelines[name](frame);
  }
  // memory() exists at run time but is missing from face-api's trimmed `tf` typings
  const tf = faceapi.tf as unknown as { memory(): { numTensors: number } };
  const tensorsBefore = tf.memory().numTensors;
  const runs: Record<PipelineName, FrameRun[]> = { tiny: [], ssd: [], stock: [] };
  for (const [i, frame] of frames.entries()) {
    const k = i % names.length;
    for (const name of [...names.slice(k), ...names.slice(0, k)])
      runs[name].push(await pipelines[name](frame));
  }
  const tensorsLeaked = tf.memory().numTensors - tensorsBefore;

  // Stage figures over the frames where every pipeline found a face, so the three are comparable.
  const common = frames.map((_, i) => names.every((n) => runs[n][i]?.outcome !== 'no_face'));
  const pipelineSummary = (name: PipelineName) => {
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
    frames: frames.length,
    warmupFrames: WARMUP_FRAMES,
    framesWithFaceInAllPipelines: common.filter(Boolean).length,
    matchThresholds: DEFAULT_MATCH,
    galleryEntries: gallery.length,
    tensorsLeaked,
    pipelines: {
      tiny: pipelineSummary('tiny'),
      ssd: pipelineSummary('ssd'),
      stock: pipelineSummary('stock'),
    },
    perFrame: frames.map((f, i) => ({
      path: f.path,
      ...Object.fromEntries(
        names.map((n) => {
          const r = runs[n][i];
          return [n, { total: round(r?.total ?? NaN, 1), outcome: r?.outcome }];
        }),
      ),
    })),
  };
}

/** `count` items spread evenly over `items`, first included. */
function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const picked = new Set(Array.from({ length: count }, (_, i) => Math.floor((i * items.length) / count)));
  return items.filter((_, i) => picked.has(i));
}

// ---------------------------------------------------------------- report

type Report = Awaited<ReturnType<typeof runBenchmark>>;

function markdownSummary(r: Report): string {
  const lines: string[] = [];
  const t = r.timing;
  const cell = (s: Summary | undefined) => (s ? `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}` : '—');
  lines.push(
    `### Frame → candidate, ms (median / p95), ${t.framesWithFaceInAllPipelines} frames with a face in all three pipelines`,
    '',
    `| stage | ours, tiny ${TINY_INPUT_SIZE} (score ≥ ${TINY_MIN_SCORE}) | ours, SSD | face-api stock (SSD) |`,
    '|---|---|---|---|',
  );
  const p = t.pipelines;
  for (const stage of ['decode', 'detect', 'landmarks', 'descriptor', 'faceapi', 'match', 'total']) {
    const label = stage === 'faceapi' ? 'detect + landmarks + descriptor' : stage;
    lines.push(
      `| ${label} | ${cell(p.tiny.stages[stage])} | ${cell(p.ssd.stages[stage])} | ${cell(p.stock.stages[stage])} |`,
    );
  }
  lines.push(
    '',
    `Outcome per frame (${t.frames} frames, decideMatch max distance ${DEFAULT_MATCH.maxDistance}, min margin ${DEFAULT_MATCH.minMargin}, gallery ${t.galleryEntries}):`,
    '',
    '| pipeline | correct | wrong | no match | no face |',
    '|---|---|---|---|---|',
  );
  for (const name of ['tiny', 'ssd', 'stock'] as const) {
    const o = p[name].outcomes;
    lines.push(`| ${name} | ${o.correct} | ${o.wrong} | ${o.no_match} | ${o.no_face} |`);
  }

  const v = r.verification;
  lines.push(
    '',
    `### Verification (1:1): ${v.genuinePairs} genuine pairs, ${v.impostorPairsAll} impostor pairs (all different-identity pairs)`,
    '',
    '| operating point | threshold | FNMR | FMR |',
    '|---|---|---|---|',
  );
  for (const a of v.atFmr) {
    lines.push(
      `| FMR ≤ ${pct(a.targetFmr)} | ${a.threshold.toFixed(4)} | ${pct(a.fnmr)} | ${pct(a.fmr, 2)} |`,
    );
  }
  lines.push(`| EER | ${v.eer.threshold.toFixed(4)} | ${pct(v.eer.fnmr)} | ${pct(v.eer.fmr, 2)} |`);
  lines.push(
    '',
    '| threshold | FNMR | FMR (all impostor pairs) | FMR (pairs.csv impostors) |',
    '|---|---|---|---|',
  );
  for (const f of v.fixed) {
    lines.push(`| ${f.threshold} | ${pct(f.fnmr)} | ${pct(f.fmrAllPairs, 2)} | ${pct(f.fmrPairsCsv, 2)} |`);
  }

  const id = r.identification;
  lines.push(
    '',
    `### Identification (1:N): gallery ${id.galleryEntries} (${id.enrolledIdentities} enrolled + ${id.distractors} distractors), ${id.probes} probes`,
    '',
    `Rank-1: ${pct(id.rank1)}`,
    '',
    '| max distance | min margin | correct accept | wrong accept | reject (distance / margin) | not enrolled: false accept |',
    '|---|---|---|---|---|---|',
  );
  for (const g of id.grid) {
    lines.push(
      `| ${g.maxDistance} | ${g.minMargin} | ${pct(g.correctAccept)} | ${pct(g.wrongAccept)} | ${pct(g.reject)} (${pct(g.rejectByDistance)} / ${pct(g.rejectByMargin)}) | ${pct(g.unenrolledFalseAccept)} |`,
    );
  }

  const d = r.detection;
  lines.push(
    '',
    `### Detection on the original images (SSD, min score 0.5): ${d.images} images`,
    '',
    `No face at default settings: ${d.noFaceWithoutBorder} (${Object.entries(d.noFaceWithoutBorderBySource)
      .map(([s, n]) => `${s} ${n}`)
      .join(
        ', ',
      )}); still none with the 50 % border: ${d.noFaceWithBorder} (${d.noFaceWithBorderPaths.join(', ') || 'none'}).`,
  );
  return lines.join('\n');
}

async function runBenchmark() {
  const started = performance.now();
  const { images, pairs } = loadDataset();
  const engine = await createFaceEngine(DEFAULT_MODELS_DIR);
  console.log(`face bench: backend ${engine.info.backend}, ${images.length} images in ${FACES_DIR}`);

  console.log('describing the original images (SSD, border retry)…');
  const described = await describeOriginals(engine, images);
  const distractors = await describeDistractors(engine);

  const noFaceWithoutBorder = described.filter((d) => d.padded);
  const noFaceWithBorder = described.filter((d) => !d.descriptor);
  const bySource: Record<string, number> = {};
  for (const d of noFaceWithoutBorder) bySource[d.image.source] = (bySource[d.image.source] ?? 0) + 1;

  const g = buildGallery(described, distractors);
  const distractorDistances = distractors.flatMap((a, i) =>
    distractors.slice(i + 1).map((b) => euclideanDistance(a.descriptor, b.descriptor)),
  );
  const distractorToDev = distractors.flatMap((a) =>
    withFace(described).map((b) => euclideanDistance(a.descriptor, b.descriptor)),
  );
  const verificationResult = verification(described, pairs);
  const identificationResult = identification(g.gallery, g.probes);

  console.log(`building frames and timing up to ${TIMED_FRAMES} frames × 3 pipelines…`);
  const probePaths = new Set(g.probes.map((p) => p.path));
  const candidates = images.filter((im) => probePaths.has(im.path));
  const frames: TimingFrame[] = [];
  for (const image of evenlySpaced(candidates, TIMED_FRAMES)) {
    frames.push({ path: image.path, identity: image.identity, jpeg: await makeFrame(image) });
  }
  const timingResult = await timing(engine, frames, g.gallery);

  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    command: 'npm run bench',
    durationSeconds: round((performance.now() - started) / 1000, 1),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      availableParallelism: os.availableParallelism(),
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
    },
    engine: engine.info,
    dataset: {
      dir: '../shared/faces',
      images: images.length,
      identities: new Set(images.map((im) => im.identity)).size,
      pairsCsv: pairs.length,
    },
    frames: {
      width: FRAME.width,
      height: FRAME.height,
      jpegQuality: FRAME.quality,
      tightCropBorder: 0.5,
      selection: `${frames.length} of the ${candidates.length} probe images, evenly spaced in labels.csv order`,
    },
    detection: {
      images: described.length,
      noFaceWithoutBorder: noFaceWithoutBorder.length,
      noFaceWithoutBorderBySource: bySource,
      noFaceWithBorder: noFaceWithBorder.length,
      noFaceWithBorderPaths: noFaceWithBorder.map((d) => d.image.path),
    },
    timing: timingResult,
    verification: verificationResult,
    identification: {
      galleryEntries: g.gallery.length,
      enrolledIdentities: g.enrolledIdentities,
      distractors: g.distractorsUsed,
      distractorsFound: distractors.length,
      distractorSource: '@vladmandic/face-api demo/sample*.jpg, every detected face',
      // identities of the demo faces are unknown; these show none is close to a dev image or (likely) to another
      distractorMinPairDistance: distractorDistances.length
        ? round(Math.min(...distractorDistances), 4)
        : null,
      distractorMinDistanceToDevImages: distractorToDev.length
        ? round(Math.min(...distractorToDev), 4)
        : null,
      galleryImages: [...g.galleryPaths],
      probesWithoutFace: g.probesNoFace,
      ...identificationResult,
    },
  };
}

const report = await runBenchmark();
fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
fs.writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
console.log('');
console.log(
  `## Face benchmark, ${report.date.slice(0, 10)}: ${report.machine.cpu}, ${report.machine.cores} cores, ` +
    `Node ${report.machine.node}, backend ${report.engine.backend} (face-api ${report.engine.faceApiVersion}, tfjs ${report.engine.tfjsVersion})`,
);
console.log('');
console.log(markdownSummary(report));
console.log('');
console.log(`wrote ${path.relative(REPO_ROOT, RESULTS_FILE)} in ${report.durationSeconds} s`);
