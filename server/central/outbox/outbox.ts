/**
 * The durable outbox of SMS and email (table `messages`, migration 0020). Writers `enqueue` a message in
 * the transaction of the change that causes it (a booking, a payment, a reminder schedule), so a message
 * exists if and only if its cause committed. `runOutboxOnce` — called by the job loop of every central
 * instance — claims due rows with `FOR UPDATE SKIP LOCKED` and a lease, renders each at send time (so a
 * reminder for an appointment cancelled meanwhile is dropped, not sent), sends it and marks it sent.
 *
 * Never sent twice:
 * - `dedupe_key` is unique, so the same message cannot be queued twice (one payment link per order and
 *   phone, one reminder per appointment, offset and channel);
 * - a sent row is final; two instances never hold the same row (row lock + lease);
 * - the one window left is a crash after the provider accepted a message and before the row is marked
 *   sent: the lease then expires and the row is retried with the same `idempotencyKey` (the row id),
 *   which an SMS gateway that supports idempotency drops. SMTP has no such key; that window is the time
 *   of one send.
 * Retries back off 30 s, 2 min, 10 min, 30 min, 2 h; after 6 attempts the row is 'failed' (kept, listed).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { CentralDb, CentralTx } from '../db/database.ts';
import { messages } from '../db/schema.ts';
import type { CentralDeps } from '../deps.ts';
import type { MailMessage } from '../mail/mailer.ts';

/** A message row. */
export type MessageRow = typeof messages.$inferSelect;

/** A message to queue. `sendAfter` defaults to now. */
export interface NewMessage {
  clinicId: string | null;
  accountId: string | null;
  appointmentId: string | null;
  channel: 'sms' | 'email';
  /** What renders it: 'pay_link' | 'invoice' | 'credit_note' | 'reminder' | … (see render.ts). */
  kind: string;
  /** E.164 phone or email address. */
  recipient: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  sendAfter?: Date;
}

/** What a renderer makes of a row: the text to send, or null = no longer relevant (row cancelled). */
export type Rendered = { sms: string } | { email: Omit<MailMessage, 'to'> } | null;

/** Renders one row at send time (reads what it needs from the database). */
export type MessageRenderer = (deps: CentralDeps, row: MessageRow) => Promise<Rendered>;

/** Delay before attempt n+1 after n failed attempts (ms). */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000, 7_200_000];
/** Attempts before a row is marked 'failed'. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Queues a message; false when one with the same dedupe key exists (nothing changes). */
export async function enqueue(tx: CentralTx | CentralDb, nowMs: number, m: NewMessage): Promise<boolean> {
  const rows = await tx
    .insert(messages)
    .values({
      id: uuidv7(),
      clinicId: m.clinicId,
      accountId: m.accountId,
      appointmentId: m.appointmentId,
      channel: m.channel,
      kind: m.kind,
      recipient: m.recipient,
      dedupeKey: m.dedupeKey,
      payload: m.payload,
      sendAfter: m.sendAfter ?? new Date(nowMs),
      status: 'pending',
      attempts: 0,
      createdAt: new Date(nowMs),
    })
    .onConflictDoNothing({ target: messages.dedupeKey })
    .returning({ id: messages.id });
  return rows.length === 1;
}

/** Cancels an appointment's pending messages of the given kinds (all kinds when omitted). */
export async function cancelAppointmentMessages(
  tx: CentralTx | CentralDb,
  appointmentId: string,
  kinds?: string[],
): Promise<number> {
  const rows = await tx
    .update(messages)
    .set({ status: 'cancelled' })
    .where(
      and(
        eq(messages.appointmentId, appointmentId),
        eq(messages.status, 'pending'),
        kinds ? inArray(messages.kind, kinds) : undefined,
      ),
    )
    .returning({ id: messages.id });
  return rows.length;
}

/**
 * Erasure: cancels an account's unsent messages (pending, failed, or in flight: a pass that is sending
 * one cannot mark it sent any more) and blanks the recipient of all its messages, sent ones included
 * (the phone number or address is personal data the erasure removes).
 */
