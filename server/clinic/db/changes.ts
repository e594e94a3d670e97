/**
 * Change recording shared by every write: the outbox row (for sync with the central API) and the audit
 * log, both written inside the caller's transaction so a change and its record commit together. Times
 * come from the context's clock.
 */
import type { DbContext } from './database.ts';
import { newId } from '../../domain/ids.ts';

/**
 * Who made a change, from the request's credential: the screen that sent it ('desk', 'kiosk',
 * 'display'), or the server itself ('system', 'seed'). Staff accounts replace the screen names later.
 */
export type Actor = 'desk' | 'kiosk' | 'display' | 'system' | 'seed';

/** Queues a row snapshot for the sync push. `row` must carry `id` and `version`. */
export function writeOutbox(
  ctx: DbContext,
  entity: string,
  row: { id: string; version: number; [column: string]: unknown },
  op: 'upsert' | 'delete' = 'upsert',
): void {
  ctx.db
    .prepare(
      'INSERT INTO outbox (id, entity, entity_id, op, version, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(newId(), entity, row.id, op, row.version, JSON.stringify(row), new Date(ctx.now()).toISOString());
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
