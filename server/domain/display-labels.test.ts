/** Small tests of the display's label collisions and call expiry (server/domain/display-labels.ts). */
import { describe, expect, it } from 'vitest';
import { isCallShowing, labelKey, markCollisions } from './display-labels.ts';

describe('markCollisions', () => {
  it('shows the ticket beside every entry of a colliding label, and only there', () => {
    const marked = markCollisions([
      { label: 'Ana S.', ticket: 'A012' },
      { label: 'Rui B.', ticket: 'A013' },
      { label: 'Ana S.', ticket: 'A003' },
    ]);
    expect(marked.map((e) => [e.label, e.ticket, e.showTicket])).toEqual([
      ['Ana S.', 'A012', true],
      ['Rui B.', 'A013', false],
      ['Ana S.', 'A003', true],
    ]);
  });

  it('compares labels as they read: case, accents and spacing ignored', () => {
    expect(labelKey(' Ána  s. ')).toBe('ana s.');
    const marked = markCollisions([
      { label: 'Ana S.', ticket: 'A001' },
      { label: 'Ána  S.', ticket: 'A002' },
      { label: 'Ana M.', ticket: 'A003' },
    ]);
    expect(marked.map((e) => e.showTicket)).toEqual([true, true, false]);
  });

  it('never marks an entry without a ticket or whose label is the ticket', () => {
    expect(
      markCollisions([
        { label: 'Ana S.', ticket: null },
        { label: 'Ana S.', ticket: '' },
        { label: '—', ticket: null },
        { label: '—', ticket: null },
        { label: 'A001', ticket: 'A001' },
      ]).map((e) => e.showTicket),
    ).toEqual([false, false, false, false, false]);
  });

  it('keeps the other fields and the order, and copies rather than mutates', () => {
    const input = [{ label: 'Rui B.', ticket: 'A001', id: 'x' }];
    const marked = markCollisions(input);
    expect(marked).toEqual([{ label: 'Rui B.', ticket: 'A001', id: 'x', showTicket: false }]);
    expect(marked[0]).not.toBe(input[0]);
    expect(markCollisions([])).toEqual([]);
  });
});

describe('isCallShowing', () => {
  const CALLED = Date.parse('2026-11-21T10:00:00Z');
  const FIVE_MIN = 5 * 60_000;
  it('shows a call until exactly displayMs after it, then not', () => {
    expect(isCallShowing(CALLED, CALLED, FIVE_MIN)).toBe(true);
    expect(isCallShowing(CALLED, CALLED + FIVE_MIN - 1, FIVE_MIN)).toBe(true);
    expect(isCallShowing(CALLED, CALLED + FIVE_MIN, FIVE_MIN)).toBe(false);
    expect(isCallShowing(CALLED, CALLED + FIVE_MIN + 1, FIVE_MIN)).toBe(false);
  });
  it('shows a call stamped slightly in the future (clock adjusted)', () => {
    expect(isCallShowing(CALLED + 1_000, CALLED, FIVE_MIN)).toBe(true);
  });
});
