/**
 * Staff sessions of the local server (security.md "Accounts and sessions"; the same scheme as the
 * central API's patient sessions, server/central/http/auth.ts):
 * - a short access JWT (HS256 pinned, `exp`/`iss`/`aud` checked by jose against the injected clock,
 *   `ACCESS_TTL_SEC` = 15 min) and a rotating refresh token, both in HttpOnly, SameSite=Strict cookies;
 * - a session row is one refresh-token family: rotation marks the old token used; presenting a used
 *   token again revokes the whole family (stolen-token detection); only SHA-256 hashes are stored;
 * - a session ends when revoked (logout, password change or reset, account deactivated, reuse, too many
 *   wrong PINs), `SESSION_IDLE_SEC` (30 min) after its last refresh, or `SESSION_ABSOLUTE_SEC` (12 h)
 *   after login; a locked session refuses every call but unlock, me and logout (423 session_locked).
 * The signing key is 32 random bytes kept in the data directory (server/clinic/main.ts), so sessions
 * survive a restart of the server.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../../domain/errors.ts';
import {
  ACCESS_TTL_SEC,
  SESSION_ABSOLUTE_SEC,
  SESSION_IDLE_SEC,
  type StaffRole,
} from '../../../domain/staff.ts';
import type { DbContext } from '../../db/database.ts';

/** JWT issuer and audience of staff access tokens. */
const ISSUER = 'cfd-clinic';
const AUDIENCE = 'cfd-desk';

/** SHA-256 hex of a token (what the database keeps). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new unguessable token: 32 random bytes, base64url (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether cookies can be `Secure` (`__Host-` prefix) for this request: over https, or on a loopback host
 * (browsers treat http://127.0.0.1 and http://localhost as secure contexts). A LAN browser on plain http
 * gets the same cookies without the prefix and the Secure flag (README, "LAN screens").
 */
export function secureContext(c: Context): boolean {
  const url = new URL(c.req.url);
  const host = (c.req.header('host') ?? url.host).replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return url.protocol === 'https:' || host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

/** The name of cookie `base` for this request (`__Host-` + base in a secure context). */
export function cookieNameFor(c: Context, base: string): string {
  return secureContext(c) ? `__Host-${base}` : base;
}

/** Reads cookie `base` under its prefixed or plain name. */
export function readCookie(c: Context, base: string): string | undefined {
  return getCookie(c, `__Host-${base}`) ?? getCookie(c, base);
}

/** Sets cookie `base` (HttpOnly, SameSite=Strict, Path=/, Secure in a secure context) for `maxAgeSec`. */
export function writeCookie(c: Context, base: string, value: string, maxAgeSec: number): void {
  setCookie(c, cookieNameFor(c, base), value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: secureContext(c),
    maxAge: maxAgeSec,
  });
}

/** Clears cookie `base` under both names. */
export function clearCookie(c: Context, base: string): void {
  deleteCookie(c, `__Host-${base}`, { path: '/', secure: true });
  deleteCookie(c, base, { path: '/' });
}

/** Base names of the staff session cookies. */
export const ACCESS_COOKIE = 'cfd_staff_access';
export const REFRESH_COOKIE = 'cfd_staff_refresh';

/** What the staff session code needs: the database and clock, and the JWT signing key (32 bytes). */
export interface SessionDeps extends DbContext {
  sessionKey: Uint8Array;
}

/** Signs an access JWT for `staffId` in `sessionId`, valid `ACCESS_TTL_SEC` from `nowMs`. */
export async function signAccessToken(
  key: Uint8Array,
  staffId: string,
  sessionId: string,
  nowMs: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(staffId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TTL_SEC)
    .sign(key);
}

/**
 * Verifies an access JWT (HS256 only; `exp`, `iss`, `aud` checked against `nowMs`).
 * @returns the token's staff and session ids, or null when it is not a valid access token
 */
