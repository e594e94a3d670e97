/**
 * Zod contracts of patient accounts (central API `/api/account/*`), the single source of their shapes for
 * the routes and the portal's forms (CONVENTIONS §4). Pure: no I/O, no clock (the "birth date is in the
 * past" rule takes today's date as an argument; the server passes its injected clock's date).
 *
 * Rules and their sources:
 * - names: 1–120 characters after NFC and trimming, no control, bidirectional-override (Trojan Source,
 *   CVE-2021-42574) or invisible characters, so a name cannot disguise itself in lists and emails
 *   (server/domain/text.ts);
 * - email: trimmed and lowercased (accounts are unique by lowercased email), ≤ 254 characters (RFC 5321);
 * - phone: a Portuguese mobile (server/domain/phone.ts) or an international number `+CC…` (E.164:
 *   ≤ 15 digits); stored in E.164 form, e.g. '+351912345678' (a `+351` number must be a PT mobile);
 * - passwords (OWASP ASVS 4.0.3 §2.1, security.md): 10–128 characters (passphrases of 64+ allowed), no
 *   composition rules, rejected when in `COMMON_PASSWORDS` or made of fewer than 4 distinct characters;
 * - NIF: check digit verified (server/domain/nif.ts); birth date: a real calendar date from 1900-01-01 and
 *   before today (`birthDateProblem`).
 */
import { z } from 'zod';
import { birthDateSchema, MIN_BIRTH_DATE } from './dates.ts';
import { nif } from './nif.ts';
import { normalisePtMobile } from './phone.ts';
import { personNameText } from './text.ts';

/** Languages of the portal and of the emails. */
export const ACCOUNT_LOCALES = ['pt', 'en'] as const;
/** A portal language. */
export type AccountLocale = (typeof ACCOUNT_LOCALES)[number];
/** `'pt' | 'en'`. */
export const accountLocale = z.enum(ACCOUNT_LOCALES);

/** Shortest password accepted, in UTF-16 code units (ASVS 2.1.1 recommends 12; the product asks 10). */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest password accepted, in UTF-16 code units (ASVS 2.1.2: at least 64 must be allowed). */
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Very common passwords of 10 characters or more (shorter ones fail the length rule anyway): the top of
 * public breach corpora (NCSC "100k most common", SecLists) plus Portuguese favourites (clubs, "senha",
 * "palavrapasse"). Compared lowercased, after NFKC normalisation.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '0000000000',
  '0123456789',
  '0987654321',
  '1111111111',
  '1122334455',
  '1212121212',
  '1231231231',
  '123123123123',
  '1234512345',
  '1234554321',
  '1234567890',
  '12345678900',
  '1234567890a',
  '1234567890q',
  '1234567891',
  '12345678910',
  '123456789a',
  '123456789q',
  '1234567abc',
  '123456abcd',
  '123abc123abc',
  '1q2w3e4r5t',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  '1qazxsw23edc',
  '2222222222',
  '5555555555',
  '6666666666',
  '7777777777',
  '8888888888',
  '9876543210',
  '987654321a',
  '9999999999',
  'a123456789',
  'abc1234567',
  'abcd123456',
  'abcd1234abcd',
  'abcdefghij',
  'abcdefghijk',
  'abcdefghijkl',
  'admin12345',
  'admin123456',
  'administrator',
  'amoteamo123',
  'asdfghjkl1',
  'asdfghjkl123',
  'baseball123',
  'batman12345',
  'benfica123',
  'benfica1904',
  'changeme123',
  'charlie123',
  'clinica123',
  'clinica1234',
  'computer123',
  'cristiano123',
  'cristiano7',
  'dragon12345',
  'fcporto1893',
  'fisio12345',
  'fisioterapia',
  'fisioterapia1',
  'football123',
  'iloveyou12',
  'iloveyou123',
  'iloveyou1234',
  'internet123',
  'jennifer123',
  'letmein123',
  'letmeinplease',
  'lisboa1234',
  'michael123',
  'minecraft1',
  'minecraft123',
  'monkey12345',
  'p@ssw0rd123',
  'p@ssword123',
  'palavra-passe',
  'palavrapasse',
  'palavrapasse1',
  'palavrapasse123',
  'passw0rd123',
  'password!1',
  'password12',
  'password123',
  'password1234',
  'password12345',
  'passwordpassword',
  'pokemon1234',
  'porto12345',
  'portugal123',
  'portugal1234',
  'princess123',
  'q1w2e3r4t5',
  'q123456789',
  'qazwsxedc1',
  'qazwsxedcrfv',
  'qwerty1234',
  'qwerty12345',
  'qwerty123456',
  'qwertyuiop',
  'qwertyuiop1',
  'qwertyuiop123',
  'ronaldo123',
  'senha12345',
  'senha123456',
  'sporting123',
  'sporting1906',
  'starwars123',
  'sunshine123',
  'superman123',
  'trustno1234',
  'welcome123',
  'welcome1234',
  'welcome2025',
  'welcome2026',
  'whatever123',
  'zaq12wsxcde3',
  'zxcvbnm123',
  'zxcvbnmasd',
]);

