/**
 * Which action buttons a row offers, from the visit state machine in server/domain/visit.ts (pure, shared
 * with the server, which still enforces every move).
 */
import { canTransition, isMovable } from '../../server/domain/visit.ts';
import type { VisitStatus } from '../shared/types.ts';

export type RowAction = 'check-in' | 'call' | 'requeue' | 'start' | 'done' | 'no-show' | 'cancel';

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

/**
 * The buttons a row in `status` shows, in display order: every action whose target `canTransition` allows,
 * with check-in limited to scheduled/no-show rows and requeue to called rows (both target `arrived`).
 */
export function rowActions(status: VisitStatus): RowAction[] {
  return ORDER.filter((action) => {
    if (!canTransition(status, ACTION_TARGET[action])) return false;
    if (action === 'check-in') return status === 'scheduled' || status === 'no_show';
    if (action === 'requeue') return status === 'called';
    return true;
  });
}

/** Row actions beside the state machine's: call again (a called patient), move (room / practitioner). */
export type ExtraAction = 'recall' | 'move';

/** The extra buttons a row in `status` shows: recall when called; move while waiting or called. */
export function extraActions(status: VisitStatus): ExtraAction[] {
  const extras: ExtraAction[] = [];
  if (status === 'called') extras.push('recall');
  if (isMovable(status)) extras.push('move');
  return extras;
}
