/**
 * Pure metric code of the liveness benchmark (no I/O): windows of a frame sequence, the detector and
 * today's kiosk movement check applied to each sequence, and the ISO/IEC 30107-3 error rates.
 *
 * Definitions (ISO/IEC 30107-3:2017, §13.3 and §13.4):
 * - APCER of a PAI species (here: an attack type) = attack presentations of that species classified as
 *   bona fide ('live') / attack presentations of that species. The standard reports the worst species
 *   (APCER_PAIS = max over species); the pooled rate over all attacks is given beside it.
 * - BPCER = bona fide (genuine) presentations classified as attacks / bona fide presentations. Here a
 *   genuine window is "rejected" when the decision is 'attack'; 'insufficient_motion' leads to a prompt
 *   ("turn your head slightly"), not to a rejection, and is counted separately.
 * - Sweep (one score, one threshold t; 'live' iff score ≥ t, no motion gate): BPCER(t) counts every
 *   genuine window below t (conservative: a prompt counted as a rejection); "APCER at BPCER ≤ 5 %" is
 *   the worst-species APCER at the largest t with BPCER(t) ≤ 5 %.
 */
import {
  assessLiveness,
  type LivenessDecision,
  type LivenessFrame,
  type LivenessScores,
  type LivenessThresholds,
} from '../../server/domain/liveness.ts';
import { keypointMovement } from '../../server/clinic/features/kiosk/sessions.ts';

/** One analysed frame: landmarks, box and the engine's five keypoints, or null when no face was found. */
export type AnalysedFrame = (LivenessFrame & { keypoints: [number, number][] }) | null;

/** A sequence shown to the detector: genuine (bona fide) or attack, with its species and source. */
export interface Sequence {
  id: string;
  kind: 'genuine' | 'attack';
  /** Attack type (PAI species) or genuine source, e.g. 'photo/yaw', 'clip/dev_deepface_p13', 'live clip'. */
  species: string;
  frames: AnalysedFrame[];
}

/** Result of one sequence. */
export interface Evaluated {
  id: string;
  kind: Sequence['kind'];
  species: string;
  decision: LivenessDecision;
  scores: LivenessScores;
  framesWithFace: number;
  /** Today's kiosk check would have accepted the sequence as moving (see `baselineAccepts`). */
  baselineAccepted: boolean;
}

/**
 * Windows of `length` frames taken every `step` frames (frame rate divided by `step`), starting every
 * `stride` frames: frames[s], frames[s + step], … for s = 0, stride, 2·stride, … while they fit.
 */
export function windows<T>(frames: readonly T[], length: number, step: number, stride: number): T[][] {
  const out: T[][] = [];
  const span = (length - 1) * step;
  for (let s = 0; s + span < frames.length; s += stride) {
    out.push(Array.from({ length }, (_, i) => frames[s + i * step]!));
  }
  return out;
}

/**
 * Today's kiosk check (server/clinic/features/kiosk/service.ts `identifyFrame`): it proposes the matched
 * patient once `sequenceFrames` consecutive frames with a face agree and the mean keypoint movement over
 * them (`keypointMovement`, pixels) is at least `minMovementPx`; a frame without a face resets the run.
 * Assumes every frame matches the enrolled patient (the attacker shows that patient's photo).
 */
export function baselineAccepts(
  frames: readonly AnalysedFrame[],
  sequenceFrames: number,
  minMovementPx: number,
): boolean {
  let run: [number, number][][] = [];
  for (const f of frames) {
    if (!f) {
      run = [];
      continue;
    }
    run.push(f.keypoints);
    if (run.length >= sequenceFrames && keypointMovement(run.slice(-sequenceFrames)) >= minMovementPx)
      return true;
  }
  return false;
}

/** Runs the detector (on the frames with a face) and the baseline on one sequence. */
export function evaluate(
  seq: Sequence,
  thresholds: LivenessThresholds,
  baseline: { sequenceFrames: number; minMovementPx: number },
): Evaluated {
  const withFace = seq.frames.filter((f): f is NonNullable<AnalysedFrame> => f !== null);
  const result = assessLiveness(
    withFace.map((f) => ({ landmarks: f.landmarks, box: f.box })),
    thresholds,
  );
  return {
    id: seq.id,
    kind: seq.kind,
    species: seq.species,
    decision: result.decision,
    scores: result.scores,
    framesWithFace: withFace.length,
    baselineAccepted: baselineAccepts(seq.frames, baseline.sequenceFrames, baseline.minMovementPx),
  };
}

/** count / total rounded to 5 decimals; NaN when total is 0. */
export function rate(count: number, total: number): number {
  return total === 0 ? NaN : Math.round((count / total) * 1e5) / 1e5;
}

