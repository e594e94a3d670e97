/**
 * The portal's calls to the central API (same origin), one function per route. The session lives in
 * HttpOnly cookies the page never sees; when a call answers 401 `unauthorized` (access token expired)
 * we call POST /api/account/refresh once (shared by every call waiting at that moment) and retry; if the
 * refresh fails too, the session is over and `onSessionExpired`'s handler sends the patient to log in.
 * Errors arrive as `ApiError` carrying the server's code (renderer/portal/i18n.ts turns it into text).
 */
import { hc } from 'hono/client';
// The API contract is a type-only import (CONVENTIONS §3); nothing from server/ reaches the bundle.
import type { CentralAppType } from '../../server/central/app.ts';
import { ApiError, unwrap } from '../shared/api.ts';
import type {
  Account,
  Appointment,
  Availability,
  Clinic,
  Hold,
  Lang,
  MyAppointments,
  Practitioner,
  Specialty,
} from './types.ts';

export { ApiError };

const origin = typeof location === 'undefined' ? 'http://127.0.0.1' : location.origin;

/** The typed client of the central API. */
export const client = hc<CentralAppType>(origin, { init: { credentials: 'same-origin' } });

/** The shape of an answer `unwrap` and `noContent` read (a fetch Response or a typed client one). */
interface Answer {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/** A path parameter, encoded (the typed client inserts parameters as they are). */
const seg = (value: string): string => encodeURIComponent(value);

/** Resolves a call that answers without a body we need (202, 204) or throws `ApiError`. */
async function noContent(res: Promise<Answer> | Answer): Promise<void> {
  let r: Answer;
  try {
    r = await res;
  } catch (err) {
    throw new ApiError('network', (err as Error).message, 0);
  }
  // unwrap reads the error body and throws; a success needs nothing more.
  if (!r.ok) await unwrap(r);
}

let expiredHandler: () => void = () => undefined;

/** Sets what happens when the session is over (refresh failed): the app logs out and shows the login. */
export function onSessionExpired(handler: () => void): void {
  expiredHandler = handler;
}

let refreshing: Promise<Account | null> | null = null;

/**
 * POST /api/account/refresh: rotates the session cookies. Concurrent callers share one request (the
 * refresh token is single-use: two parallel refreshes would look like a stolen token to the server).
 * @returns the account, or null when there is no valid session
 * @throws ApiError network when the server could not be reached (the session may still be fine)
 */
export function refreshSession(): Promise<Account | null> {
  refreshing ??= unwrap(client.api.account.refresh.$post())
    .then((r) => r.account)
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 0) throw err;
      return null;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

const isSessionError = (err: unknown): boolean =>
  err instanceof ApiError && err.status === 401 && err.code === 'unauthorized';

/**
 * Runs a call that needs the session: on 401 `unauthorized`, refresh once and retry; if that fails,
 * the session has ended (`expire: true` → the expired handler runs, e.g. "go to login").
 * Other 401 codes (`invalid_credentials` on a wrong password) are plain errors.
 */
async function authed<P, T>(send: () => P, read: (res: P) => Promise<T>, expire = true): Promise<T> {
  try {
    return await read(send());
  } catch (err) {
    if (!isSessionError(err)) throw err;
  }
  const account = await refreshSession();
  if (!account) {
    if (expire) expiredHandler();
    throw new ApiError('unauthorized', 'session ended', 401);
  }
  try {
    return await read(send());
  } catch (err) {
    if (isSessionError(err) && expire) expiredHandler();
    throw err;
  }
}

// Accounts ---------------------------------------------------------------------------------------

/** What sign-up sends; NIF and date of birth are optional. */
export interface SignUpInput {
  name: string;
  email: string;
  phone: string;
  password: string;
  nif?: string;
  birthDate?: string;
  locale: Lang;
}

/** POST /api/account/signup → 202 (always, whether or not the e-mail is known: no account probing). */
export function signUp(input: SignUpInput): Promise<void> {
  return noContent(client.api.account.signup.$post({ json: input }));
}

/** POST /api/account/verify-email: the token from the e-mailed link; logs the patient in. */
export async function verifyEmail(token: string): Promise<Account> {
  return (await unwrap(client.api.account['verify-email'].$post({ json: { token } }))).account;
}

/**
 * POST /api/account/login.
 * @throws ApiError invalid_credentials (401), email_not_verified (403), too_many_attempts (429,
 *   `details.retryAfterSec`)
 */
export async function login(email: string, password: string): Promise<Account> {
  return (await unwrap(client.api.account.login.$post({ json: { email, password } }))).account;
}

/** POST /api/account/logout → 204 (the cookies are cleared). */
export function logout(): Promise<void> {
  return noContent(client.api.account.logout.$post());
}

/** POST /api/account/password/forgot → 202 (always). */
export function forgotPassword(email: string): Promise<void> {
  return noContent(client.api.account.password.forgot.$post({ json: { email } }));
}

/** POST /api/account/password/reset with the token from the e-mailed link (every session ends). */
export function resetPassword(token: string, password: string): Promise<void> {
  return noContent(client.api.account.password.reset.$post({ json: { token, password } }));
}

/** POST /api/account/password: change it while logged in (other sessions are revoked). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<Account> {
  const res = await authed(
    () => client.api.account.password.$post({ json: { currentPassword, newPassword } }),
    (r) => unwrap(r),
  );
  return res.account;
}

/** POST /api/account/email → 202: a confirmation link goes to the new address. */
export function changeEmail(newEmail: string, password: string): Promise<void> {
  return authed(
    () => client.api.account.email.$post({ json: { newEmail, password } }),
    (r) => noContent(r),
  );
}

/** POST /api/account/email/confirm with the token from the link sent to the new address. */
export async function confirmEmail(token: string): Promise<Account> {
  return (await unwrap(client.api.account.email.confirm.$post({ json: { token } }))).account;
}

/** GET /api/account/me; null when not logged in (never redirects: the app starts with it). */
export async function getMe(): Promise<Account | null> {
  try {
    const res = await authed(
      () => client.api.account.me.$get(),
      (r) => unwrap(r),
      false,
    );
    return res.account;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** What the patient can edit about themselves (null clears the NIF or the birth date). */
export type AccountPatch = Partial<Pick<Account, 'name' | 'phone' | 'nif' | 'birthDate' | 'locale'>>;

/** PATCH /api/account/me */
export async function updateMe(patch: AccountPatch): Promise<Account> {
  const res = await authed(
    () => client.api.account.me.$patch({ json: patch }),
    (r) => unwrap(r),
  );
  return res.account;
}

/** GET /api/account/export: everything we hold about the patient, as a JSON download (RGPD art. 15, 20). */
export const EXPORT_URL = client.api.account.export.$url().pathname;

/** POST /api/account/delete → 204: erases the account (password re-checked). */
export function deleteAccount(password: string): Promise<void> {
  return authed(
    () => client.api.account.delete.$post({ json: { password } }),
    (r) => noContent(r),
  );
}

// Catalogue (public) -----------------------------------------------------------------------------

/** GET /api/clinics */
export async function listClinics(): Promise<Clinic[]> {
  return (await unwrap(client.api.clinics.$get())).clinics;
}

/** GET /api/clinics/{clinicId}/specialties */
export async function listSpecialties(clinicId: string): Promise<Specialty[]> {
  return (
    await unwrap(client.api.clinics[':clinicId'].specialties.$get({ param: { clinicId: seg(clinicId) } }))
  ).specialties;
}

/** GET /api/clinics/{clinicId}/practitioners?specialty=…&language=… */
export async function listPractitioners(
  clinicId: string,
  specialty: string,
  language?: string,
): Promise<Practitioner[]> {
  const res = await unwrap(
    client.api.clinics[':clinicId'].practitioners.$get({
      param: { clinicId: seg(clinicId) },
      query: { specialty: specialty as Specialty['code'], ...(language ? { language } : {}) },
    }),
  );
  return res.practitioners;
}

/** GET /api/clinics/{clinicId}/availability: `days` days from `from` (a Lisbon calendar day). */
export function getAvailability(
  clinicId: string,
  params: { specialty: string; practitionerId?: string; from: string; days: number },
): Promise<Availability> {
  return unwrap(
    client.api.clinics[':clinicId'].availability.$get({
      param: { clinicId: seg(clinicId) },
      query: {
        specialty: params.specialty as Specialty['code'],
        from: params.from,
        days: String(params.days),
        ...(params.practitionerId ? { practitionerId: params.practitionerId } : {}),
      },
    }),
  );
}

// Booking ----------------------------------------------------------------------------------------

/** What a hold asks for; no practitioner = any practitioner free at that time. */
export interface HoldInput {
  clinicId: string;
  specialty: string;
  practitionerId?: string;
  startsAt: string;
  /** The appointment being rescheduled: its own time is no clash. */
  replaces?: string;
}

/**
 * POST /api/holds: keeps the slot for the patient for a few minutes while they review.
 * @throws ApiError slot_unavailable (409) when someone took it first; appointment_overlap (409) when the
 *   patient already has an appointment at that time
 */
export async function createHold(input: HoldInput): Promise<Hold> {
  const json = { ...input, specialty: input.specialty as Specialty['code'] };
  return (
    await authed(
      () => client.api.holds.$post({ json }),
      (r) => unwrap(r),
    )
  ).hold;
}

/** DELETE /api/holds/{id} → 204: gives the slot back (the patient went back). */
export function releaseHold(holdId: string): Promise<void> {
  return authed(
    () => client.api.holds[':id'].$delete({ param: { id: seg(holdId) } }),
    (r) => noContent(r),
  );
}

/**
 * POST /api/holds/{id}/confirm: turns the hold into an appointment.
 * @throws ApiError hold_expired (410)
 */
export async function confirmHold(holdId: string): Promise<Appointment> {
  return (
    await authed(
      () => client.api.holds[':id'].confirm.$post({ param: { id: seg(holdId) } }),
      (r) => unwrap(r),
    )
  ).appointment;
}

// My appointments --------------------------------------------------------------------------------

const mine = client.api.me.appointments[':id'];

/** GET /api/me/appointments */
export function myAppointments(): Promise<MyAppointments> {
  return authed(
    () => client.api.me.appointments.$get(),
    (r) => unwrap(r),
  );
}

/** GET /api/me/appointments/{id} */
export async function getAppointment(id: string): Promise<Appointment> {
  return (
    await authed(
      () => mine.$get({ param: { id: seg(id) } }),
      (r) => unwrap(r),
    )
  ).appointment;
}

/** The QR code (SVG) of an appointment's booking code, for the clinic's kiosk. */
export const qrUrl = (id: string): string => mine['qr.svg'].$url({ param: { id: seg(id) } }).pathname;

/** The appointment as an iCalendar file ("Add to calendar"). */
export const calendarUrl = (id: string): string =>
  mine['calendar.ics'].$url({ param: { id: seg(id) } }).pathname;

/**
 * POST /api/me/appointments/{id}/cancel
 * @throws ApiError outside_policy (409) after the clinic's free-cancellation deadline
 */
export async function cancelAppointment(id: string): Promise<Appointment> {
  return (
    await authed(
      () => mine.cancel.$post({ param: { id: seg(id) } }),
      (r) => unwrap(r),
    )
  ).appointment;
}

/**
 * POST /api/me/appointments/{id}/reschedule: moves the booking to the held slot; the old one is
 * cancelled and the new one returned.
 */
export async function rescheduleAppointment(id: string, holdId: string): Promise<Appointment> {
  return (
    await authed(
      () => mine.reschedule.$post({ param: { id: seg(id) }, json: { holdId } }),
      (r) => unwrap(r),
    )
  ).appointment;
}

/** GET /api/me/events, the stream of changes to the patient's appointments. */
const EVENTS_URL = client.api.me.events.$url().pathname;

/**
 * Live changes to the patient's appointments (GET /api/me/events, event `appointment`). EventSource
 * reconnects by itself after a network drop; when the server refuses the stream (401: the access token
 * expired) we refresh the session once and reopen, with backoff (1 s doubling to 30 s). The server
 * greets every connection with `ready`; on a reconnection `onResync` runs, since changes made while the
 * stream was down were not sent.
 * @returns a function that closes the stream
 */
export function subscribeAppointments(
  onAppointment: (appointment: Appointment) => void,
  onStatus?: (online: boolean) => void,
  onResync?: () => void,
): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let connectedBefore = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delayMs = 1000;

  const open = () => {
    const current = new EventSource(EVENTS_URL);
    source = current;
    current.addEventListener('open', () => {
      delayMs = 1000;
      onStatus?.(true);
    });
    current.addEventListener('ready', () => {
      if (connectedBefore) onResync?.();
      connectedBefore = true;
    });
    current.addEventListener('appointment', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { appointment: Appointment };
      onAppointment(data.appointment);
    });
    current.addEventListener('error', () => {
      onStatus?.(false);
      if (stopped || current.readyState !== EventSource.CLOSED) return;
      current.close();
      void refreshSession()
        .catch(() => 'offline' as const)
        .then((account) => {
          if (stopped) return;
          if (account === null) {
            expiredHandler();
            return;
          }
          timer = setTimeout(open, delayMs);
          delayMs = Math.min(delayMs * 2, 30_000);
        });
    });
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
