/** When an appointment offers "Pay" and its invoice, from the DTO's payment state. */
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../types.ts';
import { canPay, isPaid } from './payment.ts';

const appt = (extra: Partial<Appointment>) =>
  ({
    status: 'confirmed',
    priceCents: 4500,
    payment: { status: 'pending', invoiceNumber: null },
    ...extra,
  }) as Appointment;

describe('appointment payment', () => {
  it('offers "Pay" for an upcoming live appointment whose order is pending', () => {
    expect(canPay(appt({ status: 'awaiting_payment' }), true)).toBe(true);
    expect(canPay(appt({ status: 'confirmed' }), true)).toBe(true);
    expect(canPay(appt({ status: 'awaiting_payment' }), false)).toBe(false);
    expect(canPay(appt({ status: 'cancelled' }), true)).toBe(false);
    expect(canPay(appt({ payment: { status: 'paid', invoiceNumber: 'FR 2026/7' } }), true)).toBe(false);
    expect(canPay(appt({ payment: { status: 'expired', invoiceNumber: null } }), true)).toBe(false);
    expect(canPay(appt({ payment: null }), true)).toBe(false);
    expect(canPay(appt({ priceCents: 0 }), true)).toBe(false);
  });

  it('offers the invoice once there is one', () => {
    expect(isPaid(appt({}))).toBe(false);
    expect(isPaid(appt({ payment: null }))).toBe(false);
    expect(isPaid(appt({ payment: { status: 'paid', invoiceNumber: 'FR 2026/7' } }))).toBe(true);
    expect(isPaid(appt({ payment: { status: 'refunded', invoiceNumber: 'FR 2026/7' } }))).toBe(true);
  });
});
