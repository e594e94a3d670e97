/**
 * Applying a clinic's pushed outbox entries (docs/sync.md "Push" and "Conflict rules"). Entries are
 * applied in groups of `PUSH_GROUP_SIZE` per transaction, each entry in its own savepoint:
 * 1. the inbox row (clinic, entry id) is inserted first: if it exists the entry is a `duplicate` and
 *    nothing else happens (a batch delivered twice changes nothing the second time);
 * 2. a transaction-scoped advisory lock on the entity serialises pushes of one row;
 * 3. a row that belongs to another clinic (a central appointment, or a snapshot another clinic pushed)
 *    is `rejected` — a clinic never writes another clinic's rows;
 * 4. a `version` not newer than the clinic's last applied version of that row is `stale`;
 * 5. the entity's rule decides (central wins for bookings and payments, the clinic for the day's visit
 *    state, an erasure everywhere); the newest snapshot is kept in `sync_records` (so nothing is lost
 *    where central has no table yet), mapped onto central's `appointments` where the row is central's,
 *    and recorded in the change feed through `recordChange` (with an echo mark so the clinic's own pull
 *    skips it).
 * Rule outcomes are ours (the core of sync); storage is plain Drizzle.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  SYNC_ENTITIES,
  type PushResult,
  type SyncEntity,
  type SyncOutboxEntry,
} from '../../../domain/sync.ts';
import { recordChange } from '../../db/changes.ts';
import type { CentralTx } from '../../db/database.ts';
import {
  accounts,
  appointments,
  clinicSpecialties,
  orders,
  payments,
  practitioners,
  rooms,
  syncEchoes,
  syncInbox,
  syncRecords,
} from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import { updateOrder as updateOrderRow } from '../payments/orders.ts';
import {
  lockPractitioner,
  newBookingCode,
  releaseExpiredHolds,
  updateAppointment,
  type AppointmentRow,
} from '../booking/repo.ts';
import { sqlState } from '../../db/sql-state.ts';
import { orderChangePayload } from '../payments/service.ts';
import { cancelAppointmentMessages } from '../../outbox/outbox.ts';

/** An entry refused inside its transaction (rolled back, answered 'rejected'). */
class Rejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Entities whose ids are UUIDs (the others use text keys: `practitioner_specialty`, `settings`). */
const UUID_ENTITIES = new Set<SyncEntity>([
  'patient',
  'appointment',
  'payment',
  'room',
  'practitioner',
  'specialty',
]);

const uuidSchema = z.uuid();

/** Whether `s` is a UUID (one schema for all calls: building `z.uuid()` each time showed in the profile). */
const isUuid = (s: string) => uuidSchema.safeParse(s).success;

/** The clinic's visit states, which the clinic decides (the day's queue). */
export const VISIT_STATES = ['arrived', 'called', 'in_session', 'done', 'no_show'] as const;

const nullableText = z.string().nullable().optional();

/** The appointment columns the rules read (the clinic's `appointments` row; other columns kept as is). */
const appointmentPayload = z.looseObject({
  status: z.enum(['scheduled', 'arrived', 'called', 'in_session', 'done', 'no_show', 'cancelled']),
  practitioner_id: z.string(),
  room_id: nullableText,
  starts_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'ISO-8601 time'),
  duration_min: z.number().int().min(5).max(240),
  ticket: nullableText,
  check_in_method: nullableText,
  wait_estimate_min: z.number().int().nullable().optional(),
  // Read to insert a desk booking into central's appointments (absent in older test rows: then it
  // stays a snapshot).
  walk_in: z.number().int().optional(),
  specialty_id: z.string().optional(),
  patient_id: z.string().optional(),
  booking_code: z.string().optional(),
});

type AppointmentPayload = z.infer<typeof appointmentPayload>;

/** The patient columns the rules read. */
const patientPayload = z.looseObject({ deleted_at: nullableText });

/** The desk payment columns the rules read. */
const paymentPayload = z.looseObject({
  appointment_id: z.string(),
  amount_cents: z.number().int(),
  voided_at: nullableText,
  method: z.string().optional(),
  created_at: z.string().optional(),
  receipt_year: z.number().int().optional(),
  receipt_seq: z.number().int().optional(),
});

/**
 * The change feed's entity id for a row: its own id when it is a UUID, else a UUID derived from
 * SHA-256(clinic, entity, key) (the feed's `entity_id` column is a uuid; the key travels in the payload).
 */
