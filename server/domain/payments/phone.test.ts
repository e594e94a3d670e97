/**
 * Tests for payment phone numbers (phone.ts): the tables of payments-pt.md, the typed forms a patient
 * uses, foreign numbers through libphonenumber-js, masking, and properties over generated numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, parseMbwayPhone, parseSmsPhone } from './phone.ts';

const PT_LANDLINE_MESSAGE =
  'This is a Portuguese landline (it starts with 2): MB WAY needs a mobile number starting with 91, 92, 93 or 96.';
const PT_INVALID_MESSAGE =
  'Not a Portuguese mobile number: expected 9 digits starting with 91, 92, 93 or 96.';
const INVALID_MESSAGE =
  'Not a valid mobile number: enter 9 digits starting with 91, 92, 93 or 96, or a foreign mobile with its country code (+34 …).';

describe('parseMbwayPhone: Portuguese mobiles (payments-pt.md)', () => {
  it.each([
    ['912345678', '912345678'],
    ['+351912345678', '912345678'],
    ['962345678', '962345678'],
    ['932345678', '932345678'],
    ['922345678', '922345678'],
    ['00351 912 345 678', '912345678'],
    ['+351 91-234-5678', '912345678'],
    ['(+351) 912.345.678', '912345678'],
    ['351912345678', '912345678'],
    [' 912 345 678 ', '912345678'],
    ['912\u00a0345\u00a0678', '912345678'],
  ])('%j → %s', (input, national) => {
    expect(parseMbwayPhone(input)).toEqual({
      ok: true,
      national,
      e164: `+351${national}`,
      wire: `351#${national}`,
    });
  });
});

describe('parseMbwayPhone: errors', () => {
  it.each([
    ['942345678', 'phone_invalid', PT_INVALID_MESSAGE],
    ['300000000', 'phone_invalid', PT_INVALID_MESSAGE],
    ['212345678', 'phone_landline', PT_LANDLINE_MESSAGE],
    ['+351 21 234 5678', 'phone_landline', PT_LANDLINE_MESSAGE],
    ['', 'phone_invalid', 'No phone number was given: enter a mobile number.'],
    ['   ', 'phone_invalid', 'No phone number was given: enter a mobile number.'],
    ['abc', 'phone_invalid', INVALID_MESSAGE],
    ['91234567', 'phone_invalid', INVALID_MESSAGE],
    ['9123456789', 'phone_invalid', INVALID_MESSAGE],
    ['+3519123456', 'phone_invalid', INVALID_MESSAGE],
    ['+999123456789', 'phone_invalid', INVALID_MESSAGE],
    ['+34912345678', 'phone_landline', 'This is a landline: MB WAY needs a mobile number.'],
    ['+49 30 12345678', 'phone_landline', 'This is a landline: MB WAY needs a mobile number.'],
  ])('%j → %s', (input, code, message) => {
    expect(parseMbwayPhone(input)).toEqual({ ok: false, code, message });
  });
});

describe('parseMbwayPhone: foreign mobiles (libphonenumber-js)', () => {
  it.each([
    ['+34 612 345 678', '612345678', '+34612345678', '34#612345678'],
    ['0034612345678', '612345678', '+34612345678', '34#612345678'],
    ['+44 7911 123456', '7911123456', '+447911123456', '44#7911123456'],
    ['+33 6 12 34 56 78', '612345678', '+33612345678', '33#612345678'],
    // FIXED_LINE_OR_MOBILE: the North American plan does not tell the two apart.
    ['+1 (201) 555-0123', '2015550123', '+12015550123', '1#2015550123'],
  ])('%j → %s', (input, national, e164, wire) => {
    expect(parseMbwayPhone(input)).toEqual({ ok: true, national, e164, wire });
  });
});

describe('parseSmsPhone', () => {
  it('returns the E.164 form of any accepted mobile', () => {
    expect(parseSmsPhone('912 345 678')).toEqual({ ok: true, e164: '+351912345678' });
    expect(parseSmsPhone('+34 612 345 678')).toEqual({ ok: true, e164: '+34612345678' });
  });

  it('passes the errors through', () => {
    expect(parseSmsPhone('212345678')).toEqual({
      ok: false,
      code: 'phone_landline',
      message: PT_LANDLINE_MESSAGE,
    });
    expect(parseSmsPhone('abc')).toEqual({ ok: false, code: 'phone_invalid', message: INVALID_MESSAGE });
  });
});

describe('maskPhone', () => {
  it.each([
    ['+351912345678', '+351 9•• ••• 678'],
    ['+351962345678', '+351 9•• ••• 678'],
    ['+351932000123', '+351 9•• ••• 123'],
    ['+34612345678', '+34 6•• ••• 678'],
    ['+447911123456', '+44 7 ••• ••• 456'],
    ['+12015550123', '+1 2 ••• ••• 123'],
  ])('%s → %s', (e164, masked) => {
    expect(maskPhone(e164)).toBe(masked);
  });

  it.each([['912345678'], ['+351'], [''], ['+351 912 345 678']])('throws RangeError on %j', (input) => {
    expect(() => maskPhone(input)).toThrowError(
      new RangeError(`not an E.164 phone number: ${JSON.stringify(input)}`),
    );
  });
});

/** A typed form of a 9-digit national number: optional country prefix and separators. */
function typed(national: string, prefix: string, sep: string): string {
  return `${prefix}${national.slice(0, 3)}${sep}${national.slice(3, 6)}${sep}${national.slice(6)}`;
}

const prefixArb = fc.constantFrom('', '+351', '+351 ', '00351', '00351 ', '351', '(+351) ');
const sepArb = fc.constantFrom('', ' ', '.', '-', '  ');

describe('properties', () => {
  it('every 9[1236]xxxxxxx mobile, however typed, parses to the same three forms and masks to its last 3', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^9[1236]\d{7}$/), prefixArb, sepArb, (national, prefix, sep) => {
        const parsed = parseMbwayPhone(typed(national, prefix, sep));
        expect(parsed).toEqual({ ok: true, national, e164: `+351${national}`, wire: `351#${national}` });
        expect(maskPhone(`+351${national}`)).toBe(`+351 9•• ••• ${national.slice(6)}`);
      }),
    );
  });

  it('every 2xxxxxxxx number, however typed, is a landline', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^2\d{8}$/), prefixArb, sepArb, (national, prefix, sep) => {
        expect(parseMbwayPhone(typed(national, prefix, sep))).toEqual({
          ok: false,
          code: 'phone_landline',
          message: PT_LANDLINE_MESSAGE,
        });
      }),
    );
  });

  it('no 9-digit Portuguese number outside 91/92/93/96 and 2x is accepted', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(?:9[04578]|[013-8]\d)\d{7}$/), (national) => {
        expect(parseMbwayPhone(national)).toEqual({
          ok: false,
          code: 'phone_invalid',
          message: PT_INVALID_MESSAGE,
        });
      }),
    );
  });
});
