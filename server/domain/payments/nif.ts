/**
 * NIF (Portuguese tax number) for the payment page's invoice details: normalising what a patient
 * types, validating it, and the `nif_invalid` outcome the `PUT /pay/{token}/invoice-details` route
 * answers (dto.ts).
 *
 * Rules:
 * - Shape and check digit: `shared/reference/payments-pt.md`, "NIF": 9 digits d1..d9,
 *   S = 9·d1 + 8·d2 + … + 2·d8, r = S mod 11, d9 = 0 if r < 2 else 11 − r; strip a `PT` prefix and
 *   separators. The check digit itself is computed by `nifCheckDigit` in `server/domain/nif.ts`.
 * - Leading digits: the ranges the AT (Autoridade Tributária) and the RNPC assign, as listed by the
 *   Portuguese Wikipedia article "Número de identificação fiscal" (section "Constituição e
 *   interpretação", https://pt.wikipedia.org/wiki/N%C3%BAmero_de_identifica%C3%A7%C3%A3o_fiscal):
 *   1–3 individuals; 45 non-resident individuals; 5 companies (RNPC); 6 public administration;
 *   70, 74, 75 undivided estates; 71 non-resident companies; 72 investment funds; 77 NIFs assigned
 *   ex officio; 78 non-residents under the VAT-refund process; 79 exceptional regime (Expo 98);
 *   8 sole traders (obsolete range, kept so an old NIF still on file is accepted); 90, 91 condominiums,
 *   irregular companies and estates of sole traders; 98 non-residents without a permanent
 *   establishment; 99 civil companies without legal personality (and 999999990, "Consumidor final").
 *   A 9-digit number outside these ranges (4x other than 45, 0x, 73, 76, 92–97) is rejected even when
 *   its check digit matches: no such NIF is issued, so it is almost certainly a typo.
 *
 * A valid NIF is well-formed, not necessarily issued to anyone: only the AT can say that.
 */
import { nifCheckDigit, normaliseNif as normaliseNifShape } from '../nif.ts';

/** Single leading digits of issued NIFs (see the module comment for what each range means). */
const SINGLE_DIGIT_RANGES = new Set(['1', '2', '3', '5', '6', '8']);
/** Two-digit leading prefixes of issued NIFs (see the module comment for what each range means). */
const TWO_DIGIT_RANGES = new Set([
  '45',
  '70',
  '71',
  '72',
  '74',
  '75',
  '77',
  '78',
  '79',
  '90',
  '91',
  '98',
  '99',
]);

/**
 * Normalises a typed NIF to its 9 digits: strips an optional `PT` prefix (any case), whitespace, dots
 * and dashes. 'PT 501 964 843' → '501964843', 'pt501.964-843' → '501964843'.
 * Checks the shape only; `isValidNif` also checks the leading digits and the check digit.
 * @param input the NIF as typed.
 * @returns the 9 digits, or null when what remains is not exactly 9 ASCII digits ('12345678', 'abc').
 */
export function normaliseNif(input: string): string | null {
  return normaliseNifShape(input);
}

/**
 * True when the leading digits of a 9-digit NIF fall in a range the AT/RNPC assigns
 * (1, 2, 3, 5, 6, 8, or 45, 70, 71, 72, 74, 75, 77, 78, 79, 90, 91, 98, 99; see the module comment).
 * @param nif 9 digits, already normalised.
 */
export function hasIssuedNifPrefix(nif: string): boolean {
  return SINGLE_DIGIT_RANGES.has(nif.slice(0, 1)) || TWO_DIGIT_RANGES.has(nif.slice(0, 2));
}

/**
 * True when `input` is a valid NIF: it normalises to 9 digits (`normaliseNif`), starts with an issued
 * range (`hasIssuedNifPrefix`) and its 9th digit is the mod-11 check digit (payments-pt.md, "NIF").
 * Valid: '501964843', '123456789', '999999990', 'PT 501 964 843'. Invalid: '501964842' (check digit),
 * '401964843' (range), '12345678' (8 digits), 'abc'.
 * @param input the NIF as typed or already normalised.
 */
export function isValidNif(input: string): boolean {
  const nif = normaliseNif(input);
  return nif !== null && hasIssuedNifPrefix(nif) && nifCheckDigit(nif.slice(0, 8)) === Number(nif[8]);
}

/** The outcome of `parseNif`: the normalised NIF, or the `nif_invalid` error code (dto.ts). */
export type ParsedNif = { ok: true; nif: string } | { ok: false; code: 'nif_invalid' };

/**
 * Parses a typed NIF for the invoice details: `{ ok: true, nif: '501964843' }` for 'PT 501 964 843',
 * `{ ok: false, code: 'nif_invalid' }` for anything `isValidNif` rejects. Never throws.
 * @param input the NIF as typed.
 */
export function parseNif(input: string): ParsedNif {
  const nif = normaliseNif(input);
  return nif !== null && isValidNif(nif) ? { ok: true, nif } : { ok: false, code: 'nif_invalid' };
}
