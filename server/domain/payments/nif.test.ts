/**
 * Tests for the payment page's NIF rules (nif.ts): the tables of payments-pt.md, the issued ranges, and
 * properties over generated NIFs (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nifCheckDigit } from '../nif.ts';
import { hasIssuedNifPrefix, isValidNif, normaliseNif, parseNif } from './nif.ts';

describe('normaliseNif', () => {
  it.each([
    ['501964843', '501964843'],
    ['PT 501 964 843', '501964843'],
    ['pt501.964-843', '501964843'],
    ['  PT501964843  ', '501964843'],
    ['12345678', null],
    ['1234567890', null],
    ['abc', null],
    ['', null],
    ['50196484X', null],
  ])('%j → %j', (input, expected) => {
    expect(normaliseNif(input)).toBe(expected);
  });
});

describe('isValidNif and parseNif (payments-pt.md tables)', () => {
  it.each([['501964843'], ['123456789'], ['999999990'], ['PT 501 964 843']])('valid: %j', (input) => {
    expect(isValidNif(input)).toBe(true);
  });

  it.each([['501964842'], ['12345678'], ['abc'], [''], ['401964841'], ['921964846']])(
    'invalid: %j',
    (input) => {
      expect(isValidNif(input)).toBe(false);
    },
  );

  it('rejects a right check digit outside the issued ranges', () => {
    // 4019648 + check digit 1 passes mod 11, but 40 is not an issued range (only 45 is).
    expect(nifCheckDigit('40196484')).toBe(1);
    expect(isValidNif('401964841')).toBe(false);
    // 92… has a right check digit too, but 92–97 are not issued.
    expect(nifCheckDigit('92196484')).toBe(6);
    expect(isValidNif('921964846')).toBe(false);
  });

  it('parses to the normalised NIF or nif_invalid', () => {
    expect(parseNif('PT 501 964 843')).toEqual({ ok: true, nif: '501964843' });
    expect(parseNif('999999990')).toEqual({ ok: true, nif: '999999990' });
    expect(parseNif('501964842')).toEqual({ ok: false, code: 'nif_invalid' });
    expect(parseNif('12345678')).toEqual({ ok: false, code: 'nif_invalid' });
    expect(parseNif('abc')).toEqual({ ok: false, code: 'nif_invalid' });
  });
});

describe('hasIssuedNifPrefix', () => {
  it.each([
    ['100000000', true],
    ['200000000', true],
    ['300000000', true],
    ['450000000', true],
    ['500000000', true],
    ['600000000', true],
    ['700000000', true],
    ['710000000', true],
    ['720000000', true],
    ['740000000', true],
    ['750000000', true],
    ['770000000', true],
    ['780000000', true],
    ['790000000', true],
    ['800000000', true],
    ['900000000', true],
    ['910000000', true],
    ['980000000', true],
    ['990000000', true],
    ['000000000', false],
    ['400000000', false],
    ['440000000', false],
    ['730000000', false],
    ['760000000', false],
    ['920000000', false],
    ['970000000', false],
  ])('%s → %s', (nif, expected) => {
    expect(hasIssuedNifPrefix(nif)).toBe(expected);
  });
});

/** 8 leading digits in an issued range: a single-digit range + 7 digits, or a two-digit range + 6. */
const issuedFirst8 = fc.oneof(
  fc
    .tuple(fc.constantFrom('1', '2', '3', '5', '6', '8'), fc.stringMatching(/^\d{7}$/))
    .map(([p, rest]) => p + rest),
  fc
    .tuple(
      fc.constantFrom('45', '70', '71', '72', '74', '75', '77', '78', '79', '90', '91', '98', '99'),
      fc.stringMatching(/^\d{6}$/),
    )
    .map(([p, rest]) => p + rest),
);

describe('properties', () => {
  it('a NIF built with the mod-11 rule validates, with or without PT prefix and separators', () => {
    fc.assert(
      fc.property(issuedFirst8, (first8) => {
        const nif = first8 + String(nifCheckDigit(first8));
        expect(isValidNif(nif)).toBe(true);
        expect(parseNif(`PT ${nif.slice(0, 3)} ${nif.slice(3, 6)} ${nif.slice(6)}`)).toEqual({
          ok: true,
          nif,
        });
      }),
    );
  });

  it('any other check digit fails', () => {
    fc.assert(
      fc.property(issuedFirst8, fc.integer({ min: 1, max: 9 }), (first8, shift) => {
        const wrong = (nifCheckDigit(first8) + shift) % 10;
        expect(isValidNif(first8 + String(wrong))).toBe(false);
        expect(parseNif(first8 + String(wrong))).toEqual({ ok: false, code: 'nif_invalid' });
      }),
    );
  });
});
