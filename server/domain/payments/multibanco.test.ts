/**
 * Tests for Multibanco check digits (multibanco.ts): the worked examples of payments-pt.md, range
 * errors, and properties over generated references (fast-check).
 *
 * What the properties may claim, mathematically: CC = 98 − ((N × 100) mod 97) with N = entity ‖ first 7
 * ‖ amount (20 digits). Since (N × 100) mod 97 lies in 0…96, CC lies in 2…98 and distinct residues give
 * distinct CC. Changing one digit of N by d (1 ≤ |d| ≤ 9) at place 10^k changes N by d·10^k, which 97
 * (prime, coprime to 10 and larger than 9) never divides, so the residue and CC change. Changing the
 * amount by Δ cents changes the residue iff 97 ∤ Δ: a change of 1 cent always breaks the reference, a
 * change of exactly 97 cents (or any multiple) collides and keeps the same check digits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MULTIBANCO_MAX_CENTS,
  formatMultibancoReference,
  isValidMultibancoReference,
  multibancoCheckDigits,
  multibancoReference,
} from './multibanco.ts';

describe('worked examples (payments-pt.md)', () => {
  it('90150 / 1231234 / €432.11 → 51 → 123 123 451', () => {
    expect(multibancoCheckDigits('90150', '1231234', 43211)).toBe('51');
    expect(multibancoReference('90150', '1231234', 43211)).toBe('123123451');
    expect(formatMultibancoReference('123123451')).toBe('123 123 451');
    expect(isValidMultibancoReference('90150', '123123451', 43211)).toBe(true);
    expect(isValidMultibancoReference('90150', '123 123 451', 43211)).toBe(true);
  });

  it('12345 / 1230001 / €10.00 → 18', () => {
    expect(multibancoCheckDigits('12345', '1230001', 1000)).toBe('18');
    expect(multibancoReference('12345', '1230001', 1000)).toBe('123000118');
    expect(isValidMultibancoReference('12345', '123000118', 1000)).toBe(true);
  });

  it('pads single-digit check digits and takes the edges of the amount range', () => {
    // Computed independently: 98 − ((N × 100) mod 97) for each N.
    expect(multibancoCheckDigits('00000', '0000000', 0)).toBe('98');
    expect(multibancoCheckDigits('99999', '9999999', MULTIBANCO_MAX_CENTS)).toBe('76');
    expect(multibancoCheckDigits('12345', '1230001', 1003)).toBe('09');
  });
});

describe('range errors', () => {
  it.each([
    ['1234', '1231234', 100, 'entity must be 5 digits, got "1234"'],
    ['123456', '1231234', 100, 'entity must be 5 digits, got "123456"'],
    ['9015a', '1231234', 100, 'entity must be 5 digits, got "9015a"'],
    ['90150', '123123', 100, 'reference prefix must be 7 digits, got "123123"'],
    ['90150', '12312345', 100, 'reference prefix must be 7 digits, got "12312345"'],
    ['90150', '1231234', -1, 'amount must be integer cents in 0…99999999, got -1'],
    ['90150', '1231234', 12.5, 'amount must be integer cents in 0…99999999, got 12.5'],
    ['90150', '1231234', 100_000_000, 'amount must be integer cents in 0…99999999, got 100000000'],
    ['90150', '1231234', Number.NaN, 'amount must be integer cents in 0…99999999, got NaN'],
  ])('multibancoCheckDigits(%j, %j, %j) throws RangeError', (entity, first7, cents, message) => {
    expect(() => multibancoCheckDigits(entity, first7, cents)).toThrowError(new RangeError(message));
    expect(() => multibancoCheckDigits(entity, first7, cents)).toThrow(RangeError);
  });

  it('isValidMultibancoReference answers false instead of throwing', () => {
    expect(isValidMultibancoReference('9015', '123123451', 43211)).toBe(false);
    expect(isValidMultibancoReference('90150', '12312345', 43211)).toBe(false);
    expect(isValidMultibancoReference('90150', '123123451', -1)).toBe(false);
    expect(isValidMultibancoReference('90150', '123123451', 100_000_000)).toBe(false);
  });
});

const entityArb = fc.stringMatching(/^\d{5}$/);
const first7Arb = fc.stringMatching(/^\d{7}$/);
const centsArb = fc.integer({ min: 0, max: MULTIBANCO_MAX_CENTS });

/** `s` with the digit at `index` replaced by a different digit (`shift` 1…9 added mod 10). */
function changeDigit(s: string, index: number, shift: number): string {
  const digit = (Number(s[index]) + shift) % 10;
  return s.slice(0, index) + String(digit) + s.slice(index + 1);
}

describe('properties', () => {
  it('every generated reference validates and has 9 digits', () => {
    fc.assert(
      fc.property(entityArb, first7Arb, centsArb, (entity, first7, cents) => {
        const ref = multibancoReference(entity, first7, cents);
        expect(ref).toMatch(/^\d{9}$/);
        expect(ref.slice(0, 7)).toBe(first7);
        expect(isValidMultibancoReference(entity, ref, cents)).toBe(true);
      }),
    );
  });

  it('changing any one digit of the 9-digit reference makes it invalid', () => {
    fc.assert(
      fc.property(
        entityArb,
        first7Arb,
        centsArb,
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (entity, first7, cents, index, shift) => {
          const ref = multibancoReference(entity, first7, cents);
          expect(isValidMultibancoReference(entity, changeDigit(ref, index, shift), cents)).toBe(false);
        },
      ),
    );
  });

  it('changing any one digit of the entity makes it invalid', () => {
    fc.assert(
      fc.property(
        entityArb,
        first7Arb,
        centsArb,
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        (entity, first7, cents, index, shift) => {
          const ref = multibancoReference(entity, first7, cents);
          expect(isValidMultibancoReference(changeDigit(entity, index, shift), ref, cents)).toBe(false);
        },
      ),
    );
  });

  it('an amount 1 cent higher or lower always makes it invalid', () => {
    fc.assert(
      fc.property(
        entityArb,
        first7Arb,
        fc.integer({ min: 1, max: MULTIBANCO_MAX_CENTS - 1 }),
        (e, f, cents) => {
          const ref = multibancoReference(e, f, cents);
          expect(isValidMultibancoReference(e, ref, cents + 1)).toBe(false);
          expect(isValidMultibancoReference(e, ref, cents - 1)).toBe(false);
        },
      ),
    );
  });

  it('an amount change that is not a multiple of 97 cents makes it invalid; a multiple of 97 collides', () => {
    fc.assert(
      fc.property(entityArb, first7Arb, centsArb, centsArb, (e, f, a, b) => {
        const ref = multibancoReference(e, f, a);
        expect(isValidMultibancoReference(e, ref, b)).toBe((b - a) % 97 === 0);
      }),
    );
    // The collision is real: €432.11 and €433.08 (97 cents apart) share the check digits 51.
    expect(multibancoCheckDigits('90150', '1231234', 43211 + 97)).toBe('51');
    expect(isValidMultibancoReference('90150', '123123451', 43308)).toBe(true);
  });
});
