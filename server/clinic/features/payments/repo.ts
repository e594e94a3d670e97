/**
 * Payment rows (migration 0040-desk-payments) and their SQL: receipt numbers allocated as MAX + 1 of the
 * year inside the caller's transaction, voiding, and which of a day's appointments are paid. Every write
 * also queues the row for sync (outbox), in the same transaction.
 */
import { writeOutbox } from '../../db/changes.ts';
import type { DbContext } from '../../db/database.ts';
import { AppError } from '../../../domain/errors.ts';
import type { AppointmentId, Id } from '../../../domain/ids.ts';

/** A payment's id (UUIDv7). */
export type PaymentId = Id<'payment'>;

/** How the patient paid at the desk: cash, or card on the clinic's own terminal (TPA). */
export type PaymentMethod = 'cash' | 'card';

/** A `payments` row as stored (snake_case; times ISO-8601 UTC text; money in integer cents). */
export interface PaymentRow {
  id: PaymentId;
  appointment_id: AppointmentId;
  method: PaymentMethod;
  amount_cents: number;
  /** Calendar year (Europe/Lisbon) of the receipt series. */
  receipt_year: number;
  /** 1, 2, 3… within `receipt_year`, no gaps. */
  receipt_seq: number;
  received_by: string;
  created_at: string;
  updated_at: string;
  voided_at: string | null;
  void_reason: string | null;
  version: number;
}

/** The printed receipt number: 'R 2026/1'. */
export const receiptNumber = (row: Pick<PaymentRow, 'receipt_year' | 'receipt_seq'>): string =>
  `R ${row.receipt_year}/${row.receipt_seq}`;

/** @throws AppError payment_not_found */
export function getPayment(ctx: DbContext, id: PaymentId): PaymentRow {
  const row = ctx.db.prepare('SELECT * FROM payments WHERE id = ?').get(id) as PaymentRow | undefined;
  if (!row) throw new AppError('payment_not_found', `no payment ${id}`);
  return row;
}

/** The appointment's payment that is not voided, if any (at most one: a partial unique index). */
export function findLivePayment(ctx: DbContext, appointmentId: AppointmentId): PaymentRow | undefined {
  return ctx.db
    .prepare('SELECT * FROM payments WHERE appointment_id = ? AND voided_at IS NULL')
    .get(appointmentId) as PaymentRow | undefined;
}

/** The next receipt number of `year`: MAX + 1 (1 for a new year). Call inside the write transaction. */
export function nextReceiptSeq(ctx: DbContext, year: number): number {
  const row = ctx.db
    .prepare('SELECT COALESCE(MAX(receipt_seq), 0) + 1 AS n FROM payments WHERE receipt_year = ?')
    .get(year) as { n: number };
  return row.n;
}

/**
 * Inserts a payment (created = updated = now, version 1) and its outbox row, in the caller's transaction.
 * The database refuses a receipt number that is not the year's next one (trigger payments_receipt_next).
 */
export function insertPayment(
  ctx: DbContext,
  row: Omit<PaymentRow, 'created_at' | 'updated_at' | 'version' | 'voided_at' | 'void_reason'>,
): PaymentRow {
  const now = new Date(ctx.now()).toISOString();
  const full: PaymentRow = {
    ...row,
    created_at: now,
    updated_at: now,
    voided_at: null,
    void_reason: null,
    version: 1,
  };
  ctx.db
    .prepare(
      `INSERT INTO payments (${Object.keys(full).join(', ')}) VALUES (${Object.keys(full)
        .map((k) => '@' + k)
        .join(', ')})`,
    )
    .run(full);
  const stored = getPayment(ctx, row.id);
  writeOutbox(ctx, 'payment', { ...stored });
  return stored;
}

/**
 * Voids the payment if it is still at `version` and not voided; bumps the version and writes the outbox.
 * @throws AppError payment_voided when it was voided meanwhile; version_conflict when it changed
 */
export function voidPaymentRow(ctx: DbContext, row: PaymentRow, reason: string): PaymentRow {
  if (row.voided_at) throw new AppError('payment_voided', `payment ${row.id} is already voided`);
  const now = new Date(ctx.now()).toISOString();
  const res = ctx.db
    .prepare(
      `UPDATE payments SET voided_at = ?, void_reason = ?, updated_at = ?, version = version + 1
       WHERE id = ? AND version = ? AND voided_at IS NULL`,
    )
    .run(now, reason, now, row.id, row.version);
  if (res.changes !== 1)
    throw new AppError('version_conflict', `payment ${row.id} changed meanwhile; reload`);
  const updated = getPayment(ctx, row.id);
  writeOutbox(ctx, 'payment', { ...updated });
  return updated;
}

/**
 * Of `appointmentIds`, those paid: a desk payment that is not voided, or an online order central reports
 * `paid` (`online_orders`, from the pull). One query, for the board.
 */
export function paidAppointmentIds(ctx: DbContext, appointmentIds: readonly string[]): Set<string> {
  if (appointmentIds.length === 0) return new Set();
  const rows = ctx.db
    .prepare(
      `SELECT appointment_id FROM payments
       WHERE voided_at IS NULL AND appointment_id IN (SELECT value FROM json_each(@ids))
       UNION
       SELECT appointment_id FROM online_orders
       WHERE status = 'paid' AND appointment_id IN (SELECT value FROM json_each(@ids))`,
    )
    .all({ ids: JSON.stringify(appointmentIds) }) as { appointment_id: string }[];
  return new Set(rows.map((r) => r.appointment_id));
}

/** An online booking's order as the pull stored it (`online_orders`, migration 0150). */
export interface OnlineOrderRow {
  order_id: string;
  appointment_id: string;
  status: 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded';
  amount_cents: number;
  /** `multibanco` | `mbway` | `link` (or a desk method central applied); null before any attempt. */
  method: string | null;
  paid_at: string | null;
}

/** The online order of an appointment (central keeps one per appointment), or undefined. */
export function findOnlineOrder(ctx: DbContext, appointmentId: string): OnlineOrderRow | undefined {
  return ctx.db
    .prepare(
      `SELECT order_id, appointment_id, status, amount_cents, method, paid_at FROM online_orders
       WHERE appointment_id = ? ORDER BY version DESC LIMIT 1`,
    )
    .get(appointmentId) as OnlineOrderRow | undefined;
}
