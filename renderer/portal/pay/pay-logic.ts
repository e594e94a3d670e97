/**
 * The payment page's pure rules, kept out of the components so they are unit-tested: the invoice-details
 * form (draft ↔ InvoiceDetailsInput, checks with the server's NIF rule), the MB WAY phone check (the
 * server's own parser, so a landline is refused before sending), the MB WAY countdown and when "Resend"
 * is allowed, how Multibanco details are printed and copied, and which server errors belong to a field.
 * Checks return catalogue keys (translated at render time), as renderer/portal/forms.ts does.
 */
import {
  FINAL_CONSUMER_NIF,
  MBWAY_WINDOW_MS,
  type InvoiceDetailsInput,
  type PaymentAttemptDto,
  type PayOrderDto,
} from '../../../server/domain/payments/dto.ts';
import { formatMultibancoReference } from '../../../server/domain/payments/multibanco.ts';
import { parseNif } from '../../../server/domain/payments/nif.ts';
import { parseMbwayPhone } from '../../../server/domain/payments/phone.ts';
import { ApiError } from '../api.ts';
import { checkName, serverFieldErrors, type FieldErrors } from '../forms.ts';
import type { PortalKey } from '../i18n.ts';

/** After this long a pending MB WAY request may be sent again (the patient may have missed it). */
export const MBWAY_RESEND_AFTER_MS = 30_000;

/** How often the page asks for the order while its live stream is down. */
export const POLL_INTERVAL_MS = 5_000;

/** Longest address the server takes (InvoiceDetailsInput). */
export const ADDRESS_MAX = 300;

/** The invoice-details form as typed. An empty NIF = "Consumidor final". */
export interface InvoiceDraft {
  name: string;
  nif: string;
  address: string;
}

/** The invoice form's fields. */
export type InvoiceField = keyof InvoiceDraft;

/** The form's starting values: what the order already has, else empty (the link may be forwarded). */
export function draftFromDetails(details: InvoiceDetailsInput | null): InvoiceDraft {
  if (!details) return { name: '', nif: '', address: '' };
  return {
    name: details.name,
    // The generic NIF is how the server stores "no NIF"; the form shows it as an empty field.
    nif: details.nif === null || details.nif === FINAL_CONSUMER_NIF ? '' : details.nif,
    address: details.address ?? '',
  };
}

/** The form's field errors (name required; NIF empty or with a valid check digit; address ≤ 300). */
export function checkInvoiceDraft(draft: InvoiceDraft): FieldErrors<InvoiceField> {
  const errors: FieldErrors<InvoiceField> = {};
  const name = checkName(draft.name);
  if (name) errors.name = name;
  if (draft.nif.trim() && !parseNif(draft.nif).ok) errors.nif = 'errors.nif_invalid';
  if (draft.address.trim().length > ADDRESS_MAX) errors.address = 'pay.addressTooLong';
  return errors;
}

/** What PUT invoice-details sends: trimmed; the NIF as 9 digits, or null for "Consumidor final". */
export function invoiceInput(draft: InvoiceDraft): InvoiceDetailsInput {
  const typed = draft.nif.trim();
  const parsed = typed ? parseNif(typed) : null;
  return {
    name: draft.name.trim(),
    // An invalid NIF never gets here (checkInvoiceDraft); if it did, the server's nif_invalid answers.
    nif: parsed ? (parsed.ok ? parsed.nif : typed) : null,
    address: draft.address.trim() || null,
  };
}

/** True when the saved details are "Consumidor final" (no NIF). */
export const isFinalConsumer = (details: InvoiceDetailsInput): boolean =>
  details.nif === null || details.nif === FINAL_CONSUMER_NIF;

/** The MB WAY phone as typed: required, a Portuguese mobile (a landline is refused with its own text). */
export function checkMbwayPhone(value: string): PortalKey | null {
  if (!value.trim()) return 'validation.phoneRequired';
  const parsed = parseMbwayPhone(value);
  if (parsed.ok) return null;
  return parsed.code === 'phone_landline' ? 'errors.phone_landline' : 'errors.phone_invalid';
}

/**
 * The invoice form's field errors in a server answer: `nif_invalid` on the NIF, and the fields a
 * `validation_failed` names; other errors belong to no field (the form shows them above).
 */
export function invoiceServerErrors(err: unknown): FieldErrors<InvoiceField> {
  if (err instanceof ApiError && err.code === 'nif_invalid') return { nif: 'errors.nif_invalid' };
  return serverFieldErrors<InvoiceField>(err, {
    name: 'validation.nameRequired',
    nif: 'errors.nif_invalid',
    address: 'pay.addressTooLong',
  });
}

/** True for the server's answers about the MB WAY phone (shown on the phone field). */
export const isPhoneError = (err: unknown): err is ApiError =>
  err instanceof ApiError && (err.code === 'phone_landline' || err.code === 'phone_invalid');

/** True when the link itself is unusable (unknown or expired): the page shows only an explanation. */
export const isLinkError = (err: unknown): boolean =>
  err instanceof ApiError && (err.code === 'pay_link_not_found' || err.code === 'pay_link_expired');

/**
 * True once the page has nothing more to wait for, so the live stream and polling stop: the order is
 * settled (paid, expired, cancelled, refunded) and, when paid, its invoice is there to download.
 */
export const isFinal = (order: Pick<PayOrderDto, 'status' | 'invoice'>): boolean =>
  order.status !== 'pending' && !(order.status === 'paid' && order.invoice === null);

/** Where the MB WAY request stands at `nowMs`. */
export interface MbwayTiming {
  /** Milliseconds left to accept the request in the app (0 once over). */
  leftMs: number;
  /** The request can no longer be accepted (rejected, expired, or the window ran out). */
  over: boolean;
  /** "Resend" is allowed: the request is over, or 30 s have passed since it was sent. */
  canResend: boolean;
  /** Milliseconds until "Resend" is allowed (0 when it is). */
  resendInMs: number;
}

/**
 * The countdown and "Resend" state of an MB WAY attempt. The request was sent 4 minutes before
 * `expiresAt` (MBWAY_WINDOW_MS), so this survives a reload without remembering when we sent it.
 */
export function mbwayTiming(
  attempt: Pick<Extract<PaymentAttemptDto, { method: 'mbway' }>, 'status' | 'expiresAt'>,
  nowMs: number,
): MbwayTiming {
  const expiresMs = Date.parse(attempt.expiresAt);
  const leftMs = Math.max(0, expiresMs - nowMs);
  const over = attempt.status === 'rejected' || attempt.status === 'expired' || leftMs === 0;
  const resendAt = expiresMs - MBWAY_WINDOW_MS + MBWAY_RESEND_AFTER_MS;
  const resendInMs = over || attempt.status === 'paid' ? 0 : Math.max(0, resendAt - nowMs);
  return { leftMs, over, canResend: attempt.status !== 'paid' && (over || resendInMs === 0), resendInMs };
}

/** '123456789' → '123 456 789', the way ATMs and banks print it. */
export const printedReference = (reference: string): string => formatMultibancoReference(reference);

/** The reference as copied: digits only (homebanking fields take 9 digits). */
export const copiedReference = (reference: string): string => reference.replace(/\D/g, '');

/** The amount as copied for homebanking: 4500 → '45,00' (Portuguese decimals, no symbol). */
export function copiedAmount(cents: number): string {
  const whole = Math.trunc(Math.abs(cents) / 100);
  const rest = Math.abs(cents) % 100;
  return `${cents < 0 ? '-' : ''}${whole},${String(rest).padStart(2, '0')}`;
}
