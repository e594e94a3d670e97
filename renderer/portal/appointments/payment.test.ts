/** Small tests of when an appointment offers "Pay" and its invoice. */
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../types.ts';
import { canPay, isPaid } from './payment.ts';

const appt = (extra: Partial<Appointment> & Record<string, unknown>) =>
  ({ status: 'confirmed', ...extra }) as Appointment;

describe('appointment payment', () => {
  it('offers "Pay" only for an upcoming appointment awaiting payment', () => {
    expect(canPay(appt({ status: 'awaiting_payment' }), true)).toBe(true);
    expect(canPay(appt({ status: 'awaiting_payment' }), false)).toBe(false);
    expect(canPay(appt({ status: 'confirmed' }), true)).toBe(false);
  });

  it('offers the invoice once the DTO says paid', () => {
    expect(isPaid(appt({}))).toBe(false);
    expect(isPaid(appt({ paid: false }))).toBe(false);
    expect(isPaid(appt({ paid: null }))).toBe(false);
    expect(isPaid(appt({ paid: true }))).toBe(true);
    expect(isPaid(appt({ paid: '2026-12-01T10:00:00Z' }))).toBe(true);
    expect(isPaid(appt({ payment: { status: 'pending', invoiceNumber: null } }))).toBe(false);
    expect(isPaid(appt({ payment: { status: 'paid', invoiceNumber: 'FR 2026/7' } }))).toBe(true);
    expect(isPaid(appt({ payment: null }))).toBe(false);
  });
});
