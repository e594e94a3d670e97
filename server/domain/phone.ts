/**
 * Portuguese mobile numbers, as MB WAY needs them: normalising what a receptionist or patient types,
 * validating it, display formatting and the ifthenpay wire format. Rules from
 * `shared/reference/payments-pt.md`, "MB WAY": after stripping a `+351` / `00351` / `351` prefix,
 * spaces, dots and dashes, a PT mobile is 9 digits `^9[1236]\d{7}$`; the wire format at ifthenpay is
 * `351#912345678`. Only PT mobiles are handled here (the reference points to libphonenumber for foreign
 * numbers and edge cases).
 */
import { z } from 'zod';

/** Separators a number may be typed with: any whitespace (incl. no-break spaces), dots, dashes. */
const SEPARATORS = /[\s.-]/g;
/** Optional country prefix, then the 9-digit national mobile number. */
const PT_MOBILE = /^(?:\+351|00351|351)?(9[1236]\d{7})$/;

/**
 * Normalises a typed Portuguese mobile number to its 9-digit national form:
 * '+351 912 345 678', '00351-912-345-678', '912.345.678' → '912345678'.
 * @param input the number as typed.
 * @returns the 9 national digits, or null when the input is not a PT mobile (`^9[1236]\d{7}$` after
 *   stripping the prefix and separators): landlines ('212345678'), 94x numbers, foreign numbers, garbage.
 */
export function normalisePtMobile(input: string): string | null {
  const match = PT_MOBILE.exec(input.replace(SEPARATORS, ''));
  return match ? match[1]! : null;
}

/**
 * True when `input` normalises to a PT mobile (see `normalisePtMobile`).
 * @param input the number as typed.
 */
export function isPtMobile(input: string): boolean {
  return normalisePtMobile(input) !== null;
}

/**
 * The number as ifthenpay's MB WAY API expects it: '912345678' → '351#912345678'.
 * @param national a PT mobile in any form `normalisePtMobile` accepts (normally the 9-digit form).
 * @throws RangeError when it is not a PT mobile.
 */
export function mbwayWireFormat(national: string): string {
  const normalised = normalisePtMobile(national);
  if (normalised === null)
    throw new RangeError(`not a Portuguese mobile number: ${JSON.stringify(national)}`);
  return `351#${normalised}`;
}

/**
 * Display form in groups of three: '912345678' (or '+351912345678') → '912 345 678'. Never throws: input
 * that is not a PT mobile (e.g. legacy or foreign data) is returned trimmed but otherwise unchanged.
 * @param input a PT mobile in any form `normalisePtMobile` accepts.
 */
export function formatPtPhone(input: string): string {
  const n = normalisePtMobile(input);
  return n === null ? input.trim() : `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}

/**
 * Zod schema for a PT mobile: accepts any form `normalisePtMobile` accepts and outputs the 9-digit
 * national string ('+351 912 345 678' → '912345678'); otherwise fails with the message below.
 */
export const ptMobile = z
  .string()
  .refine(isPtMobile, {
    message: 'invalid Portuguese mobile number (expected 9 digits starting 91, 92, 93 or 96, optional +351)',
  })
  .transform((value) => normalisePtMobile(value)!);
