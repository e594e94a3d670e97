/** Small tests of the booking flow's URL state. */
import { describe, expect, it } from 'vitest';
import { bookHref, readBookParams } from './params.ts';

describe('booking parameters', () => {
  it('round-trips through the URL, leaving out what is not chosen', () => {
    const href = bookHref({ specialty: 'massage', practitioner: 'any', from: '2026-12-07', day: null });
    expect(href).toBe('/book?specialty=massage&practitioner=any&from=2026-12-07');
    const params = readBookParams(new URLSearchParams(href.split('?')[1]));
    expect(params).toEqual({
      clinic: null,
      specialty: 'massage',
      practitioner: 'any',
      language: null,
      from: '2026-12-07',
      day: null,
      hold: null,
      reschedule: null,
    });
  });

  it('is the bare page with nothing chosen', () => {
    expect(bookHref({})).toBe('/book');
  });
});
