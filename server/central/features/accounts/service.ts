/**
 * Patient accounts: sign-up with email verification, login with throttling, session refresh and
 * logout, password reset and change, email change, profile, GDPR export and erasure. Routes (routes.ts)
 * parse the input with the zod contracts of server/domain/accounts.ts and call one function here; SQL
 * is in repo.ts and http/auth.ts. Every read or change of account data writes an audit-log row
 * (actor `account:<id>` or `anonymous`; never an email address or a password in `details`).
 *
 * Security choices (security.md, OWASP ASVS 4.0.3 §2–3):
 * - no account enumeration: sign-up and "forgot password" always answer the same; login answers 401
 *   `invalid_credentials` with one body for an unknown email and a wrong password, after an Argon2
 *   verification of the same cost (passwords.ts), and counts failures for unknown emails too;
 * - throttling per account and per client address (throttle.ts), checked before the password;
 * - emailed links carry 256-bit tokens, of which only SHA-256 is stored; single use, atomically; verify
 *   and change-email links live `EMAIL_LINK_TTL_MS` (24 h), reset links `RESET_LINK_TTL_MS` (30 min);
 * - re-authentication (password change, email change, erasure) is throttled like a login;
 * - mail goes out after the transaction commits and without waiting for SMTP, so answers take the same
 *   time whether or not a message is sent; a failed send is logged (without the address).
 * Errors: AppError `validation_failed`, `weak_password`, `token_invalid`, `invalid_credentials`,
 * `email_not_verified`, `too_many_attempts` (`details.retryAfterSec`), `email_taken`, `unauthorized`.
 */
import { forgetAccountMessages } from '../../outbox/outbox.ts';
import type {
  Account,
  AccountExport,
  LoginInput,
  SignupInput,
  UpdateAccountInput,
} from '../../../domain/accounts.ts';
import {
  birthDateProblem,
  passwordProblem,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '../../../domain/accounts.ts';
import { AppError } from '../../../domain/errors.ts';
import { clinicDate } from '../../../domain/time.ts';
import type { CentralDeps } from '../../deps.ts';
import type { Caller } from '../../http/context.ts';
import {
  hashToken,
  newToken,
  readAccessTokenForLogout,
  revokeSessions,
  rotateRefresh,
  sessionOfRefreshToken,
  startSession,
} from '../../http/auth.ts';
import {
  alreadyRegisteredMail,
  confirmNewEmailMail,
  emailChangeNoticeMail,
  resetPasswordMail,
  verifyEmailMail,
  type RenderedMail,
} from '../../mail/templates.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../../http/passwords.ts';
import * as repo from './repo.ts';
import type { AccountRow, AppointmentRow, Q } from './repo.ts';
import {
  ACCOUNT_POLICY,
  accountKey,
  afterFailure,
  IP_POLICY,
  ipKey,
  lockRemainingMs,
} from '../../../domain/throttle.ts';
import { feedLinkedErasures } from '../links/service.ts';

/** Lifetime of verify-email and change-email links (24 h), in ms. */
export const EMAIL_LINK_TTL_MS = 24 * 3_600_000;
/** Lifetime of password-reset links (30 min), in ms. */
export const RESET_LINK_TTL_MS = 30 * 60_000;

/** Where a request came from, for the audit log and the per-address throttle. */
export interface RequestMeta {
  /** Client address (first `X-Forwarded-For` hop, else the socket's), or 'unknown'. */
  ip: string;
  userAgent: string;
}

/** A new session's tokens, for the cookies. */
export interface SessionTokens {
  access: string;
  refresh: string;
}

/** The outcome of the routes that log a browser in. */
export interface LoggedIn {
  account: Account;
  tokens: SessionTokens;
}

/** An account row as the portal sees it (live accounts only: their personal fields are set). */
export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    email: row.email ?? '',
    phone: row.phone ?? '',
    nif: row.nif,
    birthDate: row.birthDate,
    locale: row.locale,
    emailVerified: row.emailVerifiedAt !== null,
  };
}

