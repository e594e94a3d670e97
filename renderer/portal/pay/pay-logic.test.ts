/**
 * Small tests of the payment page's rules: the invoice form (draft ↔ input, the NIF check digit, the
 * server's errors on fields), the MB WAY phone check, the countdown and "Resend", and what is printed and
 * copied for a Multibanco reference.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.ts';
import {
  checkInvoiceDraft,
  checkMbwayPhone,
  copiedAmount,
  copiedReference,
  draftFromDetails,
  invoiceInput,
  invoiceServerErrors,
  isFinal,
  isFinalConsumer,
  isLinkError,
  isPhoneError,
  mbwayTiming,
  printedReference,
} from './pay-logic.ts';

describe('invoice details', () => {
  it('starts empty, or from the saved details with "Consumidor final" as an empty NIF', () => {
    expect(draftFromDetails(null)).toEqual({ name: '', nif: '', address: '' });
    expect(draftFromDetails({ name: 'Ana Silva', nif: '999999990', address: null })).toEqual({
      name: 'Ana Silva',
      nif: '',
      address: '',
    });
    expect(draftFromDetails({ name: 'Ana', nif: '501964843', address: 'Rua A, 1' }).nif).toBe('501964843');
  });

  it('needs a name; takes no NIF, or one with a valid check digit', () => {
    expect(checkInvoiceDraft({ name: ' ', nif: '', address: '' })).toEqual({
      name: 'validation.nameRequired',
    });
    expect(checkInvoiceDraft({ name: 'Ana', nif: '', address: '' })).toEqual({});
    expect(checkInvoiceDraft({ name: 'Ana', nif: 'PT 501 964 843', address: '' })).toEqual({});
    expect(checkInvoiceDraft({ name: 'Ana', nif: '501964842', address: '' })).toEqual({
      nif: 'errors.nif_invalid',
    });
    expect(checkInvoiceDraft({ name: 'Ana', nif: '', address: 'x'.repeat(301) })).toEqual({
      address: 'pay.addressTooLong',
    });
  });

  it('sends trimmed values, the NIF as 9 digits and null for what is left empty', () => {
    expect(invoiceInput({ name: '  Ana Silva ', nif: ' ', address: '  ' })).toEqual({
      name: 'Ana Silva',
      nif: null,
      address: null,
    });
    expect(invoiceInput({ name: 'Ana', nif: 'PT 501.964.843', address: ' Rua A ' })).toEqual({
      name: 'Ana',
      nif: '501964843',
      address: 'Rua A',
    });
    expect(isFinalConsumer({ name: 'Ana', nif: null, address: null })).toBe(true);
    expect(isFinalConsumer({ name: 'Ana', nif: '999999990', address: null })).toBe(true);
    expect(isFinalConsumer({ name: 'Ana', nif: '501964843', address: null })).toBe(false);
  });

  it("puts the server's NIF and validation errors on their fields", () => {
    expect(invoiceServerErrors(new ApiError('nif_invalid', 'bad', 400))).toEqual({
      nif: 'errors.nif_invalid',
    });
    const validation = new ApiError('validation_failed', 'bad', 400, { issues: [{ path: 'name' }] });
    expect(invoiceServerErrors(validation)).toEqual({ name: 'validation.nameRequired' });
    expect(invoiceServerErrors(new ApiError('network', 'down', 0))).toEqual({});
  });
});

describe('MB WAY phone', () => {
  it('takes a Portuguese mobile as typed and refuses a landline with its own message', () => {
    expect(checkMbwayPhone('912 345 678')).toBeNull();
    expect(checkMbwayPhone('+351 912345678')).toBeNull();
    expect(checkMbwayPhone('')).toBe('validation.phoneRequired');
    expect(checkMbwayPhone('212 345 678')).toBe('errors.phone_landline');
    expect(checkMbwayPhone('91234')).toBe('errors.phone_invalid');
  });

  it("recognises the server's phone and link errors", () => {
    expect(isPhoneError(new ApiError('phone_landline', 'x', 400))).toBe(true);
    expect(isPhoneError(new ApiError('order_not_payable', 'x', 409))).toBe(false);
    expect(isLinkError(new ApiError('pay_link_expired', 'x', 410))).toBe(true);
    expect(isLinkError(new ApiError('pay_link_not_found', 'x', 404))).toBe(true);
    expect(isLinkError(new Error('x'))).toBe(false);
  });
});

describe('MB WAY countdown', () => {
  const expiresAt = '2026-12-01T10:04:00.000Z'; // sent at 10:00:00 (4-minute window)
  const at = (iso: string) => Date.parse(iso);

  it('counts down the 4 minutes and allows "Resend" after 30 s', () => {
    expect(mbwayTiming({ status: 'pending', expiresAt }, at('2026-12-01T10:00:10Z'))).toEqual({
      leftMs: 230_000,
      over: false,
      canResend: false,
      resendInMs: 20_000,
    });
    expect(mbwayTiming({ status: 'pending', expiresAt }, at('2026-12-01T10:00:30Z'))).toMatchObject({
      over: false,
      canResend: true,
      resendInMs: 0,
    });
  });

  it('is over at once when declined, and when the window runs out', () => {
    expect(mbwayTiming({ status: 'rejected', expiresAt }, at('2026-12-01T10:00:05Z'))).toMatchObject({
      over: true,
      canResend: true,
    });
    expect(mbwayTiming({ status: 'pending', expiresAt }, at('2026-12-01T10:05:00Z'))).toEqual({
      leftMs: 0,
      over: true,
      canResend: true,
      resendInMs: 0,
    });
    expect(mbwayTiming({ status: 'paid', expiresAt }, at('2026-12-01T10:01:00Z')).canResend).toBe(false);
  });
});

describe('Multibanco and the order', () => {
  it('prints the reference in groups of three and copies digits only', () => {
    expect(printedReference('123456789')).toBe('123 456 789');
    expect(copiedReference('123 456 789')).toBe('123456789');
  });

  it('copies the amount the way homebanking takes it', () => {
    expect(copiedAmount(4500)).toBe('45,00');
    expect(copiedAmount(5)).toBe('0,05');
    expect(copiedAmount(123456)).toBe('1234,56');
  });

  it('stops following the order once it is settled and, when paid, its invoice is there', () => {
    expect(isFinal({ status: 'pending', invoice: null })).toBe(false);
    expect(isFinal({ status: 'paid', invoice: null })).toBe(false);
    expect(isFinal({ status: 'paid', invoice: { number: 'FR 2026/1', url: '/x.pdf' } })).toBe(true);
    expect(isFinal({ status: 'expired', invoice: null })).toBe(true);
    expect(isFinal({ status: 'cancelled', invoice: null })).toBe(true);
  });
});
