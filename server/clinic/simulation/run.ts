/**
 * Runs a planned clinic day (`plan.ts`) as a discrete-event simulation (pure, deterministic) and asks
 * each wait estimator, at every check-in, what it would show that patient.
 *
 * The day, event by event (ties at the same instant: session ends, then practitioners becoming free,
 * then session starts, then arrivals, then wake-ups; within a kind, in scheduling order):
 * - a practitioner becomes available at `availableAt` (first booked slot + any late start);
 * - a patient arrives (no-shows never do). A walk-in for "any practitioner" of their specialty is given
 *   the practitioner who is free first, by `earliestFreePractitioner` (wait.ts) over the practitioners of
 *   that specialty in clinic order, with the booked durations and the turnover as buffer (what the desk's
 *   default settings would do; fixed, so the day does not depend on the estimators under test), among
 *   those who can see them within `walkInMaxWaitMin` and finish by their next booking +
 *   `walkInFitSlackMin`; when nobody can, the walk-in is turned away and never checks in. Then
 *   every estimator is asked for this patient's wait, given the active visits at that instant (arrived,
 *   called, in session, with their timestamps; `QueueItem`s) and the sessions finished so far today;
 * - when a practitioner is free, they call the head of their queue of arrived patients (order:
 *   `compareQueue` of wait.ts), unless that would start the session more than `earlyCallMin` before its
 *   booked time, in which case they wake up when it would not and look again (a practitioner aims to
 *   start on time, or a little early); the session starts `walkMin` after the call and lasts the actual
 *   duration (`actualDurationMs`); the practitioner is free to call the next one `turnoverMin` − `walkMin`
 *   after it ends, so back-to-back sessions are `turnoverMin` apart (end → next start, the meaning of
 *   `turnoverBufferMin` in wait.ts), and a patient called by an idle practitioner waits `walkMin`.
 * The run ends when no event is left: every patient who came is seen, even after closing time.
 *
 * Recorded per check-in: for each estimator, the minutes shown, the position and the band shown
 * (`waitBand`), and the actual wait in minutes (arrival → session start).
 */
import {
  compareQueue,
  earliestFreePractitioner,
  waitBand,
  type DurationSample,
  type QueueItem,
  type WaitBand,
} from '../../domain/wait.ts';
import type { VisitStatus } from '../../domain/visit.ts';
import {
  actualDurationMs,
  minutesToMs,
  type DayPlan,
  type PlannedPractitioner,
  type PlannedVisit,
} from './plan.ts';

const MIN = 60_000;

/** What an estimator is told at a check-in. */
export interface CheckInContext {
  /** The check-in instant, ms since epoch. */
  now: number;
  /** The visit that just checked in (present in `items`, status 'arrived'). */
  visitId: string;
  /** Every active visit at this instant (arrived, called, in session), in no particular order. */
  items: readonly QueueItem[];
  /** Sessions finished so far today, in the order they ended. */
  finishedToday: readonly DurationSample[];
}

/** What an estimator shows: whole minutes, and the 1-based position in the practitioner's queue. */
export interface ShownWait {
  waitMin: number;
  position: number;
  /** Optional label of the situation, for a breakdown of the errors (e.g. what bound the prediction). */
  tag?: string;
}

/** A wait estimator under test. */
export interface WaitEstimator {
  /** Key of its figures in the results. */
  readonly name: string;
  /** The wait shown to `ctx.visitId`. */
  estimate(ctx: CheckInContext): ShownWait;
}

/** One estimator's answer at one check-in. */
export interface ShownEstimate {
  shownMin: number;
  position: number;
  band: WaitBand;
  /** The estimator's `ShownWait.tag`, when it gave one. */
  tag?: string;
}

/** One check-in and what came of it. */
export interface CheckIn {
  visitId: string;
  walkIn: boolean;
  practitionerId: string;
  specialtyId: string;
  /** Booked start and arrival, ms since epoch. */
  startsAt: number;
  arrivedAt: number;
  /** Estimator name → what it showed. */
  shown: Record<string, ShownEstimate>;
  /** Arrival → session start, minutes. */
  actualMin: number;
}

/** How a visit ended up. Timestamps in ms since epoch; null when it never happened. */
export interface VisitOutcome {
  id: string;
  walkIn: boolean;
  /** Who saw them (walk-ins: the one assigned); a no-show keeps the booked one; null: turned away. */
  practitionerId: string | null;
  specialtyId: string;
  startsAt: number;
  arrivedAt: number | null;
  calledAt: number | null;
  sessionStartedAt: number | null;
  endedAt: number | null;
  /** Status at the end of the day: 'done', 'no_show', or 'cancelled' (a walk-in turned away). */
  status: VisitStatus;
}

/** One event of the day's log, in the order processed. */
export interface DayEvent {
  at: number;
  type: 'available' | 'arrive' | 'turn_away' | 'call' | 'start' | 'end' | 'free' | 'wake';
  /** The practitioner concerned (for 'arrive' of a walk-in: the one assigned; null for 'turn_away'). */
  practitionerId: string | null;
  /** The visit concerned; null for 'available', 'free' and 'wake'. */
  visitId: string | null;
}

