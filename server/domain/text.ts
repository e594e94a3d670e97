/**
 * Text fields people type (names, addresses, reasons, notes) as zod schemas shared by both servers
 * (issue 13: names accepted NUL and bidirectional control characters). A field is refused — 400
 * validation_failed naming the field — when the raw input holds any of:
 * - C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F), NUL included; a multi-line field
 *   allows tab, line feed and carriage return;
 * - bidirectional formatting characters, which can reorder what a screen shows (the "Trojan Source"
 *   set, CVE-2021-42574): U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
 * - invisible characters used to make two names look alike: U+200B–U+200D (zero-width space, non-joiner,
 *   joiner), U+2060 (word joiner), U+FEFF (zero-width no-break space), the line and paragraph separators
 *   U+2028/U+2029 and the interlinear annotation marks U+FFF9–U+FFFB;
 * - a lone UTF-16 surrogate (not a character; it cannot be stored as UTF-8).
 * The check runs before trimming, so such a character at either end is refused rather than silently cut.
 * An accepted value is NFC-normalised (a decomposed "José" is stored composed), then trimmed, then its
 * length (UTF-16 code units, which is what `.length` and the database columns count) checked.
 */
import { z } from 'zod';

/** Characters refused in every text field (see the module comment for the list and why). */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udfff]/u;
/** The characters a multi-line field also accepts: tab, line feed, carriage return. */
const LINE_CONTROLS = /[\t\n\r]/;

/** The message of a refused field (English; the pages show their own text for validation_failed). */
export const FORBIDDEN_TEXT_MESSAGE =
  'control, bidirectional-formatting or invisible characters (or a broken surrogate) are not allowed';

/**
 * Whether `s` holds a character no text field accepts (single-line: tab and line breaks too).
 * @param multiline true to allow tab, line feed and carriage return
 */
export function hasForbiddenChar(s: string, multiline = false): boolean {
  return FORBIDDEN.test(s) || (!multiline && LINE_CONTROLS.test(s));
}

/** Options of {@link safeText}. */
export interface SafeTextOptions {
  /** Fewest characters after trimming (default 1: an empty or blank value is refused). */
  min?: number;
  /** Most characters after NFC and trimming (UTF-16 code units). */
  max: number;
  /** Allow tab, line feed and carriage return (notes); default false. */
  multiline?: boolean;
}

/**
 * A typed text field: refuses forbidden characters in the raw input, then NFC-normalises, trims and
 * checks `min`–`max` characters. Still a `ZodString`, so `.optional()`, `.nullable()` and `.meta()` apply.
 */
export function safeText({ min = 1, max, multiline = false }: SafeTextOptions) {
  return z
    .string()
    .refine((s) => !hasForbiddenChar(s, multiline), { message: FORBIDDEN_TEXT_MESSAGE, abort: true })
    .normalize('NFC')
    .trim()
    .min(min)
    .max(max);
}

/**
 * A person's name (patients, practitioners, staff, portal accounts): one line, `min`–`max` characters,
 * no control, bidi or invisible characters; NFC and trimmed. Letters of any script, spaces, apostrophes,
 * hyphens and dots pass unchanged ("João D'Ávila-Gonçalves", "Maria da Conceição").
 * @param min fewest characters (default 2)
 * @param max most characters (default 120)
 */
export function personNameText(min = 2, max = 120) {
  return safeText({ min, max });
}

/**
 * Free text on one line (a reason, an address, a label), `min`–`max` characters.
 * @param max most characters
 * @param min fewest characters (default 1)
 */
export function freeText(max: number, min = 1) {
  return safeText({ min, max });
}
