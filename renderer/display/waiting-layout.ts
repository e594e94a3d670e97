/**
 * How the waiting list is laid out for a given number of patients (pure): how many are shown, in how many
 * columns and rows. display.css sizes the type from the rows and columns (container units), so the same
 * layout fills a 1080p, a 4K or a portrait screen.
 */

/** Most patients listed by name; the rest are summarised as "and N more waiting". */
export const MAX_SHOWN = 40;
/** Up to this many the list is one column with the practitioner; beyond it, two columns without. */
export const ONE_COLUMN_MAX = 10;
/** Fewest rows the type is sized for, so three patients don't get giant type. */
export const MIN_ROWS = 10;

/** A waiting list's layout. */
export interface WaitingLayout {
  /** Entries listed (the first `shown`, in queue order). */
  shown: number;
  /** Entries left out, summarised. */
  hidden: number;
  /** Columns (1 or 2); the list fills them top to bottom, then left to right. */
  cols: 1 | 2;
  /** Rows per column the type is sized for (at least `MIN_ROWS`). */
  rows: number;
}

/**
 * The layout of a waiting list of `count` patients (a whole number ≥ 0): at most `MAX_SHOWN` listed,
 * one column up to `ONE_COLUMN_MAX`, else two; rows = entries per column, at least `MIN_ROWS`.
 */
export function waitingLayout(count: number): WaitingLayout {
  const shown = Math.min(Math.max(0, count), MAX_SHOWN);
  const cols = shown <= ONE_COLUMN_MAX ? 1 : 2;
  return {
    shown,
    hidden: Math.max(0, count - shown),
    cols,
    rows: Math.max(MIN_ROWS, Math.ceil(shown / cols)),
  };
}
