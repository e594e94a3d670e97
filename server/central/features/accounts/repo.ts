/**
 * SQL of the accounts feature (Drizzle, both drivers): accounts, single-use email tokens, the login
 * throttle rows, the audit log, and what a data export or an erasure reads and changes. Every function
 * takes a query handle (`deps.db` or a transaction) so the service decides the transaction boundaries;
 * times go in and come out as ms since epoch (the columns are timestamptz). Session and refresh-token
 * SQL lives beside the session logic in http/auth.ts.
 */
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { recordChange, writeAudit } from '../../db/changes.ts';
import { sqlState } from '../../db/sql-state.ts';
import { cancelOrder } from '../booking/repo.ts';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import { accounts, appointments, emailTokens, loginThrottle, sessions } from '../../db/schema.ts';
import type { ThrottleState } from '../../../domain/throttle.ts';

/** A query handle: the database or a transaction. */
export type Q = CentralDb | CentralTx;

/** An account row. */
export type AccountRow = typeof accounts.$inferSelect;

/** Purposes of emailed links. */
export type EmailTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** An email-token row. */
export type EmailTokenRow = typeof emailTokens.$inferSelect;

/** An appointment row. */
export type AppointmentRow = typeof appointments.$inferSelect;

/** Statuses that hold a practitioner's time (schema.ts: the first three). */
export const LIVE_APPOINTMENT_STATUSES = ['held', 'awaiting_payment', 'confirmed'] as const;

/** The live (not erased) account with this lowercased email, or null. */
export async function findLiveAccountByEmail(q: Q, email: string): Promise<AccountRow | null> {
  const [row] = await q
    .select()
    .from(accounts)
    .where(and(sql`lower(${accounts.email}) = ${email.toLowerCase()}`, isNull(accounts.deletedAt)));
  return row ?? null;
}

/** The live account `id`, or null (also null for an erased one). */
export async function findLiveAccount(q: Q, id: string): Promise<AccountRow | null> {
  const [row] = await q
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, id), isNull(accounts.deletedAt)));
  return row ?? null;
}

/** The account `id` whatever its state (tests and erasure checks), or null. */
export async function findAccountAnyState(q: Q, id: string): Promise<AccountRow | null> {
  const [row] = await q.select().from(accounts).where(eq(accounts.id, id));
  return row ?? null;
}

/** A new, unverified account; returns its row. */
export async function insertAccount(
  q: Q,
  v: {
    name: string;
    email: string;
    phone: string;
    nif: string | null;
    birthDate: string | null;
    passwordHash: string;
    locale: 'pt' | 'en';
  },
  now: number,
): Promise<AccountRow> {
  const [row] = await q
    .insert(accounts)
    .values({
      id: uuidv7({ msecs: now }),
      ...v,
      emailVerifiedAt: null,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    .returning();
  return row!;
}

/** Changes columns of a live account (and `updated_at`); returns the new row, or null if none matched. */
export async function updateAccount(
  q: Q,
  id: string,
  patch: Partial<
    Pick<
      AccountRow,
      'name' | 'email' | 'phone' | 'nif' | 'birthDate' | 'passwordHash' | 'locale' | 'emailVerifiedAt'
    >
  >,
  now: number,
): Promise<AccountRow | null> {
  const [row] = await q
    .update(accounts)
    .set({ ...patch, updatedAt: new Date(now) })
    .where(and(eq(accounts.id, id), isNull(accounts.deletedAt)))
    .returning();
  return row ?? null;
}

/**
 * GDPR erasure of the account row: name 'deleted', every other personal field null, `deleted_at` set.
 * The row stays so that past appointments keep their history, anonymised.
 */
export async function anonymiseAccount(q: Q, id: string, now: number): Promise<void> {
  await q
    .update(accounts)
    .set({
      name: 'deleted',
      email: null,
      emailVerifiedAt: null,
      phone: null,
      nif: null,
      birthDate: null,
      passwordHash: null,
      updatedAt: new Date(now),
      deletedAt: new Date(now),
    })
    .where(eq(accounts.id, id));
}

/** Stores an emailed link's token hash, valid `ttlMs` from `now`. */
export async function insertEmailToken(
  q: Q,
  v: { tokenHash: string; accountId: string; purpose: EmailTokenPurpose; newEmail?: string | null },
  now: number,
  ttlMs: number,
): Promise<void> {
  await q.insert(emailTokens).values({
    tokenHash: v.tokenHash,
    accountId: v.accountId,
    purpose: v.purpose,
    newEmail: v.newEmail ?? null,
    createdAt: new Date(now),
    expiresAt: new Date(now + ttlMs),
  });
}

/** Marks the account's unused tokens of `purpose` used (a new link replaces the older ones). */
export async function invalidateEmailTokens(
  q: Q,
  accountId: string,
  purpose: EmailTokenPurpose,
  now: number,
): Promise<void> {
  await q
    .update(emailTokens)
    .set({ usedAt: new Date(now) })
    .where(
      and(eq(emailTokens.accountId, accountId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)),
    );
}

/** The token of `purpose` with this hash if it is unused and unexpired at `now`, without using it. */
export async function findUsableEmailToken(
  q: Q,
  tokenHash: string,
  purpose: EmailTokenPurpose,
  now: number,
): Promise<EmailTokenRow | null> {
  const [row] = await q
    .select()
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, new Date(now)),
      ),
    );
  return row ?? null;
}

