/**
 * Taking payment at the desk (payments issue, part 7): an appointment's payment status and price, recording
 * a cash or card (clinic terminal) payment with the year's next receipt number, voiding a mistaken one, and
 * what its printed receipt shows. Each write is one transaction (row + outbox + audit) followed by a change
 * event, so the desk's board stream shows the new paid/unpaid state. SQL lives in ./repo.ts.
 */
import { z } from 'zod';
import { AppError } from '../../../domain/errors.ts';
import { newId, type AppointmentId } from '../../../domain/ids.ts';
import { isValidNif, normaliseNif } from '../../../domain/nif.ts';
import { freeText } from '../../../domain/text.ts';
import { clinicDate } from '../../../domain/time.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import { getView, type AppointmentView } from '../appointments/repo.ts';
import { getSpecialty } from '../catalog/repo.ts';
import { readSettings } from '../settings/repo.ts';
import {
  findLivePayment,
  findOnlineOrder,
  getPayment,
  insertPayment,
  nextReceiptSeq,
  receiptNumber,
  voidPaymentRow,
  type PaymentId,
  type PaymentMethod,
  type PaymentRow,
} from './repo.ts';

/** Largest amount taken at the desk in one payment: €10,000.00, in cents. */
export const MAX_DESK_PAYMENT_CENTS = 1_000_000;

/** `POST /appointments/:id/payments` body: method and amount in integer cents (1 … 1,000,000). */
export const paymentInput = z.object({
  method: z.enum(['cash', 'card']),
  amountCents: z.number().int().min(1).max(MAX_DESK_PAYMENT_CENTS),
});
export type PaymentInput = z.infer<typeof paymentInput>;

/** `POST /payments/:id/void` body: why the payment was a mistake (kept on the payment row; no control characters, text.ts). */
export const voidInput = z.object({ reason: freeText(200, 3) });

/** A payment as the desk sees it; times ISO-8601 UTC, money in cents. */
export interface PaymentView {
  id: PaymentId;
  appointmentId: AppointmentId;
  method: PaymentMethod;
  amountCents: number;
  /** 'R 2026/1'. */
  receiptNumber: string;
  receivedAt: string;
  voidedAt: string | null;
  voidReason: string | null;
}

/** An online booking's payment, as central reported it through the pull; money in cents, time ISO UTC. */
export interface OnlinePaymentView {
  status: 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded';
  amountCents: number;
  /** `multibanco` | `mbway` | `link`, or null before the patient chose one. */
  method: string | null;
  paidAt: string | null;
}

/**
 * `GET /appointments/:id/payment`: paid or not (at the desk, or online), the specialty's price, the desk
 * payment (not voided) and the online order's state when the appointment was booked online.
 */
export interface PaymentStatus {
  status: 'unpaid' | 'paid';
  /** The appointment's specialty price, cents (what the desk form is prefilled with). */
  priceCents: number;
  payment: PaymentView | null;
  online: OnlinePaymentView | null;
}

function onlineView(deps: ClinicDeps, appointmentId: AppointmentId): OnlinePaymentView | null {
  const o = findOnlineOrder(deps, appointmentId);
  return o ? { status: o.status, amountCents: o.amount_cents, method: o.method, paidAt: o.paid_at } : null;
}

/** A row as the API sends it. */
export function toPaymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    appointmentId: row.appointment_id,
    method: row.method,
    amountCents: row.amount_cents,
    receiptNumber: receiptNumber(row),
    receivedAt: row.created_at,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
  };
}

/**
 * The appointment's payment status.
 * @throws AppError appointment_not_found
 */
export function paymentStatus(deps: ClinicDeps, appointmentId: AppointmentId): PaymentStatus {
  const view = getView(deps, appointmentId);
  const live = findLivePayment(deps, appointmentId);
  const online = onlineView(deps, appointmentId);
  return {
    status: live || online?.status === 'paid' ? 'paid' : 'unpaid',
    priceCents: getSpecialty(deps, view.specialty.id).priceCents,
    payment: live ? toPaymentView(live) : null,
    online,
  };
}

/**
 * Records a payment for the appointment with the next receipt number of the current year (Europe/Lisbon),
 * allocated inside the write transaction so numbers have no gaps.
 * @throws AppError appointment_not_found | already_paid (409; details.receiptNumber of the payment) |
 *   paid_online (409: central reports the online order paid; details.method, amountCents, paidAt)
 */