export async function forgetAccountMessages(tx: CentralTx | CentralDb, accountId: string): Promise<void> {
  await tx
    .update(messages)
    .set({
      status: sql`CASE WHEN ${messages.status} IN ('pending', 'failed', 'sending') THEN 'cancelled' ELSE ${messages.status} END`,
      recipient: '',
      leaseUntil: null,
    })
    .where(eq(messages.accountId, accountId));
}

/**
 * Claims up to `limit` due rows (pending and due, or 'sending' with an expired lease) for this caller.
 * Each claimed row is 'sending' with `lease_until = now + leaseMs` and one more attempt counted.
 */
export async function claimDue(deps: CentralDeps, limit: number, leaseMs: number): Promise<MessageRow[]> {
  const now = new Date(deps.now());
  return deps.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(
        sql`(${messages.status} = 'pending' AND ${messages.sendAfter} <= ${now})
            OR (${messages.status} = 'sending' AND ${messages.leaseUntil} <= ${now})`,
      )
      .orderBy(messages.sendAfter)
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(messages)
      .set({
        status: 'sending',
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${messages.attempts} + 1`,
      })
      .where(
        inArray(
          messages.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

/** What one outbox pass did. */
export interface OutboxPass {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

/**
 * Sends what is due: claims, renders, sends, records. Errors of one message never stop the others.
 * @param render the renderer by kind (render.ts)
 */
export async function runOutboxOnce(
  deps: CentralDeps,
  render: MessageRenderer,
  opts: { limit?: number; leaseMs?: number } = {},
): Promise<OutboxPass> {
  const pass: OutboxPass = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
  const rows = await claimDue(deps, opts.limit ?? 20, opts.leaseMs ?? 60_000);
  for (const row of rows) {
    try {
      const out = await render(deps, row);
      if (out === null) {
        await finish(deps.db, row, { status: 'cancelled' });
        pass.cancelled++;
        continue;
      }
      let providerMessageId: string | null = null;
      if ('sms' in out) {
        providerMessageId = (
          await deps.sms.send({ to: row.recipient, body: out.sms, idempotencyKey: row.id })
        ).providerMessageId;
      } else {
        await deps.mailer.send({ ...out.email, to: row.recipient });
      }
      await finish(deps.db, row, {
        status: 'sent',
        sentAt: new Date(deps.now()),
        providerMessageId,
        lastError: null,
      });
      pass.sent++;
    } catch (err) {
      const message = (err as Error).message.slice(0, 500);
      if (row.attempts >= MAX_ATTEMPTS) {
        await finish(deps.db, row, { status: 'failed', lastError: message });
        pass.failed++;
      } else {
        const delay = RETRY_DELAYS_MS[row.attempts - 1] ?? RETRY_DELAYS_MS.at(-1)!;
        await finish(deps.db, row, {
          status: 'pending',
          sendAfter: new Date(deps.now() + delay),
          lastError: message,
        });
        pass.retried++;
      }
      console.error(
        JSON.stringify({ level: 'warn', event: 'outbox.send_failed', id: row.id, kind: row.kind, message }),
      );
    }
  }
  return pass;
}

async function finish(
  db: CentralDb,
  row: MessageRow,
  set: Partial<typeof messages.$inferInsert>,
): Promise<void> {
  // Only the holder of the lease finishes a row ('sending' with the lease it claimed): a row cancelled
  // meanwhile stays cancelled, and a slow holder whose lease expired and was re-claimed by another pass
  // cannot overwrite that pass's outcome (e.g. put a row the other pass sent back to 'pending').
  await db
    .update(messages)
    .set({ ...set, leaseUntil: null })
    .where(
      and(
        eq(messages.id, row.id),
        eq(messages.status, 'sending'),
        row.leaseUntil ? eq(messages.leaseUntil, row.leaseUntil) : undefined,
      ),
    );
}