export function feedEntityId(clinicId: string, entity: string, entityId: string): string {
  if (isUuid(entityId)) return entityId;
  const h = createHash('sha256').update(`${clinicId}\u0000${entity}\u0000${entityId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Entries applied per transaction. On PostgreSQL a commit costs a WAL flush (6.4 ms each on the bench
 * machine), so one commit per entry dominated a push; a group of 50 pays it once per 50 entries. The
 * price is lock hold time: the advisory locks (the entity's, a desk booking's practitioner's) and the
 * inbox keys an entry takes are held until its group commits, so an online booking waiting on a
 * practitioner's lock waits for at most one group (50 × ~1–14 ms per entry on that machine: well under
 * a second), and a group stays far below the clinic's 30 s request timeout.
 */
export const PUSH_GROUP_SIZE = 50;

/**
 * Applies a clinic's entries in the order sent, in groups of `PUSH_GROUP_SIZE` per transaction with a
 * savepoint per entry: a `rejected` entry rolls back to its savepoint only (its inbox row too, so a
 * corrected resend is taken). An unexpected error (not a rejection: a deadlock, a lost connection, a
 * bug) rolls the whole group back and its entries are applied again one per transaction, as before
 * groups; an entry failing again then fails the request (the entries before it are committed and
 * answer `duplicate` when the clinic resends).
 * @returns one result per entry, same order (`id` = the entry's id)
 */
export async function applyPush(
  deps: CentralDeps,
  clinicId: string,
  entries: SyncOutboxEntry[],
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (let i = 0; i < entries.length; i += PUSH_GROUP_SIZE)
    results.push(...(await applyGroup(deps, clinicId, entries.slice(i, i + PUSH_GROUP_SIZE))));
  return results;
}

/** One group in one transaction (a savepoint per entry); on an unexpected error, one by one. */
async function applyGroup(
  deps: CentralDeps,
  clinicId: string,
  group: SyncOutboxEntry[],
): Promise<PushResult[]> {
  const prechecked = group.map((e): PushResult | null => {
    const bad = precheck(e);
    return bad ? { id: e.id, status: 'rejected', reason: bad } : null;
  });
  if (prechecked.every((r) => r !== null)) return prechecked as PushResult[];
  try {
    return await deps.db.transaction(async (tx) => {
      const view = await readGroup(
        tx,
        clinicId,
        group.filter((_, i) => !prechecked[i]),
      );
      const results: PushResult[] = [];
      for (const [i, e] of group.entries())
        results.push(prechecked[i] ?? (await inSavepoint(tx, deps, clinicId, e, view)));
      return results;
    });
  } catch (err) {
    if (err instanceof Rejected) throw err; // never: inSavepoint answers rejections
    const results: PushResult[] = [];
    for (const e of group) results.push(await applyEntry(deps, clinicId, e));
    return results;
  }
}

/**
 * What a group reads once, up front, under the locks of all its rows, instead of per entry: the
 * snapshots of its rows (this clinic's, and whether another clinic pushed the same row) and the owning
 * clinic of central's appointment, room and practitioner rows with its ids (a row's clinic never
 * changes). Only push writes `sync_records`, always under the row's lock, so the snapshots stay true
 * for the group except where an entry of the group itself writes one: `written` sends those back to
 * the database.
 */
interface GroupView {
  /** This clinic's snapshot per row key (`rowKey`); absent = none. */
  own: Map<string, RecordRow>;
  /** Row keys another clinic has a snapshot of. */
  others: Set<string>;
  /** Row key → the clinic of central's appointment / room / practitioner row of that id. */
  owners: Map<string, string>;
  /** Row keys an earlier entry of the group may have written (read again). */
  written: Set<string>;
}

/** The row an entry is about; also its advisory lock's text. */
const rowKey = (e: { entity: string; entityId: string }) => `sync:${e.entity}:${e.entityId}`;

/** Locks the group's rows and reads what `GroupView` holds (4–6 statements for the whole group). */
async function readGroup(tx: CentralTx, clinicId: string, todo: SyncOutboxEntry[]): Promise<GroupView> {
  const view: GroupView = { own: new Map(), others: new Set(), owners: new Map(), written: new Set() };
  const rows = [...new Map(todo.map((e) => [rowKey(e), e])).values()];
  if (rows.length === 0) return view;
  // Every row's lock at once, in lock-id order, so two groups never wait on each other in a cycle.
  const keys = sql.join(
    rows.map((e) => sql`(${rowKey(e)}::text)`),
    sql`, `,
  );
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(k) AS h FROM (VALUES ${keys}) AS v(k) ORDER BY h) AS s`,
  );
  const pairs = sql.join(
    rows.map((e) => sql`(${e.entity}::text, ${e.entityId}::text)`),
    sql`, `,
  );
  for (const r of await tx
    .select()
    .from(syncRecords)
    .where(sql`(${syncRecords.entity}, ${syncRecords.entityId}) IN (${pairs})`)) {
    if (r.clinicId === clinicId) view.own.set(rowKey(r), r);
    // Text keys (`settings`, `practitioner_specialty`) are the clinic's own names: another clinic's row
    // of the same key is not this one. Only a UUID names one row across clinics.
    else if (UUID_ENTITIES.has(r.entity as SyncEntity)) view.others.add(rowKey(r));
  }
  const idsOf = (entity: SyncEntity) => rows.filter((e) => e.entity === entity).map((e) => e.entityId);
  const owned = [
    ['appointment', appointments],
    ['room', rooms],
    ['practitioner', practitioners],
  ] as const;
  for (const [entity, table] of owned) {
    const ids = idsOf(entity);
    if (ids.length === 0) continue;
    for (const r of await tx
      .select({ id: table.id, clinicId: table.clinicId })
      .from(table)
      .where(inArray(table.id, ids)))
      view.owners.set(rowKey({ entity, entityId: r.id }), r.clinicId);
  }
  return view;
}

