/**
 * Runner of the open-set identification pass (`identification-open.ts` holds the pure rules and
 * metrics): enrols the dev identities as the desk does, makes kiosk frame sequences of every dev photo,
 * analyses them with the kiosk's detector settings (and alternatives), chooses the face with the
 * product's rule (`selectFace`), and scores mated and non-mated searches per decision rule, at the
 * measured gallery (~50 identities) and extrapolated to 500; then the same for windows of the real
 * recorded clip. Protocol and caveats: `docs/benchmarks.md`, "Face check-in", section 4.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AnalyzeOptions, FaceEngine } from '../../server/clinic/face/engine.ts';
import { mulberry32 } from '../../server/clinic/simulation/rng.ts';
import { selectFace } from '../../server/domain/face-frame.ts';
import { qualityProblem } from '../../server/domain/face-quality.ts';
import type { FaceSelection } from '../../server/domain/face-frame.ts';
import { identityDistances, meanDescriptor } from '../../server/domain/matching.ts';
import type { FlatGallery } from '../../server/domain/matching.ts';
import { DEFAULT_SETTINGS } from '../../server/domain/settings.ts';
import { DEFAULT_MATCH, FACES_DIR, TINY_INPUT_SIZE, TINY_MIN_SCORE } from './config.ts';
import type { LabelledImage } from './dataset.ts';
import { ORIGINAL_OPTIONS } from './describe.ts';
import type { ImageDescriptor } from './describe.ts';
import {
  extrapolateSearch,
  ftaCounts,
  pointAt,
  RULE_NAMES,
  ruleCandidate,
  thresholdForFpir,
  thresholdGrid,
  withoutOwnIdentity,
} from './identification-open.ts';
import type { OpenSetPoint, RuleName, RuleOptions, Scored, Search } from './identification-open.ts';
import { kioskSequence, SEQUENCE_FRAMES } from './kiosk-sequence.ts';
import { splitMjpeg } from './liveness-landmarks.ts';
import type { Distractor } from './metrics.ts';
import { round, summarize, summarizeDistances } from './metrics.ts';

/** Identities with at least this many images are enrolled from their first images; the rest are probes. */
export const MIN_IMAGES_TO_ENROL = 4;
/** Enrolment photos per identity compared: 1 (one template) vs 3 (three templates). */
export const TEMPLATE_COUNTS = [1, 3] as const;
/** Photos reserved for enrolment (the first ones of each enrolled identity). */
export const ENROL_IMAGES = 3;
/** Measured gallery size, and the extrapolated one. */
export const GALLERY_SIZES = [50, 500] as const;
/** Target FPIR (issue 14). */
export const TARGET_FPIR = 0.005;
/** Margins tried (faceMinMargin). */
export const MARGINS = [0, 0.03, 0.05] as const;
/** maxDistance grid for the threshold search. */
export const DISTANCE_GRID = thresholdGrid(0.3, 0.8, 0.005);
/** Repeats of the extrapolation to 500 (each a fresh seeded draw of every search's impostors). */
export const EXTRAPOLATION_REPEATS = 10;
export const EXTRAPOLATION_SEED = 500;
/** The rules' parameters: the kiosk's sequence (`livenessMinFrames`), at least 3 usable frames to fuse. */
export const RULE_OPTIONS: RuleOptions = {
  streakFrames: DEFAULT_SETTINGS.livenessMinFrames,
  minUsableFrames: 3,
};
/** The live clip, its enrolment photo (shared/faces/README.md) and the window steps (frames at 30 fps). */
export const LIVE_CLIP = 'video/live_lin_manuel_miranda.mjpeg';
export const LIVE_ENROL = 'video/lin-manuel-miranda.png';
export const LIVE_STEPS = [1, 2, 3] as const;

