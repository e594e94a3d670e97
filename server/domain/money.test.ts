/** Small tests of money in integer cents: formatting, exact parsing, VAT rounding. */
import { describe, expect, it } from 'vitest';
import { cents, centsToDecimal, formatEuros, parseEuros, vatCents } from './money.ts';

const NBSP = '\u00a0'; // what Node 20's pt-PT Intl puts before '€' and between thousands (not U+202F)

describe('cents schema', () => {
  it('accepts non-negative safe integers', () => {
    expect(cents.parse(0)).toBe(0);
    expect(cents.parse(1250)).toBe(1250);
    expect(cents.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects fractions, negatives, unsafe integers and strings', () => {
    for (const bad of [12.5, -1, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity, '1250']) {
      expect(cents.safeParse(bad).success).toBe(false);
    }
  });
});

describe('formatEuros', () => {
  it('prints pt-PT with a comma and a no-break space (U+00A0) before €', () => {
    expect(formatEuros(1250, 'pt')).toBe(`12,50${NBSP}€`);
    expect(formatEuros(1250, 'pt').charCodeAt(5)).toBe(0x00a0);
    expect(formatEuros(0, 'pt')).toBe(`0,00${NBSP}€`);
    expect(formatEuros(5, 'pt')).toBe(`0,05${NBSP}€`);
  });

  it('groups pt-PT thousands with U+00A0 only from 10 000 up', () => {
    expect(formatEuros(123456, 'pt')).toBe(`1234,56${NBSP}€`);
    expect(formatEuros(1234567, 'pt')).toBe(`12${NBSP}345,67${NBSP}€`);
  });

  it('prints en-GB with a leading € and comma thousands', () => {
    expect(formatEuros(1250, 'en')).toBe('€12.50');
    expect(formatEuros(5, 'en')).toBe('€0.05');
    expect(formatEuros(123456, 'en')).toBe('€1,234.56');
  });

  it('keeps the sign of refunds', () => {
    expect(formatEuros(-1250, 'pt')).toBe(`-12,50${NBSP}€`);
    expect(formatEuros(-1250, 'en')).toBe('-€12.50');
  });

  it('formats the largest safe amount to the exact cent (cents / 100 as a float would print ,90)', () => {
    // MAX_SAFE_INTEGER = 9007199254740991 cents = €90 071 992 547 409.91
    expect(formatEuros(Number.MAX_SAFE_INTEGER, 'en')).toBe('€90,071,992,547,409.91');
  });

  it('throws RangeError on non-integer or unsafe cents', () => {
    expect(() => formatEuros(12.5, 'pt')).toThrow(RangeError);
    expect(() => formatEuros(Number.NaN, 'en')).toThrow(RangeError);
    expect(() => formatEuros(Number.MAX_SAFE_INTEGER + 1, 'en')).toThrow(RangeError);
  });
});

describe('parseEuros', () => {
  it('reads the accepted spellings of €12.50 as 1250 cents', () => {
    for (const text of ['12,50', '12.50', '12,5', '€ 12,50', '€12.50', '12,50 €', ` 12,50${NBSP}€ `]) {
      expect(parseEuros(text)).toBe(1250);
    }
    expect(parseEuros('12')).toBe(1200);
    expect(parseEuros('0')).toBe(0);
    expect(parseEuros('0,05')).toBe(5);
    expect(parseEuros('007,10')).toBe(710);
  });

  it('reads digits, so float traps come out exact', () => {
    // parseFloat('0.29') * 100 = 28.999999999999996; parseFloat('4.35') * 100 = 434.99999999999994
    expect(parseEuros('0,29')).toBe(29);
    expect(parseEuros('4.35')).toBe(435);
    expect(parseEuros('1,15')).toBe(115);
    expect(parseEuros('0,30')).toBe(30); // 0.1 + 0.2 = 0.30000000000000004
  });

  it('round-trips what formatEuros prints below 10 000 €', () => {
    for (const amount of [0, 29, 1250, 123456]) {
      expect(parseEuros(formatEuros(amount, 'pt'))).toBe(amount);
      if (amount < 100000) expect(parseEuros(formatEuros(amount, 'en'))).toBe(amount);
    }
  });

  it('accepts the largest safe amount and rejects one cent more', () => {
    expect(parseEuros('90071992547409,91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseEuros('90071992547409,92')).toThrow(RangeError);
    expect(() => parseEuros('9'.repeat(30))).toThrow(RangeError);
  });

  it('throws RangeError on negatives, more than two decimals, thousands separators and garbage', () => {
    const bad = [
      '',
      '   ',
      '€',
      '-12,50',
      '+12',
      '1.005',
      '12,505',
      '1.234,56',
      '1 234,56',
      '12,',
      ',50',
      '12,,50',
      '12.5.0',
      'abc',
      '12 EUR',
      '€€12',
      '1e3',
      '0x10',
      'Infinity',
      'NaN',
    ];
    for (const text of bad) expect(() => parseEuros(text), JSON.stringify(text)).toThrow(RangeError);
  });
});

describe('vatCents (half a cent rounds away from zero)', () => {
  it('computes exact rates', () => {
    expect(vatCents(1000, 23)).toBe(230);
    expect(vatCents(1250, 6)).toBe(75);
    expect(vatCents(0, 23)).toBe(0);
    expect(vatCents(1000, 0)).toBe(0);
    expect(vatCents(1000, 100)).toBe(1000);
  });

  it('rounds below half down and half up', () => {
    expect(vatCents(1, 23)).toBe(0); // 0.23
    expect(vatCents(2, 23)).toBe(0); // 0.46
    expect(vatCents(3, 23)).toBe(1); // 0.69
    expect(vatCents(50, 23)).toBe(12); // 11.5 → 12
    expect(vatCents(25, 6)).toBe(2); // 1.5 → 2
    expect(vatCents(50, 13)).toBe(7); // 6.5 → 7
    expect(vatCents(1999, 23)).toBe(460); // 459.77
  });

  it('rounds a negative half away from zero (Math.round(-11.5) would give -11)', () => {
    expect(vatCents(-50, 23)).toBe(-12);
    expect(vatCents(-1000, 23)).toBe(-230);
    expect(Object.is(vatCents(-1, 23), 0)).toBe(true); // -0.23 → 0, not -0
  });

  it('takes rates with up to two decimals', () => {
    expect(vatCents(1000, 3.5)).toBe(35);
    expect(vatCents(1000, 5.25)).toBe(53); // 52.5 → 53
    expect(vatCents(30, 0.1)).toBe(0); // 0.03; 0.1 * 100 = 10.000000000000002 still reads as 10 bp
  });

  it('stays exact at the largest safe net amount', () => {
    // 9007199254740991 × 23 / 100 = 2071655828590427.93 → 2071655828590428
    expect(vatCents(Number.MAX_SAFE_INTEGER, 23)).toBe(2071655828590428);
  });

  it('throws RangeError on a bad net amount or rate', () => {
    expect(() => vatCents(12.5, 23)).toThrow(RangeError);
    expect(() => vatCents(Number.MAX_SAFE_INTEGER + 1, 23)).toThrow(RangeError);
    for (const rate of [-1, 100.01, 23.125, Number.NaN, Infinity]) {
      expect(() => vatCents(1000, rate), String(rate)).toThrow(RangeError);
    }
  });
});

describe('centsToDecimal', () => {
  it('writes cents as a dot decimal with two places, exactly', () => {
    expect([1250, 10, 0, 100000, -1250, 99_999_999].map(centsToDecimal)).toEqual([
      '12.50',
      '0.10',
      '0.00',
      '1000.00',
      '-12.50',
      '999999.99',
    ]);
    expect(centsToDecimal(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
    expect(() => centsToDecimal(1.5)).toThrow(RangeError);
  });
});
