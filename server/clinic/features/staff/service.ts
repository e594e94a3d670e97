/**
 * Staff accounts of the local server: the first-run admin, login with throttling, lock and PIN unlock,
 * own password and PIN, and the admin's account management. Every login, failure, lock, unlock and
 * account change is audited (`staff.*`, no secrets in the detail). Rules: server/domain/staff.ts;
 * sessions: ./sessions.ts; throttling: server/domain/throttle.ts (10 failures per account and 100 per
 * address in 15 min, then exponential locks; identical answers for unknown usernames).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../domain/errors.ts';
import {
  ACCOUNT_POLICY,
  IP_POLICY,
  ipKey,
  lockRemainingMs,
  type ThrottlePolicy,
} from '../../../domain/throttle.ts';
import { MAX_PIN_FAILURES, type StaffRole, type StaffView } from '../../../domain/staff.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import type { DbContext } from '../../db/database.ts';
import { hashPassword, needsRehash, verifyPassword, type Argon2Params } from '../../../http/passwords.ts';
import { clearThrottle, readThrottle, recordFailure } from './throttle-repo.ts';
import { revokeStaffSessions, startStaffSession, type NewSession, type SessionDeps } from './sessions.ts';

/** What the staff service needs: sessions' deps plus the Argon2id cost. */
export interface StaffDeps extends SessionDeps {
  argon2: Argon2Params;
}

/** A `staff` row. */
export interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  practitioner_id: string | null;
  password_hash: string;
  pin_hash: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

/** The API's view of a row (no hashes). */
export function staffView(row: StaffRow): StaffView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    practitionerId: row.practitioner_id,
    active: row.active === 1,
    hasPin: row.pin_hash !== null,
    createdAt: row.created_at,
  };
}

/** The audit actor of a staff member. */
export function staffActor(username: string): Actor {
  return `staff:${username}`;
}

/** The row of `id`. @throws AppError staff_not_found */
export function getStaff(ctx: DbContext, id: string): StaffRow {
  const row = ctx.db.prepare('SELECT * FROM staff WHERE id = ?').get(id) as StaffRow | undefined;
  if (!row) throw new AppError('staff_not_found', 'no such staff account');
  return row;
}

/** How many staff accounts exist (0 = the first-run setup is still to do). */
export function countStaff(ctx: DbContext): number {
  return (ctx.db.prepare('SELECT COUNT(*) AS n FROM staff').get() as { n: number }).n;
}

/** Every account, admins first then by name. */
export function listStaff(ctx: DbContext): StaffView[] {
  const rows = ctx.db
    .prepare(
      `SELECT * FROM staff ORDER BY active DESC,
         CASE role WHEN 'admin' THEN 0 WHEN 'receptionist' THEN 1 ELSE 2 END, display_name`,
    )
    .all() as StaffRow[];
  return rows.map(staffView);
}

/** The fields of a new account. */
export interface NewStaff {
  username: string;
  displayName: string;
  role: StaffRole;
  practitionerId: string | null;
  password: string;
}

function assertPractitioner(ctx: DbContext, role: StaffRole, practitionerId: string | null): void {
  if (role === 'practitioner' && practitionerId === null)
    throw new AppError('validation_failed', 'a practitioner account names its practitioner');
  if (practitionerId === null) return;
  const p = ctx.db
    .prepare('SELECT 1 FROM practitioners WHERE id = ? AND deleted_at IS NULL')
    .get(practitionerId);
  if (!p) throw new AppError('practitioner_not_found', 'no such practitioner');
}

/**
 * Inserts an account with an already computed password hash (sync; the caller hashed it).
 * @throws AppError username_taken (409), practitioner_not_found (404)
 */
