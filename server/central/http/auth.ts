/**
 * Patient sessions (security.md, OWASP ASVS): a short-lived access JWT (HS256 pinned; `exp`, `iss`,
 * `aud` checked by jose) and a rotating refresh token, both in HttpOnly, Secure, SameSite=Strict
 * `__Host-` cookies. A session row is one refresh-token family: rotation marks the old token used, and
 * presenting a used token again revokes the whole family (stolen-token detection). Only SHA-256 hashes
 * of refresh tokens are stored. A session ends when revoked (logout, password change or reset, erasure,
 * reuse), `refreshIdleSec` after its last refresh, or `refreshAbsoluteSec` after it started
 * (`rotateRefresh`). Logout and password change revoke sessions (features/accounts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jwtVerify, SignJWT } from 'jose';
import { v4 as uuidv4 } from 'uuid';
import { AppError } from '../../domain/errors.ts';
import type { CentralDb, CentralTx } from '../db/database.ts';
import { refreshTokens, sessions } from '../db/schema.ts';
import type { CentralConfig, CentralDeps } from '../deps.ts';
import type { CentralEnv } from './context.ts';

/** Cookie names (`__Host-`: Secure, Path=/, no Domain; Chromium accepts them on http://127.0.0.1 too). */
export const ACCESS_COOKIE = '__Host-cfd_access';
export const REFRESH_COOKIE = '__Host-cfd_refresh';

/** SHA-256 hex of a token (what the database keeps). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new unguessable token: 32 random bytes, base64url (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Signs an access JWT for `accountId` in `sessionId`, valid `config.accessTtlSec` from `nowMs`. */
export async function signAccessToken(
  config: CentralConfig,
  accountId: string,
  sessionId: string,
  nowMs: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(accountId)
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + config.accessTtlSec)
    .sign(config.jwtSecret);
}

/**
 * Verifies an access JWT (HS256 only; `exp`, `iss`, `aud` checked against the injected clock).
 * @throws AppError unauthorized on any failure (expired, forged, wrong audience, `alg: none`)
 */
export async function verifyAccessToken(
  config: CentralConfig,
  token: string,
  nowMs: number,
): Promise<{ accountId: string; sessionId: string }> {
  try {
    const { payload } = await jwtVerify(token, config.jwtSecret, {
      algorithms: ['HS256'],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      currentDate: new Date(nowMs),
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error('claims');
    return { accountId: payload.sub, sessionId: payload.sid };
  } catch {
    throw new AppError('unauthorized', 'not logged in or session expired');
  }
}

/** Sets both session cookies on the response. */
export function setSessionCookies(c: Context, config: CentralConfig, access: string, refresh: string): void {
  const base = { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' } as const;
  setCookie(c, ACCESS_COOKIE, access, { ...base, maxAge: config.accessTtlSec });
  setCookie(c, REFRESH_COOKIE, refresh, { ...base, maxAge: config.refreshAbsoluteSec });
}

/** Clears both session cookies. */
export function clearSessionCookies(c: Context): void {
  deleteCookie(c, ACCESS_COOKIE, { path: '/', secure: true });
  deleteCookie(c, REFRESH_COOKIE, { path: '/', secure: true });
}

/**
 * Starts a session for `accountId` (login, sign-up verification): a session row and its first refresh
 * token, in the caller's transaction. Returns both tokens to put in cookies.
 */
export async function startSession(
  tx: CentralTx,
  deps: Pick<CentralDeps, 'config' | 'now'>,
  accountId: string,
  userAgent: string,
): Promise<{ sessionId: string; access: string; refresh: string }> {
  const now = deps.now();
  const sessionId = uuidv4();
  await tx.insert(sessions).values({
    id: sessionId,
    accountId,
    createdAt: new Date(now),
    lastUsedAt: new Date(now),
    expiresAt: new Date(now + deps.config.refreshAbsoluteSec * 1000),
    userAgent: userAgent.slice(0, 300),
  });
  const refresh = newToken();
  await tx
    .insert(refreshTokens)
    .values({ tokenHash: hashToken(refresh), sessionId, createdAt: new Date(now) });
  const access = await signAccessToken(deps.config, accountId, sessionId, now);
  return { sessionId, access, refresh };
}

/** Revokes one session (logout) or every session of an account (password change, erasure). */
export async function revokeSessions(
  tx: CentralTx,
  nowMs: number,
  where: { sessionId: string } | { accountId: string },
  reason: string,
): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: new Date(nowMs), revokedReason: reason })
    .where(
      and(
        'sessionId' in where ? eq(sessions.id, where.sessionId) : eq(sessions.accountId, where.accountId),
        isNull(sessions.revokedAt),
      ),
    );
}

/**
 * Middleware: the caller must carry a valid access token (cookie) of a session that is not revoked;
 * sets `c.var.caller`. The session check makes logout and password change take effect at once rather
 * than when the access token expires.
 * @throws AppError unauthorized
 */
export function requireCaller(
  deps: Pick<CentralDeps, 'config' | 'now' | 'db'>,
): MiddlewareHandler<CentralEnv> {
  return async (c, next) => {
    const token = getCookie(c, ACCESS_COOKIE);
    if (!token) throw new AppError('unauthorized', 'not logged in');
    const caller = await verifyAccessToken(deps.config, token, deps.now());
    const [s] = await deps.db
      .select({ revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.id, caller.sessionId));
    if (!s || s.revokedAt || s.expiresAt.getTime() <= deps.now()) {
      throw new AppError('unauthorized', 'session ended');
    }
    c.set('caller', caller);
    await next();
  };
}