/** A kiosk detector setting compared for failures to acquire. */
export interface DetectorSetting {
  name: string;
  options: AnalyzeOptions;
}
const TINY: AnalyzeOptions = {
  detector: 'tiny',
  tinyInputSize: TINY_INPUT_SIZE,
  minScore: TINY_MIN_SCORE,
  maxFaces: 1,
};
/** The shipped setting first. The retry only re-runs frames where the shipped setting found no box. */
export const DETECTOR_SETTINGS: DetectorSetting[] = [
  { name: `tiny ${TINY_INPUT_SIZE} / ${TINY_MIN_SCORE}`, options: TINY },
  { name: `tiny 416 / ${TINY_MIN_SCORE}`, options: { ...TINY, tinyInputSize: 416 } },
  {
    name: `tiny ${TINY_INPUT_SIZE} / ${TINY_MIN_SCORE} + border retry`,
    options: { ...TINY, padIfNone: true },
  },
];

/** One analysed frame: `selectFace`'s verdict and the chosen face's descriptor (null unless usable). */
export interface FrameFace {
  selection: FaceSelection['kind'];
  descriptor: Float32Array | null;
  /** Boxes found (any size), to know when the border retry applies. */
  boxes: number;
  ms: number;
}

async function analyzeFrame(
  engine: FaceEngine,
  jpeg: Uint8Array,
  options: AnalyzeOptions,
): Promise<FrameFace> {
  const t = performance.now();
  const result = await engine.analyze(jpeg, options);
  const sel = selectFace(result.faces, DEFAULT_SETTINGS.faceMinSizePx);
  const face = sel.kind === 'face' ? result.faces[sel.index] : undefined;
  const descriptor = face && face.descriptor.length > 0 ? face.descriptor : null;
  return {
    selection: descriptor ? 'face' : sel.kind === 'face' ? 'no_face' : sel.kind,
    descriptor,
    boxes: result.faces.length,
    ms: performance.now() - t,
  };
}

/** An identity of a gallery with its templates (descriptors). */
interface GalleryIdentity {
  key: string;
  templates: Float32Array[];
}

function flatGallery(identities: readonly GalleryIdentity[]): FlatGallery {
  const dim = 128;
  const rows = identities.reduce((s, i) => s + i.templates.length, 0);
  const data = new Float32Array(rows * dim);
  const identity = new Int32Array(rows);
  let r = 0;
  identities.forEach((id, k) => {
    for (const t of id.templates) {
      data.set(t, r * dim);
      identity[r++] = k;
    }
  });
  return { data, identity, rows, dim, identityCount: identities.length };
}

/**
 * The desk's check of an enrolment photo, as `enrol` does it (SSD, border retry; `selectFace` at
 * faceMinSizePx; `qualityProblem` of the face's measured quality, when the engine measured it).
 */
function enrolable(d: ImageDescriptor): Float32Array | null {
  if (!d.descriptor) return null;
  const sel = selectFace(
    d.boxes.map((box) => ({ box })),
    DEFAULT_SETTINGS.faceMinSizePx,
  );
  if (sel.kind !== 'face' || sel.index !== 0) return null;
  return d.quality && qualityProblem(d.quality) ? null : d.descriptor;
}

/** Per (rule, margin): the point at the target FPIR and at the shipped maxDistance. */
function sweep(searches: readonly Search[]) {
  return RULE_NAMES.flatMap((rule) =>
    MARGINS.map((minMargin) => {
      const scored = score(searches, rule, minMargin);
      return {
        rule,
        minMargin,
        atTarget: thresholdForFpir(scored, minMargin, TARGET_FPIR, DISTANCE_GRID),
        atTargetNoWrong: thresholdForFpir(scored, minMargin, TARGET_FPIR, DISTANCE_GRID, 0),
        atDefaultDistance: pointAt(scored, DEFAULT_MATCH.maxDistance, minMargin),
      };
    }),
  );
}

const score = (searches: readonly Search[], rule: RuleName, m: number): Scored[] =>
  searches.map((s) => ({ mated: s.mated, candidate: ruleCandidate(s, rule, m, RULE_OPTIONS) }));