export async function verifyAccessToken(
  key: Uint8Array,
  token: string,
  nowMs: number,
): Promise<{ staffId: string; sessionId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(nowMs),
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { staffId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}

/** A new session's tokens. */
export interface NewSession {
  sessionId: string;
  access: string;
  refresh: string;
  /** Absolute end, ISO-8601 UTC. */
  expiresAt: string;
}

/** Starts a session for `staffId` (login, first-run setup): a session row and its first refresh token. */
export async function startStaffSession(
  deps: SessionDeps,
  staffId: string,
  userAgent: string,
): Promise<NewSession> {
  const now = deps.now();
  const iso = new Date(now).toISOString();
  const sessionId = randomUUID();
  const expiresAt = new Date(now + SESSION_ABSOLUTE_SEC * 1000).toISOString();
  const refresh = newToken();
  deps.db.transaction(() => {
    deps.db
      .prepare(
        `INSERT INTO staff_sessions (id, staff_id, created_at, last_used_at, expires_at, user_agent)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(sessionId, staffId, iso, iso, expiresAt, userAgent.slice(0, 300));
    deps.db
      .prepare('INSERT INTO staff_refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)')
      .run(hashToken(refresh), sessionId, iso);
  })();
  const access = await signAccessToken(deps.sessionKey, staffId, sessionId, now);
  return { sessionId, access, refresh, expiresAt };
}

/**
 * Revokes one session, or every live session of an account (but `except`, the caller's own, when given:
 * a password change keeps the session that made it).
 * @returns how many sessions it ended
 */
export function revokeStaffSessions(
  ctx: DbContext,
  where: { sessionId: string } | { staffId: string; except?: string },
  reason: string,
): number {
  const at = new Date(ctx.now()).toISOString();
  if ('sessionId' in where)
    return ctx.db
      .prepare(
        'UPDATE staff_sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .run(at, reason, where.sessionId).changes;
  return ctx.db
    .prepare(
      `UPDATE staff_sessions SET revoked_at = ?, revoked_reason = ?
        WHERE staff_id = ? AND id <> ? AND revoked_at IS NULL`,
    )
    .run(at, reason, where.staffId, where.except ?? '').changes;
}

/** A session joined with its account, as the request check needs it. */
export interface LiveSession {
  sessionId: string;
  staffId: string;
  username: string;
  displayName: string;
  role: StaffRole;
  practitionerId: string | null;
  expiresAt: string;
  locked: boolean;
}

interface SessionRow {
  id: string;
  staff_id: string;
  last_used_at: string;
  expires_at: string;
  locked_at: string | null;
  revoked_at: string | null;
  username: string;
  display_name: string;
  role: StaffRole;
  practitioner_id: string | null;
  active: number;
}

/** The session and account of `sessionId`, or null when either is gone, revoked, idle or expired. */
export function liveSession(ctx: DbContext, sessionId: string, staffId: string): LiveSession | null {
  const row = ctx.db
    .prepare(
      `SELECT s.id, s.staff_id, s.last_used_at, s.expires_at, s.locked_at, s.revoked_at,
              st.username, st.display_name, st.role, st.practitioner_id, st.active
         FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
        WHERE s.id = ? AND s.staff_id = ?`,
    )
    .get(sessionId, staffId) as SessionRow | undefined;
  if (!row || !sessionUsable(row, ctx.now())) return null;
  return {
    sessionId: row.id,
    staffId: row.staff_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    practitionerId: row.practitioner_id,
    expiresAt: row.expires_at,
    locked: row.locked_at !== null,
  };
}

/** Not revoked, account active, before the absolute end and within the idle timeout. */
function sessionUsable(
  row: Pick<SessionRow, 'revoked_at' | 'expires_at' | 'last_used_at' | 'active'>,
  now: number,
): boolean {
  return (
    row.revoked_at === null &&
    row.active === 1 &&
    Date.parse(row.expires_at) > now &&
    Date.parse(row.last_used_at) + SESSION_IDLE_SEC * 1000 > now
  );
}

/**
 * Rotates a refresh token: marks it used, issues the next one and a new access token, and moves the
 * session's `last_used_at` (the idle timeout counts from here). A token already used revokes its whole
 * session (reuse = theft). A locked session is not refreshed (unlock first).
 * @throws AppError session_expired (401) for an unknown, used, revoked, idle or expired token;
 *   session_locked (423) for a locked session
 */
export async function rotateStaffRefresh(
  deps: SessionDeps,
  presented: string,
): Promise<{ access: string; refresh: string; staffId: string; sessionId: string }> {
  const now = deps.now();
  const iso = new Date(now).toISOString();
  const next = newToken();
  type Outcome = { error: 'session_expired' | 'session_locked' } | { staffId: string; sessionId: string };
  const result = deps.db.transaction((): Outcome => {
    const token = deps.db
      .prepare('SELECT session_id, used_at FROM staff_refresh_tokens WHERE token_hash = ?')
      .get(hashToken(presented)) as { session_id: string; used_at: string | null } | undefined;
    if (!token) return { error: 'session_expired' as const };
    const row = deps.db
      .prepare(
        `SELECT s.staff_id, s.last_used_at, s.expires_at, s.locked_at, s.revoked_at, st.active
           FROM staff_sessions s JOIN staff st ON st.id = s.staff_id WHERE s.id = ?`,
      )
      .get(token.session_id) as SessionRow | undefined;
    if (!row) return { error: 'session_expired' as const };
    if (token.used_at !== null) {
      revokeStaffSessions(deps, { sessionId: token.session_id }, 'refresh_reuse');
      return { error: 'session_expired' as const };
    }
    if (!sessionUsable(row, now)) return { error: 'session_expired' as const };
    if (row.locked_at !== null) return { error: 'session_locked' as const };
    deps.db
      .prepare('UPDATE staff_refresh_tokens SET used_at = ? WHERE token_hash = ?')
      .run(iso, hashToken(presented));
    deps.db
      .prepare('INSERT INTO staff_refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)')
      .run(hashToken(next), token.session_id, iso);
    deps.db.prepare('UPDATE staff_sessions SET last_used_at = ? WHERE id = ?').run(iso, token.session_id);
    return { staffId: row.staff_id, sessionId: token.session_id };
  })();
  if ('error' in result) {
    throw new AppError(
      result.error,
      result.error === 'session_locked'
        ? 'this desk is locked: unlock it first'
        : 'session ended: log in again',
    );
  }
  const access = await signAccessToken(deps.sessionKey, result.staffId, result.sessionId, now);
  return { access, refresh: next, ...result };
}

/** Sets both session cookies (the refresh cookie lives as long as the session may). */
export function setStaffCookies(c: Context, access: string, refresh: string): void {
  writeCookie(c, ACCESS_COOKIE, access, ACCESS_TTL_SEC);
  writeCookie(c, REFRESH_COOKIE, refresh, SESSION_ABSOLUTE_SEC);
}

/** Clears both session cookies. */
export function clearStaffCookies(c: Context): void {
  clearCookie(c, ACCESS_COOKIE);
  clearCookie(c, REFRESH_COOKIE);
}