/**
 * Middleware (CSRF, security.md): a state-changing request (not GET/HEAD/OPTIONS) must come from our own
 * origin: `Sec-Fetch-Site` same-origin/none when present, else an `Origin` equal to the public URL or
 * the request's own origin. Also refuses bodies that are not JSON on JSON routes' methods, so a
 * cross-site form post (text/plain, no preflight) never reaches a handler.
 * @throws AppError forbidden (`cross_site`)
 */
export function sameOriginOnly(config: Pick<CentralConfig, 'publicUrl'>): MiddlewareHandler {
  const allowed = new URL(config.publicUrl).origin;
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') {
      throw new AppError('forbidden', 'cross-site request refused', { reason: 'cross_site' });
    }
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const own = new URL(c.req.url).origin;
      if (origin !== allowed && origin !== own) {
        throw new AppError('forbidden', 'cross-site request refused', { reason: 'cross_site' });
      }
    }
    await next();
  };
}

/**
 * True when a server-rendered page's form post (no JSON, so `sameOriginOnly` does not apply) comes from
 * another site: by `Sec-Fetch-Site` when the browser sends it (same-origin or none are ours), else by an
 * `Origin` other than `allowedOrigin`. A same-origin post from a page under `Referrer-Policy: no-referrer`
 * carries `Origin: null`, so that value alone does not count as foreign; a request with no Origin
 * (curl, tests) is not a browser's cross-site post either.
 */
export function crossSiteFormPost(c: Context, allowedOrigin: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = c.req.header('origin');
  return origin !== undefined && origin !== 'null' && origin !== allowedOrigin;
}

/** Why `rotateRefresh` refused a refresh token (each answers 401 unauthorized). */
export type RefreshRefusal =
  /** no such token */
  | 'unknown'
  /** the token was already used: its whole session is revoked now (stolen-token detection) */
  | 'reused'
  /** the session was revoked before (logout, password change, erasure, earlier reuse) */
  | 'revoked'
  /** the session reached its absolute lifetime (`refreshAbsoluteSec`) */
  | 'expired'
  /** no refresh for `refreshIdleSec`: the session is revoked now */
  | 'idle';

/** What `rotateRefresh` did. */
export type RefreshOutcome =
  | { ok: true; accountId: string; sessionId: string; access: string; refresh: string }
  | { ok: false; reason: RefreshRefusal; sessionId: string | null };

/**
 * Rotates a refresh token in the caller's transaction: marks it used (atomically, so two concurrent
 * presentations cannot both succeed), issues its successor in the same session, updates the session's
 * `last_used_at` and signs a new access token. A refusal is returned rather than thrown so the caller
 * can commit what it wrote (revoking a family on reuse or idleness) before answering 401.
 */
export async function rotateRefresh(
  tx: CentralTx,
  deps: Pick<CentralDeps, 'config' | 'now'>,
  token: string,
): Promise<RefreshOutcome> {
  const now = deps.now();
  const tokenHash = hashToken(token);
  const [row] = await tx
    .select({
      usedAt: refreshTokens.usedAt,
      sessionId: sessions.id,
      accountId: sessions.accountId,
      lastUsedAt: sessions.lastUsedAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash));
  if (!row) return { ok: false, reason: 'unknown', sessionId: null };
  const refuse = async (reason: RefreshRefusal, revokeReason: string | null): Promise<RefreshOutcome> => {
    if (revokeReason) await revokeSessions(tx, now, { sessionId: row.sessionId }, revokeReason);
    return { ok: false, reason, sessionId: row.sessionId };
  };
  if (row.revokedAt) return refuse('revoked', null);
  if (row.usedAt) return refuse('reused', 'refresh_reuse');
  if (row.expiresAt.getTime() <= now) return refuse('expired', 'expired');
  if (row.lastUsedAt.getTime() + deps.config.refreshIdleSec * 1000 <= now) return refuse('idle', 'idle');
  const claimed = await tx
    .update(refreshTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
    .returning({ sessionId: refreshTokens.sessionId });
  if (claimed.length === 0) return refuse('reused', 'refresh_reuse');
  const refresh = newToken();
  await tx
    .insert(refreshTokens)
    .values({ tokenHash: hashToken(refresh), sessionId: row.sessionId, createdAt: new Date(now) });
  await tx
    .update(sessions)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(sessions.id, row.sessionId));
  const access = await signAccessToken(deps.config, row.accountId, row.sessionId, now);
  return { ok: true, accountId: row.accountId, sessionId: row.sessionId, access, refresh };
}

/** The session a refresh token belongs to (used or not, revoked or not), or null for an unknown token. */
export async function sessionOfRefreshToken(
  q: CentralDb | CentralTx,
  token: string,
): Promise<{ sessionId: string; accountId: string } | null> {
  const [row] = await q
    .select({ sessionId: sessions.id, accountId: sessions.accountId })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, hashToken(token)));
  return row ?? null;
}

/**
 * Reads an access JWT whose signature, algorithm (HS256), issuer and audience are right, whatever its
 * expiry: for logout, which must end the session even after the access token expired. Never use it to
 * authorise anything else.
 * @returns null when the token is not one of ours
 */
export async function readAccessTokenForLogout(
  config: CentralConfig,
  token: string,
): Promise<{ accountId: string; sessionId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, config.jwtSecret, {
      algorithms: ['HS256'],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      // Expiry is irrelevant to ending a session; ~100 years of tolerance.
      clockTolerance: 100 * 365 * 86_400,
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { accountId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}