function searchOf(frames: readonly FrameFace[], flat: FlatGallery, mated: number): Search {
  const usable = frames.map((f) => f.descriptor).filter((d): d is Float32Array => d !== null);
  const mean = usable.length >= RULE_OPTIONS.minUsableFrames ? meanDescriptor(usable) : null;
  return {
    frames: frames.map((f) => (f.descriptor ? identityDistances(f.descriptor, flat) : null)),
    meanDescriptor: mean ? identityDistances(mean, flat) : null,
    mated,
  };
}

function extrapolated(searches: readonly Search[], size: number, repeats: number, seed: number): Search[] {
  const out: Search[] = [];
  for (let r = 0; r < repeats; r++) {
    const rnd = mulberry32(seed + r);
    for (const s of searches) out.push(extrapolateSearch(s, size, rnd));
  }
  return out;
}

/** A result row: one detector, template count, gallery size, rule and margin. */
export interface OpenSetRow {
  detector: string;
  templates: number;
  gallery: number;
  rule: RuleName;
  minMargin: number;
  /** The largest maxDistance of the grid meeting TARGET_FPIR (null: none does). */
  atTarget: OpenSetPoint | null;
  /** The same with no mated search returning a wrong identity either. */
  atTargetNoWrong: OpenSetPoint | null;
  /** At the shipped maxDistance (0.55) with this row's margin. */
  atDefaultDistance: OpenSetPoint;
}

/** Why frames had no usable face, by `selectFace` verdict, overall and for tight crops. */
function ftaBreakdown(sequences: readonly { source: string; frames: readonly FrameFace[] }[]) {
  const counts = ftaCounts(
    sequences.map((s) => s.frames.map((f) => f.descriptor !== null)),
    RULE_OPTIONS.minUsableFrames,
  );
  const byReason: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  let firstFrame = 0;
  for (const s of sequences) {
    if (!s.frames[0]?.descriptor) firstFrame++;
    for (const f of s.frames) {
      if (f.descriptor) continue;
      byReason[f.selection] = (byReason[f.selection] ?? 0) + 1;
      bySource[s.source] = (bySource[s.source] ?? 0) + 1;
    }
  }
  const sequencesNotAllUsable = sequences.filter((s) => s.frames.some((f) => !f.descriptor)).length;
  return {
    ...counts,
    firstFrameFta: firstFrame,
    sequencesNotAllUsable,
    byReason,
    bySource,
    ms: summarize(sequences.flatMap((s) => s.frames.map((f) => f.ms))),
  };
}

/**
 * The scoring part of the pass (no engine): face.json `openSet`. `described` are the originals from
 * `describeOriginals` (SSD, border retry = `enrol`'s analysis), which give the enrolment templates;
 * `distractors` fill the gallery to 50; `analysed` comes from `analyseOpenSet` on the same `images`.
 * `progress` receives one line per stage.
 */
