/**
 * The admin payment routes on each driver (bearer ADMIN_TOKEN): 401 without or with a wrong token, 403
 * when no token is configured; the reconciliation report (order counts by status, refunds due); recording
 * the refund of a paid order (order and payment 'refunded', credit note NC 2026/1 emailed as a PDF, the
 * upcoming appointment cancelled by the clinic; a second refund 409); settling a payment received twice
 * (refund_due → refunded); a patient's cancellation of a paid appointment listed as a refund due.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { appointments, auditLog, invoices, messages, orders, payments } from '../../db/schema.ts';
import { runOutboxOnce } from '../../outbox/outbox.ts';
import { renderMessage } from '../../outbox/render.ts';
import {
  client,
  createTestCentral,
  describeDrivers,
  TEST_ADMIN_TOKEN,
  type TestCentral,
} from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, loggedInPatient, seedClinic } from '../../testing/fixtures.ts';
import { createPayLink } from './orders.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NOW = '2026-11-23T09:00:00.000Z'; // Monday
const MARTA = DEMO_PRACTITIONERS[0]!;
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

async function book(t: TestCentral, startsAt: string) {
  const p = await loggedInPatient(t, 'Carla Reembolso');
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
  const [order] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, appointment.id));
  const token = await createPayLink(t.deps.db, t.deps.now(), order!.id, new Date(t.deps.now() + 86_400_000));
  return { p, appointment: appointment as Json, order: order!, token, anon: client(t) };
}

/** Waits until `fn` is true (callbacks are applied just after the 200 answer). */
async function until(fn: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function orderRow(t: TestCentral, id: string) {
  const [o] = await t.deps.db.select().from(orders).where(eq(orders.id, id));
  return o!;
}

async function paymentsOf(t: TestCentral, orderId: string) {
  return t.deps.db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(payments.createdAt);
}

/** Books and pays by Multibanco through the sandbox; returns the booking. */
async function bookAndPay(t: TestCentral, startsAt: string) {
  const b = await book(t, startsAt);
  expect((await b.anon.post(`/api/pay/${b.token}/multibanco`)).status).toBe(200);
  const [p] = await paymentsOf(t, b.order.id);
  t.sandbox.pay(p!.providerRequestId!);
  await t.sandbox.idle();
  await until(async () => (await orderRow(t, b.order.id)).status === 'paid');
  return b;
}

describeDrivers('admin payment routes', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
    await seedClinic(t, 'pay_online');
  });
  afterAll(async () => t.close());
  beforeEach(() => t.clock.set(NOW));

  it('refuses without the bearer token (401), with a wrong one (401), and when none is configured (403)', async () => {
    const http = client(t);
    const none = await http.get('/api/admin/payments/reconciliation');
    expect(none.status).toBe(401);
    expect(((await none.json()) as Json).error.code).toBe('unauthorized');
    const wrong = await http.get('/api/admin/payments/reconciliation', {
      authorization: 'Bearer not-the-token',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Json).error.code).toBe('unauthorized');
    const basic = await http.get('/api/admin/payments/reconciliation', {
      authorization: `Basic ${TEST_ADMIN_TOKEN}`,
    });
    expect(basic.status).toBe(401);
    const refund = await http.post('/api/admin/refunds', { orderId: crypto.randomUUID(), reason: 'teste' });
    expect(refund.status).toBe(401);

    const off = await createTestCentral(driver, { now: NOW, config: { adminToken: null } });
    try {
      const h = client(off);
      for (const res of [
        await h.get('/api/admin/payments/reconciliation', ADMIN),
        await h.get('/api/admin/payments/reconciliation'),
        await h.post('/api/admin/refunds', { orderId: crypto.randomUUID(), reason: 'teste' }, ADMIN),
      ]) {
        expect(res.status).toBe(403);
        expect(((await res.json()) as Json).error.code).toBe('forbidden');
      }
    } finally {
      await off.close();
    }
  });

  it('reconciliation: counts of orders by status', async () => {
    const empty = await client(t).get('/api/admin/payments/reconciliation', ADMIN);
    expect(empty.status).toBe(200);
    expect((await empty.json()) as Json).toEqual({
      report: { generatedAt: NOW, orders: {}, paymentsChecked: 0, mismatches: [] },
    });
    const pending = await book(t, '2026-11-25T09:00:00.000Z');
    await bookAndPay(t, '2026-11-25T10:00:00.000Z');
    const res = await client(t).get('/api/admin/payments/reconciliation?days=7', ADMIN);
    expect(res.status).toBe(200);
    const { report } = (await res.json()) as Json;
    expect(report).toEqual({
      generatedAt: NOW,
      orders: { pending: 1, paid: 1 },
      paymentsChecked: 0,
      mismatches: [],
    });
    // Tidy up: this order is not part of the next tests.
    expect((await pending.p.http.post(`/api/me/appointments/${pending.appointment.id}/cancel`)).status).toBe(
      200,
    );
    expect((await client(t).get('/api/admin/payments/reconciliation?days=0', ADMIN)).status).toBe(400);
  });

  it('refunds a paid order: credit note NC 2026/1 emailed, appointment cancelled by the clinic; again → 409', async () => {
    const b = await bookAndPay(t, '2026-11-25T11:00:00.000Z');
    const [inv] = await t.deps.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.orderId, b.order.id), eq(invoices.kind, 'invoice')));
    const admin = client(t);
    t.clock.set('2026-11-23T10:00:00.000Z');
    const res = await admin.post(
      '/api/admin/refunds',
      { orderId: b.order.id, reason: 'Clínica encerrada' },
      ADMIN,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ creditNote: 'NC 2026/1' });

    const o = await orderRow(t, b.order.id);
    expect(o.status).toBe('refunded');
    expect((await paymentsOf(t, b.order.id)).map((p) => [p.method, p.status])).toEqual([
      ['multibanco', 'refunded'],
    ]);
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, b.appointment.id));
    expect([a!.status, a!.cancelledBy]).toEqual(['cancelled', 'clinic']);
    const [nc] = await t.deps.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.orderId, b.order.id), eq(invoices.kind, 'credit_note')));
    expect(nc).toMatchObject({ number: 'NC 2026/1', refersTo: inv!.id, totalCents: 4500 });
    expect(nc!.document).toMatchObject({ refersTo: inv!.number, reason: 'Clínica encerrada' });
    const [queued] = await t.deps.db
      .select()
      .from(messages)
      .where(eq(messages.dedupeKey, `invoice:${nc!.id}`));
    expect(queued).toMatchObject({
      kind: 'credit_note',
      channel: 'email',
      recipient: b.p.email,
      status: 'pending',
      payload: { invoiceId: nc!.id },
    });
    const audit = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, b.order.id), eq(auditLog.action, 'order.refunded')));
    expect(audit.map((r) => [r.actor, r.details])).toEqual([
      ['admin', { reason: 'Clínica encerrada', creditNote: 'NC 2026/1' }],
    ]);

    await runOutboxOnce(t.deps, renderMessage, { limit: 100 });
    const mail = t.mail.filter((m) => m.subject === 'Nota de crédito NC 2026/1');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toBe(b.p.email);
    expect(mail[0]!.text).toContain(
      `Enviamos em anexo a nota de crédito NC 2026/1, que anula a fatura ${inv!.number}, no valor de 45,00 €.`,
    );
    const [pdf] = mail[0]!.attachments!;
    expect([pdf!.filename, pdf!.contentType]).toEqual(['nota-credito-NC-2026-1.pdf', 'application/pdf']);
    expect(Buffer.from(pdf!.content).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const again = await admin.post('/api/admin/refunds', { orderId: b.order.id, reason: 'outra vez' }, ADMIN);
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).error.code).toBe('refund_not_allowed');
    const unknown = await admin.post(
      '/api/admin/refunds',
      { orderId: crypto.randomUUID(), reason: 'nada' },
      ADMIN,
    );
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Json).error.code).toBe('order_not_found');
  });

  it('settles a payment received twice (two attempts both paid): refund_due → refunded', async () => {
    const b = await book(t, '2026-11-25T14:00:00.000Z');
    expect((await b.anon.post(`/api/pay/${b.token}/multibanco`)).status).toBe(200);
    expect((await b.anon.post(`/api/pay/${b.token}/mbway`, { phone: '912345678' })).status).toBe(200);
    const [mb, mbway] = await paymentsOf(t, b.order.id);
    expect([mb!.method, mbway!.method]).toEqual(['multibanco', 'mbway']);
    t.sandbox.pay(mb!.providerRequestId!);
    await t.sandbox.idle();
    await until(async () => (await orderRow(t, b.order.id)).status === 'paid');
    // The patient also accepts the MB WAY request on the phone: money received twice.
    t.sandbox.acceptMbway(mbway!.providerRequestId!);
    await t.sandbox.idle();
    await until(async () => (await paymentsOf(t, b.order.id))[1]!.status === 'refund_due');
    const after = await paymentsOf(t, b.order.id);
    expect(after.map((p) => [p.method, p.status, p.flag])).toEqual([
      ['multibanco', 'paid', null],
      ['mbway', 'refund_due', 'duplicate'],
    ]);

    const admin = client(t);
    const { report } = (await (await admin.get('/api/admin/payments/reconciliation', ADMIN)).json()) as Json;
    expect(report.mismatches.filter((m: Json) => m.orderId === b.order.id)).toEqual([
      {
        kind: 'refund_due',
        orderId: b.order.id,
        orderRef: b.order.ref,
        paymentId: mbway!.id,
        requestId: mbway!.providerRequestId,
        amountCents: 4500,
        detail: 'money received (duplicate); refund it',
      },
    ]);

    const res = await admin.post(
      '/api/admin/refunds',
      { paymentId: mbway!.id, reason: 'Pago em duplicado' },
      ADMIN,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ creditNote: null });
    expect((await paymentsOf(t, b.order.id)).map((p) => [p.method, p.status])).toEqual([
      ['multibanco', 'paid'],
      ['mbway', 'refunded'],
    ]);
    expect((await orderRow(t, b.order.id)).status).toBe('paid');
    const again = await admin.post(
      '/api/admin/refunds',
      { paymentId: mbway!.id, reason: 'outra vez' },
      ADMIN,
    );
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).error.code).toBe('refund_not_allowed');
    // Settling a paid payment this way is refused: a paid order is refunded by its orderId.
    const paid = await admin.post('/api/admin/refunds', { paymentId: mb!.id, reason: 'engano' }, ADMIN);
    expect(paid.status).toBe(409);
    const { report: later } = (await (
      await admin.get('/api/admin/payments/reconciliation', ADMIN)
    ).json()) as Json;
    expect(later.mismatches.filter((m: Json) => m.orderId === b.order.id)).toEqual([]);
  });

  it('lists a paid appointment the patient cancelled as a refund due', async () => {
    const b = await bookAndPay(t, '2026-11-26T10:00:00.000Z');
    const cancel = await b.p.http.post(`/api/me/appointments/${b.appointment.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect((await orderRow(t, b.order.id)).status).toBe('paid');
    const { report } = (await (
      await client(t).get('/api/admin/payments/reconciliation', ADMIN)
    ).json()) as Json;
    expect(report.mismatches.filter((m: Json) => m.orderId === b.order.id)).toEqual([
      {
        kind: 'refund_due',
        orderId: b.order.id,
        orderRef: b.order.ref,
        paymentId: null,
        requestId: null,
        amountCents: 4500,
        detail: 'paid, and the appointment was cancelled; refund it (POST /api/admin/refunds)',
      },
    ]);
    // Refunding it issues the credit note and leaves the (already cancelled) appointment as it is.
    const res = await client(t).post(
      '/api/admin/refunds',
      { orderId: b.order.id, reason: 'Cancelada pela utente' },
      ADMIN,
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).creditNote).toMatch(/^NC 2026\/\d+$/);
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, b.appointment.id));
    expect([a!.status, a!.cancelledBy]).toEqual(['cancelled', 'patient']);
    const { report: after } = (await (
      await client(t).get('/api/admin/payments/reconciliation', ADMIN)
    ).json()) as Json;
    expect(after.mismatches.filter((m: Json) => m.orderId === b.order.id)).toEqual([]);
  });
});
