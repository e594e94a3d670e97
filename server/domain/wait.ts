/**
 * Estimated wait (pure). Source: shared/reference/wait-estimation.md, the "rules engine" method for an
 * appointment clinic (one practitioner per room at a time), with learned durations:
 *
 *   expected duration = EWMA of the actual durations of this (practitioner, specialty) + k × their
 *                       exponentially weighted mean absolute deviation (a deliberate pessimistic bias),
 *                       once there are enough samples; until then the booked duration (itself the
 *                       specialty default unless the desk chose another)
 *   predicted start   = max(now + walk from the call, booked time − early start, when the practitioner is
 *                       free, when the room is free) (+ turnover buffer after a previous session of that
 *                       practitioner or room); a patient already called: max(now, when free)
 *   predicted end     = predicted start + expected duration; a session running over ends no earlier
 *                       than now + `overrunGraceMin`, so a practitioner running late shifts everyone
 *                       behind them
 *
 * The timeline is built greedily across practitioners: at each step the waiting patient (head of a
 * practitioner's queue) who can start first is placed, so practitioners sharing a room take turns.
 * Queue order within a practitioner: in session, then called, then arrived by booked time (walk-ins are
 * booked at their arrival time), ties by arrival. Recomputed on every event and on a timer.
 */
import { isActive, type VisitStatus } from './visit.ts';

/** One visit as the estimator sees it; times are ms since epoch (UTC), durations minutes. */
export interface QueueItem {
  id: string;
  practitionerId: string;
  specialtyId: string;
  /** The room the session happens in; null: no room constraint. */
  roomId: string | null;
  status: VisitStatus;
  /** Booked start. */
  startsAt: number;
  /** Booked duration, minutes. */
  durationMin: number;
  arrivedAt: number | null;
  calledAt: number | null;
  sessionStartedAt: number | null;
}

/** The estimate of one active visit. */
export interface Estimate {
  /** Predicted start (for in_session: the actual start), ms since epoch. */
  predictedStartAt: number;
  predictedEndAt: number;
  /** Whole minutes from now until the predicted start, rounded up; 0 when due now. */
  waitMin: number;
  /** 1-based position in the practitioner's queue among patients not yet in session; 0 in session. */
  position: number;
}

/** A finished session, the learning material of the duration model. */
export interface DurationSample {
  practitionerId: string;
  specialtyId: string;
  /** Actual length, minutes (session start → end). */
  actualMin: number;
  /** When it ended, ms since epoch (samples are learned in this order). */
  endedAt: number;
}

/** How long a session of this practitioner and specialty is expected to take, minutes. */
export interface DurationModel {
  expectedMin(practitionerId: string, specialtyId: string, bookedMin: number): number;
}

/** The booked duration, as is: the model before any session has been recorded. */
export const BOOKED_DURATIONS: DurationModel = {
  expectedMin(_practitionerId, _specialtyId, bookedMin) {
    return bookedMin;
  },
};

/** Parameters of `learnDurations`. */
export interface DurationLearning {
  /** EWMA weight of the newest sample, 0..1. */
  alpha: number;
  /** Samples of a (practitioner, specialty) needed before the learned value replaces the booked one. */
  minSamples: number;
  /** Pessimistic bias: multiples of the mean absolute deviation added to the mean. */
  deviationFactor: number;
}

/**
 * Defaults, tuned with `npm run bench:wait` on simulated clinic days (docs/benchmarks.md): α = 0.2 keeps
 * about the last ten sessions in view; five samples before trusting the average (TablesReady waits for 50
 * per bucket, but a bucket here is one practitioner's one specialty, which fills slowly); +1 MAD, the
 * bias that brings under-predictions under 20 % (2.02 min MAE, 18.2 % under on 200 days; +0.5 MAD: 21.8 %).
 */
export const DEFAULT_DURATION_LEARNING: DurationLearning = {
  alpha: 0.2,
  minSamples: 5,
  deviationFactor: 1,
};

/**
 * Learns expected durations per (practitioner, specialty) from finished sessions: an exponentially
 * weighted moving average of the actual minutes, plus `deviationFactor` × the exponentially weighted mean
 * absolute deviation, once `minSamples` sessions are known; the booked duration before that.
 */
