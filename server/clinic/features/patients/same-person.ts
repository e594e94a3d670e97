/**
 * "Possible same person" suggestions on the patient card (issue 9, same-patient merge): other live
 * patients with exactly the same NIF, or e-mail (case ignored), or phone (normalised: separators and the
 * +351/00351 prefix of a Portuguese mobile ignored). Never on name alone: two people share names, and a
 * merge joins their health history. Staff decide; nothing here merges.
 */
import type { DbContext } from '../../db/database.ts';
import { normaliseAccountPhone } from '../../../domain/accounts.ts';
import type { PatientId } from '../../../domain/ids.ts';
import { livePatientRow } from './merge.ts';

/** One suggestion: the other patient (desk only), what matched, and whether it is a portal patient. */
export interface SamePersonSuggestion {
  id: PatientId;
  fullName: string;
  phone: string | null;
  email: string | null;
  nif: string | null;
  /** 'YYYY-MM-DD' */
  birthDate: string | null;
  version: number;
  /** When the row was created, ISO-8601 UTC (the older row survives a merge). */
  createdAt: string;
  /** The row is (or links) a portal account. */
  portalAccount: boolean;
  /** Which fields are equal; never empty, never 'name'. */
  matchedOn: ('nif' | 'email' | 'phone')[];
}

/** A phone as compared: E.164 when it is a mobile or +CC number, else its digits (null when none). */
export function comparablePhone(phone: string | null): string | null {
  if (!phone) return null;
  const e164 = normaliseAccountPhone(phone);
  if (e164) return e164;
  const digits = phone.replace(/\D/g, '').replace(/^00351(?=\d{9}$)|^351(?=\d{9}$)/, '');
  return digits.length >= 6 ? digits : null;
}

const comparableEmail = (e: string | null) => (e ? e.trim().toLowerCase() || null : null);
const comparableNif = (n: string | null) => (n ? n.replace(/\D/g, '') || null : null);

/** How many suggestions a card shows at most. */
export const SAME_PERSON_LIMIT = 10;

/**
 * Live patients other than `id` with the same NIF, e-mail or phone, oldest first.
 * @throws AppError patient_not_found | patient_merged
 */
export function samePersonSuggestions(ctx: DbContext, id: PatientId): SamePersonSuggestion[] {
  const me = livePatientRow(ctx, id);
  const nif = comparableNif(me.nif);
  const email = comparableEmail(me.email);
  const phone = comparablePhone(me.phone);
  if (!nif && !email && !phone) return [];
  const last9 = phone ? phone.replace(/\D/g, '').slice(-9) : null;
  // A wide, cheap filter in SQL (last 9 digits of the phone), then the exact comparison below.
  const rows = ctx.db
    .prepare(
      `SELECT id, full_name, phone, email, nif, birth_date, version, created_at, portal_account_id
       FROM patients
       WHERE id <> @id AND deleted_at IS NULL AND merged_into IS NULL
         AND ((@nif IS NOT NULL AND cfd_digits(nif) = @nif)
           OR (@email IS NOT NULL AND lower(trim(email)) = @email)
           OR (@last9 IS NOT NULL AND substr(cfd_digits(phone), -9) = @last9))
       ORDER BY created_at, id LIMIT 100`,
    )
    .all({ id, nif, email, last9 }) as {
    id: PatientId;
    full_name: string;
    phone: string | null;
    email: string | null;
    nif: string | null;
    birth_date: string | null;
    version: number;
    created_at: string;
    portal_account_id: string | null;
  }[];
  const out: SamePersonSuggestion[] = [];
  for (const r of rows) {
    const matchedOn: SamePersonSuggestion['matchedOn'] = [];
    if (nif && comparableNif(r.nif) === nif) matchedOn.push('nif');
    if (email && comparableEmail(r.email) === email) matchedOn.push('email');
    if (phone && comparablePhone(r.phone) === phone) matchedOn.push('phone');
    if (matchedOn.length === 0) continue;
    out.push({
      id: r.id,
      fullName: r.full_name,
      phone: r.phone,
      email: r.email,
      nif: r.nif,
      birthDate: r.birth_date,
      version: r.version,
      createdAt: r.created_at,
      portalAccount: r.portal_account_id !== null,
      matchedOn,
    });
    if (out.length === SAME_PERSON_LIMIT) break;
  }
  return out;
}
