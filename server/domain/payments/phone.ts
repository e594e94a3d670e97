/**
 * Phone numbers for payments and payment SMS: the number a patient types for MB WAY
 * (`POST /pay/{token}/mbway`, errors `phone_landline` / `phone_invalid` in dto.ts), its ifthenpay wire
 * form, the masked form the payment page shows, and the E.164 form the SMS adapters send to.
 *
 * Rules (`shared/reference/payments-pt.md`, "MB WAY"):
 * - After stripping separators (whitespace, dots, dashes, parentheses) and a `+351` / `00351` / `351`
 *   prefix, a Portuguese mobile is 9 digits `^9[1236]\d{7}$`. A Portuguese number starting with 2 is a
 *   landline (geographic numbers, ANACOM's national numbering plan), which MB WAY cannot reach.
 * - ifthenpay's wire format is `CC#number`: `351#912345678`; `34#612345678` for a Spanish mobile
 *   (ifthenpay, "API MBWAY v2 - REST",
 *   https://helpdesk.ifthenpay.com/en/support/solutions/articles/79000141345-api-mbway-v2-rest).
 * - Foreign numbers (typed with `+` or `00` and a country code other than 351) are checked with
 *   libphonenumber-js: valid, and of type MOBILE or FIXED_LINE_OR_MOBILE (the US/Canada plans, among
 *   others, do not tell the two apart). The `libphonenumber-js/max` metadata is used because the default
 *   ("min") metadata carries no number types: `getType()` answers undefined with it.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Separators a number may be typed with: any whitespace (incl. no-break space), dots, dashes, parentheses. */
const SEPARATORS = /[\s.\-()]/g;
/** A Portuguese number with an optional country prefix: 9 national digits. */
const PT_NUMBER = /^(?:\+351|00351|351)?(\d{9})$/;
/** A Portuguese mobile, national form (payments-pt.md). */
const PT_MOBILE = /^9[1236]\d{7}$/;
/** A Portuguese landline, national form (geographic numbers start with 2). */
const PT_LANDLINE = /^2\d{8}$/;

/** A mobile number MB WAY (or an SMS) can reach, in the three forms the payment flow needs. */
export interface ParsedPhone {
  ok: true;
  /** The national significant number, digits only: '912345678'. */
  national: string;
  /** E.164: '+351912345678'. */
  e164: string;
  /** ifthenpay's MB WAY `mobileNumber`: country code, '#', national number: '351#912345678'. */
  wire: string;
}

/** Why a typed number cannot be used; `message` is English for logs (the UI maps `code` to PT/EN text). */
export interface PhoneError {
  ok: false;
  code: 'phone_landline' | 'phone_invalid';
  message: string;
}

const MESSAGES = {
  empty: 'No phone number was given: enter a mobile number.',
  ptLandline:
    'This is a Portuguese landline (it starts with 2): MB WAY needs a mobile number starting with 91, 92, 93 or 96.',
  ptInvalid: 'Not a Portuguese mobile number: expected 9 digits starting with 91, 92, 93 or 96.',
  foreignLandline: 'This is a landline: MB WAY needs a mobile number.',
  invalid:
    'Not a valid mobile number: enter 9 digits starting with 91, 92, 93 or 96, or a foreign mobile with its country code (+34 …).',
} as const;

function fail(code: PhoneError['code'], message: string): PhoneError {
  return { ok: false, code, message };
}

/**
 * Parses a mobile number as a patient or receptionist types it, for MB WAY.
 *
 * Portuguese: '912345678', '+351912345678', '00351 912 345 678', '+351 91-234-5678', '(+351) 912.345.678'
 * → `{ ok: true, national: '912345678', e164: '+351912345678', wire: '351#912345678' }`.
 * Foreign (needs `+` or `00` and the country code): '+34 612 345 678' →
 * `{ ok: true, national: '612345678', e164: '+34612345678', wire: '34#612345678' }`.
 *
 * Errors (never throws):
 * - `phone_landline`: a Portuguese landline ('212345678') or a foreign number libphonenumber-js types as
 *   FIXED_LINE;
 * - `phone_invalid`: empty, not a number ('abc'), wrong length ('91234567'), a Portuguese number that is
 *   neither a 91/92/93/96 mobile nor a landline ('942345678', '300000000'), or a foreign number that is not
 *   a valid mobile.
 * @param input the number as typed (any length; separators are whitespace, '.', '-', '(' and ')').
 */