/** One entry inside the group's transaction, in its own savepoint (a rejection undoes only it). */
async function inSavepoint(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  e: SyncOutboxEntry,
  view: GroupView,
): Promise<PushResult> {
  try {
    return await tx.transaction((sp) => applyInTx(sp, deps, clinicId, e, view));
  } catch (err) {
    if (err instanceof Rejected) return { id: e.id, status: 'rejected', reason: err.reason };
    throw err;
  }
}

/** Checks what does not need the database; returns the rejection reason or null. */
function precheck(e: SyncOutboxEntry): string | null {
  if (!(SYNC_ENTITIES as readonly string[]).includes(e.entity)) return 'unknown_entity';
  if (e.op !== 'upsert') return 'op_not_supported';
  if (UUID_ENTITIES.has(e.entity as SyncEntity) && !isUuid(e.entityId)) return 'entity_id_invalid';
  if (String(e.payload.id ?? '') !== e.entityId) return 'payload_id_mismatch';
  if (e.payload.version !== undefined && e.payload.version !== e.version) return 'payload_version_mismatch';
  if (e.entity === 'appointment' && !appointmentPayload.safeParse(e.payload).success)
    return 'payload_invalid';
  if (e.entity === 'patient' && !patientPayload.safeParse(e.payload).success) return 'payload_invalid';
  if (e.entity === 'payment' && !paymentPayload.safeParse(e.payload).success) return 'payload_invalid';
  return null;
}

/** One entry in its own transaction (the fallback after a group failed unexpectedly). */
async function applyEntry(deps: CentralDeps, clinicId: string, e: SyncOutboxEntry): Promise<PushResult> {
  const bad = precheck(e);
  if (bad) return { id: e.id, status: 'rejected', reason: bad };
  try {
    return await deps.db.transaction((tx) => applyInTx(tx, deps, clinicId, e));
  } catch (err) {
    if (err instanceof Rejected) return { id: e.id, status: 'rejected', reason: err.reason };
    throw err;
  }
}

/**
 * Steps 1–5 of the module's list for one entry, inside `tx` (a transaction or a savepoint); throws
 * `Rejected` for an entry refused after its inbox row was written (the caller rolls `tx` back). With a
 * group's `view` the row is already locked and its lookups are read from the view.
 */
async function applyInTx(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  e: SyncOutboxEntry,
  view: GroupView | null = null,
): Promise<PushResult> {
  const now = deps.now();
  const [fresh] = await tx
    .insert(syncInbox)
    .values({
      clinicId,
      entryId: e.id,
      entity: e.entity,
      entityId: e.entityId,
      version: e.version,
      status: 'applied',
      receivedAt: new Date(now),
    })
    .onConflictDoNothing()
    .returning({ entryId: syncInbox.entryId });
  if (!fresh) return { id: e.id, status: 'duplicate' };
  const key = rowKey(e);
  let record: RecordRow | undefined;
  if (view) {
    const owner = view.owners.get(key);
    if (view.others.has(key) || (owner && owner !== clinicId))
      throw new Rejected('belongs_to_another_clinic');
    if (!view.written.has(key)) record = view.own.get(key);
    else record = await ownRecord(tx, clinicId, e);
    view.written.add(key);
  } else {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
    await refuseOtherClinics(tx, clinicId, e);
    record = await ownRecord(tx, clinicId, e);
  }
  let outcome: Outcome;
  if (record && e.version <= record.version) outcome = { status: 'stale' };
  else outcome = await applyRule(tx, deps, clinicId, e, record ?? null);
  // The inbox row was inserted as 'applied' with no reason: only another answer needs an update.
  if (outcome.status !== 'applied' || outcome.reason)
    await tx
      .update(syncInbox)
      .set({ status: outcome.status, reason: outcome.reason ?? null })
      .where(and(eq(syncInbox.clinicId, clinicId), eq(syncInbox.entryId, e.id)));
  return { id: e.id, ...outcome };
}

/** This clinic's snapshot of the entry's row, if any. */
async function ownRecord(tx: CentralTx, clinicId: string, e: SyncOutboxEntry) {
  const [record] = await tx
    .select()
    .from(syncRecords)
    .where(
      and(
        eq(syncRecords.clinicId, clinicId),
        eq(syncRecords.entity, e.entity),
        eq(syncRecords.entityId, e.entityId),
      ),
    );
  return record;
}

