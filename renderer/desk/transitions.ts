/**
 * Which action buttons a row offers, per the visit state machine. The table mirrors
 * server/domain/visit.ts (renderer/ may not import server modules at run time); the server still
 * enforces every move, so a stale copy can only hide or show a button, never break the data.
 */
import type { VisitStatus } from '../shared/types.ts';

export type RowAction = 'check-in' | 'call' | 'requeue' | 'start' | 'done' | 'no-show' | 'cancel';

/** Mirror of TRANSITIONS in server/domain/visit.ts. */
const TRANSITIONS: Record<VisitStatus, readonly VisitStatus[]> = {
  scheduled: ['arrived', 'no_show', 'cancelled'],
  arrived: ['called', 'no_show', 'cancelled'],
  called: ['in_session', 'arrived', 'no_show'],
  in_session: ['done'],
  done: [],
  no_show: ['arrived'],
  cancelled: [],
};

/** Target status of each action; check-in and requeue both go to `arrived`, from different states. */
export const ACTION_TARGET: Record<RowAction, VisitStatus> = {
  'check-in': 'arrived',
  call: 'called',
  requeue: 'arrived',
  start: 'in_session',
  done: 'done',
  'no-show': 'no_show',
  cancel: 'cancelled',
};

const ORDER: readonly RowAction[] = ['check-in', 'call', 'start', 'done', 'requeue', 'no-show', 'cancel'];

export function rowActions(status: VisitStatus): RowAction[] {
  return ORDER.filter((action) => {
    if (!TRANSITIONS[status].includes(ACTION_TARGET[action])) return false;
    if (action === 'check-in') return status === 'scheduled' || status === 'no_show';
    if (action === 'requeue') return status === 'called';
    return true;
  });
}

/** Finished rows, hidden by the "hide done and cancelled" filter. */
export const isClosed = (status: VisitStatus): boolean => status === 'done' || status === 'cancelled';
