/**
 * Liveness benchmark (issue 14, part 2): does `server/domain/liveness.ts` tell a real head from a flat
 * picture, and what did today's kiosk movement check accept? Run with `npm run bench:liveness`
 * (`--photos N` to change the number of dev photos used, default 16; `--dump FILE` to keep the landmarks); writes `bench/results/liveness.json`
 * and the section "Liveness (`npm run bench:liveness`)" of `docs/benchmarks.md` (replaced in place when
 * it exists, other sections untouched).
 *
 * Sequences (all landmarks from face-api's tiny detector + 68-point net on the WASM backend, the kiosk's
 * detector settings; see `lib/liveness-landmarks.ts`):
 * - genuine: `../shared/faces/video/live_lin_manuel_miranda.mjpeg` (a real recorded person, 97 frames at
 *   30 fps; shared/faces/README.md), cut into overlapping windows. One person only.
 * - attack, clips: `dev_deepface_p13.mjpeg` and `dev_human_emotions_a.mjpeg` (still photos zoomed and
 *   panned by software, per the README), cut into windows the same way.
 * - attack, photos: one photo per identity of the dev set (up to `--photos`, spread over identities),
 *   shown as a print or a phone screen and moved seven ways (`lib/liveness-attacks.ts`), 12 frames each.
 *
 * Windows: 12 frames, every 2nd frame of the 30 fps clips (15 fps, 0.73 s), starting every 2nd frame;
 * a second configuration (12 consecutive frames, 0.37 s) is reported beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIVENESS_THRESHOLDS, assessLiveness } from '../server/domain/liveness.ts';
import { DEFAULT_SETTINGS } from '../server/domain/settings.ts';
import { FACES_DIR, REPO_ROOT } from './lib/config.ts';
import { loadDataset, makeFrame, type LabelledImage } from './lib/dataset.ts';
import { percentile, round } from './lib/metrics.ts';
import { machineInfo } from './lib/report.ts';
import { MEDIA, MOTIONS, makeSheet, motionPose, renderAttackFrame } from './lib/liveness-attacks.ts';
import { createLandmarker, splitMjpeg } from './lib/liveness-landmarks.ts';
import {
  attackSummary,
  evaluate,
  genuineSummary,
  sweep,
  windows,
  type AnalysedFrame,
  type Sequence,
} from './lib/liveness-metrics.ts';
import { markdownSection, writeSection } from './lib/liveness-report.ts';

const RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/liveness.json');
const DOCS_FILE = path.join(REPO_ROOT, 'docs/benchmarks.md');
const LIVE_CLIP = 'live_lin_manuel_miranda';
const ATTACK_CLIPS = ['dev_deepface_p13', 'dev_human_emotions_a'];
const ATTACK_FRAMES = 12;
/** Window configurations: length (frames), step (take every step-th clip frame), stride (start every). */
const WINDOW_CONFIGS = {
  primary: { length: 12, step: 2, stride: 2, label: '12 frames at 15 fps (0.73 s)' },
  consecutive: { length: 12, step: 1, stride: 2, label: '12 consecutive frames at 30 fps (0.37 s)' },
} as const;
const SWEEP_GRID = [0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1];
const BASELINE = {
  sequenceFrames: DEFAULT_SETTINGS.faceSequenceFrames,
  minMovementPx: DEFAULT_SETTINGS.faceMinMovementPx,
};