/**
 * Uses a token atomically: marks it used if it is of `purpose`, unused and unexpired at `now`, and
 * returns it; null otherwise (unknown, used, expired, other purpose). Two concurrent uses: one wins.
 */
export async function consumeEmailToken(
  q: Q,
  tokenHash: string,
  purpose: EmailTokenPurpose,
  now: number,
): Promise<EmailTokenRow | null> {
  const [row] = await q
    .update(emailTokens)
    .set({ usedAt: new Date(now) })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, new Date(now)),
      ),
    )
    .returning();
  return row ?? null;
}

/** Deletes every emailed-link token of the account (erasure: they may carry an email address). */
export async function deleteEmailTokens(q: Q, accountId: string): Promise<void> {
  await q.delete(emailTokens).where(eq(emailTokens.accountId, accountId));
}

function toThrottleState(row: typeof loginThrottle.$inferSelect): ThrottleState {
  return {
    failures: row.failures,
    windowStartedAt: row.windowStartedAt.getTime(),
    lockedUntil: row.lockedUntil?.getTime() ?? null,
  };
}

/** The throttle states of `keys` (absent keys are left out), without locking. */
export async function readThrottle(q: Q, keys: string[]): Promise<Map<string, ThrottleState>> {
  const rows = await q.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
  return new Map(rows.map((r) => [r.key, toThrottleState(r)]));
}

/**
 * Locks the throttle row of `key` for the rest of the transaction (creating it empty first), so that
 * concurrent failures on several instances count once each. Returns its state (null when just created).
 */
export async function lockThrottle(tx: CentralTx, key: string, now: number): Promise<ThrottleState | null> {
  await tx
    .insert(loginThrottle)
    .values({ key, failures: 0, windowStartedAt: new Date(now), lockedUntil: null })
    .onConflictDoNothing();
  const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).for('update');
  return row && row.failures > 0 ? toThrottleState(row) : null;
}

/** Writes the state of `key` (its row exists: `lockThrottle` made it). */
export async function writeThrottle(q: Q, key: string, s: ThrottleState): Promise<void> {
  await q
    .update(loginThrottle)
    .set({
      failures: s.failures,
      windowStartedAt: new Date(s.windowStartedAt),
      lockedUntil: s.lockedUntil === null ? null : new Date(s.lockedUntil),
    })
    .where(eq(loginThrottle.key, key));
}

/** Forgets `key` (a successful login, a password reset, an erasure). */
export async function deleteThrottle(q: Q, key: string): Promise<void> {
  await q.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

/** One audit entry: who (`account:<id>` or `anonymous`), what (`account.login` …), on what, from where. */
export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  details?: Record<string, unknown>;
}

/** Appends an audit-log row at `now`. */
export async function insertAudit(q: Q, e: AuditEntry, now: number): Promise<void> {
  await writeAudit(q, now, e);
}

/** Every session of the account, oldest first. */
export async function listSessions(q: Q, accountId: string) {
  return q
    .select({
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      revokedAt: sessions.revokedAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.accountId, accountId))
    .orderBy(asc(sessions.createdAt));
}

/** Blanks the user agents of the account's sessions (erasure). */
export async function blankSessionUserAgents(q: Q, accountId: string): Promise<void> {
  await q.update(sessions).set({ userAgent: '' }).where(eq(sessions.accountId, accountId));
}

/** Every appointment of the account, by start time. */
export async function listAppointments(q: Q, accountId: string): Promise<AppointmentRow[]> {
  return q
    .select()
    .from(appointments)
    .where(eq(appointments.accountId, accountId))
    .orderBy(asc(appointments.startsAt), asc(appointments.id));
}

/**
 * Cancels the account's live appointments that start after `now` (status 'cancelled', cancelled_by
 * 'patient', version + 1), writes one `changes` row per appointment (entity 'appointment', op 'update',
 * payload `{ id, status }`) and its NOTIFY through db/changes.ts `recordChange`, and cancels their
 * pending orders.
 * @returns the ids cancelled
 */
export async function cancelFutureAppointments(
  tx: CentralTx,
  accountId: string,
  now: number,
): Promise<string[]> {
  const cancelled = await tx
    .update(appointments)
    .set({
      status: 'cancelled',
      cancelledBy: 'patient',
      version: sql`${appointments.version} + 1`,
      updatedAt: new Date(now),
    })
    .where(
      and(
        eq(appointments.accountId, accountId),
        inArray(appointments.status, [...LIVE_APPOINTMENT_STATUSES]),
        gt(appointments.startsAt, new Date(now)),
      ),
    )
    .returning({ id: appointments.id, clinicId: appointments.clinicId, version: appointments.version });
  cancelled.sort((a, b) => a.id.localeCompare(b.id));
  for (const a of cancelled) {
    // Their pending orders are cancelled with them (paid ones stay for the payments issue's refunds).
    await cancelOrder(tx, a.id, new Date(now));
    await recordChange(tx, now, {
      clinicId: a.clinicId,
      entity: 'appointment',
      entityId: a.id,
      op: 'update',
      version: a.version,
      accountId,
      payload: { id: a.id, status: 'cancelled' },
    });
  }
  return cancelled.map((a) => a.id);
}

/**
 * True when `err` (or one of its causes, as Drizzle wraps driver errors) is PostgreSQL's unique
 * violation (SQLSTATE 23505), e.g. two sign-ups racing for one email.
 */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === '23505';
}
