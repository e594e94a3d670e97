/**
 * Change recording shared by every write, and its lifecycle (docs/sync.md):
 * - the outbox: a snapshot of each changed row, read back from its table after the transaction's last
 *   change to it, for the sync push to the central API. A newer snapshot of the same entity replaces the
 *   older ones not yet acknowledged (only the newest version needs to travel). The pusher reads it with
 *   `readOutbox` and removes what the central API confirmed with `acknowledgeOutbox`.
 * - the audit log: who did what, kept for `auditRetentionDays` and then pruned by `pruneAudit` (run by
 *   the server's maintenance job, `startMaintenance`).
 * Both are written inside the caller's transaction, so a change and its record commit together. Times
 * come from the context's clock.
 */
import { z } from 'zod';
import type { DbContext } from './database.ts';
import { newId } from '../../domain/ids.ts';
import { log } from '../lib/log.ts';

/**
 * Who made a change, from the request's credential (server/clinic/http/security.ts): a staff account
 * (`staff:<username>`), the Electron app's own kiosk or display window ('kiosk', 'display'), a paired
 * device (`kiosk:<device id>`, `display:<device id>`), or the server itself ('system', 'seed').
 * 'desk' is what rows written before staff accounts existed carry (the desk screen's shared credential).
 */
export type Actor =
  | 'desk'
  | 'kiosk'
  | 'display'
  | 'system'
  | 'seed'
  | `staff:${string}`
  | `kiosk:${string}`
  | `display:${string}`;

/**
 * Version of the outbox payload format (docs/sync.md); the sync push sends it with every request so the
 * central API can refuse a format it does not know.
 */
export const OUTBOX_FORMAT = 1;

/** Entities that never leave the clinic: face templates and their consent trail stay local. */
const LOCAL_ONLY_ENTITIES = new Set(['face_enrolment', 'face_enrolments', 'face_consent_event']);
/** Columns that would carry biometric data; an outbox row holding one is a bug. */
const BIOMETRIC_COLUMNS = ['descriptors', 'descriptor', 'embedding'];

/**
 * Queues a row snapshot for the sync push, in the caller's transaction, and drops the entity's older
 * snapshots not yet acknowledged (they are superseded: only the newest version needs to travel).
 * Pass the row as committed (read back from its table after the transaction's last change to it), so
 * the snapshot has the table's version and every column.
 * @param entity sync name of the entity ('appointment', 'patient', 'settings', …)
 * @param row the row; `id` is the entity id (text) and `version` its version after the change
 * @throws Error when `entity` is local only (face data) or `row` holds a biometric column
 */