/**
 * True when `password` is on the common list (case-insensitive, NFKC) or uses fewer than 4 distinct
 * characters ('aaaaaaaaaa', 'ababababab'), i.e. would fall to the first guesses of an attacker.
 */
export function isCommonPassword(password: string): boolean {
  const p = password.normalize('NFKC').toLowerCase();
  return COMMON_PASSWORDS.has(p) || new Set(p).size < 4;
}

/**
 * Why a new password is refused, or null: 'too_short' / 'too_long' (outside 10–128), 'common'
 * (`isCommonPassword`), 'context' (equal to the account's email, its local part, or its name, compared
 * lowercased; pass them in `context`).
 */
export function passwordProblem(
  password: string,
  context: readonly (string | null | undefined)[] = [],
): 'too_short' | 'too_long' | 'common' | 'context' | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (isCommonPassword(password)) return 'common';
  const p = password.normalize('NFKC').toLowerCase().trim();
  for (const c of context) {
    if (!c) continue;
    const v = c.normalize('NFKC').toLowerCase().trim();
    if (p === v || (v.includes('@') && p === v.slice(0, v.indexOf('@')))) return 'context';
  }
  return null;
}

/** A new password: 10–128 characters, not a common one (400 weak_password on the server). */
export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(PASSWORD_MAX_LENGTH)
  .refine((p) => !isCommonPassword(p), { message: 'this password is too common' })
  .meta({ description: '10–128 characters, not a very common password (else 400 weak_password)' });

/** A password typed to prove who one is (login, re-authentication): never judged, only bounded. */
export const currentPassword = z.string().min(1).max(1024);

/**
 * A person's name: 1–120 characters, no control, bidirectional-formatting or invisible characters,
 * NFC-normalised and trimmed (the shared rule of server/domain/text.ts).
 */
export const personName = personNameText(1, 120);

/** An email address, trimmed and lowercased ('  Ana@Example.PT ' → 'ana@example.pt'), ≤ 254 characters. */
export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email())
  .meta({ description: 'email address (trimmed, lowercased)', example: 'ana.silva@example.pt' });

/**
 * Normalises a phone number to E.164: a Portuguese mobile in any form `normalisePtMobile` accepts →
 * '+351' + 9 digits; else `+` or `00` then a country code and number, 8–15 digits in all (separators
 * spaces, dots, dashes and parentheses ignored) → '+' + digits. A `+351` number that is not a PT mobile
 * (landlines, 94x) and anything without an international prefix that is not a PT mobile → null.
 */
export function normaliseAccountPhone(input: string): string | null {
  const pt = normalisePtMobile(input);
  if (pt !== null) return `+351${pt}`;
  const compact = input.replace(/[\s.()-]/g, '');
  const m = /^(?:\+|00)([1-9]\d{7,14})$/.exec(compact);
  if (!m || m[1]!.startsWith('351')) return null;
  return `+${m[1]}`;
}

/** A phone number as typed → E.164 (`normaliseAccountPhone`); fails when it is neither a PT mobile nor +CC…. */
export const accountPhone = z
  .string()
  .trim()
  .max(32)
  .refine((s) => normaliseAccountPhone(s) !== null, {
    message:
      'expected a Portuguese mobile (9 digits starting 91, 92, 93 or 96) or an international +CC number',
  })
  .transform((s) => normaliseAccountPhone(s)!)
  .meta({
    description: 'a Portuguese mobile (912 345 678, +351 912 345 678) or +CC…; stored and answered in E.164',
    example: '912 345 678',
  });

/** Earliest birth date accepted (server/domain/dates.ts). */
export { MIN_BIRTH_DATE };

/** A birth date 'YYYY-MM-DD': a real calendar date, not before 1900-01-01 (the past check needs a clock). */
export const birthDate = birthDateSchema.meta({
  description: "'YYYY-MM-DD', from 1900-01-01 and before today (Europe/Lisbon)",
});

/**
 * Why a birth date is refused given today's date (both 'YYYY-MM-DD'): 'future' when it is today or
 * later, 'too_old' before 1900-01-01, else null.
 */