/** The outcome of `runDay`. */
export interface DayResult {
  dayStartMs: number;
  /** In check-in order. */
  checkIns: CheckIn[];
  /** In plan order. */
  visits: VisitOutcome[];
  /** Walk-ins the desk turned away (no practitioner free within `walkInMaxWaitMin`), in arrival order. */
  turnedAway: string[];
  /** Finished sessions, in the order they ended (the learning material of the next days). */
  finished: DurationSample[];
  events: DayEvent[];
}

type Kind = 'end' | 'free' | 'available' | 'start' | 'arrive' | 'wake';
const PRIORITY: Record<Kind, number> = { end: 0, free: 1, available: 1, start: 2, arrive: 3, wake: 4 };

interface Pending {
  at: number;
  kind: Kind;
  seq: number;
  practitionerId: string | null;
  visitId: string | null;
}

/** A queue of pending events, earliest first (at, then kind priority, then scheduling order). */
class EventQueue {
  private items: Pending[] = [];
  private seq = 0;

  push(at: number, kind: Kind, practitionerId: string | null, visitId: string | null) {
    const e: Pending = { at, kind, seq: this.seq++, practitionerId, visitId };
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.items[mid]!, e)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, e);
  }

  shift(): Pending | undefined {
    return this.items.shift();
  }
}

function before(a: Pending, b: Pending): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (PRIORITY[a.kind] !== PRIORITY[b.kind]) return PRIORITY[a.kind] < PRIORITY[b.kind];
  return a.seq < b.seq;
}

interface VisitState extends QueueItem {
  walkIn: boolean;
  endedAt: number | null;
  durationMs: number;
}

interface PractitionerState {
  plan: PlannedPractitioner;
  free: boolean;
  wakeAt: number | null;
}

/**
 * Runs `plan` to the end (see the module comment), asking every estimator at each check-in.
 * @throws Error when a walk-in's specialty has no practitioner, or an estimator gives no answer.
 */