/** A row another clinic owns (a central appointment of theirs, or their pushed snapshot) is refused. */
async function refuseOtherClinics(tx: CentralTx, clinicId: string, e: SyncOutboxEntry): Promise<void> {
  // Text keys are per clinic (see readGroup).
  if (!UUID_ENTITIES.has(e.entity as SyncEntity)) return;
  const [other] = await tx
    .select({ clinicId: syncRecords.clinicId })
    .from(syncRecords)
    .where(
      and(
        eq(syncRecords.entity, e.entity),
        eq(syncRecords.entityId, e.entityId),
        ne(syncRecords.clinicId, clinicId),
      ),
    )
    .limit(1);
  if (other) throw new Rejected('belongs_to_another_clinic');
  if (e.entity === 'appointment') {
    const [a] = await tx
      .select({ clinicId: appointments.clinicId })
      .from(appointments)
      .where(eq(appointments.id, e.entityId));
    if (a && a.clinicId !== clinicId) throw new Rejected('belongs_to_another_clinic');
  }
  if (e.entity === 'room') {
    const [r] = await tx.select({ clinicId: rooms.clinicId }).from(rooms).where(eq(rooms.id, e.entityId));
    if (r && r.clinicId !== clinicId) throw new Rejected('belongs_to_another_clinic');
  }
  if (e.entity === 'practitioner') {
    const [p] = await tx
      .select({ clinicId: practitioners.clinicId })
      .from(practitioners)
      .where(eq(practitioners.id, e.entityId));
    if (p && p.clinicId !== clinicId) throw new Rejected('belongs_to_another_clinic');
  }
}

type RecordRow = typeof syncRecords.$inferSelect;
type Outcome = { status: 'applied' | 'stale' | 'conflict_central_wins'; reason?: string };

/** Keeps the newest snapshot of the row. */
async function saveRecord(
  tx: CentralTx,
  now: number,
  clinicId: string,
  e: SyncOutboxEntry,
  payload: Record<string, unknown>,
  erasedAt: Date | null,
): Promise<void> {
  const values = {
    clinicId,
    entity: e.entity,
    entityId: e.entityId,
    version: e.version,
    payload,
    erasedAt,
    updatedAt: new Date(now),
  };
  await tx
    .insert(syncRecords)
    .values(values)
    .onConflictDoUpdate({
      target: [syncRecords.clinicId, syncRecords.entity, syncRecords.entityId],
      set: { version: values.version, payload, erasedAt, updatedAt: values.updatedAt },
    });
}

/** The order's change for the feed (as the payments feature records it), an echo of the clinic's push. */
async function orderFed(
  tx: CentralTx,
  now: number,
  o: typeof orders.$inferSelect,
  payment: { id: string; method: string; status: string },
): Promise<void> {
  await feed(
    tx,
    now,
    {
      clinicId: o.clinicId,
      entity: 'order',
      entityId: o.id,
      op: 'update',
      version: o.version,
      accountId: o.accountId,
      payload: orderChangePayload(o, payment),
    },
    true,
  );
}

/**
 * Desk payments onto central's orders. Central wins for payments: a desk payment (not voided) for an
 * order already paid online is kept in the snapshot (nothing is lost: the money has to go back) but
 * answered 'conflict_central_wins' 'paid_online' ('paid_at_desk' when an earlier desk payment paid
 * it), and central's paid order stands. A desk payment of the
 * order's amount for a `pending` order marks it paid: a central `payments` row (same id as the clinic's,
 * provider 'desk', method `desk_cash`/`desk_card`, `paid`), the order `paid`, an appointment awaiting
 * payment confirmed, other pending attempts expired, the payment-link reminders cancelled, and an order
 * change in the feed (with the account: the portal shows it paid). No invoice is issued at central: the
 * clinic's receipt is the fiscal document. A later void of that payment puts the order back to
 * `pending` (the payment `refunded`). Any other desk payment (no order: a walk-in or a desk booking; a
 * different amount) stays a snapshot.
 */