export function birthDateProblem(date: string, today: string): 'future' | 'too_old' | null {
  if (date < MIN_BIRTH_DATE) return 'too_old';
  if (date >= today) return 'future';
  return null;
}

/** A single-use token from an email link (base64url, 43 characters when we issue it). */
export const emailLinkToken = z
  .string()
  .min(1)
  .max(200)
  .meta({ description: 'the `token` query parameter of the emailed link' });

/** `POST /account/signup`. NIF and birth date are optional (null = not given). */
export const signupInput = z.object({
  name: personName,
  email: emailAddress,
  phone: accountPhone,
  password: newPassword,
  nif: nif
    .nullish()
    .meta({ description: 'Portuguese NIF (check digit verified); "PT", spaces, dots ignored' }),
  birthDate: birthDate.nullish(),
  locale: accountLocale.meta({ description: 'language of the portal and of the emails' }),
});
export type SignupInput = z.infer<typeof signupInput>;

/** `POST /account/verify-email` and `POST /account/email/confirm`: the token from the link. */
export const tokenInput = z.object({ token: emailLinkToken });

/** `POST /account/login`. */
export const loginInput = z.object({ email: emailAddress, password: currentPassword });
export type LoginInput = z.infer<typeof loginInput>;

/** `POST /account/password/forgot`. */
export const forgotPasswordInput = z.object({ email: emailAddress });

/** `POST /account/password/reset`: the token from the link and the new password. */
export const resetPasswordInput = z.object({ token: emailLinkToken, password: newPassword });

/** `POST /account/password` (logged in). */
export const changePasswordInput = z.object({ currentPassword, newPassword });

/** `POST /account/email` (logged in): the new address and the password, to re-authenticate. */
export const changeEmailInput = z.object({ newEmail: emailAddress, password: currentPassword });

/** `POST /account/delete` (logged in): the password, to re-authenticate. */
export const deleteAccountInput = z.object({ password: currentPassword });

/**
 * `PATCH /account/me`: the fields to change; null clears the NIF or the birth date. Unknown fields are
 * refused (the email changes through `POST /account/email`, the password through `POST /account/password`).
 */
export const updateAccountInput = z.strictObject({
  name: personName.optional(),
  phone: accountPhone.optional(),
  nif: nif.nullable().optional(),
  birthDate: birthDate.nullable().optional(),
  locale: accountLocale.optional(),
});
export type UpdateAccountInput = z.infer<typeof updateAccountInput>;

/** A patient's account as the portal sees it. `phone` is E.164; `birthDate` 'YYYY-MM-DD'. */
export const accountSchema = z.object({
  id: z.string().meta({ description: 'UUIDv7' }),
  name: z.string(),
  email: z.string(),
  phone: z.string().meta({ description: 'E.164, e.g. +351912345678' }),
  nif: z.string().nullable().meta({ description: '9 digits, or null' }),
  birthDate: z.string().nullable().meta({ description: "'YYYY-MM-DD', or null" }),
  locale: accountLocale,
  emailVerified: z.boolean(),
});
export type Account = z.infer<typeof accountSchema>;

/** `{ account }`: answer of login, verify, refresh, me, password change and email confirmation. */
export const accountResponse = z.object({ account: accountSchema });

/** `{ ok: true }`: answer of the routes that must not reveal whether an account exists. */
export const okResponse = z.object({ ok: z.literal(true) });

/** One appointment row in a data export (every column; times ISO-8601 UTC). */
export const exportedAppointment = z.object({
  id: z.string(),
  clinicId: z.string(),
  practitionerId: z.string(),
  accountId: z.string().nullable(),
  specialty: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  blockedUntil: z.string(),
  status: z.string(),
  holdExpiresAt: z.string().nullable(),
  bookingCode: z.string(),
  priceCents: z.number(),
  paymentMode: z.string(),
  roomId: z.string().nullable(),
  rescheduledFrom: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  visitStatus: z.string().nullable(),
  visitRoom: z.string().nullable(),
  waitMin: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});

/** `GET /account/export` (GDPR art. 15 access / art. 20 portability): everything we hold about the caller. */
export const accountExport = z.object({
  exportedAt: z.string(),
  account: accountSchema,
  appointments: z.array(exportedAppointment),
  sessions: z.array(
    z.object({
      createdAt: z.string(),
      lastUsedAt: z.string(),
      revokedAt: z.string().nullable(),
      userAgent: z.string(),
    }),
  ),
});
export type AccountExport = z.infer<typeof accountExport>;