export function runDay(plan: DayPlan, estimators: readonly WaitEstimator[]): DayResult {
  const events = new EventQueue();
  const log: DayEvent[] = [];
  const practitioners = new Map<string, PractitionerState>(
    plan.practitioners.map((p) => [p.id, { plan: p, free: false, wakeAt: null }]),
  );
  const planned = new Map(plan.visits.map((v) => [v.id, v]));
  const states = new Map<string, VisitState>();
  const checkIns = new Map<string, CheckIn>();
  const finished: DurationSample[] = [];
  const turnedAway: string[] = [];
  const walkMs = minutesToMs(plan.walkMin);
  /** From a session's end until the practitioner calls the next patient: the turnover less the walk. */
  const readyMs = Math.max(0, minutesToMs(plan.turnoverMin) - walkMs);
  const earlyMs = minutesToMs(plan.earlyCallMin);
  const maxWaitMs = minutesToMs(plan.walkInMaxWaitMin);
  const fitSlackMs = minutesToMs(plan.walkInFitSlackMin);
  const lateNoShowMs = minutesToMs(plan.lateNoShowMin);

  const active = () => [...states.values()].filter((s) => s.status !== 'done');
  const toItem = (s: VisitState): QueueItem => ({
    id: s.id,
    practitionerId: s.practitionerId,
    specialtyId: s.specialtyId,
    roomId: s.roomId,
    status: s.status,
    startsAt: s.startsAt,
    durationMin: s.durationMin,
    arrivedAt: s.arrivedAt,
    calledAt: s.calledAt,
    sessionStartedAt: s.sessionStartedAt,
  });

  /**
   * The desk's walk-in rule: among the practitioners of the specialty, the one free first
   * (`earliestFreePractitioner`) who can see the walk-in within `walkInMaxWaitMin` and finish before the
   * next booked patient who may still come is due (+ `walkInFitSlackMin`); the next free one if not; null
   * (turned away) when nobody qualifies. Booked patients more than `lateNoShowMin` late count as no-shows.
   */
  const assignWalkIn = (v: PlannedVisit, others: QueueItem[], now: number): string | null => {
    let candidates = plan.practitioners
      .filter((p) => p.specialtyIds.includes(v.specialtyId))
      .map((p) => p.id);
    if (candidates.length === 0) throw new Error(`no practitioner practises ${v.specialtyId}`);
    const options = { turnoverBufferMin: plan.turnoverMin };
    for (;;) {
      const chosen = earliestFreePractitioner(others, now, candidates, options);
      if (!chosen || chosen.freeAt - now > maxWaitMs) return null;
      const nextBooked = plan.visits
        .filter(
          (b) =>
            b.practitionerId === chosen.practitionerId &&
            !states.has(b.id) &&
            b.startsAt > now - lateNoShowMs,
        )
        .reduce((t, b) => Math.min(t, b.startsAt), Infinity);
      if (chosen.freeAt + minutesToMs(v.bookedMin) <= nextBooked + fitSlackMs) return chosen.practitionerId;
      candidates = candidates.filter((id) => id !== chosen.practitionerId);
    }
  };

  const dispatch = (p: PractitionerState, now: number) => {
    if (!p.free) return;
    const queue = active()
      .filter((s) => s.practitionerId === p.plan.id && s.status === 'arrived')
      .sort(compareQueue);
    const head = queue[0];
    if (!head) return;
    const callableAt = head.startsAt - earlyMs - walkMs;
    if (callableAt > now) {
      if (p.wakeAt !== callableAt) {
        p.wakeAt = callableAt;
        events.push(callableAt, 'wake', p.plan.id, null);
      }
      return;
    }
    head.status = 'called';
    head.calledAt = now;
    p.free = false;
    log.push({ at: now, type: 'call', practitionerId: p.plan.id, visitId: head.id });
    events.push(now + walkMs, 'start', p.plan.id, head.id);
  };

  for (const p of plan.practitioners) events.push(p.availableAt, 'available', p.id, null);
  for (const v of plan.visits) if (v.arrivesAt !== null) events.push(v.arrivesAt, 'arrive', null, v.id);

  for (let e = events.shift(); e; e = events.shift()) {
    const now = e.at;
    switch (e.kind) {
      case 'available':
      case 'free':
      case 'wake': {
        const p = practitioners.get(e.practitionerId!)!;
        if (e.kind === 'wake') {
          if (p.wakeAt !== now) break; // superseded
          p.wakeAt = null;
        } else p.free = true;
        log.push({ at: now, type: e.kind, practitionerId: p.plan.id, visitId: null });
        dispatch(p, now);
        break;
      }
      case 'arrive': {
        const v = planned.get(e.visitId!)!;
        const others = active().map(toItem);
        let practitionerId = v.practitionerId;
        if (practitionerId === null) {
          practitionerId = assignWalkIn(v, others, now);
          if (practitionerId === null) {
            turnedAway.push(v.id);
            log.push({ at: now, type: 'turn_away', practitionerId: null, visitId: v.id });
            break;
          }
        }
        const p = practitioners.get(practitionerId)!;
        const state: VisitState = {
          id: v.id,
          practitionerId,
          specialtyId: v.specialtyId,
          roomId: p.plan.roomId,
          status: 'arrived',
          startsAt: v.startsAt,
          durationMin: v.bookedMin,
          arrivedAt: now,
          calledAt: null,
          sessionStartedAt: null,
          walkIn: v.walkIn,
          endedAt: null,
          durationMs: actualDurationMs(plan, p.plan, v),
        };
        states.set(v.id, state);
        log.push({ at: now, type: 'arrive', practitionerId, visitId: v.id });
        const ctx: CheckInContext = {
          now,
          visitId: v.id,
          items: [...others, toItem(state)],
          finishedToday: finished.slice(),
        };
        const shown: Record<string, ShownEstimate> = {};
        for (const estimator of estimators) {
          const s = estimator.estimate(ctx);
          shown[estimator.name] = {
            shownMin: s.waitMin,
            position: s.position,
            band: waitBand(s.waitMin, s.position),
            ...(s.tag === undefined ? {} : { tag: s.tag }),
          };
        }
        checkIns.set(v.id, {
          visitId: v.id,
          walkIn: v.walkIn,
          practitionerId,
          specialtyId: v.specialtyId,
          startsAt: v.startsAt,
          arrivedAt: now,
          shown,
          actualMin: NaN,
        });
        dispatch(p, now);
        break;
      }
      case 'start': {
        const s = states.get(e.visitId!)!;
        s.status = 'in_session';
        s.sessionStartedAt = now;
        checkIns.get(s.id)!.actualMin = (now - s.arrivedAt!) / MIN;
        log.push({ at: now, type: 'start', practitionerId: s.practitionerId, visitId: s.id });
        events.push(now + s.durationMs, 'end', s.practitionerId, s.id);
        break;
      }
      case 'end': {
        const s = states.get(e.visitId!)!;
        s.status = 'done';
        s.endedAt = now;
        finished.push({
          practitionerId: s.practitionerId,
          specialtyId: s.specialtyId,
          actualMin: s.durationMs / MIN,
          endedAt: now,
        });
        log.push({ at: now, type: 'end', practitionerId: s.practitionerId, visitId: s.id });
        events.push(now + readyMs, 'free', s.practitionerId, null);
        break;
      }
    }
  }

  const visits: VisitOutcome[] = plan.visits.map((v) => {
    const s = states.get(v.id);
    return {
      id: v.id,
      walkIn: v.walkIn,
      practitionerId: s?.practitionerId ?? v.practitionerId,
      specialtyId: v.specialtyId,
      startsAt: v.startsAt,
      arrivedAt: s?.arrivedAt ?? null,
      calledAt: s?.calledAt ?? null,
      sessionStartedAt: s?.sessionStartedAt ?? null,
      endedAt: s?.endedAt ?? null,
      status: s ? s.status : turnedAway.includes(v.id) ? 'cancelled' : 'no_show',
    };
  });
  return {
    dayStartMs: plan.dayStartMs,
    checkIns: [...checkIns.values()],
    visits,
    turnedAway,
    finished,
    events: log,
  };
}