async function applyDeskPayment(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  e: SyncOutboxEntry,
): Promise<Outcome> {
  const p = paymentPayload.parse(e.payload);
  const now = new Date(deps.now());
  if (!isUuid(p.appointment_id)) return { status: 'applied' };
  const [order] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.appointmentId, p.appointment_id), eq(orders.clinicId, clinicId)))
    .for('update');
  if (!order) return { status: 'applied' };
  const [mine] = await tx.select().from(payments).where(eq(payments.id, e.entityId)).for('update');
  if (p.voided_at) {
    if (mine?.status !== 'paid') return { status: 'applied' };
    const [undone] = await tx
      .update(payments)
      .set({ status: 'refunded', updatedAt: now })
      .where(eq(payments.id, mine.id))
      .returning();
    const reopened = await updateOrderRow(tx, order.id, { status: 'pending', paidAt: null, updatedAt: now });
    await orderFed(tx, now.getTime(), reopened, {
      id: undone!.id,
      method: undone!.method,
      status: 'refunded',
    });
    return { status: 'applied' };
  }
  if (order.status === 'paid') {
    if (mine?.status === 'paid') return { status: 'applied' };
    // Kept in the snapshot (the money has to go back); the reason says who was paid first.
    const [byDesk] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.provider, 'desk'), eq(payments.status, 'paid')));
    return { status: 'conflict_central_wins', reason: byDesk ? 'paid_at_desk' : 'paid_online' };
  }
  if (order.status !== 'pending' || p.amount_cents !== order.amountCents || mine)
    return { status: 'applied' };
  const paidAt = p.created_at && !Number.isNaN(Date.parse(p.created_at)) ? new Date(p.created_at) : now;
  const method = p.method === 'card' ? ('desk_card' as const) : ('desk_cash' as const);
  await tx.insert(payments).values({
    id: e.entityId,
    clinicId,
    orderId: order.id,
    provider: 'desk',
    method,
    providerRequestId: null,
    status: 'paid',
    amountCents: p.amount_cents,
    details: {
      source: 'clinic',
      ...(p.receipt_year && p.receipt_seq ? { receipt: `R ${p.receipt_year}/${p.receipt_seq}` } : {}),
    },
    createdAt: now,
    updatedAt: now,
    paidAt,
  });
  const paid = await updateOrderRow(tx, order.id, { status: 'paid', paidAt, updatedAt: now });
  await tx
    .update(payments)
    .set({ status: 'expired', updatedAt: now })
    .where(and(eq(payments.orderId, order.id), eq(payments.status, 'pending')));
  await cancelAppointmentMessages(tx, order.appointmentId, ['pay_link']);
  const [appointment] = await tx.select().from(appointments).where(eq(appointments.id, order.appointmentId));
  if (appointment?.status === 'awaiting_payment') {
    const confirmed = await updateAppointment(tx, appointment.id, { status: 'confirmed', updatedAt: now });
    await feed(
      tx,
      now.getTime(),
      {
        clinicId,
        entity: 'appointment',
        entityId: confirmed.id,
        op: 'update',
        version: confirmed.version,
        accountId: confirmed.accountId,
        payload: { id: confirmed.id, status: 'confirmed', paid: true },
      },
      true,
    );
  }
  await orderFed(tx, now.getTime(), paid, { id: e.entityId, method, status: 'paid' });
  return { status: 'applied' };
}

/** Records a change in the feed; `echo` marks it as the clinic's own (its pull skips it). */
async function feed(
  tx: CentralTx,
  now: number,
  c: {
    clinicId: string;
    entity: string;
    entityId: string;
    op: 'insert' | 'update' | 'delete';
    version: number;
    accountId: string | null;
    payload: Record<string, unknown>;
  },
  echo: boolean,
): Promise<void> {
  const seq = await recordChange(tx, now, { ...c, entityId: feedEntityId(c.clinicId, c.entity, c.entityId) });
  if (echo) await tx.insert(syncEchoes).values({ seq, clinicId: c.clinicId });
}

/** The rule of the entry's entity, after the duplicate, ownership and stale checks. */
async function applyRule(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  e: SyncOutboxEntry,
  record: RecordRow | null,
): Promise<Outcome> {
  if (e.entity === 'patient') return applyPatient(tx, deps, clinicId, e, record);
  if (e.entity === 'appointment') return applyAppointment(tx, deps, clinicId, e, record);
  const now = deps.now();
  await saveRecord(tx, now, clinicId, e, e.payload, null);
  const base = { clinicId, entity: e.entity, entityId: e.entityId, version: e.version, accountId: null };
  const summary = { id: e.entityId, source: 'clinic', version: e.version };
  await feed(tx, now, { ...base, op: record ? 'update' : 'insert', payload: summary }, true);
  return e.entity === 'payment' ? applyDeskPayment(tx, deps, clinicId, e) : { status: 'applied' };
}

/**
 * Patients: an erasure wins everywhere. A snapshot with `deleted_at` erases (the stored snapshot keeps
 * only id, version and deleted_at); once erased — at the clinic, or at central as the portal account of
 * the same id — a later upsert never fills it again ('conflict_central_wins', reason 'erased'), and the
 * first time central learns of a central erasure this way the clinic's pull gets a 'patient' delete.
 */
