/**
 * Paying for an appointment from the portal's lists: when to offer "Pay" (a live upcoming appointment
 * whose order is still pending: required for a pay-online clinic, paying ahead for a pay-at-clinic one)
 * and when to offer the invoice PDF (the order is paid, or refunded: the invoice stays the patient's).
 * The state is the appointment DTO's `payment` (server/domain/booking.ts).
 */
import type { Appointment } from '../types.ts';

/** True when "Pay" should show. */
export function canPay(
  appointment: Pick<Appointment, 'status' | 'payment' | 'priceCents'>,
  upcoming: boolean,
): boolean {
  const live = appointment.status === 'awaiting_payment' || appointment.status === 'confirmed';
  return upcoming && live && appointment.priceCents > 0 && appointment.payment?.status === 'pending';
}

/** True once the appointment has an invoice to download. */
export function isPaid(appointment: Pick<Appointment, 'payment'>): boolean {
  return appointment.payment?.invoiceNumber != null;
}