export function writeOutbox(
  ctx: DbContext,
  entity: string,
  row: { id: string; version: number; [column: string]: unknown },
  op: 'upsert' | 'delete' = 'upsert',
): void {
  if (LOCAL_ONLY_ENTITIES.has(entity) || BIOMETRIC_COLUMNS.some((c) => c in row))
    throw new Error(`${entity} must never be synced (face data stays in the clinic)`);
  ctx.db.prepare('DELETE FROM outbox WHERE entity = ? AND entity_id = ?').run(entity, row.id);
  ctx.db
    .prepare(
      'INSERT INTO outbox (id, entity, entity_id, op, version, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(newId(), entity, row.id, op, row.version, JSON.stringify(row), new Date(ctx.now()).toISOString());
}

/** One queued change as the sync pusher sends it; `payload` is the row as committed (parsed JSON). */
export interface OutboxEntry {
  /** Position in the outbox; increases with every write and is never reused. */
  seq: number;
  /** UUIDv7, the idempotency key of the push. */
  id: string;
  entity: string;
  entityId: string;
  op: 'upsert' | 'delete';
  version: number;
  payload: Record<string, unknown>;
  /** When the change was recorded, ISO-8601 UTC (the clinic's clock). */
  createdAt: string;
}

/**
 * The oldest queued changes after `afterSeq`, in `seq` order (the order they must be applied in).
 * @param options.afterSeq exclusive lower bound (default 0: from the start)
 * @param options.limit at most this many entries (default 500, 1…10 000)
 * @throws RangeError when `limit` is outside 1…10 000
 */
export function readOutbox(
  ctx: DbContext,
  options: { afterSeq?: number; limit?: number } = {},
): OutboxEntry[] {
  const limit = options.limit ?? 500;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new RangeError(`limit ${limit}`);
  const rows = ctx.db
    .prepare(
      `SELECT seq, id, entity, entity_id, op, version, payload, created_at FROM outbox
       WHERE seq > ? ORDER BY seq LIMIT ?`,
    )
    .all(options.afterSeq ?? 0, limit) as {
    seq: number;
    id: string;
    entity: string;
    entity_id: string;
    op: 'upsert' | 'delete';
    version: number;
    payload: string;
    created_at: string;
  }[];
  return rows.map((r) => ({
    seq: r.seq,
    id: r.id,
    entity: r.entity,
    entityId: r.entity_id,
    op: r.op,
    version: r.version,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}

/**
 * What the central API confirmed: the entries' `id`s, or every entry up to and including `upToSeq`
 * (only valid when the pusher sent every entry up to it, in `seq` order, as `readOutbox` returns them).
 */
export type OutboxAck = { ids: readonly string[] } | { upToSeq: number };

/**
 * Acknowledges pushed outbox entries: deletes them in one transaction (acknowledged rows are pruned at
 * once; nothing else removes outbox rows, except a newer snapshot of the same entity). Unknown ids (e.g.
 * an entry already superseded by a newer snapshot, which is still queued) are ignored, so the call is
 * idempotent and safe to repeat after a crash.
 * @returns how many entries were removed
 * @throws RangeError when `upToSeq` is not a non-negative integer
 */
export function acknowledgeOutbox(ctx: DbContext, ack: OutboxAck): number {
  if ('upToSeq' in ack) {
    if (!Number.isInteger(ack.upToSeq) || ack.upToSeq < 0) throw new RangeError(`upToSeq ${ack.upToSeq}`);
    return ctx.db.prepare('DELETE FROM outbox WHERE seq <= ?').run(ack.upToSeq).changes;
  }
  if (ack.ids.length === 0) return 0;
  return ctx.db
    .prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))')
    .run(JSON.stringify(ack.ids)).changes;
}

/** How many changes wait to be pushed, and when the oldest was recorded (ISO-8601 UTC, null if none). */
export function outboxBacklog(ctx: DbContext): { pending: number; oldestAt: string | null } {
  const row = ctx.db.prepare('SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox').get() as {
    n: number;
    oldest: string | null;
  };
  return { pending: row.n, oldestAt: row.oldest };
}

/** Appends to the audit log. `detail` must not hold names or biometric data. */
export function writeAudit(
  ctx: DbContext,
  actor: Actor,
  action: string,
  entity: string | null,
  entityId: string | null,
  detail: Record<string, unknown> = {},
): void {
  ctx.db
    .prepare('INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)')
    .run(new Date(ctx.now()).toISOString(), actor, action, entity, entityId, JSON.stringify(detail));
}

/**
 * Audit retention, days. The audit log records who read or changed patient data (searches, receipts,
 * face identifications, check-ins, payments); it is the clinic's evidence when a patient or the data
 * protection authority asks who accessed their data (GDPR Art. 5(2), 15, 32). Two years by default
 * covers a question about any visit of the past year plus the time to answer it; the floor of one year
 * keeps a misconfiguration from destroying that evidence early. See docs/sync.md.
 */
export const AUDIT_RETENTION_DEFAULT_DAYS = 730;
/** The shortest audit retention accepted, days. */
export const AUDIT_RETENTION_MIN_DAYS = 365;

/** What the maintenance job keeps. */
export interface RetentionPolicy {
  /** Audit rows older than this many days (by `at`) are deleted; ≥ `AUDIT_RETENTION_MIN_DAYS`. */
  auditRetentionDays: number;
}

const retentionEnv = z.object({
  /** Days of audit log kept (default 730, at least 365, at most 36 500). */
  CFD_AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(AUDIT_RETENTION_MIN_DAYS)
    .max(36_500)
    .default(AUDIT_RETENTION_DEFAULT_DAYS),
});

/**
 * Parses the retention policy from the environment once, at start (`CFD_AUDIT_RETENTION_DAYS`).
 * @throws ZodError naming the variable when it is not an integer in 365…36 500
 */
export function parseRetentionPolicy(source: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  return { auditRetentionDays: retentionEnv.parse(source).CFD_AUDIT_RETENTION_DAYS };
}

const DAY_MS = 86_400_000;

/**
 * Deletes audit rows recorded more than `retentionDays` before now, oldest first, in transactions of at
 * most `batch` rows (so a first run over a long backlog does not hold the write lock for long). The
 * cut-off is the first row (in `seq` order) recorded at or after now − retention: rows are appended in
 * time order, so this reads only the rows it deletes, without an index on `at`.
 * @returns how many rows were deleted
 * @throws RangeError when `retentionDays` is below `AUDIT_RETENTION_MIN_DAYS`
 */
export function pruneAudit(ctx: DbContext, retentionDays: number, batch = 10_000): number {
  if (!(retentionDays >= AUDIT_RETENTION_MIN_DAYS))
    throw new RangeError(`audit retention ${retentionDays} days is below ${AUDIT_RETENTION_MIN_DAYS}`);
  const cutoff = new Date(ctx.now() - retentionDays * DAY_MS).toISOString();
  const firstKept = ctx.db
    .prepare(
      `SELECT COALESCE((SELECT seq FROM audit_log WHERE at >= ? ORDER BY seq LIMIT 1),
                       (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)) AS seq`,
    )
    .get(cutoff) as { seq: number };
  const oldest = ctx.db.prepare('SELECT MIN(seq) AS seq FROM audit_log').get() as { seq: number | null };
  let deleted = 0;
  for (let from = oldest.seq ?? firstKept.seq; from < firstKept.seq; from += batch) {
    const upTo = Math.min(firstKept.seq, from + batch);
    deleted += ctx.db.transaction(
      () => ctx.db.prepare('DELETE FROM audit_log WHERE seq < ?').run(upTo).changes,
    )();
  }
  return deleted;
}

/** One maintenance pass: prunes the audit log by the policy. Outbox rows leave when acknowledged. */
export function runMaintenance(ctx: DbContext, policy: RetentionPolicy): { auditDeleted: number } {
  return { auditDeleted: pruneAudit(ctx, policy.auditRetentionDays) };
}

/**
 * Runs `runMaintenance` soon after start and then every `intervalMs` (default one hour), off the
 * request path; failures are logged, never thrown. The timers do not keep the process alive.
 * @returns a function that stops the job
 */
export function startMaintenance(
  ctx: DbContext,
  policy: RetentionPolicy,
  intervalMs = 3_600_000,
): () => void {
  const run = () => {
    try {
      const result = runMaintenance(ctx, policy);
      if (result.auditDeleted > 0) log('info', 'maintenance.pruned', { ...result });
    } catch (err) {
      log('error', 'maintenance.failed', { message: (err as Error).message });
    }
  };
  const first = setTimeout(run, 10_000);
  const every = setInterval(run, intervalMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
