/**
 * The callback fault matrix over real HTTP, on each driver: the central app is served on 127.0.0.1 and the
 * sandbox provider delivers its callbacks to it as ifthenpay would (GET with query parameters, retried
 * until a 200). Each case books an appointment in a pay-online clinic, starts a Multibanco reference or an
 * MB WAY request through the public pay routes, injects one fault, drives the jobs explicitly
 * (processPendingCallbacks, pollPending, expireOrders) and checks the exact outcome: the order's status,
 * at most one payment 'paid' per order (exactly one when money was taken on a payable order), the other
 * payments' status and flag, the `payment_callbacks` rows and their outcomes, the sandbox's delivery log
 * (200 / 403), exactly one invoice per paid order, and the reconciliation report's lines.
 *
 * Faults: duplicate deliveries, a delayed delivery, a late acceptance of an older MB WAY request, a wrong
 * anti-phishing key (403, retried, then found by polling), a wrong amount (flagged, then confirmed by
 * polling), stale re-deliveries (paid order: duplicate; expired order: refund due), a dropped callback
 * (found by polling after 60 s / 5 s), MB WAY rejected and unanswered, an unmatched callback, 20
 * identical deliveries at once, concurrent copies of a callback the central adopts (unknown request, known
 * order ref), and a poller that never lets recently asked attempts starve a new one.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { asc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appointments, auditLog, invoices, orders, paymentCallbacks, payments } from '../../db/schema.ts';
import { centsToCallbackAmount, createSandboxProvider } from '../../payments/sandbox.ts';
import {
  createTestCentral,
  describeDrivers,
  TEST_CALLBACK_KEY,
  type TestCentral,
} from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, loggedInPatient, seedClinic } from '../../testing/fixtures.ts';
import { createPayLink, PAY_LINK_AFTER_START_MS } from './orders.ts';
import {
  expireOrders,
  pollPending,
  POLL_EVERY_MS,
  processPendingCallbacks,
  reconciliation,
  type Mismatch,
} from './service.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NOW = '2026-11-23T09:00:00Z'; // Monday, 09:00 in Lisbon
const MARTA = DEMO_PRACTITIONERS[0]!;
const CALLBACK_PATH = '/api/payments/callbacks/sandbox';
/** 45,00 €: the demo clinic's msk_physio price. */
const PRICE_CENTS = 4500;
/** Attempts of one delivery copy: 1 + retryDelaysMs.length. */
const RETRY_DELAYS_MS = [20, 20, 20];
const ATTEMPTS = 1 + RETRY_DELAYS_MS.length;

/**
 * Free slots (Marta works 09–13 and 14–19, Lisbon = UTC in November), handed out one per case. The
 * earliest (Tue 10:00) is kept for the expiry case: its order ends at the start, before any other.
 */
const EXPIRY_SLOT = '2026-11-24T10:00:00.000Z';
const SLOTS = ['2026-11-24', '2026-11-25', '2026-11-26'].flatMap((day) =>
  ['11', '12', '14', '15', '16', '17', '18'].map((h) => `${day}T${h}:00:00.000Z`),
);

