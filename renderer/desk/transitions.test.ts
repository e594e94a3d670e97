/** Small tests of which buttons a board row offers, per visit status. */
import { describe, expect, it } from 'vitest';
import { VISIT_STATUSES } from '../../server/domain/visit.ts';
import { extraActions, rowActions } from './transitions.ts';

describe('row actions', () => {
  it('offers the state machine moves, recall when called and move while waiting or called', () => {
    expect(
      Object.fromEntries(VISIT_STATUSES.map((s) => [s, [...rowActions(s), ...extraActions(s)]])),
    ).toEqual({
      scheduled: ['check-in', 'no-show', 'cancel'],
      arrived: ['call', 'no-show', 'cancel', 'move'],
      called: ['start', 'requeue', 'no-show', 'recall', 'move'],
      in_session: ['done'],
      done: [],
      no_show: ['check-in'],
      cancelled: [],
    });
  });
});
