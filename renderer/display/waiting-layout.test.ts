/** Small tests of the waiting list's layout and of the label fitting (scale, short form). */
import { describe, expect, it } from 'vitest';
import { fitScale, MIN_FIT_SCALE, shortLabel } from './fit-text.ts';
import { MAX_SHOWN, waitingLayout } from './waiting-layout.ts';

describe('waitingLayout', () => {
  it('is one column of at least 10 rows up to 10 patients', () => {
    expect(waitingLayout(0)).toEqual({ shown: 0, hidden: 0, cols: 1, rows: 10 });
    expect(waitingLayout(3)).toEqual({ shown: 3, hidden: 0, cols: 1, rows: 10 });
    expect(waitingLayout(10)).toEqual({ shown: 10, hidden: 0, cols: 1, rows: 10 });
  });
  it('is two columns beyond 10, all 40 of a busy day listed in 20 rows', () => {
    expect(waitingLayout(11)).toEqual({ shown: 11, hidden: 0, cols: 2, rows: 10 });
    expect(waitingLayout(25)).toEqual({ shown: 25, hidden: 0, cols: 2, rows: 13 });
    expect(waitingLayout(40)).toEqual({ shown: 40, hidden: 0, cols: 2, rows: 20 });
  });
  it('summarises the patients past MAX_SHOWN', () => {
    expect(waitingLayout(47)).toEqual({ shown: MAX_SHOWN, hidden: 7, cols: 2, rows: 20 });
  });
});

describe('fitScale', () => {
  it('leaves a label that fits (or a hidden box) at full size', () => {
    expect(fitScale(200, 200)).toBe(1);
    expect(fitScale(200, 120)).toBe(1);
    expect(fitScale(0, 120)).toBe(1);
  });
  it('shrinks an overflowing label to fit, rounded down to 1/100', () => {
    expect(fitScale(200, 300)).toBe(0.66);
    expect(fitScale(300, 301)).toBe(0.99);
  });
  it('never below the floor (then the ellipsis shows)', () => {
    expect(fitScale(100, 1000)).toBe(MIN_FIT_SCALE);
    expect(fitScale(100, 1000, 0.4)).toBe(0.4);
  });
});

describe('shortLabel', () => {
  it('drops whole words, keeping the first part and the surname initial', () => {
    expect(shortLabel('Maximiliana-Conceição V.')).toBe('Maximiliana… V.');
    expect(shortLabel('Bartolomeu-Henrique A.')).toBe('Bartolomeu… A.');
    expect(shortLabel('Bartolomeu Henrique A.')).toBe('Bartolomeu… A.');
    expect(shortLabel('Ana-Rita')).toBe('Ana…');
  });
  it('has no shorter form for a plain first name + initial, initials or a ticket', () => {
    for (const label of ['Ana S.', 'Maximiliano V.', 'A. S.', 'A012', '—'])
      expect(shortLabel(label)).toBe(label);
  });
});
