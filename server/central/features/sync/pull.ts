/**
 * The clinic's pull (docs/sync.md "Pull"): central's change feed (`changes`, db/changes.ts), only rows of
 * the calling clinic (`clinic_id`), in commit order (`commit_seq`, drawn at commit by migration 0060, so
 * a transaction that committed late can never fall behind a cursor) after the clinic's cursor, without the changes that
 * came from that clinic's own pushes (`sync_echoes`: echo suppression). A change of an appointment with
 * a portal account carries the patient who booked (`patient`: name and contacts as central has them
 * now, or `erased: true`), so the desk can show a booking made online.
 */
import { and, asc, eq, gt, inArray, notExists, sql } from 'drizzle-orm';
import type { PullDto, PullQuery, PulledChange } from '../../../domain/sync.ts';
import { accounts, changes, syncEchoes } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';

/**
 * A page of the clinic's changes after `query.cursor`.
 * @returns at most `query.limit` changes; `cursor` = the last one's seq (or the cursor sent when none);
 *   `more` = further changes are waiting
 */
export async function pullChanges(deps: CentralDeps, clinicId: string, query: PullQuery): Promise<PullDto> {
  const rows = await deps.db
    .select()
    .from(changes)
    .where(
      and(
        eq(changes.clinicId, clinicId),
        gt(changes.commitSeq, query.cursor),
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(syncEchoes)
            .where(and(eq(syncEchoes.seq, changes.seq), eq(syncEchoes.clinicId, clinicId))),
        ),
      ),
    )
    .orderBy(asc(changes.commitSeq))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const accountIds = [
    ...new Set(page.filter((r) => r.entity === 'appointment' && r.accountId).map((r) => r.accountId!)),
  ];
  const people = accountIds.length
    ? await deps.db.select().from(accounts).where(inArray(accounts.id, accountIds))
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const out: PulledChange[] = page.map((r) => {
    const payload = { ...(r.payload as Record<string, unknown>) };
    const who = r.entity === 'appointment' && r.accountId ? byId.get(r.accountId) : undefined;
    if (who)
      payload.patient = who.deletedAt
        ? { id: who.id, erased: true }
        : {
            id: who.id,
            name: who.name,
            phone: who.phone,
            email: who.email,
            nif: who.nif,
            birthDate: who.birthDate,
          };
    return {
      seq: r.commitSeq!,
      entity: r.entity,
      entityId: r.entityId,
      op: r.op,
      version: r.version,
      payload,
      createdAt: r.createdAt.toISOString(),
    };
  });
  return { changes: out, cursor: page.length ? page[page.length - 1]!.commitSeq! : query.cursor, more };
}