export function learnDurations(
  samples: readonly DurationSample[],
  learning: DurationLearning = DEFAULT_DURATION_LEARNING,
): DurationModel {
  const stats = new Map<string, { n: number; mean: number; mad: number }>();
  const ordered = [...samples].sort((a, b) => a.endedAt - b.endedAt);
  for (const s of ordered) {
    const key = `${s.practitionerId}|${s.specialtyId}`;
    const st = stats.get(key);
    if (!st) {
      stats.set(key, { n: 1, mean: s.actualMin, mad: 0 });
      continue;
    }
    st.mad = learning.alpha * Math.abs(s.actualMin - st.mean) + (1 - learning.alpha) * st.mad;
    st.mean = learning.alpha * s.actualMin + (1 - learning.alpha) * st.mean;
    st.n += 1;
  }
  return {
    expectedMin(practitionerId, specialtyId, bookedMin) {
      const st = stats.get(`${practitionerId}|${specialtyId}`);
      if (!st || st.n < learning.minSamples) return bookedMin;
      return st.mean + learning.deviationFactor * st.mad;
    },
  };
}

/** Options of `estimateWaits`. */
export interface EstimateOptions {
  /** Minutes between consecutive sessions of one practitioner or in one room (turnover). */
  turnoverBufferMin?: number;
  /** Expected durations; default: the booked ones. */
  durations?: DurationModel;
  /** A session running over is expected to go on at least this many more minutes. Default 2. */
  overrunGraceMin?: number;
  /** Minutes from being called to the session's start (the walk to the room) for a patient not yet called. Default 0. */
  callToStartMin?: number;
  /** How many minutes before the booked time a free practitioner starts a patient who is there. Default 0. */
  earlyStartMin?: number;
}

const MIN = 60_000;

/** Queue order for one practitioner's waiting patients (also the order "call next" uses). */
export function compareQueue(a: QueueItem, b: QueueItem): number {
  const rank = (s: VisitStatus) => (s === 'in_session' ? 0 : s === 'called' ? 1 : 2);
  return (
    rank(a.status) - rank(b.status) ||
    (a.status === 'called' ? (a.calledAt ?? 0) - (b.calledAt ?? 0) : 0) ||
    a.startsAt - b.startsAt ||
    (a.arrivedAt ?? 0) - (b.arrivedAt ?? 0) ||
    a.id.localeCompare(b.id)
  );
}

/** When each practitioner and room is next free, and whether a session was placed before (for the buffer). */
interface Timeline {
  practitioner: Map<string, number>;
  room: Map<string, number>;
}

function freeAt(map: Map<string, number>, key: string | null, now: number, bufferMs: number): number {
  if (key === null) return now;
  const t = map.get(key);
  return t === undefined ? now : t + bufferMs;
}

function occupy(map: Map<string, number>, key: string | null, end: number) {
  if (key !== null) map.set(key, Math.max(map.get(key) ?? end, end));
}

/**
 * Builds the day's timeline from the active visits (arrived, called, in session).
 * @returns the estimate per visit id and when each practitioner is free after their queue (ms)
 */
