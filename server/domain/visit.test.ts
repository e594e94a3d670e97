import { describe, expect, it } from 'vitest';
import { VISIT_STATUSES, canTransition, timestampFor } from './visit.ts';

describe('visit state machine', () => {
  it('allows the normal path scheduled → arrived → called → in_session → done', () => {
    expect(canTransition('scheduled', 'arrived')).toBe(true);
    expect(canTransition('arrived', 'called')).toBe(true);
    expect(canTransition('called', 'in_session')).toBe(true);
    expect(canTransition('in_session', 'done')).toBe(true);
  });

  it('rejects skipping steps and leaving terminal states', () => {
    expect(canTransition('scheduled', 'called')).toBe(false);
    expect(canTransition('scheduled', 'in_session')).toBe(false);
    expect(canTransition('arrived', 'done')).toBe(false);
    for (const to of VISIT_STATUSES) {
      expect(canTransition('done', to)).toBe(false);
      expect(canTransition('cancelled', to)).toBe(false);
    }
  });

  it('lets a late arrival correct a no-show and a called patient go back to the queue', () => {
    expect(canTransition('no_show', 'arrived')).toBe(true);
    expect(canTransition('called', 'arrived')).toBe(true);
    expect(canTransition('in_session', 'no_show')).toBe(false);
  });

  it('stamps the matching timestamp column', () => {
    expect(timestampFor('arrived')).toBe('arrived_at');
    expect(timestampFor('in_session')).toBe('session_started_at');
    expect(timestampFor('cancelled')).toBeNull();
  });
});
