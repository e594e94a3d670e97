/**
 * Paying for an appointment from the portal's lists: when to offer "Pay" (an upcoming appointment that
 * awaits payment: its status decides) and when to offer the invoice PDF (once the DTO says it is paid).
 */
import type { Appointment } from '../types.ts';

/** True when "Pay" should show: the appointment awaits payment and is still ahead. */
export function canPay(appointment: Pick<Appointment, 'status'>, upcoming: boolean): boolean {
  return upcoming && appointment.status === 'awaiting_payment';
}

/**
 * True once the appointment is paid. Reads the DTO's payment state loosely, since it is being added by
 * the payments work: `payment.status === 'paid'` (server/domain/booking.ts, in progress) or a `paid`
 * flag/timestamp.
 */
export function isPaid(appointment: Appointment): boolean {
  const a = appointment as Appointment & { paid?: unknown; payment?: { status?: unknown } | null };
  if (a.payment?.status === 'paid') return true;
  return a.paid !== undefined && a.paid !== null && a.paid !== false;
}
