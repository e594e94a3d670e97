/**
 * SQL of booking: holds and appointments (one table, one exclusion constraint), their orders, and the
 * per-practitioner advisory lock that serialises writers in front of the constraint (booking.md: the
 * constraint alone is correct but concurrent conflicting inserts deadlock each other on PostgreSQL).
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, inArray, lt, lte, ne, sql } from 'drizzle-orm';
import { BOOKING_CODE_ALPHABET } from '../../../domain/booking.ts';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import {
  accounts,
  appointments,
  clinics,
  orders,
  practitioners,
  type AppointmentStatus,
  type OrderStatus,
} from '../../db/schema.ts';

type Q = CentralDb | CentralTx;

/** An appointment row. */
export type AppointmentRow = typeof appointments.$inferSelect;

/** An appointment row with its clinic's and practitioner's names and the clinic's policy. */
export type AppointmentView = AppointmentRow & {
  clinicName: string;
  clinicAddress: string;
  cancelNoticeHours: number;
  practitionerName: string;
  /** Its order's status (null when none) and invoice number (null until paid). */
  orderStatus: OrderStatus | null;
  invoiceNumber: string | null;
};

/** Live statuses: covered by the no-overlap constraint. */
export const LIVE_STATUSES: AppointmentStatus[] = ['held', 'awaiting_payment', 'confirmed'];

/** Takes the transaction-level advisory lock of one practitioner (released at commit/rollback). */
export async function lockPractitioner(tx: CentralTx, practitionerId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${practitionerId}, 0))`);
}

/**
 * Takes the transaction-level advisory lock of one patient account (released at commit/rollback): the
 * account's hold, confirm and reschedule run one at a time, so its overlap check cannot race. Taken
 * before any practitioner lock (one order everywhere: account, then practitioner, then rows).
 */
export async function lockAccount(tx: CentralTx, accountId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${'account:' + accountId}, 0))`);
}

/**
 * The account's booked appointment (confirmed or awaiting payment, any clinic) whose time
 * `[startsAt, endsAt)` overlaps the given range, other than `exceptId`; null when none. Holds do not
 * count (a new hold releases the account's others).
 */
export async function findAccountOverlap(
  db: Q,
  accountId: string,
  range: { startsAt: Date; endsAt: Date },
  exceptId: string | null,
): Promise<{ id: string; startsAt: Date } | null> {
  const [row] = await db
    .select({ id: appointments.id, startsAt: appointments.startsAt })
    .from(appointments)
    .where(
      and(
        eq(appointments.accountId, accountId),
        inArray(appointments.status, ['confirmed', 'awaiting_payment']),
        lt(appointments.startsAt, range.endsAt),
        gt(appointments.endsAt, range.startsAt),
        ...(exceptId ? [ne(appointments.id, exceptId)] : []),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Marks a practitioner's holds that expired by `now` as 'expired' (released by status, not deleted). */
export async function releaseExpiredHolds(tx: CentralTx, practitionerId: string, now: Date): Promise<void> {
  await tx
    .update(appointments)
    .set({ status: 'expired', updatedAt: now, version: sql`${appointments.version} + 1` })
    .where(
      and(
        eq(appointments.practitionerId, practitionerId),
        eq(appointments.status, 'held'),
        lte(appointments.holdExpiresAt, now),
      ),
    );
}

/** Releases every live hold of an account (a patient holds one slot at a time). */
export async function releaseAccountHolds(tx: CentralTx, accountId: string, now: Date): Promise<void> {
  await tx
    .update(appointments)
    .set({ status: 'expired', updatedAt: now, version: sql`${appointments.version} + 1` })
    .where(and(eq(appointments.accountId, accountId), eq(appointments.status, 'held')));
}

/** A random booking code: 6 characters of `BOOKING_CODE_ALPHABET` (31⁶ ≈ 8.9 × 10⁸). */
export function newBookingCode(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += BOOKING_CODE_ALPHABET[randomInt(BOOKING_CODE_ALPHABET.length)];
  return code;
}

/**
 * Inserts a hold; retries the booking code on the (rare) unique clash.
 * @throws the driver's error with SQLSTATE 23P01 when the slot overlaps a live row (exclusion constraint)
 */
export async function insertHold(
  tx: CentralTx,
  row: Omit<typeof appointments.$inferInsert, 'bookingCode' | 'version'>,
): Promise<AppointmentRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [inserted] = await tx
      .insert(appointments)
      .values({ ...row, bookingCode: newBookingCode(), version: 1 })
      .onConflictDoNothing({ target: appointments.bookingCode })
      .returning();
    if (inserted) return inserted;
  }
  throw new Error('could not draw an unused booking code in 5 attempts');
}

/** One appointment row of an account, locked for update (or undefined). */
export async function findOwnForUpdate(tx: CentralTx, id: string, accountId: string) {
  const [row] = await tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, id), eq(appointments.accountId, accountId)))
    .for('update');
  return row;
}

