/** Small tests of Portuguese mobile numbers (MB WAY), on the examples of shared/reference/payments-pt.md. */
import { describe, expect, it } from 'vitest';
import { formatPtPhone, isPtMobile, mbwayWireFormat, normalisePtMobile, ptMobile } from './phone.ts';

// Examples from shared/reference/payments-pt.md, "MB WAY".
const REFERENCE_VALID = ['912345678', '+351912345678', '962345678', '932345678'];
const REFERENCE_INVALID = ['942345678', '212345678'];

describe('normalisePtMobile', () => {
  it('accepts the reference examples', () => {
    expect(normalisePtMobile('912345678')).toBe('912345678');
    expect(normalisePtMobile('+351912345678')).toBe('912345678');
    expect(normalisePtMobile('962345678')).toBe('962345678');
    expect(normalisePtMobile('932345678')).toBe('932345678');
  });

  it('rejects the reference examples (94x, landline)', () => {
    for (const input of REFERENCE_INVALID) expect(normalisePtMobile(input), input).toBeNull();
  });

  it('strips +351 / 00351 / 351 prefixes, spaces, dots and dashes', () => {
    const variants = [
      '00351912345678',
      '351912345678',
      '+351 912 345 678',
      '00351 912 345 678',
      '912 345 678',
      '912.345.678',
      '912-345-678',
      ' +351-912.345 678 ',
      '912\u00a0345\u00a0678',
    ];
    for (const input of variants) expect(normalisePtMobile(input), input).toBe('912345678');
    expect(normalisePtMobile('+351 92 123 4567')).toBe('921234567');
  });

  it('rejects wrong lengths, other prefixes and other characters', () => {
    const bad = [
      '',
      '91234567',
      '9123456789',
      '+35191234567',
      '+34912345678',
      '+3512912345678',
      '0912345678',
      '351 942 345 678',
      '+351 212 345 678',
      '(912) 345 678',
      '912/345/678',
      '91234567a',
      '++351912345678',
    ];
    for (const input of bad) expect(normalisePtMobile(input), input).toBeNull();
  });
});

describe('isPtMobile', () => {
  it('matches the reference valid/invalid lists', () => {
    for (const input of REFERENCE_VALID) expect(isPtMobile(input), input).toBe(true);
    for (const input of REFERENCE_INVALID) expect(isPtMobile(input), input).toBe(false);
  });
});

describe('mbwayWireFormat', () => {
  it("builds ifthenpay's 351#number", () => {
    expect(mbwayWireFormat('912345678')).toBe('351#912345678');
    expect(mbwayWireFormat('+351 962 345 678')).toBe('351#962345678');
  });

  it('throws RangeError for a non-mobile', () => {
    expect(() => mbwayWireFormat('212345678')).toThrow(RangeError);
    expect(() => mbwayWireFormat('942345678')).toThrow(RangeError);
  });
});

describe('formatPtPhone', () => {
  it('groups the national number in threes', () => {
    expect(formatPtPhone('912345678')).toBe('912 345 678');
    expect(formatPtPhone('+351932345678')).toBe('932 345 678');
  });

  it('returns anything else trimmed and unchanged', () => {
    expect(formatPtPhone(' 212345678 ')).toBe('212345678');
    expect(formatPtPhone('+44 20 7946 0000')).toBe('+44 20 7946 0000');
  });
});

describe('ptMobile schema', () => {
  it('outputs the normalised national number', () => {
    expect(ptMobile.parse('+351 912 345 678')).toBe('912345678');
    expect(ptMobile.parse('00351-962-345-678')).toBe('962345678');
  });

  it('fails with a clear message', () => {
    const result = ptMobile.safeParse('942345678');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'invalid Portuguese mobile number (expected 9 digits starting 91, 92, 93 or 96, optional +351)',
    );
    expect(ptMobile.safeParse(912345678).success).toBe(false);
  });
});
