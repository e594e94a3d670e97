/**
 * Desk payments onto central's orders, on each driver (a clinic that takes payment online): a desk cash
 * payment of the order's amount for a booking awaiting payment marks the order paid (a central payment
 * `desk_cash`, provider 'desk'), confirms the appointment and tells the portal, which shows it paid; a
 * void puts the order back to pending; a card payment is `desk_card`; a payment of another amount leaves
 * the order pending; a second desk payment of a paid order is 'conflict_central_wins' 'paid_at_desk' (after
 * an online payment it stays 'paid_online', push.test.ts).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appointments, changes, orders, payments } from '../../db/schema.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, seedClinic } from '../../testing/fixtures.ts';
import { bookOnline, entry, pairClinic, syncClient, type Json } from './test-support.ts';

describeDrivers('sync push: desk payments', (driver) => {
  let t: TestCentral;
  let clinic: ReturnType<typeof syncClient>;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: '2026-11-23T09:00:00.000Z' });
    await seedClinic(t, 'pay_online');
    clinic = syncClient(t, await pairClinic(t, DEMO_CLINIC.id));
  });
  afterAll(async () => t.close());

  const statuses = (body: Json) =>
    body.results.map((r: Json) => (r.reason ? `${r.status}:${r.reason}` : r.status));
  const orderOf = async (appointmentId: string) =>
    (await t.deps.db.select().from(orders).where(eq(orders.appointmentId, appointmentId)))[0]!;
  const deskPayment = (appointmentId: string, amountCents: number, over: Record<string, unknown> = {}) => ({
    appointment_id: appointmentId,
    method: 'cash',
    amount_cents: amountCents,
    receipt_year: 2026,
    receipt_seq: 7,
    received_by: 'desk',
    created_at: '2026-11-23T08:55:00.000Z',
    updated_at: '2026-11-23T08:55:00.000Z',
    voided_at: null,
    void_reason: null,
    ...over,
  });

  it('marks a pending order paid at the desk, the portal shows it; a void reopens it', async () => {
    const { appointment, patient } = await bookOnline(t, '2026-11-25T10:00:00.000Z', 'Rita Paga Balcão');
    expect(appointment.status).toBe('awaiting_payment');
    const order = await orderOf(appointment.id);
    expect(order.status).toBe('pending');
    const paymentId = '0194f0c2-0000-7000-8000-0000000e0001';
    const res = await clinic.push([
      entry('payment', paymentId, 1, deskPayment(appointment.id, order.amountCents)),
    ]);
    expect(statuses(res.body)).toEqual(['applied']);
    const paid = await orderOf(appointment.id);
    expect([paid.status, paid.paidAt?.toISOString(), paid.version]).toEqual([
      'paid',
      '2026-11-23T08:55:00.000Z',
      order.version + 1,
    ]);
    const [row] = await t.deps.db.select().from(payments).where(eq(payments.id, paymentId));
    expect(row).toMatchObject({
      orderId: order.id,
      provider: 'desk',
      method: 'desk_cash',
      status: 'paid',
      amountCents: order.amountCents,
      details: { source: 'clinic', receipt: 'R 2026/7' },
    });
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect(a!.status).toBe('confirmed');
    const fed = await t.deps.db.select().from(changes).where(eq(changes.entityId, order.id));
    expect(fed.at(-1)).toMatchObject({ entity: 'order', accountId: patient.id, payload: { status: 'paid' } });
    const mine = (await (await patient.http.get(`/api/me/appointments`)).json()) as Json;
    const shown = mine.upcoming.find((x: Json) => x.id === appointment.id);
    expect([shown.status, shown.payment.status]).toEqual(['confirmed', 'paid']);
    // The same entry again changes nothing; the void (version 2) reopens the order.
    expect(
      statuses((await clinic.push([entry('payment', paymentId, 1, deskPayment(appointment.id, 1))])).body),
    ).toEqual(['stale']);
    const voided = await clinic.push([
      entry(
        'payment',
        paymentId,
        2,
        deskPayment(appointment.id, order.amountCents, {
          voided_at: '2026-11-23T09:00:00.000Z',
          void_reason: 'engano',
        }),
      ),
    ]);
    expect(statuses(voided.body)).toEqual(['applied']);
    expect((await orderOf(appointment.id)).status).toBe('pending');
    const [after] = await t.deps.db.select().from(payments).where(eq(payments.id, paymentId));
    expect(after!.status).toBe('refunded');
  });

  it('records a card payment as desk_card; another amount leaves the order pending; online first wins', async () => {
    const card = await bookOnline(t, '2026-11-25T11:00:00.000Z', 'Rui Cartão');
    const cardOrder = await orderOf(card.appointment.id);
    const cardId = '0194f0c2-0000-7000-8000-0000000e0101';
    await clinic.push([
      entry(
        'payment',
        cardId,
        1,
        deskPayment(card.appointment.id, cardOrder.amountCents, { method: 'card' }),
      ),
    ]);
    const [row] = await t.deps.db.select().from(payments).where(eq(payments.id, cardId));
    expect([row!.method, (await orderOf(card.appointment.id)).status]).toEqual(['desk_card', 'paid']);

    const other = await bookOnline(t, '2026-11-25T12:00:00.000Z', 'Sara Desconto');
    const otherOrder = await orderOf(other.appointment.id);
    const discounted = await clinic.push([
      entry(
        'payment',
        '0194f0c2-0000-7000-8000-0000000e0102',
        1,
        deskPayment(other.appointment.id, otherOrder.amountCents - 500),
      ),
    ]);
    expect(statuses(discounted.body)).toEqual(['applied']);
    expect((await orderOf(other.appointment.id)).status).toBe('pending');

    // A second desk payment for the order the desk already paid (a new receipt): central keeps the first.
    const twice = await clinic.push([
      entry(
        'payment',
        '0194f0c2-0000-7000-8000-0000000e0103',
        1,
        deskPayment(card.appointment.id, cardOrder.amountCents),
      ),
    ]);
    expect(statuses(twice.body)).toEqual(['conflict_central_wins:paid_at_desk']);
  });
});
