/**
 * Open-set identification as the kiosk decides (issue 14 part 3), pure: decision rules over a kiosk
 * sequence of frames, open-set error rates, thresholds for a target FPIR, and an extrapolation from the
 * measured gallery to a larger one. No I/O; the runner (`identification-open-run.ts`) analyses the
 * frames and builds the inputs.
 *
 * Input: a `Search`, i.e. one presentation to the kiosk (a sequence of frames) against one gallery, held
 * as its identity distances: for each frame, every gallery identity's distance to that frame's
 * descriptor (`identityDistances` of server/domain/matching.ts: Euclidean, minimum over the identity's
 * templates; Infinity = not in this gallery), or null when the frame had no usable face (failure to
 * acquire, FTA). Identities are column indices 0 … K − 1.
 *
 * Decision rules (each returns at most one candidate; the product's `decideRanked` applies the margin):
 * - `single`: the first frame alone.
 * - `streak`: the old kiosk rule: every one of `streakFrames` frames, decided on its own, returns the
 *   same identity (a frame without a face breaks the streak).
 * - `fused`: score-level fusion: `fuseDistances` (mean of each identity's distance
 *   over the usable frames, at least `minUsableFrames` of them), then one decision (mean rule: Kittler
 *   et al., "On combining classifiers", IEEE TPAMI 20(3), 1998).
 * - `meanDescriptor`: feature-level fusion, the kiosk's rule: the mean of the usable frames' descriptors searched once
 *   (its distances are given precomputed as `Search.meanDescriptor`).
 *
 * For a fixed `minMargin`, whether a rule returns a candidate depends on `maxDistance` only through one
 * number, the rule's `score` (best distance; for the streak the largest of the frames' best distances):
 * the candidate is returned iff score ≤ maxDistance. `ruleCandidate` computes that (key, score) once, so
 * a whole threshold sweep costs one pass.
 *
 * Metrics (ISO/IEC 19795-1; NIST FRVT/FRTE 1:N "Identification" terms, e.g. NISTIR 8271):
 * - mated search (the probe's identity is in the gallery): FNIR, called FNMR in issue 14, = share of mated
 *   searches that do NOT return the probe's identity: failures to acquire, rejections by distance or
 *   margin, and wrong identities all count;
 * - non-mated search (the probe's identity is not in the gallery): FPIR = share returning any candidate.
 * Rates are `rate` of metrics.ts (5 decimals, NaN when the denominator is 0).
 */
import { decideRanked, fuseDistances } from '../../server/domain/matching.ts';
import type { RandomSource } from '../../server/clinic/simulation/rng.ts';
import { percentile, rate, round } from './metrics.ts';

/** A decision rule over a kiosk sequence (see the module comment). */
export type RuleName = 'single' | 'streak' | 'fused' | 'meanDescriptor';
export const RULE_NAMES: readonly RuleName[] = ['single', 'streak', 'fused', 'meanDescriptor'];

/** One search: the identity distances of a sequence's frames against one gallery. */
export interface Search {
  /** Per frame, in capture order: Float32Array(K) of identity distances, or null (no usable face). */
  frames: (Float32Array | null)[];
  /** Float32Array(K): distances of the mean descriptor of the usable frames; null when too few usable. */
  meanDescriptor: Float32Array | null;
  /** Column of the probe's own identity (mated search), or −1 (non-mated search). */
  mated: number;
}

/** Parameters of the sequence rules. */
export interface RuleOptions {
  /** Frames that must all agree for `streak` (the kiosk's sequence length). */
  streakFrames: number;
  /** Fewest usable frames for `fused` and `meanDescriptor`. */
  minUsableFrames: number;
}

/** What a rule returns at a given margin for any maxDistance ≥ `score`: identity `key`. */
export interface Candidate {
  key: number;
  score: number;
}

/** Why a rule returns no candidate whatever the distance threshold. */
export type NoCandidate = 'fta' | 'margin' | 'disagree' | 'empty';

function decideVector(distances: Float32Array, minMargin: number): Candidate | 'margin' | 'empty' {
  const { best, runnerUp } = fuseDistances([distances]);
  const decision = decideRanked(best, runnerUp, { maxDistance: Infinity, minMargin });
  if (decision.kind === 'match') return { key: decision.best.key, score: decision.best.distance };
  return decision.reason === 'margin_below_threshold' ? 'margin' : 'empty';
}

/**
 * The candidate `rule` returns for `search` at `minMargin` (accepted at maxDistance t iff score ≤ t), or
 * the reason it never returns one: 'fta' (not enough usable frames: the first frame for `single`, all
 * `streakFrames` for `streak`, `minUsableFrames` for the fused rules), 'margin' (runner-up closer than
 * minMargin), 'disagree' (streak frames name different identities), 'empty' (no identity). Distances are
 * those of `Search` (Euclidean, unitless).
 * @throws RangeError when the frames' lengths differ (`fuseDistances`)
 */
