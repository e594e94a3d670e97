/**
 * Visit state machine of an appointment (pure).
 *
 *   scheduled ─► arrived ─► called ─► in_session ─► done
 *       │           │  ▲        │
 *       │           │  └────────┘ (back to the queue: patient not there yet / recall later)
 *       ├► no_show ◄┴───────────┘     no_show ─► arrived (late arrival corrects a no-show)
 *       └► cancelled ◄ arrived
 *
 * Any other move is illegal and rejected with `illegal_transition` (HTTP 409).
 */
export const VISIT_STATUSES = [
  'scheduled',
  'arrived',
  'called',
  'in_session',
  'done',
  'no_show',
  'cancelled',
] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

const TRANSITIONS: Record<VisitStatus, readonly VisitStatus[]> = {
  scheduled: ['arrived', 'no_show', 'cancelled'],
  arrived: ['called', 'no_show', 'cancelled'],
  called: ['in_session', 'arrived', 'no_show'],
  in_session: ['done'],
  done: [],
  no_show: ['arrived'],
  cancelled: [],
};

/** Whether the state machine allows `from` → `to` (the server still enforces it; pages use it for buttons). */
export function canTransition(from: VisitStatus, to: VisitStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Every status reachable from `from` in one move. */
export function allowedTransitions(from: VisitStatus): readonly VisitStatus[] {
  return TRANSITIONS[from];
}

/** Statuses of a patient who is in the building and not yet finished (the queue and wait estimates). */
export const ACTIVE_STATUSES: readonly VisitStatus[] = ['arrived', 'called', 'in_session'];

/** Whether a visit is in the building and not yet finished (arrived, called or in session). */
export function isActive(status: VisitStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** Whether the patient occupies a room: called into it or in session there. */
export function isInRoom(status: VisitStatus): boolean {
  return status === 'called' || status === 'in_session';
}

/** Whether a visit is finished for good (done or cancelled); a no-show can still arrive late. */
export function isClosed(status: VisitStatus): boolean {
  return status === 'done' || status === 'cancelled';
}

/** How a patient checked in: face at the kiosk, booking code at the kiosk, or by reception. */
export const CHECK_IN_METHODS = ['face', 'code', 'desk'] as const;
export type CheckInMethod = (typeof CHECK_IN_METHODS)[number];

/** The check-in methods the kiosk offers (reception uses 'desk'). */
export const KIOSK_CHECK_IN_METHODS = ['face', 'code'] as const satisfies readonly CheckInMethod[];
export type KioskCheckInMethod = (typeof KIOSK_CHECK_IN_METHODS)[number];

/** Which timestamp column a transition stamps (null: none). */
export function timestampFor(
  to: VisitStatus,
): 'arrived_at' | 'called_at' | 'session_started_at' | 'ended_at' | null {
  switch (to) {
    case 'arrived':
      return 'arrived_at';
    case 'called':
      return 'called_at';
    case 'in_session':
      return 'session_started_at';
    case 'done':
      return 'ended_at';
    default:
      return null;
  }
}

/**
 * Ticket text for the n-th check-in of a clinic day (1-based): 'A' + at least 3 digits ('A007', 'A1000').
 * Public screens may show it instead of a name (name policy 'ticket').
 */
export function formatTicket(n: number): string {
  return `A${String(n).padStart(3, '0')}`;
}

/** Alerts of a row on the desk board: kept waiting too long, or booked and not here yet. */
export const BOARD_ALERTS = ['waiting_long', 'late'] as const;
export type BoardAlert = (typeof BOARD_ALERTS)[number];

/** What `boardAlert` reads of a visit (times ISO-8601 UTC). */
export interface AlertInput {
  status: VisitStatus;
  startsAt: string;
  arrivedAt: string | null;
}

/** The thresholds of `boardAlert`, in minutes (clinic settings `waitAlertMin`, `lateAlertMin`). */
export interface AlertThresholds {
  waitAlertMin: number;
  lateAlertMin: number;
}

const MINUTE_MS = 60_000;

/**
 * Whole minutes from `fromIso` to `nowMs` (floored, never negative); null without `fromIso`. The desk's
 * "waiting for" timer, from the check-in.
 */
export function minutesSince(fromIso: string | null, nowMs: number): number | null {
  if (!fromIso) return null;
  return Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / MINUTE_MS));
}

/**
 * The board's alert for a visit at `nowMs`, or null:
 * - 'waiting_long': checked in (status arrived) and waiting at least `waitAlertMin` minutes since the
 *   booked time or the arrival, whichever is later (a patient who came 40 minutes early is not being kept
 *   waiting before their time; a walk-in's booked time is its arrival);
 * - 'late': booked (status scheduled) and not checked in `lateAlertMin` minutes after the booked time.
 * A called, in-session or finished visit has no alert.
 */
export function boardAlert(v: AlertInput, nowMs: number, t: AlertThresholds): BoardAlert | null {
  const startsAt = Date.parse(v.startsAt);
  if (v.status === 'scheduled') return nowMs - startsAt >= t.lateAlertMin * MINUTE_MS ? 'late' : null;
  if (v.status === 'arrived' && v.arrivedAt) {
    const since = Math.max(startsAt, Date.parse(v.arrivedAt));
    return nowMs - since >= t.waitAlertMin * MINUTE_MS ? 'waiting_long' : null;
  }
  return null;
}

/**
 * Statuses a board move (another room or practitioner) applies to: a patient in the building, waiting or
 * called. A booking not yet checked in moves through the calendar, under its availability rules.
 */
export const MOVABLE_STATUSES: readonly VisitStatus[] = ['arrived', 'called'];

/** Whether a visit in `status` may be moved to another room or practitioner. */
export function isMovable(status: VisitStatus): boolean {
  return MOVABLE_STATUSES.includes(status);
}

/** How long a board action can be undone by whoever did it, ms (one minute). */
export const UNDO_WINDOW_MS = 60_000;