async function applyPatient(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  e: SyncOutboxEntry,
  record: RecordRow | null,
): Promise<Outcome> {
  const now = deps.now();
  const p = patientPayload.parse(e.payload);
  const tombstone = (deletedAt: string) => ({ id: e.entityId, version: e.version, deleted_at: deletedAt });
  const base = { clinicId, entity: 'patient', entityId: e.entityId, version: e.version, accountId: null };
  if (p.deleted_at) {
    await saveRecord(tx, now, clinicId, e, tombstone(p.deleted_at), record?.erasedAt ?? new Date(now));
    if (!record?.erasedAt)
      await feed(tx, now, { ...base, op: 'delete', payload: { id: e.entityId, erased: true } }, true);
    return { status: 'applied' };
  }
  if (record?.erasedAt) {
    await saveRecord(tx, now, clinicId, e, record.payload, record.erasedAt);
    return { status: 'conflict_central_wins', reason: 'erased' };
  }
  const [account] = await tx
    .select({ deletedAt: accounts.deletedAt })
    .from(accounts)
    .where(eq(accounts.id, e.entityId));
  if (account?.deletedAt) {
    await saveRecord(tx, now, clinicId, e, tombstone(account.deletedAt.toISOString()), account.deletedAt);
    // Not an echo: the clinic must hear that this patient is erased.
    await feed(
      tx,
      now,
      { ...base, accountId: e.entityId, op: 'delete', payload: { id: e.entityId, erased: true } },
      false,
    );
    return { status: 'conflict_central_wins', reason: 'erased' };
  }
  await saveRecord(tx, now, clinicId, e, e.payload, null);
  await feed(
    tx,
    now,
    {
      ...base,
      op: record ? 'update' : 'insert',
      payload: { id: e.entityId, source: 'clinic', version: e.version },
    },
    true,
  );
  return { status: 'applied' };
}

/** The clinic's status as central's `visit_status` (null before arrival and for a cancellation). */
function visitStatusOf(status: string): string | null {
  return (VISIT_STATES as readonly string[]).includes(status) ? status : null;
}

/** The room's name for the portal: the clinic's pushed room, else central's room of that id. */
async function roomName(tx: CentralTx, clinicId: string, roomId: string | null | undefined) {
  if (!roomId) return null;
  const [pushed] = await tx
    .select({ payload: syncRecords.payload })
    .from(syncRecords)
    .where(
      and(
        eq(syncRecords.clinicId, clinicId),
        eq(syncRecords.entity, 'room'),
        eq(syncRecords.entityId, roomId),
      ),
    );
  if (typeof pushed?.payload.name === 'string') return pushed.payload.name;
  if (!isUuid(roomId)) return null;
  const [room] = await tx
    .select({ name: rooms.name })
    .from(rooms)
    .where(and(eq(rooms.id, roomId), eq(rooms.clinicId, clinicId)));
  return room?.name ?? null;
}

/** SQLSTATEs that mean "the practitioner is busy then": exclusion violation, deadlock (booking.md). */
const SLOT_TAKEN_CODES = new Set(['23P01', '40P01']);

/** Runs `fn` in a savepoint; an overlap with a live booking (23P01) is answered null, not thrown. */
async function unlessSlotTaken<T>(tx: CentralTx, fn: (sp: CentralTx) => Promise<T>): Promise<T | null> {
  try {
    return await tx.transaction(fn);
  } catch (err) {
    if (SLOT_TAKEN_CODES.has(sqlState(err) ?? '')) return null;
    throw err;
  }
}

/**
 * Whether a live booking made online (`source` 'portal': held, awaiting payment or confirmed) overlaps
 * [start, end) for the practitioner, the same test as the `appointments_no_overlap` constraint.
 */
async function onlineBookingOverlaps(
  tx: CentralTx,
  practitionerId: string,
  start: Date,
  end: Date,
): Promise<boolean> {
  const rows = await tx.execute(
    sql`SELECT 1 FROM appointments WHERE practitioner_id = ${practitionerId} AND source = 'portal'
        AND status IN ('held', 'awaiting_payment', 'confirmed')
        AND during && tstzrange(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz, '[)')
        LIMIT 1`,
  );
  return ((rows as unknown as { rows: unknown[] }).rows ?? []).length > 0;
}

/** The specialty's code and price (cents) for the clinic's specialty id, from its pushed snapshot. */
async function specialtyOf(tx: CentralTx, clinicId: string, specialtyId: string) {
  const [pushed] = await tx
    .select({ payload: syncRecords.payload })
    .from(syncRecords)
    .where(
      and(
        eq(syncRecords.clinicId, clinicId),
        eq(syncRecords.entity, 'specialty'),
        eq(syncRecords.entityId, specialtyId),
      ),
    );
  const code = pushed?.payload.code;
  if (typeof code !== 'string') return null;
  const price = pushed!.payload.price_cents;
  if (typeof price === 'number' && Number.isInteger(price) && price >= 0) return { code, priceCents: price };
  const [offered] = await tx
    .select({ priceCents: clinicSpecialties.priceCents })
    .from(clinicSpecialties)
    .where(and(eq(clinicSpecialties.clinicId, clinicId), eq(clinicSpecialties.code, code)));
  return { code, priceCents: offered?.priceCents ?? 0 };
}

/** The feed's payload of a desk booking central holds (as an online booking's, plus `source`). */
function deskPayload(a: AppointmentRow, ticket: string | null): Record<string, unknown> {
  return {
    id: a.id,
    source: 'clinic',
    practitionerId: a.practitionerId,
    accountId: a.accountId,
    specialty: a.specialty,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    status: a.status,
    bookingCode: a.bookingCode,
    visitStatus: a.visitStatus,
    visitRoom: a.visitRoom,
    waitMin: a.waitMin,
    ticket,
    version: a.version,
  };
}

