/**
 * The payment flow through the central API on each driver: booking in a pay-online clinic queues the
 * payment link by SMS; the link opens only that order; invoice details with a NIF check; a Multibanco
 * reference with valid check digits (the same one again on a second click); the sandbox pays it and calls
 * back; the order is paid once, the appointment confirmed, invoice FR <year>/1 issued and emailed as a PDF;
 * MB WAY phone errors; an unpaid order expires and frees the slot.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, auditLog, invoices, messages, orders, payments } from '../../db/schema.ts';
import { runOutboxOnce } from '../../outbox/outbox.ts';
import { renderMessage } from '../../outbox/render.ts';
import { createTestCentral, describeDrivers, client, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, loggedInPatient, seedClinic } from '../../testing/fixtures.ts';
import { isValidMultibancoReference } from '../../../domain/payments/multibanco.ts';
import { expireOrders, processPendingCallbacks } from './service.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NOW = '2026-11-23T09:00:00Z'; // Monday
const MARTA = DEMO_PRACTITIONERS[0]!;

async function book(t: TestCentral, startsAt: string) {
  const p = await loggedInPatient(t, 'Ana Pagadora');
  const held = await p.http.post('/api/holds', {
    clinicId: DEMO_CLINIC.id,
    specialty: 'msk_physio',
    startsAt,
    practitionerId: MARTA.id,
  });
  expect(held.status).toBe(201);
  const { hold } = (await held.json()) as Json;
  const confirmed = await p.http.post(`/api/holds/${hold.id}/confirm`);
  expect(confirmed.status).toBe(201);
  const { appointment } = (await confirmed.json()) as Json;
  return { p, appointment };
}

/** Waits until `fn` is true (callbacks are applied just after the 200 answer). */
async function until(fn: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeDrivers('payments flow', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
    await seedClinic(t, 'pay_online');
  });
  afterAll(async () => t.close());

  it('SMS link → invoice details → Multibanco → sandbox pays → paid once, invoice emailed', async () => {
    const { appointment } = await book(t, '2026-11-25T10:00:00.000Z');
    expect(appointment.status).toBe('awaiting_payment');
    expect(appointment.payment).toEqual({ status: 'pending', invoiceNumber: null });
    const [order] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, appointment.id));
    // Pay window: 48 h after booking, before the start (Wed 10:00) → Wed 09:00.
    expect(order!.expiresAt!.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(order!.ref).toMatch(/^P[0-9A-HJKMNP-TV-Z]{11}$/);

    // The SMS goes out through the outbox, once.
    const pass = await runOutboxOnce(t.deps, renderMessage);
    expect(pass.sent).toBeGreaterThanOrEqual(1);
    const sms = t.sms.filter((m) => m.body.includes('/pay/'));
    expect(sms).toHaveLength(1);
    expect(sms[0]!.to).toBe('+351912345678');
    expect(sms[0]!.body).toMatch(
      /^Clínica Fisio Demo: consulta 25\/11, 10:00 \([A-Z0-9]{6}\)\. Pague 45,00 € em http:\/\/127\.0\.0\.1:4320\/pay\/[A-Za-z0-9_-]{22}$/,
    );
    await runOutboxOnce(t.deps, renderMessage);
    expect(t.sms.filter((m) => m.body.includes('/pay/'))).toHaveLength(1);
    const token = /\/pay\/([A-Za-z0-9_-]{22})/.exec(sms[0]!.body)![1]!;

    const anon = client(t);
    const view = (await (await anon.get(`/api/pay/${token}`)).json()) as Json;
    expect(view).toMatchObject({
      orderId: order!.id,
      status: 'pending',
      amountCents: 4500,
      vatRateBp: 0,
      vatExemption: 'Isento nos termos do art. 9.º do CIVA',
      clinicName: 'Clínica Fisio Demo',
      practitionerName: 'Dr.ª Marta Lopes',
      patientFirstName: 'Ana',
      attempt: null,
      invoice: null,
      sandbox: true,
    });
    expect((await anon.get('/api/pay/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);

    const badNif = await anon.put(`/api/pay/${token}/invoice-details`, {
      name: 'Ana Pagadora',
      nif: '501964842',
      address: null,
    });
    expect(badNif.status).toBe(400);
    expect(((await badNif.json()) as Json).error.code).toBe('nif_invalid');
    const saved = await anon.put(`/api/pay/${token}/invoice-details`, {
      name: 'Ana Pagadora',
      nif: 'PT 501 964 843',
      address: 'Rua Augusta 1, Lisboa',
    });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as Json).invoiceDetails).toEqual({
      name: 'Ana Pagadora',
      nif: '501964843',
      address: 'Rua Augusta 1, Lisboa',
    });

    const mb = (await (await anon.post(`/api/pay/${token}/multibanco`)).json()) as Json;
    const attempt = mb.attempt;
    expect(attempt).toMatchObject({
      method: 'multibanco',
      status: 'pending',
      entity: '12345',
      amountCents: 4500,
    });
    expect(attempt.expiresAt).toBe('2026-11-25T09:00:00.000Z');
    expect(isValidMultibancoReference('12345', attempt.reference, 4500)).toBe(true);
    const again = (await (await anon.post(`/api/pay/${token}/multibanco`)).json()) as Json;
    expect(again.attempt.reference).toBe(attempt.reference);
    expect(await t.deps.db.select().from(payments).where(eq(payments.orderId, order!.id))).toHaveLength(1);

    const [p] = await t.deps.db.select().from(payments).where(eq(payments.orderId, order!.id));
    t.sandbox.pay(p!.providerRequestId!);
    await t.sandbox.idle();
    await until(async () => {
      const [o] = await t.deps.db.select().from(orders).where(eq(orders.id, order!.id));
      return o!.status === 'paid';
    });
    expect(await processPendingCallbacks(t.deps)).toBe(0);
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect(a!.status).toBe('confirmed');
    const inv = await t.deps.db.select().from(invoices).where(eq(invoices.orderId, order!.id));
    expect(inv.map((i) => [i.kind, i.number, i.totalCents])).toEqual([['invoice', 'FR 2026/1', 4500]]);
    expect(inv[0]!.document).toMatchObject({
      buyer: { name: 'Ana Pagadora', nif: '501964843', address: 'Rua Augusta 1, Lisboa' },
      issuer: { name: 'Clínica Fisio Demo, Lda.', nif: '501964843' },
      vatExemption: 'Isento nos termos do art. 9.º do CIVA',
    });

    await runOutboxOnce(t.deps, renderMessage);
    const mail = t.mail.filter((m) => m.subject === 'Fatura FR 2026/1');
    expect(mail).toHaveLength(1);
    const pdf = mail[0]!.attachments![0]!;
    expect(pdf.filename).toBe('fatura-FR-2026-1.pdf');
    expect(Buffer.from(pdf.content).subarray(0, 5).toString()).toBe('%PDF-');
    const dl = await anon.get(`/api/pay/${token}/invoice.pdf`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');

    const paidView = (await (await anon.get(`/api/pay/${token}`)).json()) as Json;
    expect(paidView.status).toBe('paid');
    expect(paidView.invoice).toEqual({ number: 'FR 2026/1', url: `/api/pay/${token}/invoice.pdf` });
    expect(paidView.attempt.status).toBe('paid');
    // Paid: no more attempts.
    const late = await anon.post(`/api/pay/${token}/multibanco`);
    expect(late.status).toBe(409);
    expect(((await late.json()) as Json).error.code).toBe('order_not_payable');
    const actions = (
      await t.deps.db.select().from(auditLog).where(eq(auditLog.entityId, order!.id)).orderBy(auditLog.id)
    ).map((r) => [r.actor, r.action]);
    expect(actions).toEqual([
      ['pay_link', 'order.view'],
      ['pay_link', 'order.invoice_details'],
      ['pay_link', 'payment.multibanco'],
      ['provider:sandbox', 'payment.paid'],
      ['pay_link', 'invoice.download'],
      ['pay_link', 'order.view'],
    ]);
  });

  it('MB WAY: a landline and a bad number are refused with their own codes; a mobile is normalised', async () => {
    const { appointment } = await book(t, '2026-11-25T11:00:00.000Z');
    const [order] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, appointment.id));
    const [{ ...msg }] = await t.deps.db
      .select()
      .from(messages)
      .where(eq(messages.dedupeKey, `pay_link:${order!.id}:sms`));
    expect(msg.status).toBe('pending');
    const token = await payToken(t, order!.id);
    const anon = client(t);
    const land = await anon.post(`/api/pay/${token}/mbway`, { phone: '21 234 5678' });
    expect(land.status).toBe(400);
    expect(((await land.json()) as Json).error.code).toBe('phone_landline');
    const bad = await anon.post(`/api/pay/${token}/mbway`, { phone: '942345678' });
    expect(((await bad.json()) as Json).error.code).toBe('phone_invalid');
    const ok = (await (
      await anon.post(`/api/pay/${token}/mbway`, { phone: '+351 93 234 5678' })
    ).json()) as Json;
    expect(ok.attempt).toMatchObject({
      method: 'mbway',
      status: 'pending',
      phoneMasked: '+351 9•• ••• 678',
      expiresAt: '2026-11-23T09:04:00.000Z',
    });
  });

  it('expires an unpaid order at its time: the appointment is cancelled by the system and the slot freed', async () => {
    const { appointment, p } = await book(t, '2026-11-26T10:00:00.000Z');
    t.clock.set('2026-11-25T09:00:00Z'); // 48 h later
    const expired = await expireOrders(t.deps);
    expect(expired.length).toBeGreaterThanOrEqual(1);
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect([a!.status, a!.cancelledBy]).toEqual(['cancelled', 'system']);
    const [o] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, appointment.id));
    expect(o!.status).toBe('expired');
    await p.renewAccess();
    const again = await p.http.post('/api/holds', {
      clinicId: DEMO_CLINIC.id,
      specialty: 'msk_physio',
      startsAt: '2026-11-26T10:00:00.000Z',
      practitionerId: MARTA.id,
    });
    expect(again.status).toBe(201);
    t.clock.set(NOW);
  });
});

describe('payment link tokens', () => {
  it('are 22 url-safe characters and only their hash is stored', async () => {
    const { newLinkToken } = await import('./orders.ts');
    const { hashToken } = await import('../../http/auth.ts');
    const a = newLinkToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(newLinkToken()).not.toBe(a);
  });
});

/** A fresh payment link for an order (as the portal's Pay button makes one). */
async function payToken(t: TestCentral, orderId: string): Promise<string> {
  const { createPayLink } = await import('./orders.ts');
  return createPayLink(t.deps.db, t.deps.now(), orderId, new Date(t.deps.now() + 86_400_000));
}
