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
