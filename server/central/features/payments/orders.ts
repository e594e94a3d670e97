/**
 * Orders and their context (payments issue): one order per appointment, created when a hold is
 * confirmed, in integer cents with the clinic's VAT rate or exemption frozen at that moment. An order
 * is pending until paid (online or at the desk), expired (an online-payment clinic's window passed),
 * cancelled (the appointment was) or refunded. This module reads orders with everything a payment page,
 * an invoice or a message needs, and creates them with their payment link and SMS.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import { accounts, appointments, clinics, orders, payLinks, practitioners } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import { hashToken } from '../../http/auth.ts';
import { enqueue } from '../../outbox/outbox.ts';
import { AppError } from '../../../domain/errors.ts';

type Q = CentralDb | CentralTx;

/** Crockford base-32 (no I, L, O, U): order refs read well on a phone and in a bank statement. */
export const ORDER_REF_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short order id for providers: 'P' + 11 base-32 characters (≤ 15, ifthenpay's orderId limit). */
export function newOrderRef(): string {
  let ref = 'P';
  for (let i = 0; i < 11; i++) ref += ORDER_REF_ALPHABET[randomInt(ORDER_REF_ALPHABET.length)];
  return ref;
}

/**
 * Splits a VAT-inclusive amount into net and VAT (integer cents; VAT = gross − round(gross / (1 + rate))).
 * @param rateBp VAT rate in basis points (2300 = 23 %; 0 = exempt)
 */
export function splitVat(grossCents: number, rateBp: number): { netCents: number; vatCents: number } {
  const netCents = Math.round((grossCents * 10_000) / (10_000 + rateBp));
  return { netCents, vatCents: grossCents - netCents };
}

/** A payment-link token: 16 random bytes, base64url (22 characters, 128 bits). */
export function newLinkToken(): string {
  return randomBytes(16).toString('base64url');
}

/** How long a payment link works after the appointment's start (the invoice stays downloadable). */
export const PAY_LINK_AFTER_START_MS = 30 * 24 * 3_600_000;

/** An order with its appointment, clinic, practitioner and account (null once erased). */
export interface OrderContext {
  order: typeof orders.$inferSelect;
  appointment: typeof appointments.$inferSelect;
  clinic: typeof clinics.$inferSelect;
  practitionerName: string;
  account: {
    id: string;
    name: string;
    email: string | null;
    emailVerified: boolean;
    phone: string | null;
    locale: 'pt' | 'en';
  } | null;
}

/**
 * One order with its context; `lock` takes the order row FOR UPDATE (inside a transaction).
 * @returns undefined when there is no such order
 */
export async function loadOrder(q: Q, orderId: string, lock = false): Promise<OrderContext | undefined> {
  const base = q
    .select({
      order: orders,
      appointment: appointments,
      clinic: clinics,
      practitionerName: practitioners.displayName,
      account: {
        id: accounts.id,
        name: accounts.name,
        email: accounts.email,
        emailVerifiedAt: accounts.emailVerifiedAt,
        phone: accounts.phone,
        locale: accounts.locale,
        deletedAt: accounts.deletedAt,
      },
    })
    .from(orders)
    .innerJoin(appointments, eq(appointments.id, orders.appointmentId))
    .innerJoin(clinics, eq(clinics.id, orders.clinicId))
    .innerJoin(practitioners, eq(practitioners.id, appointments.practitionerId))
    .leftJoin(accounts, eq(accounts.id, orders.accountId))
    .where(eq(orders.id, orderId));
  const [row] = lock ? await base.for('update', { of: orders }) : await base;
  if (!row) return undefined;
  const a = row.account;
  return {
    order: row.order,
    appointment: row.appointment,
    clinic: row.clinic,
    practitionerName: row.practitionerName,
    account:
      a && a.id && !a.deletedAt
        ? {
            id: a.id,
            name: a.name,
            email: a.email,
            emailVerified: a.emailVerifiedAt !== null,
            phone: a.phone,
            locale: a.locale as 'pt' | 'en',
          }
        : null,
  };
}

/** The order of an appointment (its id), or undefined. */
export async function orderIdOfAppointment(q: Q, appointmentId: string): Promise<string | undefined> {
  const [row] = await q.select({ id: orders.id }).from(orders).where(eq(orders.appointmentId, appointmentId));
  return row?.id;
}

/** Bumps an order's version and sets columns; returns the new row. */
export async function updateOrder(
  tx: CentralTx,
  id: string,
  set: Partial<typeof orders.$inferInsert>,
): Promise<typeof orders.$inferSelect> {
  const [row] = await tx
    .update(orders)
    .set({ ...set, version: sql`${orders.version} + 1` })
    .where(eq(orders.id, id))
    .returning();
  return row!;
}

/**
 * Stores a new payment link for an order and returns its token (the only copy).
 * @param expiresAt when the link stops working
 */
export async function createPayLink(tx: Q, nowMs: number, orderId: string, expiresAt: Date): Promise<string> {
  const token = newLinkToken();
  await tx.insert(payLinks).values({
    tokenHash: hashToken(token),
    orderId,
    createdAt: new Date(nowMs),
    expiresAt,
  });
  return token;
}

/** The portal address of a payment link. */
export function payLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/pay/${token}`;
}

/**
 * The order a payment-link token opens.
 * @throws AppError pay_link_not_found (unknown token), pay_link_expired (410)
 */
export async function orderOfLink(
  q: Q,
  token: string,
  nowMs: number,
): Promise<{ orderId: string; expiresAt: Date }> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw new AppError('pay_link_not_found', 'no such payment link');
  const [row] = await q
    .select({ orderId: payLinks.orderId, expiresAt: payLinks.expiresAt })
    .from(payLinks)
    .where(eq(payLinks.tokenHash, hashToken(token)));
  if (!row) throw new AppError('pay_link_not_found', 'no such payment link');
  if (row.expiresAt.getTime() <= nowMs)
    throw new AppError('pay_link_expired', 'this payment link has expired');
  return row;
}

/**
 * When an order stops being payable: for a clinic that takes payment online, the earlier of its pay
 * window after booking and the appointment's start; for pay-at-clinic, the appointment's start (the
 * patient may still pay at the desk).
 */
export function orderExpiry(
  clinic: { paymentMode: string; payWindowHours: number },
  startsAt: Date,
  nowMs: number,
): Date | null {
  if (clinic.paymentMode !== 'pay_online') return null;
  return new Date(Math.min(nowMs + clinic.payWindowHours * 3_600_000, startsAt.getTime()));
}

/**
 * Creates an appointment's order (in the confirming transaction) with its payment link, and queues the
 * link by SMS (when the account has a mobile phone) or else by email. Nothing is queued for a free
 * appointment.
 * @returns the order id
 */
export async function createOrder(
  tx: CentralTx,
  deps: Pick<CentralDeps, 'now' | 'config'>,
  input: {
    clinic: typeof clinics.$inferSelect;
    appointment: typeof appointments.$inferSelect;
    accountId: string | null;
  },
): Promise<string> {
  const now = deps.now();
  const { clinic, appointment } = input;
  const id = uuidv7();
  const expiresAt = orderExpiry(clinic, appointment.startsAt, now);
  await tx.insert(orders).values({
    id,
    clinicId: clinic.id,
    appointmentId: appointment.id,
    accountId: input.accountId,
    amountCents: appointment.priceCents,
    vatRateBp: clinic.vatRateBp,
    vatExemption: clinic.vatRateBp === 0 ? clinic.vatExemption : null,
    status: 'pending',
    createdAt: new Date(now),
    updatedAt: new Date(now),
    version: 1,
    ref: newOrderRef(),
    expiresAt,
  });
  if (appointment.priceCents > 0 && input.accountId) {
    const [acc] = await tx
      .select({ phone: accounts.phone, email: accounts.email, verified: accounts.emailVerifiedAt })
      .from(accounts)
      .where(and(eq(accounts.id, input.accountId), sql`${accounts.deletedAt} IS NULL`));
    const linkExpires = new Date(appointment.startsAt.getTime() + PAY_LINK_AFTER_START_MS);
    const token = await createPayLink(tx, now, id, linkExpires);
    const payload = { orderId: id, url: payLinkUrl(deps.config.publicUrl, token) };
    const common = {
      clinicId: clinic.id,
      accountId: input.accountId,
      appointmentId: appointment.id,
      kind: 'pay_link',
      payload,
    };
    if (acc?.phone) {
      await enqueue(tx, now, {
        ...common,
        channel: 'sms',
        recipient: acc.phone,
        dedupeKey: `pay_link:${id}:sms`,
      });
    } else if (acc?.email && acc.verified) {
      await enqueue(tx, now, {
        ...common,
        channel: 'email',
        recipient: acc.email,
        dedupeKey: `pay_link:${id}:email`,
      });
    }
  }
  return id;
}