/** Waits until `fn` is true (callbacks are applied just after the 200 answer). */
async function until(fn: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeDrivers('payment callback faults over HTTP', (driver) => {
  let t: TestCentral;
  let server: Server;
  let origin: string;
  let nextSlot = 0;
  /** Mismatch lines every case expects, collected for the final whole-report check. */
  const expectedLines: { kind: Mismatch['kind']; orderId: string | null; requestId: string | null }[] = [];

  beforeAll(async () => {
    let app: TestCentral['app'] | null = null;
    const info = await new Promise<AddressInfo>((resolve) => {
      server = serve(
        {
          fetch: (req, env) => (app ? app.fetch(req, env) : new Response('starting', { status: 503 })),
          port: 0,
          hostname: '127.0.0.1',
        },
        resolve,
      ) as Server;
    });
    origin = `http://127.0.0.1:${info.port}`;
    t = await createTestCentral(driver, {
      now: NOW,
      sandbox: (clock) =>
        createSandboxProvider({
          callbackUrl: `${origin}${CALLBACK_PATH}`,
          antiPhishingKey: TEST_CALLBACK_KEY,
          now: clock,
          retryDelaysMs: RETRY_DELAYS_MS,
        }),
    });
    app = t.app;
    await seedClinic(t, 'pay_online');
  });
  afterAll(async () => {
    await t.sandbox.idle();
    await settleCallbacks();
    await t.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  /** A call to the served app over real HTTP, as the payment page makes it. */
  async function http(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { origin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Json };
  }

  /** Books a slot (hold + confirm) for a new patient; returns its order and a payment link for it. */
  async function book(startsAt = SLOTS[nextSlot++]!) {
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
    expect(appointment.status).toBe('awaiting_payment');
    const [order] = await t.deps.db.select().from(orders).where(eq(orders.appointmentId, appointment.id));
    expect(order!.amountCents).toBe(PRICE_CENTS);
    const token = await createPayLink(
      t.deps.db,
      t.deps.now(),
      order!.id,
      new Date(Date.parse(startsAt) + PAY_LINK_AFTER_START_MS),
    );
    return { orderId: order!.id, ref: order!.ref, appointmentId: appointment.id as string, token };
  }

  /** A Multibanco reference through the pay route; returns the provider's request id. */
  async function multibanco(token: string): Promise<string> {
    const res = await http('POST', `/api/pay/${token}/multibanco`);
    expect(res.status).toBe(200);
    expect(res.json.attempt).toMatchObject({ method: 'multibanco', status: 'pending' });
    return latestRequestId();
  }

  /** An MB WAY request through the pay route (again = resend); returns the provider's request id. */
  async function mbway(token: string, phone: string): Promise<string> {
    const res = await http('POST', `/api/pay/${token}/mbway`, { phone });
    expect(res.status).toBe(200);
    expect(res.json.attempt).toMatchObject({ method: 'mbway', status: 'pending' });
    return latestRequestId();
  }

  function latestRequestId(): string {
    return t.sandbox.requests()[0]!.requestId;
  }

  /** Processes every recorded callback (the job) and waits for the background ones of the route. */
  async function settleCallbacks(): Promise<void> {
    await processPendingCallbacks(t.deps);
    await until(
      async () =>
        (
          await t.deps.db
            .select({ id: paymentCallbacks.id })
            .from(paymentCallbacks)
            .where(isNull(paymentCallbacks.processedAt))
        ).length === 0,
    );
  }

  /** Waits for the sandbox's deliveries, then for every callback to be applied. */
  async function settle(): Promise<void> {
    await t.sandbox.idle();
    await settleCallbacks();
  }

  /** Everything that matters about an order, for exact assertions. */
  async function stateOf(orderId: string) {
    const [o] = await t.deps.db.select().from(orders).where(eq(orders.id, orderId));
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, o!.appointmentId));
    const ps = await t.deps.db
      .select()
      .from(payments)
      .where(eq(payments.orderId, orderId))
      .orderBy(asc(payments.id));
    const inv = await t.deps.db.select().from(invoices).where(eq(invoices.orderId, orderId));
    return {
      order: o!.status,
      appointment: a!.status,
      paidCount: ps.filter((p) => p.status === 'paid').length,
      payments: ps.map((p) => ({ requestId: p.providerRequestId, status: p.status, flag: p.flag })),
      invoices: inv.map((i) => i.kind),
    };
  }

  /** The outcomes of the callbacks recorded for a request, sorted. */
  async function outcomesOf(requestId: string): Promise<(string | null)[]> {
    const rows = await t.deps.db
      .select({ outcome: paymentCallbacks.outcome })
      .from(paymentCallbacks)
      .where(eq(paymentCallbacks.requestId, requestId));
    return rows.map((r) => r.outcome).sort();
  }

  /** HTTP statuses the sandbox got delivering callbacks for a request, in order. */
  function deliveriesOf(requestId: string): (number | string)[] {
    return t.sandbox
      .deliveries()
      .filter((d) => d.requestId === requestId)
      .map((d) => d.status);
  }

  /** The reconciliation report's lines about one order (by id or, for unmatched callbacks, by ref). */
  async function linesAbout(orderId: string, ref: string) {
    const report = await reconciliation(t.deps);
    return report.mismatches
      .filter((m) => m.orderId === orderId || m.orderRef === ref)
      .map((m) => ({ kind: m.kind, requestId: m.requestId }));
  }

  it('duplicate: 4 copies all answered 200, applied once and duplicate ×3, paid once, one invoice', async () => {
    const b = await book();
    const req = await multibanco(b.token);
    t.sandbox.pay(req, { duplicate: 3 });
    await settle();
    expect(deliveriesOf(req)).toEqual([200, 200, 200, 200]);
    expect(await outcomesOf(req)).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate']);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [{ requestId: req, status: 'paid', flag: null }],
      invoices: ['invoice'],
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('delayed: nothing until the delivery comes (300 ms), then paid once', async () => {
    const b = await book();
    const req = await multibanco(b.token);
    const started = Date.now();
    t.sandbox.pay(req, { delayMs: 300 });
    await new Promise((r) => setTimeout(r, 100));
    expect(deliveriesOf(req)).toEqual([]);
    expect(await processPendingCallbacks(t.deps)).toBe(0);
    expect((await stateOf(b.orderId)).order).toBe('pending');
    await settle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(deliveriesOf(req)).toEqual([200]);
    expect(await outcomesOf(req)).toEqual(['applied']);
    expect(await stateOf(b.orderId)).toMatchObject({ order: 'paid', paidCount: 1, invoices: ['invoice'] });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('out of order: B (the resend) paid; a late acceptance of A is refund_due "duplicate" and listed', async () => {
    const b = await book();
    const reqA = await mbway(b.token, '912345678');
    t.clock.advance(30_000);
    const reqB = await mbway(b.token, '912345678');
    expect(reqB).not.toBe(reqA);
    t.sandbox.acceptMbway(reqB);
    await settle();
    expect(await outcomesOf(reqB)).toEqual(['applied']);
    // A was still pending; the payment that paid the order ends it here (not at the provider).
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [
        { requestId: reqA, status: 'expired', flag: null },
        { requestId: reqB, status: 'paid', flag: null },
      ],
      invoices: ['invoice'],
    });
    // The patient now accepts the older request in the app: the money is recorded for refund.
    t.sandbox.acceptMbway(reqA);
    await settle();
    expect(deliveriesOf(reqA)).toEqual([200]);
    expect(await outcomesOf(reqA)).toEqual(['late']);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [
        { requestId: reqA, status: 'refund_due', flag: 'duplicate' },
        { requestId: reqB, status: 'paid', flag: null },
      ],
      invoices: ['invoice'],
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([{ kind: 'refund_due', requestId: reqA }]);
    expectedLines.push({ kind: 'refund_due', orderId: b.orderId, requestId: reqA });
  });

  it('two requests accepted at once: one pays the order, the other is refund_due "duplicate" and listed', async () => {
    const b = await book();
    const reqA = await mbway(b.token, '912345678');
    const reqB = await mbway(b.token, '912345678');
    t.sandbox.acceptMbway(reqA);
    t.sandbox.acceptMbway(reqB);
    await settle();
    expect(deliveriesOf(reqA)).toEqual([200]);
    expect(deliveriesOf(reqB)).toEqual([200]);
    const outcomes = [...(await outcomesOf(reqA)), ...(await outcomesOf(reqB))].sort();
    expect(outcomes).toEqual(['applied', 'late']);
    const s = await stateOf(b.orderId);
    expect(s).toMatchObject({ order: 'paid', appointment: 'confirmed', paidCount: 1, invoices: ['invoice'] });
    const other = s.payments.find((p) => p.status !== 'paid')!;
    expect(other).toMatchObject({ status: 'refund_due', flag: 'duplicate' });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([{ kind: 'refund_due', requestId: other.requestId }]);
    expectedLines.push({ kind: 'refund_due', orderId: b.orderId, requestId: other.requestId });
  });

  it('tampered key: every attempt answered 403, nothing recorded; the poller finds it paid after 60 s', async () => {
    const b = await book();
    const req = await multibanco(b.token);
    const refusedBefore = await t.deps.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.action, 'payment.callback_refused'));
    t.sandbox.pay(req, { tamperKey: true });
    await settle();
    expect(deliveriesOf(req)).toEqual(Array(ATTEMPTS).fill(403));
    expect(await outcomesOf(req)).toEqual([]);
    const refused = await t.deps.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.action, 'payment.callback_refused'));
    expect(refused.length - refusedBefore.length).toBe(ATTEMPTS);
    expect(await stateOf(b.orderId)).toMatchObject({
      order: 'pending',
      paidCount: 0,
      payments: [{ requestId: req, status: 'pending', flag: null }],
      invoices: [],
    });
    // Paid at the provider, not here: the report says so until the poller catches up.
    expect(await linesAbout(b.orderId, b.ref)).toEqual([
      { kind: 'paid_at_provider_not_here', requestId: req },
    ]);
    t.clock.advance(POLL_EVERY_MS.multibanco! - 1_000);
    expect(await pollPending(t.deps)).toBe(0);
    t.clock.advance(1_000);
    expect(await pollPending(t.deps)).toBe(1);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [{ requestId: req, status: 'paid', flag: null }],
      invoices: ['invoice'],
    });
    expect(await pollPending(t.deps)).toBe(0);
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('tampered amount: amount_mismatch, still pending and flagged; the poller confirms the real amount', async () => {
    const b = await book();
    const req = await multibanco(b.token);
    t.sandbox.pay(req, { tamperAmountCents: 100 });
    await settle();
    expect(deliveriesOf(req)).toEqual([200]);
    expect(await outcomesOf(req)).toEqual(['amount_mismatch']);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'pending',
      appointment: 'awaiting_payment',
      paidCount: 0,
      payments: [{ requestId: req, status: 'pending', flag: 'amount_mismatch' }],
      invoices: [],
    });
    expect((await linesAbout(b.orderId, b.ref)).sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
      { kind: 'amount_mismatch', requestId: req },
      { kind: 'paid_at_provider_not_here', requestId: req },
    ]);
    t.clock.advance(POLL_EVERY_MS.multibanco!);
    expect(await pollPending(t.deps)).toBe(1);
    // The provider's answer (the real amount) pays the order; the flag stays as history, and the rule
    // in reconciliation() lists amount_mismatch only for attempts not paid (nothing left to act on).
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [{ requestId: req, status: 'paid', flag: 'amount_mismatch' }],
      invoices: ['invoice'],
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('stale on a paid request: the same callback again is a duplicate and changes nothing', async () => {
    const b = await book();
    const req = await mbway(b.token, '912345678');
    t.sandbox.acceptMbway(req);
    await settle();
    const before = await stateOf(b.orderId);
    expect(before).toMatchObject({ order: 'paid', paidCount: 1, invoices: ['invoice'] });
    t.clock.advance(10_000);
    t.sandbox.deliverStale(req);
    await settle();
    expect(deliveriesOf(req)).toEqual([200, 200]);
    expect(await outcomesOf(req)).toEqual(['applied', 'duplicate']);
    expect(await stateOf(b.orderId)).toEqual(before);
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('lost callback (Multibanco): no delivery; the poller finds it paid at 60 s, not before', async () => {
    const b = await book();
    const req = await multibanco(b.token);
    t.sandbox.pay(req, { drop: true });
    await settle();
    expect(deliveriesOf(req)).toEqual([]);
    expect(await outcomesOf(req)).toEqual([]);
    t.clock.advance(POLL_EVERY_MS.multibanco! - 1_000);
    expect(await pollPending(t.deps)).toBe(0);
    expect((await stateOf(b.orderId)).order).toBe('pending');
    t.clock.advance(1_000);
    expect(await pollPending(t.deps)).toBe(1);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [{ requestId: req, status: 'paid', flag: null }],
      invoices: ['invoice'],
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('lost callback (MB WAY): the poller finds it paid at 5 s, not before', async () => {
    const b = await book();
    const req = await mbway(b.token, '912345678');
    t.sandbox.acceptMbway(req, { drop: true });
    await settle();
    expect(deliveriesOf(req)).toEqual([]);
    t.clock.advance(POLL_EVERY_MS.mbway! - 1_000);
    expect(await pollPending(t.deps)).toBe(0);
    t.clock.advance(1_000);
    expect(await pollPending(t.deps)).toBe(1);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [{ requestId: req, status: 'paid', flag: null }],
      invoices: ['invoice'],
    });
    expect(await outcomesOf(req)).toEqual([]);
  });

  it('MB WAY rejected (910000002): the poller ends the attempt, the order stays pending, the page says rejected', async () => {
    const b = await book();
    const req = await mbway(b.token, '910000002');
    await settle(); // the magic number answers after a real second
    expect(t.sandbox.requests().find((r) => r.requestId === req)!.status).toBe('rejected');
    expect(deliveriesOf(req)).toEqual([]);
    t.clock.advance(POLL_EVERY_MS.mbway!);
    expect(await pollPending(t.deps)).toBe(1);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'pending',
      appointment: 'awaiting_payment',
      paidCount: 0,
      payments: [{ requestId: req, status: 'rejected', flag: null }],
      invoices: [],
    });
    const page = await http('GET', `/api/pay/${b.token}`);
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({
      status: 'pending',
      attempt: { method: 'mbway', status: 'rejected' },
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('MB WAY unanswered (910000003): past 4 minutes the poller ends the attempt as expired', async () => {
    const b = await book();
    const req = await mbway(b.token, '910000003');
    t.clock.advance(POLL_EVERY_MS.mbway!);
    expect(await pollPending(t.deps)).toBe(0); // still waiting for the patient
    t.clock.advance(4 * 60_000);
    expect(await pollPending(t.deps)).toBe(1);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'pending',
      appointment: 'awaiting_payment',
      paidCount: 0,
      payments: [{ requestId: req, status: 'expired', flag: null }],
      invoices: [],
    });
    const page = await http('GET', `/api/pay/${b.token}`);
    expect(page.json.attempt).toMatchObject({ method: 'mbway', status: 'expired' });
    expect(deliveriesOf(req)).toEqual([]);
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('unmatched: a keyed callback for an unknown request and order is answered 200, recorded and listed', async () => {
    const requestId = 'sbx_00000000deadbeef';
    const q = new URLSearchParams({
      key: TEST_CALLBACK_KEY,
      orderId: 'PUNKNOWN0000',
      amount: '45.00',
      requestId,
      payment_datetime: new Date(t.deps.now()).toISOString(),
      method: 'mbway',
    });
    const res = await fetch(`${origin}${CALLBACK_PATH}?${q}`);
    expect(res.status).toBe(200);
    await res.text();
    await settleCallbacks();
    expect(await outcomesOf(requestId)).toEqual(['unmatched']);
    const [cb] = await t.deps.db
      .select()
      .from(paymentCallbacks)
      .where(eq(paymentCallbacks.requestId, requestId));
    expect(cb!.paymentId).toBeNull();
    expect(cb!.params.key).toBeUndefined(); // the key is never stored
    expect(await t.deps.db.select().from(payments).where(eq(payments.providerRequestId, requestId))).toEqual(
      [],
    );
    const report = await reconciliation(t.deps);
    expect(
      report.mismatches
        .filter((m) => m.requestId === requestId)
        .map((m) => [m.kind, m.orderRef, m.amountCents]),
    ).toEqual([['unmatched_callback', 'PUNKNOWN0000', 4500]]);
    expectedLines.push({ kind: 'unmatched_callback', orderId: null, requestId });
  });

  it('concurrency: 20 identical deliveries at once → one applied, 19 duplicates, paid once', async () => {
    const b = await book();
    const req = await multibanco(b.token);
    t.sandbox.pay(req, { drop: true });
    const r = t.sandbox.requests().find((x) => x.requestId === req)!;
    // The true callback, as the sandbox would have sent it (callbackParams in sandbox.ts).
    const q = new URLSearchParams({
      key: TEST_CALLBACK_KEY,
      orderId: r.orderRef,
      amount: centsToCallbackAmount(r.amountCents),
      requestId: req,
      entity: r.entity!,
      reference: r.reference!,
      payment_datetime: r.paidAt!,
      method: 'multibanco',
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await fetch(`${origin}${CALLBACK_PATH}?${q}`);
        await res.text();
        return res.status;
      }),
    );
    expect(answers).toEqual(Array(20).fill(200));
    await settleCallbacks();
    expect(await outcomesOf(req)).toEqual(['applied', ...Array(19).fill('duplicate')]);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [{ requestId: req, status: 'paid', flag: null }],
      invoices: ['invoice'],
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('adopted request: concurrent copies of a callback for an unknown request naming a pending order pay it once', async () => {
    // A payment the provider took for our order ref but through a request we never made (its back
    // office, a retry on its side): the first copy adopts it, every other copy is a duplicate.
    const b = await book();
    const requestId = 'sbx_0000000000adopt1';
    const q = new URLSearchParams({
      key: TEST_CALLBACK_KEY,
      orderId: b.ref,
      amount: centsToCallbackAmount(PRICE_CENTS),
      requestId,
      payment_datetime: new Date(t.deps.now()).toISOString(),
      method: 'mbway',
    });
    const answers = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const res = await fetch(`${origin}${CALLBACK_PATH}?${q}`);
        await res.text();
        return res.status;
      }),
    );
    expect(answers).toEqual(Array(5).fill(200));
    await settleCallbacks();
    expect(await outcomesOf(requestId)).toEqual(['applied', ...Array(4).fill('duplicate')]);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'paid',
      appointment: 'confirmed',
      paidCount: 1,
      payments: [{ requestId, status: 'paid', flag: null }],
      invoices: ['invoice'],
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([]);
  });

  it('poller: a never-polled attempt is not starved by attempts polled recently (limit 1)', async () => {
    const x = await book();
    const reqX = await mbway(x.token, '910000003'); // never answered
    t.clock.advance(4_000);
    const y = await book();
    const reqY = await mbway(y.token, '912345678');
    t.sandbox.acceptMbway(reqY, { drop: true });
    t.clock.advance(1_000);
    expect(await pollPending(t.deps, 1)).toBe(0); // X asked (still pending), Y not due yet
    t.clock.advance(4_000); // Y due (5 s old, never asked); X asked 4 s ago, not due
    expect(await pollPending(t.deps, 1)).toBe(1);
    expect(await stateOf(y.orderId)).toMatchObject({ order: 'paid', paidCount: 1, invoices: ['invoice'] });
    t.sandbox.rejectMbway(reqX);
    t.clock.advance(POLL_EVERY_MS.mbway!);
    expect(await pollPending(t.deps)).toBe(1);
    expect(await stateOf(x.orderId)).toMatchObject({
      order: 'pending',
      payments: [{ requestId: reqX, status: 'rejected', flag: null }],
    });
  });

  it('stale on an expired order: the late callback is refund_due "late", the order stays expired, listed', async () => {
    const b = await book(EXPIRY_SLOT);
    const req = await multibanco(b.token);
    const [o] = await t.deps.db.select().from(orders).where(eq(orders.id, b.orderId));
    expect(o!.expiresAt!.toISOString()).toBe(EXPIRY_SLOT); // the start came before the pay window's end
    t.clock.set(o!.expiresAt!.getTime() + 1_000);
    expect(await expireOrders(t.deps)).toEqual([b.orderId]);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'expired',
      appointment: 'cancelled',
      paidCount: 0,
      payments: [{ requestId: req, status: 'expired', flag: null }],
      invoices: [],
    });
    expect(() => t.sandbox.pay(req)).toThrow(/expired/);
    t.sandbox.deliverStale(req);
    await settle();
    expect(deliveriesOf(req)).toEqual([200]);
    expect(await outcomesOf(req)).toEqual(['late']);
    expect(await stateOf(b.orderId)).toEqual({
      order: 'expired',
      appointment: 'cancelled',
      paidCount: 0,
      payments: [{ requestId: req, status: 'refund_due', flag: 'late' }],
      invoices: [],
    });
    expect(await linesAbout(b.orderId, b.ref)).toEqual([{ kind: 'refund_due', requestId: req }]);
    expectedLines.push({ kind: 'refund_due', orderId: b.orderId, requestId: req });
  });

  it('the whole reconciliation report lists exactly the expected lines', async () => {
    const report = await reconciliation(t.deps);
    const key = (m: { kind: string; orderId: string | null; requestId: string | null }) =>
      `${m.kind}|${m.orderId}|${m.requestId}`;
    expect(report.mismatches.map(key).sort()).toEqual(expectedLines.map(key).sort());
    expect(report.orders).toEqual({ paid: 12, pending: 3, expired: 1 });
  });
});