export function scoreOpenSet(
  images: readonly LabelledImage[],
  described: readonly ImageDescriptor[],
  distractors: readonly Distractor[],
  analysed: OpenSetAnalysis,
  progress: (line: string) => void,
) {
  const started = performance.now();
  // ---- A. enrolment
  const byIdentity = new Map<string, ImageDescriptor[]>();
  for (const d of described) byIdentity.set(d.identity, [...(byIdentity.get(d.identity) ?? []), d]);
  const enrolled = [...byIdentity.keys()].filter((k) => byIdentity.get(k)!.length >= MIN_IMAGES_TO_ENROL);
  const others = [...byIdentity.keys()].filter((k) => !enrolled.includes(k));
  const rejectedEnrolmentImages: string[] = [];
  const templatesOf = (identity: string, n: number, from: number) => {
    const list = byIdentity.get(identity)!.slice(0, from);
    const ok = list.filter((d) => {
      const e = enrolable(d);
      if (!e && !rejectedEnrolmentImages.includes(d.path)) rejectedEnrolmentImages.push(d.path);
      return e !== null;
    });
    return ok.slice(0, n).map((d) => d.descriptor!);
  };
  const galleries = TEMPLATE_COUNTS.map((n) => {
    const ids: GalleryIdentity[] = [
      ...enrolled.map((key) => ({ key, templates: templatesOf(key, n, ENROL_IMAGES) })),
      // identities with fewer photos: enrolled from their first acceptable photo, as gallery members only
      ...others.map((key) => ({ key, templates: templatesOf(key, 1, Infinity) })),
    ].filter((i) => i.templates.length > 0);
    const fill = distractors.slice(0, Math.max(0, GALLERY_SIZES[0] - ids.length));
    ids.push(...fill.map((d) => ({ key: d.key, templates: [d.descriptor] })));
    return { templates: n, identities: ids, flat: flatGallery(ids) };
  });
  const matedPaths = new Set(
    enrolled.flatMap((k) =>
      byIdentity
        .get(k)!
        .slice(ENROL_IMAGES)
        .map((d) => d.path),
    ),
  );

  const perSetting = analysed.sequences;
  const fta = DETECTOR_SETTINGS.map((setting, k) => ({
    detector: setting.name,
    options: setting.options,
    all: ftaBreakdown(images.map((im, i) => ({ source: im.source, frames: perSetting[k]![i]! }))),
    matedProbes: ftaBreakdown(
      images
        .map((im, i) => ({ source: im.source, frames: perSetting[k]![i]!, path: im.path }))
        .filter((s) => matedPaths.has(s.path)),
    ),
  }));

  // ---- D. searches and metrics, per detector and enrolment
  const rows: OpenSetRow[] = [];
  const measuredBy = new Map<string, Search[]>();
  const modelCheck: {
    detector: string;
    templates: number;
    rule: RuleName;
    measured: OpenSetPoint;
    model: OpenSetPoint;
  }[] = [];
  const searchCounts = { mated: 0, nonMated: 0 };
  for (const [k, setting] of DETECTOR_SETTINGS.entries()) {
    for (const g of galleries) {
      const column = new Map(g.identities.map((id, c) => [id.key, c]));
      const mated: Search[] = [];
      const nonMated: Search[] = [];
      images.forEach((im, i) => {
        const isMated = matedPaths.has(im.path);
        // an enrolled identity whose enrolment photos were all refused has no column: a sure miss
        const own = column.get(im.identity) ?? (isMated ? g.identities.length : -1);
        const s = searchOf(perSetting[k]![i]!, g.flat, own);
        if (isMated) mated.push(s);
        nonMated.push(withoutOwnIdentity(s));
      });
      searchCounts.mated = mated.length;
      searchCounts.nonMated = nonMated.length;
      const measured = [...mated, ...nonMated];
      measuredBy.set(`${setting.name}|${g.templates}`, measured);
      const big = extrapolated(measured, GALLERY_SIZES[1], EXTRAPOLATION_REPEATS, EXTRAPOLATION_SEED);
      for (const [size, searches] of [
        [g.identities.length, measured],
        [GALLERY_SIZES[1], big],
      ] as const) {
        for (const r of sweep(searches)) {
          rows.push({ detector: setting.name, templates: g.templates, gallery: size, ...r });
        }
      }
      // check of the model: extrapolate to the measured size and compare with the measurement
      if (k === 0) {
        const same = extrapolated(measured, g.identities.length, EXTRAPOLATION_REPEATS, EXTRAPOLATION_SEED);
        const { maxDistance: t, minMargin: m } = DEFAULT_MATCH;
        for (const rule of RULE_NAMES) {
          modelCheck.push({
            detector: setting.name,
            templates: g.templates,
            rule,
            measured: pointAt(score(measured, rule, m), t, m),
            model: pointAt(score(same, rule, m), t, m),
          });
        }
      }
    }
    progress(`  scored ${setting.name}`);
  }

  // recommended: among the settings the kiosk has (not the retry, which needs a code change), the lowest
  // FNMR at gallery 500 with FPIR ≤ target and no wrong identity, checked at the measured gallery too;
  // ties: more templates, then the larger margin
  const settable = DETECTOR_SETTINGS.filter((s) => !s.options.padIfNone).map((s) => s.name);
  const at50 = (r: OpenSetRow, t: number) =>
    pointAt(score(measuredBy.get(`${r.detector}|${r.templates}`)!, r.rule, r.minMargin), t, r.minMargin);
  const ranked = rows
    .filter((r) => r.gallery === GALLERY_SIZES[1] && r.atTargetNoWrong && settable.includes(r.detector))
    .map((r) => ({ row: r, point: r.atTargetNoWrong!, g50: at50(r, r.atTargetNoWrong!.maxDistance) }))
    .filter((x) => x.g50.fpir <= TARGET_FPIR && x.g50.wrongIdentity === 0)
    .sort(
      (a, b) =>
        a.point.fnmr - b.point.fnmr || b.row.templates - a.row.templates || b.row.minMargin - a.row.minMargin,
    );
  const best = ranked[0];
  const recommended = best
    ? {
        detector: best.row.detector,
        templates: best.row.templates,
        rule: best.row.rule,
        maxDistance: best.point.maxDistance,
        minMargin: best.row.minMargin,
        gallery500: best.point,
        gallery50: best.g50,
      }
    : null;
  // the product's rule (fused) at the shipped detector, for the doc's comparison
  const fusedShipped = ranked.find(
    (x) => x.row.rule === 'fused' && x.row.detector === DETECTOR_SETTINGS[0]!.name,
  );
  const recommendedShippedFused = fusedShipped
    ? {
        detector: fusedShipped.row.detector,
        templates: fusedShipped.row.templates,
        rule: fusedShipped.row.rule,
        maxDistance: fusedShipped.point.maxDistance,
        minMargin: fusedShipped.row.minMargin,
        gallery500: fusedShipped.point,
        gallery50: fusedShipped.g50,
      }
    : null;

  const clipPoints: ClipPoint[] = [
    { name: 'defaults', detector: DETECTOR_SETTINGS[0]!.name, ...DEFAULT_MATCH },
    ...[
      ['recommended', recommended],
      ['fused, shipped detector', recommendedShippedFused],
    ].flatMap(([name, r]) =>
      r && typeof r === 'object'
        ? [{ name: name as string, detector: r.detector, maxDistance: r.maxDistance, minMargin: r.minMargin }]
        : [],
    ),
  ];
  const live = liveClipScores(analysed.live, galleries.at(-1)!.identities, clipPoints);

  return {
    protocol: {
      enrolledIdentities: enrolled.length,
      galleryMembersOnly: others.length,
      distractors: galleries[0]!.identities.length - enrolled.length - others.length,
      galleryIdentities: galleries.map((g) => ({
        templates: g.templates,
        identities: g.identities.length,
        rows: g.flat.rows,
      })),
      rejectedEnrolmentImages,
      matedSearches: searchCounts.mated,
      nonMatedSearches: searchCounts.nonMated,
      framesPerSequence: SEQUENCE_FRAMES,
      ruleOptions: RULE_OPTIONS,
      faceMinSizePx: DEFAULT_SETTINGS.faceMinSizePx,
      targetFpir: TARGET_FPIR,
      margins: [...MARGINS],
      distanceGrid: { from: DISTANCE_GRID[0], to: DISTANCE_GRID.at(-1), step: 0.005 },
      extrapolation: {
        size: GALLERY_SIZES[1],
        repeats: EXTRAPOLATION_REPEATS,
        seed: EXTRAPOLATION_SEED,
        method:
          'per search: mated column kept, other identities drawn with replacement from its own impostor columns, each shifted by N(0, h²), h = Silverman bandwidth of its impostors’ mean distances',
      },
      defaults: DEFAULT_MATCH,
    },
    fta,
    rows,
    modelCheck,
    recommended,
    recommendedShippedFused,
    live,
    analysisSeconds: analysed.seconds,
    scoringSeconds: round((performance.now() - started) / 1000, 1),
  };
}