/** The visit fields central shows the patient (status arrived…no_show, room name, wait estimate). */
async function visitOf(tx: CentralTx, clinicId: string, a: AppointmentPayload) {
  return {
    visitStatus: visitStatusOf(a.status),
    visitRoom: await roomName(tx, clinicId, a.room_id),
    waitMin: a.wait_estimate_min ?? null,
  };
}

/**
 * A desk booking central does not have yet, inserted into `appointments` under the practitioner's
 * advisory lock (as an online hold is), so the slot is no longer offered online. Returns the outcome, or
 * null when the row is not one central inserts (a walk-in, a cancelled row, an unknown practitioner or
 * specialty: the snapshot then stays in `sync_records` only).
 */
async function insertDeskBooking(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  e: SyncOutboxEntry,
  a: AppointmentPayload,
): Promise<Outcome | null> {
  // Walk-ins start at once, inside the online notice, so they cannot take an online slot; a row the
  // desk already cancelled blocks nothing.
  if (a.walk_in !== 0 || a.status === 'cancelled' || !a.specialty_id || !a.booking_code) return null;
  if (!isUuid(a.practitioner_id)) return null;
  const [practitioner] = await tx
    .select({ id: practitioners.id })
    .from(practitioners)
    .where(and(eq(practitioners.id, a.practitioner_id), eq(practitioners.clinicId, clinicId)));
  if (!practitioner) return null;
  const specialty = await specialtyOf(tx, clinicId, a.specialty_id);
  if (!specialty) return null;
  const patientId = a.patient_id ?? null;
  let accountId: string | null = null;
  if (patientId && isUuid(patientId)) {
    const [account] = await tx
      .select({ id: accounts.id, deletedAt: accounts.deletedAt })
      .from(accounts)
      .where(eq(accounts.id, patientId));
    if (account && !account.deletedAt) accountId = account.id;
  }
  const now = new Date(deps.now());
  const startsAt = new Date(Date.parse(a.starts_at));
  const endsAt = new Date(startsAt.getTime() + a.duration_min * 60_000);
  await lockPractitioner(tx, a.practitioner_id);
  await releaseExpiredHolds(tx, a.practitioner_id, now);
  const visit = await visitOf(tx, clinicId, a);
  const inserted = await unlessSlotTaken(tx, async (sp) => {
    // The clinic's code when central has not used it (codes are unique per clinic only), else a new one.
    for (let attempt = 0; attempt < 6; attempt++) {
      const [row] = await sp
        .insert(appointments)
        .values({
          id: e.entityId,
          clinicId,
          practitionerId: a.practitioner_id,
          accountId,
          specialty: specialty.code,
          startsAt,
          endsAt,
          // The desk sets its own spacing: no buffer is added after a desk booking.
          blockedUntil: endsAt,
          status: 'confirmed',
          bookingCode: attempt === 0 ? a.booking_code! : newBookingCode(),
          priceCents: specialty.priceCents,
          paymentMode: 'pay_at_clinic',
          ...visit,
          source: 'clinic',
          clinicPatientId: patientId,
          createdAt: now,
          updatedAt: now,
          version: 1,
        })
        .onConflictDoNothing({ target: appointments.bookingCode })
        .returning();
      if (row) return row;
    }
    throw new Error('could not draw an unused booking code in 6 attempts');
  });
  if (!inserted) {
    // Only the clinic's own desk bookings there: a practitioner may see patients in parallel (a physio
    // gym), and the time is already blocked online by the other desk booking. Not a conflict: the
    // snapshot is kept, nothing to tell staff. An online booking or hold there: central wins.
    if (!(await onlineBookingOverlaps(tx, a.practitioner_id, startsAt, endsAt)))
      return { status: 'applied', reason: 'overlaps_desk_booking' };
    return { status: 'conflict_central_wins', reason: 'slot_taken' };
  }
  await feed(
    tx,
    now.getTime(),
    {
      clinicId,
      entity: 'appointment',
      entityId: inserted.id,
      op: 'insert',
      version: inserted.version,
      accountId,
      payload: deskPayload(inserted, a.ticket ?? null),
    },
    true,
  );
  return { status: 'applied' };
}

/**
 * A later push of a desk booking central holds (and that central did not cancel itself): the clinic's
 * time, length, practitioner, cancellation and visit state are applied, under the advisory locks of the
 * practitioners involved; a move onto a time that is taken at central is answered
 * 'conflict_central_wins' 'slot_taken' and changes nothing.
 */