export function ruleCandidate(
  search: Search,
  rule: RuleName,
  minMargin: number,
  options: RuleOptions,
): Candidate | NoCandidate {
  if (rule === 'single') {
    const first = search.frames[0];
    return first ? decideVector(first, minMargin) : 'fta';
  }
  if (rule === 'streak') {
    const frames = search.frames.slice(0, options.streakFrames);
    if (frames.length < options.streakFrames || frames.some((f) => f === null)) return 'fta';
    let key = -1;
    let score = -Infinity;
    for (const f of frames) {
      const c = decideVector(f!, minMargin);
      if (typeof c === 'string') return c;
      if (key >= 0 && c.key !== key) return 'disagree';
      key = c.key;
      score = Math.max(score, c.score);
    }
    return { key, score };
  }
  const usable = search.frames.filter((f): f is Float32Array => f !== null);
  if (usable.length < options.minUsableFrames) return 'fta';
  if (rule === 'meanDescriptor') {
    return search.meanDescriptor ? decideVector(search.meanDescriptor, minMargin) : 'fta';
  }
  const { best, runnerUp } = fuseDistances(usable);
  const decision = decideRanked(best, runnerUp, { maxDistance: Infinity, minMargin });
  if (decision.kind === 'match') return { key: decision.best.key, score: decision.best.distance };
  return decision.reason === 'margin_below_threshold' ? 'margin' : 'empty';
}

/** A search reduced to what the threshold sweep needs: mated column and the rule's candidate. */
export interface Scored {
  mated: number;
  candidate: Candidate | NoCandidate;
}

/** Counts at one operating point (t = maxDistance); shares are `rate`s of metrics.ts. */
export interface OpenSetPoint {
  maxDistance: number;
  minMargin: number;
  mated: number;
  nonMated: number;
  /** Mated searches not returning the probe's identity (FNIR / FNMR), and their share. */
  misses: number;
  fnmr: number;
  /** Of the misses: failures to acquire, wrong identity returned. */
  missesFta: number;
  wrongIdentity: number;
  /** Non-mated searches returning a candidate (false positives), and their share. */
  falsePositives: number;
  fpir: number;
}

/**
 * FNMR and FPIR of scored searches at maxDistance `t` (a candidate is returned iff its score ≤ t; a
 * score exactly at t is returned, as `decideRanked` does). Mated searches are those with mated ≥ 0.
 */
export function pointAt(scored: readonly Scored[], t: number, minMargin: number): OpenSetPoint {
  let mated = 0;
  let nonMated = 0;
  let misses = 0;
  let missesFta = 0;
  let wrongIdentity = 0;
  let falsePositives = 0;
  for (const s of scored) {
    const c = s.candidate;
    const returned = typeof c === 'string' ? null : c.score <= t ? c : null;
    if (s.mated >= 0) {
      mated++;
      if (returned?.key !== s.mated) {
        misses++;
        if (c === 'fta') missesFta++;
        if (returned) wrongIdentity++;
      }
    } else {
      nonMated++;
      if (returned) falsePositives++;
    }
  }
  return {
    maxDistance: t,
    minMargin,
    mated,
    nonMated,
    misses,
    fnmr: rate(misses, mated),
    missesFta,
    wrongIdentity,
    falsePositives,
    fpir: rate(falsePositives, nonMated),
  };
}

/**
 * The operating point with the largest maxDistance of `grid` (any order) whose FPIR ≤ `targetFpir` and
 * whose count of mated searches returning a wrong identity is at most `maxWrongIdentity` (default: no
 * limit). Both grow with t, so this is also the point of lowest FNMR among those meeting the limits;
 * null when none does. With N non-mated searches, FPIR moves in steps of 1/N: a target below 1/N means
 * no false positive at all.
 */
export function thresholdForFpir(
  scored: readonly Scored[],
  minMargin: number,
  targetFpir: number,
  grid: readonly number[],
  maxWrongIdentity = Infinity,
): OpenSetPoint | null {
  let found: OpenSetPoint | null = null;
  for (const t of [...grid].sort((a, b) => a - b)) {
    const p = pointAt(scored, t, minMargin);
    if (!(p.fpir <= targetFpir) || p.wrongIdentity > maxWrongIdentity) break;
    found = p;
  }
  return found;
}

/** Thresholds from `from` to `to` (inclusive) in steps of `step`, each rounded to 4 decimals. */
export function thresholdGrid(from: number, to: number, step: number): number[] {
  const n = Math.round((to - from) / step);
  return Array.from({ length: n + 1 }, (_, i) => round(from + i * step, 4));
}