/** face.json `openSet`. */
export type OpenSetResult = ReturnType<typeof scoreOpenSet>;

/** Per detector setting (DETECTOR_SETTINGS order), per image, the analysed frames of its sequence. */
export interface OpenSetAnalysis {
  sequences: FrameFace[][][];
  live: { template: Float32Array; frames: FrameFace[][] };
  seconds: number;
}

/**
 * The engine's part of the pass: the kiosk sequence of every image analysed with every
 * DETECTOR_SETTINGS entry (the border retry re-runs only frames where the shipped setting found no box,
 * which is what `analyze` does), and the live clip with each setting, enrolled from LIVE_ENROL.
 * @throws when an image or the clip cannot be read, or the clip's enrolment photo has no usable face
 */
export async function analyseOpenSet(
  engine: FaceEngine,
  images: readonly LabelledImage[],
  progress: (line: string) => void,
): Promise<OpenSetAnalysis> {
  const started = performance.now();
  const perSetting: FrameFace[][][] = DETECTOR_SETTINGS.map(() => []);
  let next = kioskSequence(images[0]!);
  for (let i = 0; i < images.length; i++) {
    const frames = await next;
    if (i + 1 < images.length) next = kioskSequence(images[i + 1]!); // overlaps sharp with inference
    const base: FrameFace[] = [];
    const wide: FrameFace[] = [];
    const retry: FrameFace[] = [];
    for (const jpeg of frames) {
      const a = await analyzeFrame(engine, jpeg, DETECTOR_SETTINGS[0]!.options);
      base.push(a);
      wide.push(await analyzeFrame(engine, jpeg, DETECTOR_SETTINGS[1]!.options));
      // engine.analyze retries with the border only when no box at all was found: same as re-running it
      retry.push(a.boxes === 0 ? await analyzeFrame(engine, jpeg, DETECTOR_SETTINGS[2]!.options) : a);
    }
    perSetting[0]!.push(base);
    perSetting[1]!.push(wide);
    perSetting[2]!.push(retry);
    if ((i + 1) % 40 === 0) progress(`  ${i + 1} / ${images.length} sequences analysed`);
  }
  progress('  live clip…');
  const enrolResult = await engine.analyze(
    fs.readFileSync(path.join(FACES_DIR, LIVE_ENROL)),
    ORIGINAL_OPTIONS,
  );
  const sel = selectFace(enrolResult.faces, DEFAULT_SETTINGS.faceMinSizePx);
  const template = sel.kind === 'face' ? enrolResult.faces[sel.index]?.descriptor : undefined;
  if (!template || template.length === 0) throw new Error(`no usable face in ${LIVE_ENROL}`);
  const liveFrames: FrameFace[][] = DETECTOR_SETTINGS.map(() => []);
  for (const jpeg of splitMjpeg(fs.readFileSync(path.join(FACES_DIR, LIVE_CLIP)))) {
    const a = await analyzeFrame(engine, jpeg, DETECTOR_SETTINGS[0]!.options);
    liveFrames[0]!.push(a);
    liveFrames[1]!.push(await analyzeFrame(engine, jpeg, DETECTOR_SETTINGS[1]!.options));
    liveFrames[2]!.push(a.boxes === 0 ? await analyzeFrame(engine, jpeg, DETECTOR_SETTINGS[2]!.options) : a);
  }
  return {
    sequences: perSetting,
    live: { template, frames: liveFrames },
    seconds: round((performance.now() - started) / 1000, 1),
  };
}

