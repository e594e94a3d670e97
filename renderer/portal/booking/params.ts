/**
 * The booking flow's state lives in the URL (`/book?specialty=…&practitioner=…&from=…&day=…`), so back
 * and forward move between steps, a reload keeps the choices, and "log in to book" can return the
 * patient to the same slot list. `hold` names the slot held while reviewing; `reschedule` the
 * appointment being moved.
 */

/** The booking parameters; null = not chosen yet. */
export interface BookParams {
  clinic: string | null;
  specialty: string | null;
  /** A practitioner id, or 'any'. */
  practitioner: string | null;
  /** Practitioners' language filter ('pt', 'en'), or null for all. */
  language: string | null;
  /** First day of the week shown ('YYYY-MM-DD', Lisbon). */
  from: string | null;
  /** The selected day ('YYYY-MM-DD'). */
  day: string | null;
  hold: string | null;
  reschedule: string | null;
}

const KEYS = [
  'clinic',
  'specialty',
  'practitioner',
  'language',
  'from',
  'day',
  'hold',
  'reschedule',
] as const;

/** 'any' as a practitioner choice. */
export const ANY = 'any';

/** Reads the parameters from a query. */
export function readBookParams(search: URLSearchParams): BookParams {
  const out = {} as BookParams;
  for (const key of KEYS) out[key] = search.get(key) || null;
  return out;
}

/** The /book URL of `params` (nulls left out). */
export function bookHref(params: Partial<BookParams>): string {
  const query = new URLSearchParams();
  for (const key of KEYS) {
    const value = params[key];
    if (value) query.set(key, value);
  }
  const q = query.toString();
  return q ? `/book?${q}` : '/book';
}
