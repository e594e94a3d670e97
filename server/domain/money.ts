/**
 * Money in EUR as integer cents: the zod shape, display formatting (PT/EN), parsing typed amounts and
 * VAT. Integer cents keep totals exact: the amounts a Multibanco reference binds and a callback must
 * match ("amount equals the order total") are in cents (`shared/reference/payments-pt.md`, "Multibanco
 * reference" and "Callbacks"), and an invoice carries its VAT per line (same file, "Invoices").
 * No floating-point arithmetic touches an amount: parsing reads digits, VAT uses BigInt.
 */
import { z } from 'zod';

/** An amount in EUR cents: a non-negative safe integer (1250 = €12.50). */
export const cents = z
  .number()
  .int('amount must be whole cents')
  .nonnegative('amount must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'amount too large');

const FORMATTERS = {
  pt: new Intl.NumberFormat('pt-PT', { style: 'currency', currency: 'EUR' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }),
} as const;

/**
 * Integer cents as a plain decimal string with a dot and two decimals, no grouping: 1250 → '12.50',
 * 10 → '0.10', -1250 → '-12.50'. Reads digits only (no float division), so it is exact for any safe
 * integer. It is the form payment providers use on the wire (ifthenpay amounts, callbacks).
 * @throws RangeError when `cents` is not a safe integer.
 */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be a safe integer, got ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Formats integer cents for display: pt → '12,50 €' (pt-PT: comma decimals, U+00A0 no-break space
 * before '€' and as the thousands separator, no grouping below 10 000: '1234,56 €', '12 345,67 €');
 * en → '€12.50' (en-GB: '€1,234.56'). Negative amounts (refunds) keep the sign: '-12,50 €', '-€12.50'.
 * The amount is handed to Intl as an exact decimal string, so even the largest safe integers format
 * exactly (cents / 100 as a float would lose the last cent above ~€10^13).
 * @param cents amount in EUR cents, any safe integer.
 * @param lang 'pt' or 'en'.
 * @throws RangeError when `cents` is not a safe integer.
 */
export function formatEuros(cents: number, lang: 'pt' | 'en'): string {
  return FORMATTERS[lang].format(centsToDecimal(cents) as `${number}`);
}

/**
 * Digits, then optionally one decimal separator ('.' or ',') followed by one or two digits; an optional
 * '€' before or after, with optional whitespace. No thousands separators: '1.005' would be ambiguous
 * (one thousand and five, or 1.005 €) and is rejected as having three decimals.
 */
const EUROS_TEXT = /^\s*(?:€\s*)?(\d+)(?:[.,](\d{1,2}))?(?:\s*€)?\s*$/;

/**
 * Parses a typed EUR amount into integer cents by reading its digits (never parseFloat × 100, which
 * turns '0,29' into 28.999…): '12,50', '12.50', '12,5', '12', '€ 12,50', '12,50 €' → 1250.
 * @param text the amount as typed; surrounding whitespace and a '€' before or after are allowed.
 * @returns the amount in EUR cents, a non-negative safe integer.
 * @throws RangeError on anything else: empty text, a sign ('-12', '+12'), more than two decimals
 *   ('1.005'), thousands separators ('1.234,56'), a separator without digits on both sides ('12,',
 *   ',50'), other characters, or an amount above Number.MAX_SAFE_INTEGER cents.
 */
export function parseEuros(text: string): number {
  const match = EUROS_TEXT.exec(text);
  if (!match) throw new RangeError(`not a EUR amount: ${JSON.stringify(text)}`);
  const euros = match[1]!;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const result = Number(euros) * 100 + Number(fraction);
  if (!Number.isSafeInteger(result)) throw new RangeError(`EUR amount too large: ${JSON.stringify(text)}`);
  return result;
}

/**
 * VAT on a net amount, in whole cents. Rounding rule: the exact product netCents × ratePercent / 100
 * is rounded to the nearest cent, and an exact half cent is rounded away from zero (11.5 → 12,
 * −11.5 → −12; unlike Math.round, which sends −11.5 to −11). The arithmetic is exact (BigInt on the
 * rate in hundredths of a percent), so there is no float error at any amount.
 * @param netCents net amount in EUR cents, any safe integer (negative for credit notes).
 * @param ratePercent VAT rate in percent, 0–100 with at most two decimals (23 for the mainland
 *   standard rate, 6 for the reduced rate).
 * @returns the VAT in EUR cents (same sign as `netCents`).
 * @throws RangeError when `netCents` is not a safe integer or `ratePercent` is not a finite number in
 *   0–100 with at most two decimals.
 */
export function vatCents(netCents: number, ratePercent: number): number {
  if (!Number.isSafeInteger(netCents)) {
    throw new RangeError(`netCents must be a safe integer, got ${netCents}`);
  }
  const basisPoints = Math.round(ratePercent * 100);
  if (
    !Number.isFinite(ratePercent) ||
    ratePercent < 0 ||
    ratePercent > 100 ||
    Math.abs(ratePercent * 100 - basisPoints) > 1e-6
  ) {
    throw new RangeError(`ratePercent must be 0–100 with at most two decimals, got ${ratePercent}`);
  }
  // VAT = net × bp / 10 000 (bp = hundredths of a percent); round |product| half up, then restore sign.
  const product = BigInt(Math.abs(netCents)) * BigInt(basisPoints);
  const vat = Number((product + 5000n) / 10000n);
  return netCents < 0 && vat !== 0 ? -vat : vat;
}