/** `analyseOpenSet` then `scoreOpenSet`: face.json `openSet`. */
export async function openSetPass(
  engine: FaceEngine,
  images: readonly LabelledImage[],
  described: readonly ImageDescriptor[],
  distractors: readonly Distractor[],
  progress: (line: string) => void,
): Promise<OpenSetResult> {
  const analysed = await analyseOpenSet(engine, images, progress);
  return scoreOpenSet(images, described, distractors, analysed, progress);
}

/** An operating point to evaluate the clip at: its name, detector setting and thresholds. */
interface ClipPoint {
  name: string;
  detector: string;
  maxDistance: number;
  minMargin: number;
}

/**
 * C: the real recorded clip (`LIVE_CLIP`, one person) enrolled from `LIVE_ENROL` (the desk's analysis),
 * in a 50-identity gallery (the person, then `devGallery` minus its last entries), and extrapolated to
 * 500. Every window of SEQUENCE_FRAMES frames taken every `step`-th frame (all start frames) is one mated
 * search; per rule and point (each with its detector setting's frames), FNMR for each step. Per detector:
 * frames without a usable face and the genuine distance per frame (min / median / max).
 */
function liveClipScores(
  analysed: OpenSetAnalysis['live'],
  devGallery: readonly GalleryIdentity[],
  points: readonly ClipPoint[],
) {
  const identities = [
    { key: 'live', templates: [analysed.template] },
    ...devGallery.slice(0, GALLERY_SIZES[0] - 1),
  ];
  const flat = flatGallery(identities);
  const framesOf = (detector: string) =>
    analysed.frames[
      Math.max(
        0,
        DETECTOR_SETTINGS.findIndex((d) => d.name === detector),
      )
    ]!;
  const detectors = DETECTOR_SETTINGS.map((d, k) => {
    const frames = analysed.frames[k]!;
    const found = frames
      .map((f) => (f.descriptor ? identityDistances(f.descriptor, flat)[0]! : null))
      .filter((x): x is number => x !== null);
    return {
      detector: d.name,
      framesWithoutUsableFace: frames.filter((f) => !f.descriptor).length,
      genuineDistance: summarizeDistances(found),
      framesAtMost055: found.filter((x) => x <= 0.55).length,
    };
  });
  const steps = LIVE_STEPS.map((step) => {
    const windowsOf = (frames: readonly FrameFace[]) => {
      const windows: Search[] = [];
      for (let s = 0; s + (SEQUENCE_FRAMES - 1) * step < frames.length; s++) {
        const w = Array.from({ length: SEQUENCE_FRAMES }, (_, i) => frames[s + i * step]!);
        windows.push(searchOf(w, flat, 0));
      }
      return windows;
    };
    const results = points.flatMap((p) => {
      const windows = windowsOf(framesOf(p.detector));
      const big = extrapolated(windows, GALLERY_SIZES[1], EXTRAPOLATION_REPEATS, EXTRAPOLATION_SEED);
      return RULE_NAMES.flatMap((rule) =>
        [
          [identities.length, windows],
          [GALLERY_SIZES[1], big],
        ].map(([gallery, searches]) => ({
          rule,
          point: p.name,
          gallery: gallery as number,
          ...pointAt(score(searches as Search[], rule, p.minMargin), p.maxDistance, p.minMargin),
        })),
      );
    });
    return {
      step,
      windowMs: round(((SEQUENCE_FRAMES - 1) * step * 1000) / 30, 0),
      windows: framesOf(DETECTOR_SETTINGS[0]!.name).length - (SEQUENCE_FRAMES - 1) * step,
      rules: results,
    };
  });
  return {
    clip: LIVE_CLIP,
    enrolledFrom: LIVE_ENROL,
    frames: analysed.frames[0]!.length,
    detectors,
    galleryIdentities: identities.length,
    points,
    steps,
  };
}