/** `--dump FILE`: also write every sequence's landmarks (JSON) there, to study the scores without face-api. */
function dumpArg(): string | null {
  const i = process.argv.indexOf('--dump');
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

function photosArg(): number {
  const i = process.argv.indexOf('--photos');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 16;
  if (!Number.isInteger(n) || n < 1) throw new Error('--photos takes a positive integer');
  return n;
}

async function run() {
  const started = performance.now();
  const photoCount = photosArg();
  const lm = await createLandmarker();
  const frameMs: number[] = [];
  const analyse = async (jpeg: Buffer): Promise<AnalysedFrame> => {
    const r = await lm.analyze(jpeg);
    frameMs.push(r.ms);
    return r.face && { landmarks: r.face.landmarks, box: r.face.box, keypoints: r.face.keypoints };
  };
  console.log(`liveness bench: backend ${lm.backend}, faces in ${FACES_DIR}`);

  // ------------------------------------------------------------ clips (genuine and photo-based)
  const clips: Record<string, AnalysedFrame[]> = {};
  for (const name of [LIVE_CLIP, ...ATTACK_CLIPS]) {
    const jpegs = splitMjpeg(fs.readFileSync(path.join(FACES_DIR, 'video', `${name}.mjpeg`)));
    console.log(`  ${name}: ${jpegs.length} frames`);
    const frames: AnalysedFrame[] = [];
    for (const jpeg of jpegs) frames.push(await analyse(jpeg));
    clips[name] = frames;
  }
  const clipSequences = (config: (typeof WINDOW_CONFIGS)[keyof typeof WINDOW_CONFIGS]): Sequence[] =>
    [LIVE_CLIP, ...ATTACK_CLIPS].flatMap((name) =>
      windows(clips[name]!, config.length, config.step, config.stride).map((frames, i) => ({
        id: `${name}#${i * config.stride}`,
        kind: name === LIVE_CLIP ? ('genuine' as const) : ('attack' as const),
        species: name === LIVE_CLIP ? 'live clip' : `clip ${name}`,
        frames,
      })),
    );

  // ------------------------------------------------------------ photo attacks
  const { images } = loadDataset();
  const byIdentity = new Map<string, LabelledImage[]>();
  for (const im of images) byIdentity.set(im.identity, [...(byIdentity.get(im.identity) ?? []), im]);
  const identities = [...byIdentity.keys()];
  const picked = Array.from(
    { length: Math.min(photoCount, identities.length) },
    (_, i) => identities[Math.floor((i * identities.length) / Math.min(photoCount, identities.length))]!,
  );
  const photoSequences: (Sequence & { medium: string; photo: string })[] = [];
  const photosUsed: string[] = [];
  const photosWithoutFace: string[] = [];
  for (const [pi, identity] of picked.entries()) {
    let sheet: Awaited<ReturnType<typeof makeSheet>> | null = null;
    let used: LabelledImage | null = null;
    for (const im of byIdentity.get(identity)!) {
      const frame = await makeFrame(im);
      const found = await lm.analyze(frame);
      if (found.face) {
        sheet = await makeSheet(frame, found.face.box);
        used = im;
        break;
      }
      photosWithoutFace.push(im.path);
    }
    if (!sheet || !used) continue;
    photosUsed.push(used.path);
    for (const [mi, motion] of MOTIONS.entries()) {
      const medium = MEDIA[(pi + mi) % MEDIA.length]!;
      const frames: AnalysedFrame[] = [];
      for (let k = 0; k < ATTACK_FRAMES; k++) {
        const pose = motionPose(motion, k, ATTACK_FRAMES, 1000 * pi + mi);
        frames.push(await analyse(await renderAttackFrame(sheet.sheet, sheet.centre, pose, medium, k)));
      }
      photoSequences.push({
        id: `${used.path}:${motion}:${medium}`,
        kind: 'attack',
        species: `photo ${motion}`,
        medium,
        photo: used.path,
        frames,
      });
    }
    console.log(`  photo ${pi + 1}/${picked.length}: ${used.path}`);
  }

  // ------------------------------------------------------------ evaluation
  const dump = dumpArg();
  if (dump) {
    const all = [
      ...clipSequences(WINDOW_CONFIGS.primary).map((q) => ({ ...q, config: 'primary' })),
      ...clipSequences(WINDOW_CONFIGS.consecutive).map((q) => ({ ...q, config: 'consecutive' })),
      ...photoSequences.map((q) => ({ ...q, config: 'both' })),
    ];
    fs.writeFileSync(dump, JSON.stringify(all));
  }
  const thresholds = DEFAULT_LIVENESS_THRESHOLDS;
  const evaluateAll = (seqs: Sequence[]) => seqs.map((s) => evaluate(s, thresholds, BASELINE));
  const evaluateConfig = (config: (typeof WINDOW_CONFIGS)[keyof typeof WINDOW_CONFIGS]) => {
    const evaluated = evaluateAll([...clipSequences(config), ...photoSequences]);
    return {
      windows: config.label,
      attacks: attackSummary(evaluated),
      genuine: genuineSummary(evaluated),
      sweeps: [sweep(evaluated, 'residual', SWEEP_GRID), sweep(evaluated, 'parallax', SWEEP_GRID)],
      evaluated,
    };
  };
  const results = {
    primary: evaluateConfig(WINDOW_CONFIGS.primary),
    consecutive: evaluateConfig(WINDOW_CONFIGS.consecutive),
  };
  const byMedium = MEDIA.map((medium) => {
    const ids = new Set(photoSequences.filter((s) => s.medium === medium).map((s) => s.id));
    const of = results.primary.evaluated.filter((e) => ids.has(e.id));
    return {
      medium,
      n: of.length,
      live: of.filter((e) => e.decision === 'live').length,
      maxResidual: Math.max(...of.map((e) => e.scores.residual)),
      baselineAccepted: of.filter((e) => e.baselineAccepted).length,
    };
  });

  // cost of one decision on a 12-frame window, µs
  const sample = results.primary.evaluated.length;
  const windowFrames = clipSequences(WINDOW_CONFIGS.primary)[0]!.frames.filter((f) => f !== null);
  const decisionUs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    assessLiveness(windowFrames.map((f) => ({ landmarks: f!.landmarks, box: f!.box })));
    decisionUs.push((performance.now() - t) * 1000);
  }

  const noFace = (frames: AnalysedFrame[]) => frames.filter((f) => f === null).length;
  return {
    date: new Date().toISOString(),
    command: `npm run bench:liveness${photoCount === 16 ? '' : ` -- --photos ${photoCount}`}`,
    durationSeconds: round((performance.now() - started) / 1000, 1),
    machine: machineInfo(),
    engine: { backend: lm.backend, faceApiVersion: lm.faceApiVersion, detector: lm.detector },
    thresholds,
    baseline: {
      description:
        "today's kiosk check: faceSequenceFrames consecutive frames with a face and mean keypoint movement ≥ faceMinMovementPx",
      ...BASELINE,
    },
    sources: {
      genuine: {
        clip: `video/${LIVE_CLIP}.mjpeg`,
        frames: clips[LIVE_CLIP]!.length,
        framesWithoutFace: noFace(clips[LIVE_CLIP]!),
        note: 'one real person (Lin-Manuel Miranda speaking on stage, shared/faces/README.md); windows overlap',
      },
      attackClips: ATTACK_CLIPS.map((name) => ({
        clip: `video/${name}.mjpeg`,
        frames: clips[name]!.length,
        framesWithoutFace: noFace(clips[name]!),
      })),
      attackPhotos: {
        photos: photosUsed.length,
        requested: photoCount,
        identities: identities.length,
        framesPerSequence: ATTACK_FRAMES,
        motions: [...MOTIONS],
        media: [...MEDIA],
        mediumAssignment: 'photo i, motion j → MEDIA[(i + j) mod 2], so each motion has both media',
        framesWithoutFace: photoSequences.reduce((s, q) => s + noFace(q.frames), 0),
        photosUsed,
        photosWithoutFace,
      },
    },
    timing: {
      framesAnalysed: frameMs.length,
      landmarksMsMedian: round(percentile(frameMs, 50), 1),
      landmarksMsP95: round(percentile(frameMs, 95), 1),
      decisionUsMedian: round(percentile(decisionUs, 50), 0),
      sequencesEvaluated: sample,
    },
    byMedium,
    results,
  };
}

const report = await run();
fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
fs.writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
const section = await writeSection(DOCS_FILE, markdownSection(report));
console.log('');
console.log(section);
console.log(
  `wrote ${path.relative(REPO_ROOT, RESULTS_FILE)} and docs/benchmarks.md in ${report.durationSeconds} s`,
);