export function parseMbwayPhone(input: string): ParsedPhone | PhoneError {
  const compact = input.replace(SEPARATORS, '');
  if (compact === '') return fail('phone_invalid', MESSAGES.empty);

  const pt = PT_NUMBER.exec(compact);
  if (pt) {
    const national = pt[1]!;
    if (PT_MOBILE.test(national))
      return { ok: true, national, e164: `+351${national}`, wire: `351#${national}` };
    if (PT_LANDLINE.test(national)) return fail('phone_landline', MESSAGES.ptLandline);
    return fail('phone_invalid', MESSAGES.ptInvalid);
  }

  // Anything else must carry an international prefix; a bare number of the wrong length is a typo.
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (!/^\+\d{6,15}$/.test(international)) return fail('phone_invalid', MESSAGES.invalid);
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed || !parsed.isValid()) return fail('phone_invalid', MESSAGES.invalid);
  // +351 numbers that did not match PT_NUMBER have the wrong length: already invalid above, but be explicit.
  if (parsed.countryCallingCode === '351') return fail('phone_invalid', MESSAGES.ptInvalid);
  const type = parsed.getType();
  if (type === 'FIXED_LINE') return fail('phone_landline', MESSAGES.foreignLandline);
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return fail('phone_invalid', MESSAGES.invalid);
  const national = String(parsed.nationalNumber);
  return {
    ok: true,
    national,
    e164: String(parsed.number),
    wire: `${parsed.countryCallingCode}#${national}`,
  };
}

/**
 * Parses a number the SMS adapters may send a payment link to: any mobile `parseMbwayPhone` accepts
 * (Portuguese 91/92/93/96, or a valid foreign mobile with its country code).
 * '912 345 678' → `{ ok: true, e164: '+351912345678' }`; errors as `parseMbwayPhone`. Never throws.
 * @param input the number as typed.
 */
export function parseSmsPhone(input: string): { ok: true; e164: string } | PhoneError {
  const parsed = parseMbwayPhone(input);
  return parsed.ok ? { ok: true, e164: parsed.e164 } : parsed;
}

/**
 * Masks a number for the payment page (dto.ts `phoneMasked`): country code, the first national digit,
 * the last 3 digits, everything else '•', grouped in threes from the right.
 * '+351912345678' → '+351 9•• ••• 678'; '+34612345678' → '+34 6•• ••• 678';
 * '+447911123456' → '+44 7 ••• ••• 456'.
 * @param e164 an E.164 number ('+' and 8–15 digits), as `parseMbwayPhone` returns it.
 * @throws RangeError when `e164` is not E.164 or libphonenumber-js cannot split its country code.
 */
export function maskPhone(e164: string): string {
  const parsed = /^\+\d{8,15}$/.test(e164) ? parsePhoneNumberFromString(e164) : undefined;
  if (!parsed) throw new RangeError(`not an E.164 phone number: ${JSON.stringify(e164)}`);
  const national = String(parsed.nationalNumber);
  const shownTail = Math.min(3, national.length - 1);
  const masked = national
    .split('')
    .map((digit, i) => (i === 0 || i >= national.length - shownTail ? digit : '•'))
    .join('');
  const groups: string[] = [];
  for (let end = masked.length; end > 0; end -= 3) groups.unshift(masked.slice(Math.max(0, end - 3), end));
  return `+${parsed.countryCallingCode} ${groups.join(' ')}`;
}