export function insertStaff(
  ctx: DbContext,
  input: Omit<NewStaff, 'password'> & { passwordHash: string },
  actor: Actor,
): StaffView {
  assertPractitioner(ctx, input.role, input.practitionerId);
  const at = new Date(ctx.now()).toISOString();
  const id = randomUUID();
  const taken = ctx.db.prepare('SELECT 1 FROM staff WHERE username = ?').get(input.username);
  if (taken) throw new AppError('username_taken', 'this username is already in use');
  ctx.db
    .prepare(
      `INSERT INTO staff (id, username, display_name, role, practitioner_id, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, input.username, input.displayName, input.role, input.practitionerId, input.passwordHash, at, at);
  writeAudit(ctx, actor, 'staff.create', 'staff', id, { username: input.username, role: input.role });
  return staffView(getStaff(ctx, id));
}

/** Creates an account (admin). @throws AppError username_taken, practitioner_not_found */
export async function createStaff(deps: StaffDeps, input: NewStaff, actor: Actor): Promise<StaffView> {
  const passwordHash = await hashPassword(input.password, deps.argon2);
  return insertStaff(deps, { ...input, passwordHash }, actor);
}

/**
 * The first-run setup: creates the clinic's first admin and logs them in; refused once any account
 * exists (checked again inside the transaction, so two setups racing make one admin).
 * @throws AppError setup_done (409)
 */
export async function setupFirstAdmin(
  deps: StaffDeps,
  input: { username: string; displayName: string; password: string },
  userAgent: string,
): Promise<{ staff: StaffView; session: NewSession }> {
  if (countStaff(deps) > 0) throw new AppError('setup_done', 'this clinic already has staff accounts');
  const passwordHash = await hashPassword(input.password, deps.argon2);
  const staff = deps.db.transaction(() => {
    if (countStaff(deps) > 0) throw new AppError('setup_done', 'this clinic already has staff accounts');
    return insertStaff(
      deps,
      { ...input, role: 'admin', practitionerId: null, passwordHash },
      staffActor(input.username),
    );
  })();
  const session = await startStaffSession(deps, staff.id, userAgent);
  return { staff, session };
}

/** The throttle key of a username. */
export function staffKey(username: string): string {
  return `staff:${username.toLowerCase()}`;
}

/**
 * Logs a staff member in. Unknown usernames, inactive accounts and wrong passwords get the same answer
 * in the same time (a dummy hash is verified). The account and the address are throttled.
 * @throws AppError too_many_attempts (429, `details.retryAfterSec`), invalid_credentials (401)
 */
export async function login(
  deps: StaffDeps,
  input: { username: string; password: string },
  client: { ip: string; userAgent: string },
): Promise<{ staff: StaffView; session: NewSession }> {
  const now = deps.now();
  const keys: [string, ThrottlePolicy][] = [
    [staffKey(input.username), ACCOUNT_POLICY],
    [ipKey(client.ip), IP_POLICY],
  ];
  const wait = Math.max(...keys.map(([k]) => lockRemainingMs(readThrottle(deps, k), now)));
  if (wait > 0) {
    throw new AppError('too_many_attempts', 'too many failed attempts: try again later', {
      retryAfterSec: Math.ceil(wait / 1000),
    });
  }
  const row = deps.db.prepare('SELECT * FROM staff WHERE username = ?').get(input.username) as
    StaffRow | undefined;
  const usable = row && row.active === 1 ? row : null;
  const ok = await verifyPassword(usable?.password_hash ?? null, input.password, deps.argon2);
  if (!ok || !usable) {
    deps.db.transaction(() => {
      for (const [k, policy] of keys) recordFailure(deps, k, policy);
      writeAudit(deps, 'system', 'staff.login_failed', 'staff', usable?.id ?? null, { ip: client.ip });
    })();
    throw new AppError('invalid_credentials', 'wrong username or password');
  }
  clearThrottle(deps, staffKey(input.username));
  if (needsRehash(usable.password_hash, deps.argon2)) {
    const rehashed = await hashPassword(input.password, deps.argon2);
    deps.db.prepare('UPDATE staff SET password_hash = ? WHERE id = ?').run(rehashed, usable.id);
  }
  const session = await startStaffSession(deps, usable.id, client.userAgent);
  writeAudit(deps, staffActor(usable.username), 'staff.login', 'staff', usable.id, { ip: client.ip });
  return { staff: staffView(usable), session };
}

/** Ends the caller's session (logout). */
export function logout(
  ctx: DbContext,
  session: { sessionId: string; staffId: string; username: string },
): void {
  revokeStaffSessions(ctx, { sessionId: session.sessionId }, 'logout');
  writeAudit(ctx, staffActor(session.username), 'staff.logout', 'staff', session.staffId);
}

/** Locks the caller's session: every call but unlock, me and logout answers 423 until unlocked. */
export function lockSession(
  ctx: DbContext,
  session: { sessionId: string; staffId: string; username: string },
): void {
  ctx.db
    .prepare('UPDATE staff_sessions SET locked_at = ? WHERE id = ? AND locked_at IS NULL')
    .run(new Date(ctx.now()).toISOString(), session.sessionId);
  writeAudit(ctx, staffActor(session.username), 'staff.lock', 'staff', session.staffId);
}

/**
 * Unlocks the caller's locked session with their PIN (or password). `MAX_PIN_FAILURES` wrong PINs end
 * the session (the password is then needed at the login screen).
 * @throws AppError pin_not_set (409), invalid_credentials (401), session_expired (401) after too many
 */
export async function unlockSession(
  deps: StaffDeps,
  session: { sessionId: string; staffId: string; username: string },
  input: { pin: string } | { password: string },
): Promise<void> {
  const row = getStaff(deps, session.staffId);
  let ok: boolean;
  if ('pin' in input) {
    if (row.pin_hash === null) throw new AppError('pin_not_set', 'no PIN is set: unlock with the password');
    ok = await verifyPassword(row.pin_hash, input.pin, deps.argon2);
  } else {
    ok = await verifyPassword(row.password_hash, input.password, deps.argon2);
  }
  const actor = staffActor(session.username);
  if (!ok) {
    const failures = deps.db.transaction(() => {
      deps.db
        .prepare('UPDATE staff_sessions SET pin_failures = pin_failures + 1 WHERE id = ?')
        .run(session.sessionId);
      const n = (
        deps.db
          .prepare('SELECT pin_failures AS n FROM staff_sessions WHERE id = ?')
          .get(session.sessionId) as {
          n: number;
        }
      ).n;
      writeAudit(deps, actor, 'staff.unlock_failed', 'staff', session.staffId, { failures: n });
      if (n >= MAX_PIN_FAILURES) revokeStaffSessions(deps, { sessionId: session.sessionId }, 'pin_failures');
      return n;
    })();
    if (failures >= MAX_PIN_FAILURES)
      throw new AppError('session_expired', 'too many wrong attempts: log in with your password');
    throw new AppError('invalid_credentials', 'wrong PIN or password', {
      attemptsLeft: MAX_PIN_FAILURES - failures,
    });
  }
  deps.db
    .prepare('UPDATE staff_sessions SET locked_at = NULL, pin_failures = 0, last_used_at = ? WHERE id = ?')
    .run(new Date(deps.now()).toISOString(), session.sessionId);
  writeAudit(deps, actor, 'staff.unlock', 'staff', session.staffId);
}

/** Sets the caller's PIN after checking their password. @throws AppError invalid_credentials */
export async function setPin(
  deps: StaffDeps,
  session: { staffId: string; username: string },
  input: { pin: string; password: string },
): Promise<void> {
  const row = getStaff(deps, session.staffId);
  if (!(await verifyPassword(row.password_hash, input.password, deps.argon2)))
    throw new AppError('invalid_credentials', 'wrong password');
  const pinHash = await hashPassword(input.pin, deps.argon2);
  deps.db
    .prepare('UPDATE staff SET pin_hash = ?, updated_at = ? WHERE id = ?')
    .run(pinHash, new Date(deps.now()).toISOString(), row.id);
  writeAudit(deps, staffActor(session.username), 'staff.pin_set', 'staff', row.id);
}

/**
 * Changes the caller's password; every other session of theirs ends.
 * @throws AppError invalid_credentials (wrong current password)
 */
export async function changeOwnPassword(
  deps: StaffDeps,
  session: { sessionId: string; staffId: string; username: string },
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const row = getStaff(deps, session.staffId);
  if (!(await verifyPassword(row.password_hash, input.currentPassword, deps.argon2)))
    throw new AppError('invalid_credentials', 'wrong password');
  const hash = await hashPassword(input.newPassword, deps.argon2);
  deps.db.transaction(() => {
    deps.db
      .prepare('UPDATE staff SET password_hash = ?, updated_at = ? WHERE id = ?')
      .run(hash, new Date(deps.now()).toISOString(), row.id);
    revokeStaffSessions(deps, { staffId: row.id, except: session.sessionId }, 'password_change');
    writeAudit(deps, staffActor(session.username), 'staff.password_change', 'staff', row.id);
  })();
}

/** What an admin may change on an account. */
export interface StaffPatch {
  displayName?: string;
  role?: StaffRole;
  practitionerId?: string | null;
  active?: boolean;
  password?: string;
}

/**
 * Changes an account (admin). Deactivating it or resetting its password ends its sessions. The clinic
 * always keeps one active admin.
 * @throws AppError staff_not_found, practitioner_not_found, last_admin (409)
 */
export async function patchStaff(
  deps: StaffDeps,
  id: string,
  patch: StaffPatch,
  actor: Actor,
): Promise<StaffView> {
  const passwordHash = patch.password === undefined ? null : await hashPassword(patch.password, deps.argon2);
  return deps.db.transaction(() => {
    const row = getStaff(deps, id);
    const role = patch.role ?? row.role;
    const practitionerId = patch.practitionerId === undefined ? row.practitioner_id : patch.practitionerId;
    const active = patch.active ?? row.active === 1;
    assertPractitioner(deps, role, practitionerId);
    if (row.role === 'admin' && row.active === 1 && (role !== 'admin' || !active)) {
      const others = (
        deps.db
          .prepare("SELECT COUNT(*) AS n FROM staff WHERE role = 'admin' AND active = 1 AND id <> ?")
          .get(id) as { n: number }
      ).n;
      if (others === 0) throw new AppError('last_admin', 'the clinic must keep one active admin');
    }
    deps.db
      .prepare(
        `UPDATE staff SET display_name = ?, role = ?, practitioner_id = ?, active = ?,
           password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?`,
      )
      .run(
        patch.displayName ?? row.display_name,
        role,
        practitionerId,
        active ? 1 : 0,
        passwordHash,
        new Date(deps.now()).toISOString(),
        id,
      );
    if (!active || passwordHash !== null || role !== row.role)
      revokeStaffSessions(
        deps,
        { staffId: id },
        !active ? 'deactivated' : passwordHash ? 'password_reset' : 'role_change',
      );
    const changed = Object.keys(patch).filter((k) => k !== 'password');
    writeAudit(deps, actor, 'staff.update', 'staff', id, {
      fields: changed,
      passwordReset: passwordHash !== null,
      ...(patch.role ? { role: { from: row.role, to: role } } : {}),
    });
    return staffView(getStaff(deps, id));
  })();
}
