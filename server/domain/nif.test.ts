/** Small tests of the Portuguese NIF check digit, on the examples of shared/reference/payments-pt.md. */
import { describe, expect, it } from 'vitest';
import { CONSUMIDOR_FINAL_NIF, isValidNif, nif, nifCheckDigit, normaliseNif } from './nif.ts';

describe('nifCheckDigit', () => {
  it('matches a hand-computed case', () => {
    // 501964843: S = 9·5 + 8·0 + 7·1 + 6·9 + 5·6 + 4·4 + 3·8 + 2·4
    //              = 45 + 0 + 7 + 54 + 30 + 16 + 24 + 8 = 184
    // r = 184 mod 11 = 184 − 16·11 = 8 → d9 = 11 − 8 = 3
    expect(nifCheckDigit('50196484')).toBe(3);
  });

  it('uses 0 when r is 0 or 1', () => {
    // 123456789: S = 9 + 16 + 21 + 24 + 25 + 24 + 21 + 16 = 156, r = 2 → 11 − 2 = 9
    expect(nifCheckDigit('12345678')).toBe(9);
    // 99999999: S = 9 · (9 + 8 + … + 2) = 9 · 44 = 396, r = 0 → 0
    expect(nifCheckDigit('99999999')).toBe(0);
    // 10000010: S = 9·1 + 3·1 = 12, r = 1 → 0
    expect(nifCheckDigit('10000010')).toBe(0);
  });

  it('throws RangeError unless given exactly 8 digits', () => {
    for (const bad of ['', '1234567', '123456789', '1234567a', '1234 567']) {
      expect(() => nifCheckDigit(bad), bad).toThrow(RangeError);
    }
  });
});

describe('normaliseNif', () => {
  it('strips a PT prefix, spaces, dots and dashes', () => {
    expect(normaliseNif('501964843')).toBe('501964843');
    expect(normaliseNif('PT 501 964 843')).toBe('501964843');
    expect(normaliseNif('PT501964843')).toBe('501964843');
    expect(normaliseNif('pt-501.964.843')).toBe('501964843');
    expect(normaliseNif(' 501 964 843 ')).toBe('501964843');
  });

  it('returns null unless 9 digits remain (shape only, no check digit)', () => {
    expect(normaliseNif('501964842')).toBe('501964842');
    for (const bad of [
      '',
      '50196484',
      '5019648431',
      '50196484A',
      'ES501964843',
      'PTPT501964843',
      '501/964/843',
    ]) {
      expect(normaliseNif(bad), bad).toBeNull();
    }
  });
});

describe('isValidNif', () => {
  it('accepts the reference examples', () => {
    expect(isValidNif('501964843')).toBe(true);
    expect(isValidNif('123456789')).toBe(true);
    expect(isValidNif('999999990')).toBe(true);
    expect(isValidNif(CONSUMIDOR_FINAL_NIF)).toBe(true);
    expect(isValidNif('100000100')).toBe(true); // r = 1 → d9 = 0
  });

  it('accepts prefixed and separated input', () => {
    expect(isValidNif('PT 501 964 843')).toBe(true);
    expect(isValidNif('501.964.843')).toBe(true);
  });

  it('rejects a wrong check digit, 8 digits and letters', () => {
    expect(isValidNif('501964842')).toBe(false);
    expect(isValidNif('100000101')).toBe(false);
    expect(isValidNif('50196484')).toBe(false);
    expect(isValidNif('ABCDEFGHI')).toBe(false);
    expect(isValidNif('5019648A3')).toBe(false);
  });
});

describe('nif schema', () => {
  it('outputs the normalised 9 digits', () => {
    expect(nif.parse('PT 501 964 843')).toBe('501964843');
    expect(nif.parse(CONSUMIDOR_FINAL_NIF)).toBe('999999990');
  });

  it('rejects a wrong check digit with "invalid NIF (check digit)"', () => {
    const result = nif.safeParse('501964842');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['invalid NIF (check digit)']);
  });

  it('rejects a wrong shape with one shape message', () => {
    const result = nif.safeParse('50196484');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['invalid NIF (expected 9 digits)']);
    expect(nif.safeParse(501964843).success).toBe(false);
  });
});
