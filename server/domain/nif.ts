/**
 * Portuguese NIF (número de identificação fiscal, the tax number a patient gives for an invoice).
 * Rules from `shared/reference/payments-pt.md`, "NIF": 9 digits d1..d9; S = 9·d1 + 8·d2 + … + 2·d8;
 * r = S mod 11; d9 = 0 if r < 2 else 11 − r. Strip a `PT` prefix and separators. Without a NIF the
 * invoice goes to "Consumidor final" 999999990. Only the check digit is verified (the reference gives no
 * rule on the leading digit), so a valid NIF is well-formed, not necessarily issued.
 */
import { z } from 'zod';

/** The generic "consumidor final" NIF for invoices to a buyer who gives none (passes the check digit). */
export const CONSUMIDOR_FINAL_NIF = '999999990';

/**
 * Normalises a typed NIF to 9 digits: strips an optional `PT` prefix (any case, e.g. a VIES-style
 * 'PT501964843'), whitespace, dots and dashes. 'PT 501 964 843' → '501964843'.
 * Checks the shape only; use `isValidNif` for the check digit.
 * @param input the NIF as typed.
 * @returns the 9 digits, or null when what remains is not exactly 9 digits.
 */
export function normaliseNif(input: string): string | null {
  const stripped = input
    .trim()
    .replace(/^pt/i, '')
    .replace(/[\s.-]/g, '');
  return /^\d{9}$/.test(stripped) ? stripped : null;
}

/**
 * The check digit d9 for the first eight digits: S = 9·d1 + 8·d2 + … + 2·d8, r = S mod 11,
 * d9 = 0 if r < 2 else 11 − r. '50196484' → 3.
 * @param first8 exactly 8 ASCII digits, no separators.
 * @returns the check digit, 0–9.
 * @throws RangeError when `first8` is not exactly 8 digits.
 */
export function nifCheckDigit(first8: string): number {
  if (!/^\d{8}$/.test(first8)) throw new RangeError(`expected 8 digits, got ${JSON.stringify(first8)}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(first8[i]);
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

/**
 * True when `input` normalises to 9 digits (see `normaliseNif`) whose last digit is the check digit.
 * @param input the NIF as typed.
 */
export function isValidNif(input: string): boolean {
  const n = normaliseNif(input);
  return n !== null && nifCheckDigit(n.slice(0, 8)) === Number(n[8]);
}

/**
 * Zod schema for a NIF: accepts any form `normaliseNif` accepts and outputs the 9 digits
 * ('PT 501 964 843' → '501964843'). Fails with 'invalid NIF (expected 9 digits)' when the shape is
 * wrong and 'invalid NIF (check digit)' when the check digit does not match.
 */
export const nif = z
  .string()
  .refine((value) => normaliseNif(value) !== null, {
    message: 'invalid NIF (expected 9 digits)',
    abort: true,
  })
  .refine(isValidNif, { message: 'invalid NIF (check digit)' })
  .transform((value) => normaliseNif(value)!);
