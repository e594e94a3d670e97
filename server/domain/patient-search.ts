/**
 * What a desk search for a patient means (issue 10: "patient search by name (accent-insensitive), phone,
 * NIF, date of birth or booking code"). Pure: it reads the query; the repository
 * (features/patients/repo.ts searchPatients) runs it.
 *
 * - Name: every word of the query must appear in the name, compared after {@link foldText} (case and
 *   accents ignored: "jose conceicao" finds "José Conceição").
 * - Digits (3 or more, spaces and a leading +351 ignored): part of a phone number, or exactly a NIF.
 * - A date, 'YYYY-MM-DD' or 'DD/MM/YYYY' (also with '-' or '.'): the date of birth.
 * - 6 letters or digits (spaces and dashes ignored): a booking code of one of the patient's
 *   appointments.
 * A query may mean several of these at once; a patient matching any of them is found.
 */

/** Lower case, accents and other combining marks removed, runs of spaces collapsed, trimmed. */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Only the digits of `s`. */
export function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** A query taken apart: what it can match. */
export interface PatientSearch {
  /** Folded words that must all be in the folded name (at most 5). */
  nameWords: string[];
  /** Digits to find inside a phone number or equal to a NIF (null with fewer than 3 digits). */
  digits: string | null;
  /** A date of birth, 'YYYY-MM-DD', when the query is a valid date. */
  birthDate: string | null;
  /** A booking code, when the query is 6 letters or digits. */
  bookingCode: string | null;
}

/** Reads a desk search query (already trimmed, 1–100 characters). */
export function parsePatientSearch(q: string): PatientSearch {
  const folded = foldText(q);
  const nameWords = folded
    .split(' ')
    .filter((w) => w.length > 0)
    .slice(0, 5);
  const compact = q.replace(/[\s-]/g, '');
  let digits: string | null = null;
  if (/^\+?[\d\s().-]+$/.test(q.trim())) {
    const compactDigits = q.replace(/[\s().-]/g, '');
    let d = digitsOf(q);
    // The country code: written +351 / 00351, or 351 before a full 9-digit number.
    if (/^(\+|00)351/.test(compactDigits)) d = d.replace(/^(00)?351/, '');
    else if (/^351\d{9}$/.test(d)) d = d.slice(3);
    if (d.length >= 3) digits = d;
  }
  return {
    nameWords,
    digits,
    birthDate: parseDate(q.trim()),
    bookingCode: /^[A-Za-z0-9]{6}$/.test(compact) ? compact.toUpperCase() : null,
  };
}

function parseDate(s: string): string | null {
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