/** Per-species decision counts and APCER, for the detector and for today's check. */
export interface SpeciesRow {
  species: string;
  n: number;
  live: number;
  attack: number;
  insufficientMotion: number;
  apcer: number;
  baselineApcer: number;
  maxResidual: number;
  maxParallax: number;
  medianMotion: number;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** APCER per species (sorted by name), the worst species, and the pooled rate over all attacks. */
export function attackSummary(evaluated: readonly Evaluated[]) {
  const attacks = evaluated.filter((e) => e.kind === 'attack');
  const species = [...new Set(attacks.map((a) => a.species))].sort();
  const rows: SpeciesRow[] = species.map((s) => {
    const of = attacks.filter((a) => a.species === s);
    const count = (d: LivenessDecision) => of.filter((a) => a.decision === d).length;
    return {
      species: s,
      n: of.length,
      live: count('live'),
      attack: count('attack'),
      insufficientMotion: count('insufficient_motion'),
      apcer: rate(count('live'), of.length),
      baselineApcer: rate(of.filter((a) => a.baselineAccepted).length, of.length),
      maxResidual: Math.max(...of.map((a) => a.scores.residual)),
      maxParallax: Math.max(...of.map((a) => a.scores.parallax)),
      medianMotion: median(of.map((a) => a.scores.motion)),
    };
  });
  return {
    rows,
    apcerWorst: Math.max(...rows.map((r) => r.apcer)),
    apcerPooled: rate(attacks.filter((a) => a.decision === 'live').length, attacks.length),
    baselineApcerWorst: Math.max(...rows.map((r) => r.baselineApcer)),
    baselineApcerPooled: rate(attacks.filter((a) => a.baselineAccepted).length, attacks.length),
  };
}

/** BPCER and the share of prompts over the genuine windows, with today's check beside it. */
export function genuineSummary(evaluated: readonly Evaluated[]) {
  const g = evaluated.filter((e) => e.kind === 'genuine');
  const count = (d: LivenessDecision) => g.filter((e) => e.decision === d).length;
  return {
    n: g.length,
    live: count('live'),
    attack: count('attack'),
    insufficientMotion: count('insufficient_motion'),
    bpcer: rate(count('attack'), g.length),
    insufficientMotionRate: rate(count('insufficient_motion'), g.length),
    bpcerIfPromptCountsAsReject: rate(g.length - count('live'), g.length),
    baselineBpcer: rate(g.filter((e) => !e.baselineAccepted).length, g.length),
    residual: {
      min: Math.min(...g.map((e) => e.scores.residual)),
      median: median(g.map((e) => e.scores.residual)),
    },
    parallax: {
      min: Math.min(...g.map((e) => e.scores.parallax)),
      median: median(g.map((e) => e.scores.parallax)),
    },
    motion: {
      min: Math.min(...g.map((e) => e.scores.motion)),
      median: median(g.map((e) => e.scores.motion)),
    },
  };
}

/** One point of the threshold sweep. */
export interface SweepPoint {
  threshold: number;
  bpcer: number;
  apcerWorst: number;
  apcerPooled: number;
}

/**
 * Threshold sweep on one score ('live' iff score ≥ t): the operating point with the largest t whose
 * BPCER ≤ `maxBpcer`, the point with the smallest t whose worst-species APCER ≤ `maxApcer`, and a grid.
 */
export function sweep(
  evaluated: readonly Evaluated[],
  score: 'residual' | 'parallax',
  grid: readonly number[],
  maxBpcer = 0.05,
  maxApcer = 0.05,
) {
  const genuine = evaluated.filter((e) => e.kind === 'genuine').map((e) => e.scores[score]);
  const attacks = evaluated.filter((e) => e.kind === 'attack');
  const species = [...new Set(attacks.map((a) => a.species))];
  const at = (t: number): SweepPoint => ({
    threshold: t,
    bpcer: rate(genuine.filter((s) => s < t).length, genuine.length),
    apcerWorst: Math.max(
      ...species.map((sp) => {
        const of = attacks.filter((a) => a.species === sp);
        return rate(of.filter((a) => a.scores[score] >= t).length, of.length);
      }),
    ),
    apcerPooled: rate(attacks.filter((a) => a.scores[score] >= t).length, attacks.length),
  });
  const candidates = [...new Set([...genuine, ...attacks.map((a) => a.scores[score])])].sort((a, b) => a - b);
  // a threshold just above each observed score, and each observed score itself
  const ts = [...candidates, ...candidates.map((c) => c * (1 + 1e-9) + 1e-12)].sort((a, b) => a - b);
  const points = ts.map(at);
  const atBpcer = [...points].reverse().find((p) => p.bpcer <= maxBpcer) ?? null;
  const atApcer = points.find((p) => p.apcerWorst <= maxApcer) ?? null;
  return {
    score,
    atBpcer: atBpcer && { ...atBpcer, maxBpcer },
    atApcer: atApcer && { ...atApcer, maxApcer },
    // separation: the highest attack score and the lowest genuine score
    maxAttack: Math.max(...attacks.map((a) => a.scores[score])),
    minGenuine: Math.min(...genuine),
    grid: grid.map(at),
  };
}
