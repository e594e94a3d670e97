/**
 * Estimated wait, first version (pure). Source: shared/reference/wait-estimation.md, "rules engine"
 * method restricted to one practitioner per queue:
 *
 *   predicted start = max(now, booked time, predicted end of whoever is ahead with the same practitioner)
 *                     (+ turnover buffer when someone is ahead)
 *   predicted end   = predicted start + expected duration (booked duration, from the specialty default)
 *
 * Order within a practitioner's queue: in session, then called, then arrived by booked time (walk-ins are
 * booked at their arrival time), ties by arrival. Recomputed on every event and on a timer.
 */
import { isActive, type VisitStatus } from './visit.ts';

export interface QueueItem {
  id: string;
  practitionerId: string;
  status: VisitStatus;
  /** Booked start, ms since epoch (UTC). */
  startsAt: number;
  durationMin: number;
  arrivedAt: number | null;
  calledAt: number | null;
  sessionStartedAt: number | null;
}

export interface Estimate {
  /** Predicted start (for in_session: the actual start), ms since epoch. */
  predictedStartAt: number;
  predictedEndAt: number;
  /** Whole minutes from now until the predicted start, rounded up; 0 when due now. */
  waitMin: number;
  /** 1-based position in the practitioner's queue among patients not yet in session. */
  position: number;
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

/**
 * Estimates for every item in an active status (arrived, called, in_session).
 * @param now ms since epoch
 * @param turnoverBufferMin minutes between consecutive sessions of one practitioner
 */
export function estimateWaits(
  items: readonly QueueItem[],
  now: number,
  turnoverBufferMin = 0,
): Map<string, Estimate> {
  const byPractitioner = new Map<string, QueueItem[]>();
  for (const item of items) {
    if (!isActive(item.status)) continue;
    const list = byPractitioner.get(item.practitionerId) ?? [];
    list.push(item);
    byPractitioner.set(item.practitionerId, list);
  }
  const out = new Map<string, Estimate>();
  for (const queue of byPractitioner.values()) {
    queue.sort(compareQueue);
    let prevEnd: number | null = null;
    let position = 0;
    for (const item of queue) {
      const duration = item.durationMin * MIN;
      let start: number;
      if (item.status === 'in_session') {
        start = item.sessionStartedAt ?? now;
      } else {
        const afterPrev = prevEnd === null ? now : prevEnd + turnoverBufferMin * MIN;
        start = item.status === 'called' ? Math.max(now, afterPrev) : Math.max(now, item.startsAt, afterPrev);
        position += 1;
      }
      // A session running over its expected length ends no earlier than now.
      const end = Math.max(start + duration, item.status === 'in_session' ? now : 0);
      prevEnd = prevEnd === null ? end : Math.max(prevEnd, end);
      out.set(item.id, {
        predictedStartAt: start,
        predictedEndAt: end,
        waitMin: Math.max(0, Math.ceil((start - now) / MIN)),
        position: item.status === 'in_session' ? 0 : position,
      });
    }
  }
  return out;
}
