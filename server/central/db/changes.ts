/**
 * The per-clinic change feed and the audit log, written inside the transaction of each change.
 * `recordChange` inserts a `changes` row (its `seq` is the sync cursor of issue "sync") and queues a
 * `NOTIFY cfd_changes` carrying `{ seq, clinicId, entity, entityId, accountId }`; PostgreSQL (and PGlite)
 * deliver it only if the transaction commits, to every central instance that LISTENs — the fan-out that
 * lets live pages on any instance behind a load balancer hear about the change.
 */
import { sql } from 'drizzle-orm';
import type { CentralDb, CentralTx } from './database.ts';
import { auditLog, changes } from './schema.ts';

/** The NOTIFY channel of the change feed. */
export const CHANGES_CHANNEL = 'cfd_changes';

/** What a NOTIFY on `CHANGES_CHANNEL` carries. */
export interface ChangeNotice {
  seq: number;
  clinicId: string;
  entity: string;
  entityId: string;
  accountId: string | null;
}

/** Appends to the change feed and queues its notification (same transaction). Returns the seq. */
export async function recordChange(
  tx: CentralTx | CentralDb,
  nowMs: number,
  c: {
    clinicId: string;
    entity: string;
    entityId: string;
    op: 'insert' | 'update' | 'delete';
    version: number;
    accountId: string | null;
    payload: Record<string, unknown>;
  },
): Promise<number> {
  const [row] = await tx
    .insert(changes)
    .values({ ...c, createdAt: new Date(nowMs) })
    .returning({ seq: changes.seq });
  const notice: ChangeNotice = {
    seq: Number(row!.seq),
    clinicId: c.clinicId,
    entity: c.entity,
    entityId: c.entityId,
    accountId: c.accountId,
  };
  await tx.execute(sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(notice)})`);
  return notice.seq;
}

/** One audit row: who (`account:<id>`, `anonymous`, `system`), did what, to which entity, from where. */
export async function writeAudit(
  tx: CentralTx | CentralDb,
  nowMs: number,
  a: {
    actor: string;
    action: string;
    entity: string;
    entityId?: string | null;
    clinicId?: string | null;
    ip?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    at: new Date(nowMs),
    actor: a.actor,
    action: a.action,
    entity: a.entity,
    entityId: a.entityId ?? null,
    clinicId: a.clinicId ?? null,
    ip: a.ip ?? null,
    details: a.details ?? {},
  });
}