/** A standard normal deviate from two uniforms (Box–Muller). */
export function normal(rnd: RandomSource): number {
  const u = 1 - rnd(); // (0, 1]: log stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/**
 * Silverman's rule-of-thumb kernel bandwidth (Silverman, "Density Estimation", 1986, eq. 3.31):
 * 0.9 × min(sd, IQR / 1.34) × n^(−1/5), sd with n − 1, quartiles by `percentile` (linear
 * interpolation). When IQR is 0 the sd is used alone. 0 for fewer than 2 values.
 */
export function silvermanBandwidth(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const iqr = percentile(values, 75) - percentile(values, 25);
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  return 0.9 * spread * n ** -0.2;
}

/**
 * Extrapolates one measured search to a gallery of `size` identities (an assumption-laden model, not a
 * measurement): the mated identity's column (if any) is kept as measured and the other identities are
 * drawn by a smoothed bootstrap (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, §16.3)
 * from this search's own impostor identities (the finite columns other than the mated one): each drawn
 * identity is a measured impostor column, frames and mean-descriptor entry together (which keeps the
 * frame-to-frame correlation of one impostor), shifted by one N(0, h²) offset, h = `silvermanBandwidth`
 * of the impostors' mean-over-usable-frames distances. The offset keeps two draws of the same measured
 * impostor from being exact ties (which the margin rule would always reject) and lets the nearest of
 * many impostors fall a little below the nearest measured one. It assumes impostor identities are
 * independent draws from the distribution seen for this probe.
 * Output: a `Search` with `size` columns, the mated column (if any) first, as column 0; a search without
 * any distance (no usable frame) is returned with its frames as they are.
 * @throws RangeError when the search has distances but no impostor column, or size < 1 for a mated search
 */
export function extrapolateSearch(search: Search, size: number, rnd: RandomSource): Search {
  const width = search.frames.find((f) => f !== null)?.length ?? search.meanDescriptor?.length ?? 0;
  const usable = search.frames.filter((f): f is Float32Array => f !== null);
  const impostors: number[] = [];
  const meanOf: number[] = [];
  for (let k = 0; k < width; k++) {
    if (k === search.mated) continue;
    let sum = 0;
    for (const f of usable) sum += f[k]!;
    const m = usable.length > 0 ? sum / usable.length : (search.meanDescriptor?.[k] ?? Infinity);
    if (!Number.isFinite(m)) continue;
    impostors.push(k);
    meanOf.push(m);
  }
  const drawn = size - (search.mated >= 0 ? 1 : 0);
  // nothing measured (every frame a failure to acquire): no rule can return anything at any size
  if (width === 0) return { frames: search.frames, meanDescriptor: null, mated: search.mated >= 0 ? 0 : -1 };
  if (impostors.length === 0 || drawn < 0)
    throw new RangeError('extrapolateSearch: no impostor identity to draw from, or size too small');
  const h = silvermanBandwidth(meanOf);
  const columns: { from: number; offset: number }[] = [];
  if (search.mated >= 0) columns.push({ from: search.mated, offset: 0 });
  for (let i = 0; i < drawn; i++) {
    const from = impostors[Math.floor(rnd() * impostors.length)]!;
    columns.push({ from, offset: h * normal(rnd) });
  }
  const pick = (v: Float32Array | null) =>
    v === null ? null : Float32Array.from(columns, (c) => v[c.from]! + c.offset);
  return {
    frames: search.frames.map(pick),
    meanDescriptor: pick(search.meanDescriptor),
    mated: search.mated >= 0 ? 0 : -1,
  };
}

/** A copy of `search` as a non-mated search: its own identity's column set to Infinity (left out). */
export function withoutOwnIdentity(search: Search): Search {
  if (search.mated < 0) return search;
  const drop = (v: Float32Array | null) => {
    if (v === null) return null;
    const out = Float32Array.from(v);
    out[search.mated] = Infinity;
    return out;
  };
  return { frames: search.frames.map(drop), meanDescriptor: drop(search.meanDescriptor), mated: -1 };
}

/**
 * Failure-to-acquire counts of per-frame outcomes: `frames` analysed, `fta` without a usable face, and
 * `sequencesBelow` sequences with fewer than `minUsable` usable frames (a list per sequence of booleans,
 * true = usable face).
 */
export function ftaCounts(
  sequences: readonly (readonly boolean[])[],
  minUsable: number,
): { frames: number; fta: number; ftaRate: number; sequences: number; sequencesBelow: number } {
  let frames = 0;
  let fta = 0;
  let sequencesBelow = 0;
  for (const s of sequences) {
    frames += s.length;
    const usable = s.filter(Boolean).length;
    fta += s.length - usable;
    if (usable < minUsable) sequencesBelow++;
  }
  return { frames, fta, ftaRate: rate(fta, frames), sequences: sequences.length, sequencesBelow };
}
