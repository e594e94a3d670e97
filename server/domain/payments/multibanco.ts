/**
 * Multibanco references (payments-pt.md): entity (5 digits) + reference (9 digits, the last two check
 * digits binding entity, the reference's first 7 digits and the amount) + amount.
 *
 * Check digits, ifthenpay / SIBS algorithm: N = entity(5) ‖ first 7 reference digits ‖ amount in cents
 * left-padded to 8 (20 digits); CC = 98 − ((N × 100) mod 97), left-padded to 2. Worked examples
 * (payments-pt.md): 90150 / 1231234 / 43211 cents → 51; 12345 / 1230001 / 1000 cents → 18.
 */

/** Largest amount a reference can carry: 8 digits of cents (€999,999.99, ifthenpay's limit). */
export const MULTIBANCO_MAX_CENTS = 99_999_999;
/** Smallest amount providers accept (€1.00). */
export const MULTIBANCO_MIN_CENTS = 100;

/**
 * The two check digits for `entity` (5 digits), `first7` (7 digits) and `amountCents`.
 * @throws RangeError on a malformed entity or first7, or an amount outside 0…99,999,999 cents
 */
export function multibancoCheckDigits(entity: string, first7: string, amountCents: number): string {
  if (!/^\d{5}$/.test(entity)) throw new RangeError(`entity must be 5 digits, got ${JSON.stringify(entity)}`);
  if (!/^\d{7}$/.test(first7))
    throw new RangeError(`reference prefix must be 7 digits, got ${JSON.stringify(first7)}`);
  if (!Number.isInteger(amountCents) || amountCents < 0 || amountCents > MULTIBANCO_MAX_CENTS) {
    throw new RangeError(`amount must be integer cents in 0…${MULTIBANCO_MAX_CENTS}, got ${amountCents}`);
  }
  const n = BigInt(entity + first7 + String(amountCents).padStart(8, '0'));
  const cc = 98n - ((n * 100n) % 97n);
  return String(cc).padStart(2, '0');
}

/** The full 9-digit reference for a 7-digit prefix. */
export function multibancoReference(entity: string, first7: string, amountCents: number): string {
  return first7 + multibancoCheckDigits(entity, first7, amountCents);
}

/** True when `reference` (9 digits, spaces allowed) has the right check digits for entity and amount. */
export function isValidMultibancoReference(entity: string, reference: string, amountCents: number): boolean {
  const ref = reference.replace(/\s+/g, '');
  if (!/^\d{9}$/.test(ref) || !/^\d{5}$/.test(entity)) return false;
  if (!Number.isInteger(amountCents) || amountCents < 0 || amountCents > MULTIBANCO_MAX_CENTS) return false;
  return multibancoCheckDigits(entity, ref.slice(0, 7), amountCents) === ref.slice(7);
}

/** Prints a reference the way ATMs and banks show it: '123 123 451'. */
export function formatMultibancoReference(reference: string): string {
  const ref = reference.replace(/\s+/g, '');
  return `${ref.slice(0, 3)} ${ref.slice(3, 6)} ${ref.slice(6, 9)}`;
}
