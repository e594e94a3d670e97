/**
 * Form checks of the portal, with the server's own rules (server/domain/accounts.ts, nif.ts), so the
 * patient learns of a problem before sending and the server's `validation_failed` rarely happens. Each
 * check returns a catalogue key (translated at render time: a language switch re-translates) or null.
 * `serverFieldErrors` maps a `validation_failed` answer's `details.issues` onto the form's fields.
 */
import {
  birthDateProblem,
  normaliseAccountPhone,
  passwordProblem,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '../../server/domain/accounts.ts';
import { isValidNif } from '../../server/domain/nif.ts';
import { ApiError } from './api.ts';
import type { PortalKey } from './i18n.ts';

/** Password length bounds, as the server enforces them. */
export const PASSWORD_MIN = PASSWORD_MIN_LENGTH;
export const PASSWORD_MAX = PASSWORD_MAX_LENGTH;

/** A form's field errors: field name → catalogue key. */
export type FieldErrors<F extends string> = Partial<Record<F, PortalKey>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A full name: required, at most 120 characters. */
export function checkName(value: string): PortalKey | null {
  const v = value.trim();
  if (!v) return 'validation.nameRequired';
  return v.length > 120 ? 'validation.nameTooLong' : null;
}

/** An e-mail address of the usual shape (the server's zod check is the final word). */
export function checkEmail(value: string): PortalKey | null {
  const v = value.trim();
  if (!v) return 'validation.emailRequired';
  return EMAIL.test(v) && v.length <= 254 ? null : 'validation.email';
}

/** A Portuguese mobile or an international +CC number. */
export function checkPhone(value: string): PortalKey | null {
  if (!value.trim()) return 'validation.phoneRequired';
  return normaliseAccountPhone(value) === null ? 'validation.phone' : null;
}

/** A new password: the server's rules (length, not common, not the e-mail or the name). */
export function checkNewPassword(value: string, context: readonly string[] = []): PortalKey | null {
  switch (passwordProblem(value, context)) {
    case 'too_short':
      return 'validation.passwordShort';
    case 'too_long':
      return 'validation.passwordLong';
    case 'common':
      return 'validation.passwordCommon';
    case 'context':
      return 'validation.passwordContext';
    default:
      return null;
  }
}

/** A password typed to log in or re-authenticate: only required. */
export function checkCurrentPassword(value: string): PortalKey | null {
  return value ? null : 'validation.passwordRequired';
}

/** An optional NIF: empty, or 9 digits with a valid check digit. */
export function checkNif(value: string): PortalKey | null {
  return !value.trim() || isValidNif(value) ? null : 'validation.nif';
}

/** An optional birth date: empty, or a real date from 1900 to yesterday. */
export function checkBirthDate(value: string, today: string): PortalKey | null {
  if (!value) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'validation.birthDate';
  // A real calendar day (no 30 February): the date survives a round trip through Date.
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return 'validation.birthDate';
  return birthDateProblem(value, today) ? 'validation.birthDate' : null;
}

/** Drops the fields without an error; true when none is left. */
export function isValid<F extends string>(errors: FieldErrors<F>): boolean {
  return Object.values(errors).every((e) => !e);
}

/**
 * The fields a `validation_failed` (or `weak_password`) answer names, mapped to the form's own messages
 * (`messages[field]`); fields the form does not have are ignored (the generic error covers them).
 */
export function serverFieldErrors<F extends string>(
  err: unknown,
  messages: Partial<Record<string, PortalKey>>,
): FieldErrors<F> {
  const out: FieldErrors<F> = {};
  if (!(err instanceof ApiError)) return out;
  if (err.code === 'weak_password') {
    for (const f of ['password', 'newPassword'] as const) {
      if (messages[f]) out[f as F] = 'errors.weak_password';
    }
    return out;
  }
  if (err.code !== 'validation_failed') return out;
  const issues = (err.details?.issues ?? []) as { path?: string }[];
  for (const issue of issues) {
    const field = String(issue.path ?? '').split('.')[0]!;
    const key = messages[field];
    if (key) out[field as F] = key;
  }
  return out;
}

/** Focuses the first invalid input of `form` (after React has rendered the errors). */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    form?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
  });
}
