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

export function canTransition(from: VisitStatus, to: VisitStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: VisitStatus): readonly VisitStatus[] {
  return TRANSITIONS[from];
}

/** Statuses of a patient who is in the building and not yet finished. */
export const ACTIVE_STATUSES: readonly VisitStatus[] = ['arrived', 'called', 'in_session'];

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