export function recordPayment(
  deps: ClinicDeps,
  appointmentId: AppointmentId,
  input: PaymentInput,
  actor: Actor,
): PaymentView {
  const row = deps.db.transaction((): PaymentRow => {
    getView(deps, appointmentId);
    const live = findLivePayment(deps, appointmentId);
    if (live) {
      throw new AppError(
        'already_paid',
        `appointment ${appointmentId} is already paid (receipt ${receiptNumber(live)}); void that payment first`,
        { receiptNumber: receiptNumber(live), paymentId: live.id },
      );
    }
    const online = findOnlineOrder(deps, appointmentId);
    if (online?.status === 'paid') {
      throw new AppError(
        'paid_online',
        `appointment ${appointmentId} was paid online (${online.method ?? 'online'}); do not charge again`,
        { method: online.method, amountCents: online.amount_cents, paidAt: online.paid_at },
      );
    }
    const year = Number(clinicDate(deps.now()).slice(0, 4));
    const payment = insertPayment(deps, {
      id: newId<'payment'>(),
      appointment_id: appointmentId,
      method: input.method,
      amount_cents: input.amountCents,
      receipt_year: year,
      receipt_seq: nextReceiptSeq(deps, year),
      received_by: actor,
    });
    writeAudit(deps, actor, 'payment.create', 'payment', payment.id, {
      appointmentId,
      method: payment.method,
      amountCents: payment.amount_cents,
      receiptNumber: receiptNumber(payment),
    });
    return payment;
  })();
  deps.events.emit('appointment', appointmentId);
  return toPaymentView(row);
}

/**
 * Voids a mistaken payment: its receipt number stays used (the receipt then shows ANULADO) and the
 * appointment is unpaid again. The reason is kept on the payment row, not in the audit log (free text).
 * @throws AppError payment_not_found | payment_voided (already voided)
 */
export function voidPayment(deps: ClinicDeps, id: PaymentId, reason: string, actor: Actor): PaymentView {
  const row = deps.db.transaction((): PaymentRow => {
    const voided = voidPaymentRow(deps, getPayment(deps, id), reason);
    writeAudit(deps, actor, 'payment.void', 'payment', id, {
      appointmentId: voided.appointment_id,
      receiptNumber: receiptNumber(voided),
    });
    return voided;
  })();
  deps.events.emit('appointment', row.appointment_id);
  return toPaymentView(row);
}

/** The clinic as a receipt names it: name from settings, address and NIF when the settings hold them. */
export interface ClinicIdentity {
  name: string;
  address: string | null;
  /** 9 digits, only when valid. */
  nif: string | null;
}

/**
 * The clinic's name (setting `clinicName`) and, when stored, `clinicAddress` and `clinicNif` (JSON
 * strings in the settings table; not yet in the settings schema, so read here as optional).
 */
export function clinicIdentity(deps: ClinicDeps): ClinicIdentity {
  const raw = (key: string): string | null => {
    const row = deps.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    if (!row) return null;
    try {
      const value: unknown = JSON.parse(row.value);
      return typeof value === 'string' && value.trim() ? value.trim() : null;
    } catch {
      return null;
    }
  };
  const nif = raw('clinicNif');
  return {
    name: readSettings(deps).clinicName,
    address: raw('clinicAddress'),
    nif: nif && isValidNif(nif) ? normaliseNif(nif) : null,
  };
}

/** Everything a printed receipt shows. */
export interface ReceiptData {
  clinic: ClinicIdentity;
  payment: PaymentView;
  appointment: AppointmentView;
}

/**
 * A payment's receipt data (patient's full name included: the receipt is handed to the patient). The read
 * is audited (who printed which receipt), without the name.
 * @throws AppError payment_not_found
 */
export function receiptFor(deps: ClinicDeps, id: PaymentId, actor: Actor): ReceiptData {
  const payment = getPayment(deps, id);
  writeAudit(deps, actor, 'payment.receipt', 'payment', id, { receiptNumber: receiptNumber(payment) });
  return {
    clinic: clinicIdentity(deps),
    payment: toPaymentView(payment),
    appointment: getView(deps, payment.appointment_id),
  };
}