function buildTimeline(items: readonly QueueItem[], now: number, options: EstimateOptions) {
  const durations = options.durations ?? BOOKED_DURATIONS;
  const bufferMs = (options.turnoverBufferMin ?? 0) * MIN;
  const graceMs = (options.overrunGraceMin ?? 2) * MIN;
  const walkMs = (options.callToStartMin ?? 0) * MIN;
  const earlyMs = (options.earlyStartMin ?? 0) * MIN;
  const expectedMs = (i: QueueItem) =>
    durations.expectedMin(i.practitionerId, i.specialtyId, i.durationMin) * MIN;
  const timeline: Timeline = { practitioner: new Map(), room: new Map() };
  const out = new Map<string, Estimate>();

  const active = items.filter((i) => isActive(i.status)).sort(compareQueue);
  for (const i of active.filter((x) => x.status === 'in_session')) {
    const start = i.sessionStartedAt ?? now;
    const end = Math.max(start + expectedMs(i), now + (start + expectedMs(i) <= now ? graceMs : 0));
    occupy(timeline.practitioner, i.practitionerId, end);
    occupy(timeline.room, i.roomId, end);
    out.set(i.id, { predictedStartAt: start, predictedEndAt: end, waitMin: 0, position: 0 });
  }

  const queues = new Map<string, QueueItem[]>();
  for (const i of active) {
    if (i.status === 'in_session') continue;
    const q = queues.get(i.practitionerId) ?? [];
    q.push(i);
    queues.set(i.practitionerId, q);
  }
  const positions = new Map<string, number>();
  const startOf = (i: QueueItem) =>
    Math.max(
      i.status === 'called' ? now : now + walkMs,
      i.status === 'called' ? now : i.startsAt - earlyMs,
      freeAt(timeline.practitioner, i.practitionerId, now, bufferMs),
      freeAt(timeline.room, i.roomId, now, bufferMs),
    );
  for (;;) {
    let best: QueueItem | undefined;
    let bestStart = Infinity;
    for (const q of queues.values()) {
      const head = q[0];
      if (!head) continue;
      const start = startOf(head);
      if (start < bestStart || (start === bestStart && best && compareQueue(head, best) < 0)) {
        best = head;
        bestStart = start;
      }
    }
    if (!best) break;
    queues.get(best.practitionerId)!.shift();
    const end = bestStart + expectedMs(best);
    occupy(timeline.practitioner, best.practitionerId, end);
    occupy(timeline.room, best.roomId, end);
    const position = (positions.get(best.practitionerId) ?? 0) + 1;
    positions.set(best.practitionerId, position);
    out.set(best.id, {
      predictedStartAt: bestStart,
      predictedEndAt: end,
      waitMin: Math.max(0, Math.ceil((bestStart - now) / MIN)),
      position,
    });
  }
  return { estimates: out, practitionerFreeAt: timeline.practitioner };
}

/**
 * Estimates for every item in an active status (arrived, called, in_session).
 * @param now ms since epoch
 */
export function estimateWaits(
  items: readonly QueueItem[],
  now: number,
  options: EstimateOptions = {},
): Map<string, Estimate> {
  return buildTimeline(items, now, options).estimates;
}

/**
 * The practitioner among `candidates` who is free first after their current queue (walk-ins for "any
 * practitioner" of a specialty: the caller passes the practitioners of that specialty), with that time
 * (ms). Ties go to the earlier candidate in the list. Undefined when `candidates` is empty.
 */
export function earliestFreePractitioner(
  items: readonly QueueItem[],
  now: number,
  candidates: readonly string[],
  options: EstimateOptions = {},
): { practitionerId: string; freeAt: number } | undefined {
  const { practitionerFreeAt } = buildTimeline(items, now, options);
  let best: { practitionerId: string; freeAt: number } | undefined;
  for (const practitionerId of candidates) {
    const at = Math.max(now, practitionerFreeAt.get(practitionerId) ?? now);
    if (!best || at < best.freeAt) best = { practitionerId, freeAt: at };
  }
  return best;
}

/** How a wait is shown to patients: bands, never a falsely precise number (wait-estimation.md). */
export const WAIT_BANDS = ['next', 'lt5', '5to10', '10to20', 'gt20'] as const;
export type WaitBand = (typeof WAIT_BANDS)[number];

/**
 * The band of an estimate: 'next' (first in the practitioner's queue and due within 5 min), then by
 * whole minutes: < 5, 5–9 ('5to10'), 10–20 ('10to20'), more than 20 ('gt20').
 */
export function waitBand(waitMin: number, position: number): WaitBand {
  if (position <= 1 && waitMin < 5) return 'next';
  if (waitMin < 5) return 'lt5';
  if (waitMin < 10) return '5to10';
  if (waitMin <= 20) return '10to20';
  return 'gt20';
}

/** Whether an actual wait (minutes) lies inside the band that was shown ('next' counts as < 5 min). */
export function inBand(band: WaitBand, actualMin: number): boolean {
  switch (band) {
    case 'next':
    case 'lt5':
      return actualMin < 5;
    case '5to10':
      return actualMin >= 5 && actualMin < 10;
    case '10to20':
      return actualMin >= 10 && actualMin <= 20;
    default:
      return actualMin > 20;
  }
}