/** Updates an appointment's columns, bumping its version; returns the new row. */
export async function updateAppointment(
  tx: CentralTx,
  id: string,
  set: Partial<typeof appointments.$inferInsert>,
): Promise<AppointmentRow> {
  const [row] = await tx
    .update(appointments)
    .set({ ...set, version: sql`${appointments.version} + 1` })
    .where(eq(appointments.id, id))
    .returning();
  return row!;
}

/** Creates the appointment's order (payments issue: pending until paid at the desk or online). */
export async function insertOrder(tx: CentralTx, row: typeof orders.$inferInsert): Promise<void> {
  await tx.insert(orders).values(row);
}

/** Points an appointment's order at its replacement (reschedule keeps the payment). */
export async function moveOrder(tx: CentralTx, fromId: string, toId: string, now: Date): Promise<void> {
  await tx
    .update(orders)
    .set({ appointmentId: toId, updatedAt: now, version: sql`${orders.version} + 1` })
    .where(eq(orders.appointmentId, fromId));
}

/** Cancels an appointment's pending order. */
export async function cancelOrder(tx: CentralTx, appointmentId: string, now: Date): Promise<void> {
  await tx
    .update(orders)
    .set({ status: 'cancelled', updatedAt: now, version: sql`${orders.version} + 1` })
    .where(and(eq(orders.appointmentId, appointmentId), eq(orders.status, 'pending')));
}

const viewColumns = {
  clinicName: clinics.name,
  clinicAddress: clinics.address,
  cancelNoticeHours: clinics.cancelNoticeHours,
  practitionerName: practitioners.displayName,
  orderStatus: orders.status,
  invoiceNumber: sql<
    string | null
  >`(SELECT i.number FROM invoices i WHERE i.order_id = ${orders.id} AND i.kind = 'invoice')`,
};

/** Appointments (never-confirmed holds excluded) of an account, with names; by start. */
export async function listOwn(db: Q, accountId: string): Promise<AppointmentView[]> {
  const rows = await db
    .select({ a: appointments, ...viewColumns })
    .from(appointments)
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .innerJoin(practitioners, eq(practitioners.id, appointments.practitionerId))
    .leftJoin(orders, eq(orders.appointmentId, appointments.id))
    .where(
      and(
        eq(appointments.accountId, accountId),
        sql`${appointments.holdExpiresAt} IS NULL`,
        // An appointment replaced by a reschedule is not shown twice.
        sql`NOT EXISTS (SELECT 1 FROM appointments r WHERE r.rescheduled_from = ${appointments.id})`,
      ),
    )
    .orderBy(asc(appointments.startsAt));
  return rows.map((r) => ({ ...r.a, ...pick(r) }));
}

/** One appointment of an account with names, or undefined. */
export async function findOwnView(
  db: Q,
  id: string,
  accountId: string,
): Promise<AppointmentView | undefined> {
  const [r] = await db
    .select({ a: appointments, ...viewColumns })
    .from(appointments)
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .innerJoin(practitioners, eq(practitioners.id, appointments.practitionerId))
    .leftJoin(orders, eq(orders.appointmentId, appointments.id))
    .where(and(eq(appointments.id, id), eq(appointments.accountId, accountId)));
  return r ? { ...r.a, ...pick(r) } : undefined;
}

function pick(r: {
  clinicName: string;
  clinicAddress: string;
  cancelNoticeHours: number;
  practitionerName: string;
  orderStatus: OrderStatus | null;
  invoiceNumber: string | null;
}) {
  return {
    clinicName: r.clinicName,
    clinicAddress: r.clinicAddress,
    cancelNoticeHours: r.cancelNoticeHours,
    practitionerName: r.practitionerName,
    orderStatus: r.orderStatus,
    invoiceNumber: r.invoiceNumber,
  };
}

/** Counts live (non-hold) appointments of one practitioner slot start — for tests and the race bench. */
export async function countLiveAt(db: Q, practitionerId: string, startsAt: Date): Promise<number> {
  const rows = await db
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(
        eq(appointments.practitionerId, practitionerId),
        eq(appointments.startsAt, startsAt),
        inArray(appointments.status, LIVE_STATUSES),
      ),
    );
  return rows.length;
}

/** Where to write to an account: email, name and language (null once erased). */
export async function findAccountContact(db: Q, accountId: string) {
  const [row] = await db
    .select({
      email: accounts.email,
      name: accounts.name,
      locale: accounts.locale,
      deletedAt: accounts.deletedAt,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row && row.email && !row.deletedAt ? row : null;
}