const actor = (accountId: string | null) => (accountId ? `account:${accountId}` : 'anonymous');

async function audit(
  q: Q,
  deps: CentralDeps,
  meta: RequestMeta,
  action: string,
  accountId: string | null,
  details?: Record<string, unknown>,
  by: string | null = accountId,
): Promise<void> {
  await repo.insertAudit(
    q,
    {
      actor: actor(by),
      action,
      entity: 'account',
      entityId: accountId,
      ip: meta.ip,
      ...(details ? { details } : {}),
    },
    deps.now(),
  );
}

/** `${publicUrl}${path}` with `?token=` when given. */
function portalLink(deps: CentralDeps, path: string, token?: string): string {
  const base = deps.config.publicUrl.replace(/\/+$/, '');
  return `${base}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** Sends without waiting for SMTP (see the module doc); a failure is logged without the address. */
function deliver(deps: CentralDeps, to: string, mail: RenderedMail, kind: string): void {
  let sending: Promise<void>;
  try {
    sending = deps.mailer.send({ to, ...mail });
  } catch (err) {
    sending = Promise.reject(err);
  }
  sending.catch((err: unknown) =>
    console.error(
      JSON.stringify({
        level: 'error',
        event: 'mail.failed',
        kind,
        message: err instanceof Error ? err.message : String(err),
      }),
    ),
  );
}

/** @throws AppError validation_failed when `date` is not before today (clinic time) */
function assertBirthDate(deps: CentralDeps, date: string | null | undefined): void {
  if (!date) return;
  const problem = birthDateProblem(date, clinicDate(deps.now()));
  if (problem) {
    const message = problem === 'future' ? 'birth date must be in the past' : 'birth date before 1900-01-01';
    throw new AppError('validation_failed', `birthDate: ${message}`, {
      issues: [{ path: 'birthDate', message }],
    });
  }
}

/** @throws AppError weak_password with `details.field` and `details.reason` */
function assertPassword(password: string, context: (string | null)[], field: string): void {
  const reason = passwordProblem(password, context);
  if (reason) {
    throw new AppError('weak_password', `${field}: password refused (${reason})`, {
      field,
      reason,
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
    });
  }
}

function tooManyAttempts(waitMs: number): AppError {
  return new AppError('too_many_attempts', 'too many failed attempts; try again later', {
    retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)),
  });
}

const invalidCredentials = () => new AppError('invalid_credentials', 'wrong email or password');
const tokenInvalid = () => new AppError('token_invalid', 'the link is unknown, already used or expired');

/** Throttle keys of an attempt on `email` from `meta.ip`, sorted (rows are locked in this order). */
function throttleKeys(email: string, meta: RequestMeta): string[] {
  return [accountKey(email), ipKey(meta.ip)].sort();
}

/** @throws AppError too_many_attempts while any key is locked */
async function assertNotThrottled(deps: CentralDeps, keys: string[]): Promise<void> {
  const now = deps.now();
  const states = await repo.readThrottle(deps.db, keys);
  const wait = Math.max(0, ...keys.map((k) => lockRemainingMs(states.get(k) ?? null, now)));
  if (wait > 0) throw tooManyAttempts(wait);
}

/** Counts one failure on each key, in one transaction under row locks. */
async function recordFailure(deps: CentralDeps, keys: string[]): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    for (const key of keys) {
      const state = await repo.lockThrottle(tx, key, now);
      await repo.writeThrottle(
        tx,
        key,
        afterFailure(state, now, key.startsWith('ip:') ? IP_POLICY : ACCOUNT_POLICY),
      );
    }
  });
}

/** A new verify-email token for `accountId` in `q`; returns the token (for the link). */
async function issueToken(
  q: Q,
  deps: CentralDeps,
  accountId: string,
  purpose: repo.EmailTokenPurpose,
  ttlMs: number,
  newEmail: string | null = null,
): Promise<string> {
  const token = newToken();
  await repo.insertEmailToken(
    q,
    { tokenHash: hashToken(token), accountId, purpose, newEmail },
    deps.now(),
    ttlMs,
  );
  return token;
}

/**
 * `POST /account/signup`: creates an unverified account and emails a verification link; when the email
 * already has a live account, emails that address an "already registered" notice instead and creates
 * nothing. Either way the caller learns nothing (202). The password is hashed in both cases so both
 * take as long. Two sign-ups racing for one email: the unique index lets one win, the other becomes the
 * "already registered" case.
 * @throws AppError validation_failed (birth date), weak_password
 */
export async function signup(deps: CentralDeps, input: SignupInput, meta: RequestMeta): Promise<void> {
  assertBirthDate(deps, input.birthDate);
  assertPassword(input.password, [input.email, input.name], 'password');
  const passwordHash = await hashPassword(input.password, deps.config.argon2);
  type Outcome =
    { kind: 'created'; account: AccountRow; token: string } | { kind: 'existing'; account: AccountRow };
  let outcome: Outcome;
  try {
    outcome = await deps.db.transaction(async (tx): Promise<Outcome> => {
      const existing = await repo.findLiveAccountByEmail(tx, input.email);
      if (existing) {
        await audit(tx, deps, meta, 'account.signup_existing', existing.id, undefined, null);
        return { kind: 'existing', account: existing };
      }
      const account = await repo.insertAccount(
        tx,
        {
          name: input.name,
          email: input.email,
          phone: input.phone,
          nif: input.nif ?? null,
          birthDate: input.birthDate ?? null,
          passwordHash,
          locale: input.locale,
        },
        deps.now(),
      );
      const token = await issueToken(tx, deps, account.id, 'verify_email', EMAIL_LINK_TTL_MS);
      await audit(tx, deps, meta, 'account.signup', account.id);
      return { kind: 'created', account, token };
    });
  } catch (err) {
    if (!repo.isUniqueViolation(err)) throw err;
    const existing = await repo.findLiveAccountByEmail(deps.db, input.email);
    if (!existing) throw err;
    await audit(deps.db, deps, meta, 'account.signup_existing', existing.id, undefined, null);
    outcome = { kind: 'existing', account: existing };
  }
  const to = outcome.account;
  if (outcome.kind === 'created') {
    deliver(
      deps,
      input.email,
      verifyEmailMail(to, portalLink(deps, '/verify-email', outcome.token)),
      'verify_email',
    );
  } else {
    deliver(
      deps,
      input.email,
      alreadyRegisteredMail(to, portalLink(deps, '/login'), portalLink(deps, '/forgot-password')),
      'already_registered',
    );
  }
}

/**
 * `POST /account/verify-email`: uses a verify link, marks the email verified and starts a session.
 * @throws AppError token_invalid (unknown, used, expired, or its account erased)
 */
export async function verifyEmail(deps: CentralDeps, token: string, meta: RequestMeta): Promise<LoggedIn> {
  const out = await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const t = await repo.consumeEmailToken(tx, hashToken(token), 'verify_email', now);
    if (!t) return null;
    let account = await repo.findLiveAccount(tx, t.accountId);
    if (!account) return null;
    if (!account.emailVerifiedAt) {
      account = (await repo.updateAccount(tx, account.id, { emailVerifiedAt: new Date(now) }, now))!;
    }
    const s = await startSession(tx, deps, account.id, meta.userAgent);
    await audit(tx, deps, meta, 'account.verify_email', account.id);
    return { account: toAccount(account), tokens: { access: s.access, refresh: s.refresh } };
  });
  if (!out) throw tokenInvalid();
  return out;
}

/**
 * `POST /account/login`. Order: throttle check (429 without looking at the password), Argon2 check
 * (against a dummy hash for an unknown email), failure counted on both keys (401), then for a right
 * password the account key is forgiven; an unverified account gets a fresh verify link (403); else a
 * session starts (and an old-cost hash is upgraded).
 * @throws AppError too_many_attempts, invalid_credentials, email_not_verified
 */
export async function login(deps: CentralDeps, input: LoginInput, meta: RequestMeta): Promise<LoggedIn> {
  const keys = throttleKeys(input.email, meta);
  await assertNotThrottled(deps, keys);
  const account = await repo.findLiveAccountByEmail(deps.db, input.email);
  const ok = await verifyPassword(account?.passwordHash ?? null, input.password, deps.config.argon2);
  if (!account || !ok) {
    await recordFailure(deps, keys);
    await audit(deps.db, deps, meta, 'account.login_failed', account?.id ?? null, undefined, null);
    throw invalidCredentials();
  }
  if (!account.emailVerifiedAt) {
    const token = await deps.db.transaction(async (tx) => {
      await repo.deleteThrottle(tx, accountKey(input.email));
      await audit(tx, deps, meta, 'account.login_unverified', account.id);
      return issueToken(tx, deps, account.id, 'verify_email', EMAIL_LINK_TTL_MS);
    });
    deliver(
      deps,
      input.email,
      verifyEmailMail(account, portalLink(deps, '/verify-email', token)),
      'verify_email',
    );
    throw new AppError('email_not_verified', 'confirm your email address first; a new link was sent');
  }
  const rehash =
    account.passwordHash && needsRehash(account.passwordHash, deps.config.argon2)
      ? await hashPassword(input.password, deps.config.argon2)
      : null;
  return deps.db.transaction(async (tx) => {
    await repo.deleteThrottle(tx, accountKey(input.email));
    if (rehash) await repo.updateAccount(tx, account.id, { passwordHash: rehash }, deps.now());
    const s = await startSession(tx, deps, account.id, meta.userAgent);
    await audit(tx, deps, meta, 'account.login', account.id);
    return { account: toAccount(account), tokens: { access: s.access, refresh: s.refresh } };
  });
}

/**
 * `POST /account/refresh`: rotates the refresh token (http/auth.ts `rotateRefresh`). A refusal is
 * committed (a reused token revokes its session) and audited before answering.
 * @throws AppError unauthorized (no token, unknown, reused, revoked, idle, expired, account erased)
 */
export async function refresh(
  deps: CentralDeps,
  token: string | undefined,
  meta: RequestMeta,
): Promise<LoggedIn> {
  if (!token) throw new AppError('unauthorized', 'no session');
  const out = await deps.db.transaction(async (tx) => {
    const r = await rotateRefresh(tx, deps, token);
    if (!r.ok) {
      await repo.insertAudit(
        tx,
        {
          actor: 'anonymous',
          action: 'session.refresh_refused',
          entity: 'session',
          entityId: r.sessionId,
          ip: meta.ip,
          details: { reason: r.reason },
        },
        deps.now(),
      );
      return null;
    }
    const account = await repo.findLiveAccount(tx, r.accountId);
    if (!account) {
      await revokeSessions(tx, deps.now(), { sessionId: r.sessionId }, 'account_gone');
      return null;
    }
    await audit(tx, deps, meta, 'account.refresh', account.id);
    return { account: toAccount(account), tokens: { access: r.access, refresh: r.refresh } };
  });
  if (!out) throw new AppError('unauthorized', 'session ended');
  return out;
}

/**
 * `POST /account/logout`: revokes the session named by the refresh cookie, else by the access token
 * (even an expired one). Nothing to revoke is not an error.
 */
export async function logout(
  deps: CentralDeps,
  tokens: { refresh: string | undefined; access: string | undefined },
  meta: RequestMeta,
): Promise<void> {
  let session = tokens.refresh ? await sessionOfRefreshToken(deps.db, tokens.refresh) : null;
  if (!session && tokens.access) session = await readAccessTokenForLogout(deps.config, tokens.access);
  if (!session) return;
  const { sessionId, accountId } = session;
  await deps.db.transaction(async (tx) => {
    await revokeSessions(tx, deps.now(), { sessionId }, 'logout');
    await audit(tx, deps, meta, 'account.logout', accountId, { sessionId });
  });
}

/**
 * `POST /account/password/forgot`: when a live account has this email, replaces its unused reset links
 * with a new one (30 min) and emails it. Says nothing either way.
 */
export async function forgotPassword(deps: CentralDeps, email: string, meta: RequestMeta): Promise<void> {
  const account = await repo.findLiveAccountByEmail(deps.db, email);
  if (!account) return;
  const token = await deps.db.transaction(async (tx) => {
    await repo.invalidateEmailTokens(tx, account.id, 'reset_password', deps.now());
    await audit(tx, deps, meta, 'account.password_forgot', account.id, undefined, null);
    return issueToken(tx, deps, account.id, 'reset_password', RESET_LINK_TTL_MS);
  });
  deliver(
    deps,
    email,
    resetPasswordMail(account, portalLink(deps, '/reset-password', token)),
    'reset_password',
  );
}

/**
 * `POST /account/password/reset`: uses a reset link to set a new password, ends every session, forgives
 * the account's login failures and, since the link proves control of the address, marks it verified.
 * The token is checked before the (costly) hash, and used atomically after it.
 * @throws AppError token_invalid, weak_password
 */
export async function resetPassword(
  deps: CentralDeps,
  input: { token: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const tokenHash = hashToken(input.token);
  const pending = await repo.findUsableEmailToken(deps.db, tokenHash, 'reset_password', deps.now());
  const owner = pending ? await repo.findLiveAccount(deps.db, pending.accountId) : null;
  if (!owner) throw tokenInvalid();
  assertPassword(input.password, [owner.email, owner.name], 'password');
  const passwordHash = await hashPassword(input.password, deps.config.argon2);
  const done = await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const t = await repo.consumeEmailToken(tx, tokenHash, 'reset_password', now);
    if (!t) return false;
    const account = await repo.updateAccount(
      tx,
      t.accountId,
      { passwordHash, emailVerifiedAt: owner.emailVerifiedAt ?? new Date(now) },
      now,
    );
    if (!account) return false;
    await revokeSessions(tx, now, { accountId: account.id }, 'password_reset');
    await repo.invalidateEmailTokens(tx, account.id, 'reset_password', now);
    if (account.email) await repo.deleteThrottle(tx, accountKey(account.email));
    await audit(tx, deps, meta, 'account.password_reset', account.id, undefined, null);
    return true;
  });
  if (!done) throw tokenInvalid();
}

/** The caller's live account. @throws AppError unauthorized when it is gone (erased) */
async function callerAccount(deps: CentralDeps, caller: Caller): Promise<AccountRow> {
  const account = await repo.findLiveAccount(deps.db, caller.accountId);
  if (!account) throw new AppError('unauthorized', 'account no longer exists');
  return account;
}

/**
 * Re-authentication of a logged-in caller by password, throttled and counted like a login.
 * @throws AppError too_many_attempts, invalid_credentials
 */
async function reauthenticate(
  deps: CentralDeps,
  account: AccountRow,
  password: string,
  meta: RequestMeta,
  action: string,
): Promise<void> {
  const keys = throttleKeys(account.email ?? account.id, meta);
  await assertNotThrottled(deps, keys);
  if (!(await verifyPassword(account.passwordHash, password, deps.config.argon2))) {
    await recordFailure(deps, keys);
    await audit(deps.db, deps, meta, 'account.reauth_failed', account.id, { for: action });
    throw invalidCredentials();
  }
}

/**
 * `POST /account/password`: checks the current password, sets the new one, ends every session of the
 * account and starts a new one for this browser.
 * @throws AppError invalid_credentials, too_many_attempts, weak_password, unauthorized
 */
export async function changePassword(
  deps: CentralDeps,
  caller: Caller,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<LoggedIn> {
  const account = await callerAccount(deps, caller);
  await reauthenticate(deps, account, input.currentPassword, meta, 'account.password_change');
  assertPassword(input.newPassword, [account.email, account.name], 'newPassword');
  const passwordHash = await hashPassword(input.newPassword, deps.config.argon2);
  return deps.db.transaction(async (tx) => {
    const now = deps.now();
    const updated = (await repo.updateAccount(tx, account.id, { passwordHash }, now))!;
    await revokeSessions(tx, now, { accountId: account.id }, 'password_change');
    if (account.email) await repo.deleteThrottle(tx, accountKey(account.email));
    const s = await startSession(tx, deps, account.id, meta.userAgent);
    await audit(tx, deps, meta, 'account.password_change', account.id);
    return { account: toAccount(updated), tokens: { access: s.access, refresh: s.refresh } };
  });
}

/**
 * `POST /account/email`: after the password, emails a confirmation link (24 h) to the new address
 * (replacing earlier unconfirmed requests) and a notice to the current one. The email changes only when
 * the link is used (`confirmEmailChange`).
 * @throws AppError invalid_credentials, too_many_attempts, validation_failed (same address), email_taken
 */
export async function requestEmailChange(
  deps: CentralDeps,
  caller: Caller,
  input: { newEmail: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const account = await callerAccount(deps, caller);
  await reauthenticate(deps, account, input.password, meta, 'account.email_change');
  if (input.newEmail === account.email) {
    throw new AppError('validation_failed', 'newEmail: this is already your address', {
      issues: [{ path: 'newEmail', message: 'this is already your address' }],
    });
  }
  if (await repo.findLiveAccountByEmail(deps.db, input.newEmail)) {
    throw new AppError('email_taken', 'another account uses this email');
  }
  const token = await deps.db.transaction(async (tx) => {
    await repo.invalidateEmailTokens(tx, account.id, 'change_email', deps.now());
    await audit(tx, deps, meta, 'account.email_change_requested', account.id);
    return issueToken(tx, deps, account.id, 'change_email', EMAIL_LINK_TTL_MS, input.newEmail);
  });
  deliver(
    deps,
    input.newEmail,
    confirmNewEmailMail(account, portalLink(deps, '/confirm-email', token)),
    'confirm_email',
  );
  if (account.email) {
    deliver(
      deps,
      account.email,
      emailChangeNoticeMail(account, input.newEmail, portalLink(deps, '/forgot-password')),
      'email_change_notice',
    );
  }
}

/**
 * `POST /account/email/confirm`: uses a change-email link: the account's email becomes the new address,
 * verified. If another account took the address meanwhile, the link stays unused and the answer is 409.
 * @throws AppError token_invalid, email_taken
 */
export async function confirmEmailChange(
  deps: CentralDeps,
  token: string,
  meta: RequestMeta,
): Promise<Account> {
  let out: Account | null;
  try {
    out = await deps.db.transaction(async (tx) => {
      const now = deps.now();
      const t = await repo.consumeEmailToken(tx, hashToken(token), 'change_email', now);
      if (!t?.newEmail) return null;
      const other = await repo.findLiveAccountByEmail(tx, t.newEmail);
      if (other && other.id !== t.accountId)
        throw new AppError('email_taken', 'another account uses this email');
      const account = await repo.updateAccount(
        tx,
        t.accountId,
        { email: t.newEmail, emailVerifiedAt: new Date(now) },
        now,
      );
      if (!account) return null;
      await audit(tx, deps, meta, 'account.email_changed', account.id, undefined, null);
      return toAccount(account);
    });
  } catch (err) {
    if (repo.isUniqueViolation(err)) throw new AppError('email_taken', 'another account uses this email');
    throw err;
  }
  if (!out) throw tokenInvalid();
  return out;
}

/** `GET /account/me` (audited as `account.read`). @throws AppError unauthorized */
export async function getMe(deps: CentralDeps, caller: Caller, meta: RequestMeta): Promise<Account> {
  const account = await callerAccount(deps, caller);
  await audit(deps.db, deps, meta, 'account.read', account.id);
  return toAccount(account);
}

/**
 * `PATCH /account/me`: changes the given fields (null clears NIF or birth date); audited with the names
 * of the fields changed, not their values.
 * @throws AppError validation_failed (birth date), unauthorized
 */
export async function updateMe(
  deps: CentralDeps,
  caller: Caller,
  input: UpdateAccountInput,
  meta: RequestMeta,
): Promise<Account> {
  assertBirthDate(deps, input.birthDate);
  const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<
    Pick<AccountRow, 'name' | 'phone' | 'nif' | 'birthDate' | 'locale'>
  >;
  const out = await deps.db.transaction(async (tx) => {
    const account = await repo.updateAccount(tx, caller.accountId, patch, deps.now());
    if (!account) return null;
    await audit(tx, deps, meta, 'account.update', account.id, { fields: Object.keys(patch).sort() });
    return toAccount(account);
  });
  if (!out) throw new AppError('unauthorized', 'account no longer exists');
  return out;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function exportAppointment(a: AppointmentRow): AccountExport['appointments'][number] {
  return {
    id: a.id,
    clinicId: a.clinicId,
    practitionerId: a.practitionerId,
    accountId: a.accountId,
    specialty: a.specialty,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    blockedUntil: a.blockedUntil.toISOString(),
    status: a.status,
    holdExpiresAt: iso(a.holdExpiresAt),
    bookingCode: a.bookingCode,
    priceCents: a.priceCents,
    paymentMode: a.paymentMode,
    roomId: a.roomId,
    rescheduledFrom: a.rescheduledFrom,
    cancelledBy: a.cancelledBy,
    visitStatus: a.visitStatus,
    visitRoom: a.visitRoom,
    waitMin: a.waitMin,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    version: a.version,
  };
}

/**
 * `GET /account/export` (GDPR art. 15/20): the caller's account, every appointment row of theirs and
 * their sessions, read in one transaction; audited as `account.export`.
 * @throws AppError unauthorized
 */
export async function exportData(
  deps: CentralDeps,
  caller: Caller,
  meta: RequestMeta,
): Promise<AccountExport> {
  return deps.db.transaction(async (tx) => {
    const account = await repo.findLiveAccount(tx, caller.accountId);
    if (!account) throw new AppError('unauthorized', 'account no longer exists');
    const appointments = await repo.listAppointments(tx, account.id);
    const sessions = await repo.listSessions(tx, account.id);
    await audit(tx, deps, meta, 'account.export', account.id, { appointments: appointments.length });
    return {
      exportedAt: new Date(deps.now()).toISOString(),
      account: toAccount(account),
      appointments: appointments.map(exportAppointment),
      sessions: sessions.map((s) => ({
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        revokedAt: iso(s.revokedAt),
        userAgent: s.userAgent,
      })),
    };
  });
}

/**
 * `POST /account/delete` (GDPR art. 17), after the password, in one transaction: cancels the caller's
 * future live appointments (each with a `changes` row for the clinics), anonymises the account row
 * (repo.anonymiseAccount), revokes every session and blanks their user agents, deletes their emailed
 * links and their login-throttle row (it names the email), cancels their queued SMS and email and blanks
 * the recipient of every message row. Past appointments stay, now anonymous.
 * @throws AppError invalid_credentials, too_many_attempts, unauthorized
 */
export async function deleteAccount(
  deps: CentralDeps,
  caller: Caller,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const account = await callerAccount(deps, caller);
  await reauthenticate(deps, account, password, meta, 'account.delete');
  await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const cancelled = await repo.cancelFutureAppointments(tx, account.id, now);
    await repo.anonymiseAccount(tx, account.id, now);
    await revokeSessions(tx, now, { accountId: account.id }, 'erasure');
    await repo.blankSessionUserAgents(tx, account.id);
    await repo.deleteEmailTokens(tx, account.id);
    // Queued SMS and email (payment links, reminders, invoices) are cancelled and their recipient blanked.
    await forgetAccountMessages(tx, account.id);
    // Clinics that link one of their patients to this account erase that record (docs/sync.md).
    await feedLinkedErasures(tx, now, account.id);
    if (account.email) await repo.deleteThrottle(tx, accountKey(account.email));
    await audit(tx, deps, meta, 'account.delete', account.id, { cancelledAppointments: cancelled.length });
  });
}