async function updateDeskBooking(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  central: AppointmentRow,
  a: AppointmentPayload,
): Promise<Outcome> {
  const now = new Date(deps.now());
  const startsAt = new Date(Date.parse(a.starts_at));
  const endsAt = new Date(startsAt.getTime() + a.duration_min * 60_000);
  const cancelled = a.status === 'cancelled';
  const want = {
    practitionerId: a.practitioner_id,
    startsAt,
    endsAt,
    blockedUntil: endsAt,
    status: cancelled ? ('cancelled' as const) : ('confirmed' as const),
    cancelledBy: cancelled ? ('clinic' as const) : null,
    ...(cancelled ? {} : await visitOf(tx, clinicId, a)),
  };
  const bookingMoved =
    want.practitionerId !== central.practitionerId ||
    want.startsAt.getTime() !== central.startsAt.getTime() ||
    want.endsAt.getTime() !== central.endsAt.getTime() ||
    want.status !== central.status;
  const visitSame =
    cancelled ||
    (want.visitStatus === central.visitStatus &&
      want.visitRoom === central.visitRoom &&
      want.waitMin === central.waitMin);
  if (!bookingMoved && visitSame) return { status: 'applied' };
  if (bookingMoved && !cancelled) {
    if (!isUuid(want.practitionerId)) return { status: 'applied' };
    // Both practitioners' locks, in a fixed order (two desk moves between them cannot deadlock).
    for (const id of [...new Set([central.practitionerId, want.practitionerId])].sort())
      await lockPractitioner(tx, id);
    await releaseExpiredHolds(tx, want.practitionerId, now);
  }
  const updated = await unlessSlotTaken(tx, (sp) =>
    updateAppointment(sp, central.id, { ...want, updatedAt: now }),
  );
  if (!updated) return { status: 'conflict_central_wins', reason: 'slot_taken' };
  await feed(
    tx,
    now.getTime(),
    {
      clinicId,
      entity: 'appointment',
      entityId: central.id,
      op: 'update',
      version: updated.version,
      accountId: updated.accountId,
      payload: deskPayload(updated, a.ticket ?? null),
    },
    true,
  );
  return { status: 'applied' };
}

/**
 * Appointments. A row booked online: central wins for the booking (time, length, practitioner,
 * cancellation); the clinic's visit state (status arrived…no_show, room, wait estimate) is applied
 * whatever else differs; a clinic change to a central-owned field is answered 'conflict_central_wins'
 * (reason 'central_owns_booking'). A desk booking (not a walk-in) central does not have is inserted into
 * `appointments` (source 'clinic') so it blocks the slot online, or answered 'conflict_central_wins'
 * 'slot_taken' when an online booking took the time first; later pushes of it update it (the clinic owns
 * a desk booking, unless central cancelled it: then central wins as for an online one). Anything else
 * (walk-ins, rows central cannot map): the clinic's snapshot is kept as is.
 */
async function applyAppointment(
  tx: CentralTx,
  deps: CentralDeps,
  clinicId: string,
  e: SyncOutboxEntry,
  record: RecordRow | null,
): Promise<Outcome> {
  const now = deps.now();
  const a = appointmentPayload.parse(e.payload);
  await saveRecord(tx, now, clinicId, e, e.payload, null);
  const [central] = await tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, e.entityId), eq(appointments.clinicId, clinicId)))
    .for('update');
  if (!central) {
    const desk = await insertDeskBooking(tx, deps, clinicId, e, a);
    if (desk) return desk;
    await feed(
      tx,
      now,
      {
        clinicId,
        entity: 'appointment',
        entityId: e.entityId,
        op: record ? 'update' : 'insert',
        version: e.version,
        accountId: null,
        payload: { id: e.entityId, source: 'clinic', version: e.version, status: a.status },
      },
      true,
    );
    return { status: 'applied' };
  }
  const centralCancelled = central.status === 'cancelled' || central.status === 'expired';
  if (central.source === 'clinic' && (!centralCancelled || central.cancelledBy === 'clinic'))
    return updateDeskBooking(tx, deps, clinicId, central, a);
  const startsAt = Date.parse(a.starts_at);
  const differs =
    startsAt !== central.startsAt.getTime() ||
    startsAt + a.duration_min * 60_000 !== central.endsAt.getTime() ||
    a.practitioner_id !== central.practitionerId ||
    (a.status === 'cancelled') !== centralCancelled;
  if (a.status !== 'cancelled') {
    const visit = await visitOf(tx, clinicId, a);
    if (
      visit.visitStatus !== central.visitStatus ||
      visit.visitRoom !== central.visitRoom ||
      visit.waitMin !== central.waitMin
    ) {
      const updated = await updateAppointment(tx, central.id, { ...visit, updatedAt: new Date(now) });
      await feed(
        tx,
        now,
        {
          clinicId,
          entity: 'appointment',
          entityId: central.id,
          op: 'update',
          version: updated.version,
          accountId: updated.accountId,
          payload: {
            id: central.id,
            visitStatus: visit.visitStatus,
            visitRoom: visit.visitRoom,
            waitMin: visit.waitMin,
            ticket: a.ticket ?? null,
          },
        },
        true,
      );
    }
  }
  return differs
    ? { status: 'conflict_central_wins', reason: 'central_owns_booking' }
    : { status: 'applied' };
}
