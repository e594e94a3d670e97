/**
 * Change recording shared by every write: the outbox row (for sync with the central API) and the audit
 * log, both written inside the caller's transaction so a change and its record commit together.
 */
import type { Db } from './database.ts';
import { newId } from '../../domain/ids.ts';

export type Actor = 'desk' | 'kiosk' | 'system' | 'seed';

/** Queues a row snapshot for the sync push. `row` must carry `id` and `version`. */
export function writeOutbox(
  db: Db,
  entity: string,
  row: { id: string; version: number },
  op: 'upsert' | 'delete' = 'upsert',
) {
  db.prepare(
    'INSERT INTO outbox (id, entity, entity_id, op, version, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(newId(), entity, row.id, op, row.version, JSON.stringify(row), new Date().toISOString());
}

/** Appends to the audit log. `detail` must not hold names or biometric data. */
export function writeAudit(
  db: Db,
  actor: Actor,
  action: string,
  entity: string | null,
  entityId: string | null,
  detail: Record<string, unknown> = {},
) {
  db.prepare(
    'INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(new Date().toISOString(), actor, action, entity, entityId, JSON.stringify(detail));
}
