/**
 * Paying for an appointment (payments issue; payments-pt.md): Multibanco references and MB WAY requests
 * through the active provider, callbacks kept as an inbox and applied after the 200 answer, a poller for
 * callbacks that never came, expiry of unpaid online orders, reconciliation and refunds.
 *
 * Nothing is ever charged twice and nothing received is lost:
 * - one order per appointment (UNIQUE), at most one payment 'paid' per order (partial unique index);
 * - a payment is applied under the order's row lock: the first success pays the order, issues its
 *   invoice and queues the email; a repeat of the same delivery changes nothing ('duplicate');
 * - money for an order that is no longer payable (expired, cancelled, or paid by another attempt) is
 *   recorded as 'refund_due' with a flag ('late' / 'duplicate') and listed for refund, never dropped;
 * - a callback whose amount differs from the order pays nothing: the attempt is flagged and stays pending
 *   until the provider's own status (the poller) says what was paid; one that matches no request or order
 *   is recorded ('unmatched') and listed in the reconciliation report.
 */
import { and, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { recordChange, writeAudit } from '../../db/changes.ts';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import { appointments, orders, paymentCallbacks, payments, type CallbackOutcome } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import { cancelAppointmentMessages, enqueue } from '../../outbox/outbox.ts';
import { ProviderError, type ProviderMethod } from '../../payments/provider.ts';
import { AppError } from '../../../domain/errors.ts';
import {
  FINAL_CONSUMER_NIF,
  type InvoiceDetailsInput,
  type PayOrderDto,
  type PaymentAttemptDto,
} from '../../../domain/payments/dto.ts';
import { MULTIBANCO_MIN_CENTS } from '../../../domain/payments/multibanco.ts';
import { parseNif } from '../../../domain/payments/nif.ts';
import { maskPhone, parseMbwayPhone } from '../../../domain/payments/phone.ts';
import { invoiceOfOrder, issueCreditNote, issueInvoice } from './invoicing.ts';
import { loadOrder, orderOfLink, updateOrder, type OrderContext } from './orders.ts';

/** A payment row. */
export type PaymentRow = typeof payments.$inferSelect;

/** Who did it, for the audit log. */
export type Actor = string;

/** Least time left on an order for a new reference or MB WAY request to make sense (10 minutes). */
export const MIN_PAYABLE_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------------
// The payment page

/** An attempt as the page shows it (lazy expiry: a pending attempt past its end shows 'expired'). */
function attemptDto(p: PaymentRow, nowMs: number): PaymentAttemptDto | null {
  const lapsed = p.status === 'pending' && p.expiresAt !== null && p.expiresAt.getTime() <= nowMs;
  const paid = p.status === 'paid' || p.status === 'refund_due' || p.status === 'refunded';
  const d = p.details as { entity?: string; reference?: string; phoneMasked?: string };
  if (p.method === 'multibanco') {
    return {
      method: 'multibanco',
      status: paid ? 'paid' : lapsed || p.status !== 'pending' ? 'expired' : 'pending',
      entity: d.entity ?? '',
      reference: d.reference ?? '',
      amountCents: p.amountCents,
      expiresAt: (p.expiresAt ?? new Date(nowMs)).toISOString(),
    };
  }
  if (p.method === 'mbway') {
    return {
      method: 'mbway',
      status: paid
        ? 'paid'
        : p.status === 'rejected'
          ? 'rejected'
          : lapsed || p.status === 'expired'
            ? 'expired'
            : 'pending',
      phoneMasked: d.phoneMasked ?? '',
      amountCents: p.amountCents,
      expiresAt: (p.expiresAt ?? new Date(nowMs)).toISOString(),
    };
  }
  return null;
}

/** The latest online attempt of an order (Multibanco or MB WAY). */
async function latestAttempt(q: CentralDb | CentralTx, orderId: string): Promise<PaymentRow | undefined> {
  const [row] = await q
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), inArray(payments.method, ['multibanco', 'mbway'])))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(1);
  return row;
}

/** What the payment page shows for an order reached by `token` (the link's own expiry included). */
export async function orderView(
  deps: CentralDeps,
  ctx: OrderContext,
  token: string,
  linkExpiresAt: Date,
): Promise<PayOrderDto> {
  const now = deps.now();
  const attempt = await latestAttempt(deps.db, ctx.order.id);
  const invoice =
    ctx.order.status === 'paid' || ctx.order.status === 'refunded'
      ? await invoiceOfOrder(deps.db, ctx.order.id)
      : undefined;
  return {
    orderId: ctx.order.id,
    status: ctx.order.status,
    amountCents: ctx.order.amountCents,
    vatRateBp: ctx.order.vatRateBp,
    vatExemption: ctx.order.vatExemption,
    clinicName: ctx.clinic.name,
    specialty: ctx.appointment.specialty,
    practitionerName: ctx.practitionerName,
    startsAt: ctx.appointment.startsAt.toISOString(),
    patientFirstName: (ctx.account?.name ?? '').split(/\s+/)[0] ?? '',
    linkExpiresAt: linkExpiresAt.toISOString(),
    invoiceDetails:
      ctx.order.invoiceName !== null
        ? {
            name: ctx.order.invoiceName,
            nif: ctx.order.invoiceNif === FINAL_CONSUMER_NIF ? null : ctx.order.invoiceNif,
            address: ctx.order.invoiceAddress,
          }
        : null,
    attempt: attempt ? attemptDto(attempt, now) : null,
    invoice: invoice ? { number: invoice.number, url: `/api/pay/${token}/invoice.pdf` } : null,
    sandbox: deps.payments.name === 'sandbox',
  };
}

/**
 * The order behind a payment link, with its context.
 * @throws AppError pay_link_not_found, pay_link_expired
 */
export async function orderOfToken(
  deps: CentralDeps,
  token: string,
): Promise<{ ctx: OrderContext; linkExpiresAt: Date }> {
  const { orderId, expiresAt } = await orderOfLink(deps.db, token, deps.now());
  const ctx = await loadOrder(deps.db, orderId);
  if (!ctx) throw new AppError('pay_link_not_found', 'no such payment link');
  return { ctx, linkExpiresAt: expiresAt };
}

/**
 * Stores the invoice details the patient gave (null NIF = "Consumidor final"). Allowed until the invoice
 * is issued.
 * @throws AppError nif_invalid, order_not_payable (already paid or no longer payable)
 */
export async function saveInvoiceDetails(
  deps: CentralDeps,
  orderId: string,
  input: InvoiceDetailsInput,
  ip: string | null,
): Promise<void> {
  let nif: string = FINAL_CONSUMER_NIF;
  if (input.nif !== null && input.nif.trim() !== '') {
    const parsed = parseNif(input.nif);
    if (!parsed.ok) throw new AppError('nif_invalid', 'this NIF is not valid (check digit)');
    nif = parsed.nif;
  }
  await deps.db.transaction(async (tx) => {
    const ctx = await loadOrder(tx, orderId, true);
    if (!ctx) throw new AppError('order_not_found', 'no such order');
    if (ctx.order.status !== 'pending') {
      throw new AppError(
        'order_not_payable',
        `the order is ${ctx.order.status}; its invoice details are final`,
      );
    }
    const updated = await updateOrder(tx, orderId, {
      invoiceName: input.name,
      invoiceNif: nif,
      invoiceAddress: input.address && input.address.trim() !== '' ? input.address : null,
      updatedAt: new Date(deps.now()),
    });
    await orderChanged(tx, deps, updated);
    await writeAudit(tx, deps.now(), {
      actor: 'pay_link',
      action: 'order.invoice_details',
      entity: 'order',
      entityId: orderId,
      clinicId: ctx.clinic.id,
      ip,
      details: { finalConsumer: nif === FINAL_CONSUMER_NIF },
    });
  });
}

/** Records an order change in the feed (the payment page's SSE and the clinic's sync read it). */
/**
 * An order's payload in the change feed (the portal's live page; the clinic's pull keeps it as the
 * online payment state, server/domain/sync.ts `orderFeedPayload`): amounts in cents, `paidAt` ISO UTC,
 * and the latest attempt's id, method and status when given. Every writer of an order change uses it.
 */
export function orderChangePayload(
  o: typeof orders.$inferSelect,
  payment?: { id: string; method: string; status: string },
): Record<string, unknown> {
  return {
    appointmentId: o.appointmentId,
    status: o.status,
    amountCents: o.amountCents,
    paidAt: o.paidAt?.toISOString() ?? null,
    ...(payment ? { payment: { id: payment.id, method: payment.method, status: payment.status } } : {}),
  };
}

async function orderChanged(
  tx: CentralTx,
  deps: CentralDeps,
  o: typeof orders.$inferSelect,
  payment?: PaymentRow,
): Promise<void> {
  await recordChange(tx, deps.now(), {
    clinicId: o.clinicId,
    entity: 'order',
    entityId: o.id,
    op: 'update',
    version: o.version,
    accountId: o.accountId,
    payload: orderChangePayload(o, payment),
  });
}

/** Refuses a new attempt on an order that cannot be paid now. */
function requirePayable(ctx: OrderContext, nowMs: number): Date {
  if (ctx.order.status !== 'pending') {
    throw new AppError('order_not_payable', `the order is ${ctx.order.status}`, { status: ctx.order.status });
  }
  const until = ctx.order.expiresAt ?? ctx.appointment.startsAt;
  if (until.getTime() - nowMs < MIN_PAYABLE_MS) {
    throw new AppError(
      'order_not_payable',
      'too little time is left to pay online; please pay at the clinic',
    );
  }
  if (ctx.order.amountCents < MULTIBANCO_MIN_CENTS) {
    throw new AppError('order_not_payable', 'amounts under €1.00 are paid at the clinic');
  }
  return until;
}

function providerFailure(err: unknown): never {
  if (err instanceof ProviderError) {
    throw new AppError('provider_unavailable', `the payment provider did not answer: ${err.message}`);
  }
  throw err;
}

/**
 * A Multibanco reference for the order: the live one again if there is one (never a second reference
 * for the same order while one is payable), else a new one valid until the order's end.
 * Holds the order's row lock during the provider call, so two clicks never make two references.
 * @throws AppError order_not_payable, provider_unavailable (503)
 */
export async function startMultibanco(deps: CentralDeps, orderId: string, ip: string | null): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const ctx = await loadOrder(tx, orderId, true);
    if (!ctx) throw new AppError('order_not_found', 'no such order');
    const until = requirePayable(ctx, now);
    const live = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(
        and(
          eq(payments.orderId, orderId),
          eq(payments.method, 'multibanco'),
          eq(payments.status, 'pending'),
          sql`${payments.expiresAt} > ${new Date(now + MIN_PAYABLE_MS)}`,
        ),
      );
    if (live.length > 0) {
      // The same reference again, made the latest attempt (the page shows the latest).
      await moveToFront(tx, live[0]!.id, now);
      return;
    }
    const issued = await deps.payments
      .createMultibanco({ orderRef: ctx.order.ref, amountCents: ctx.order.amountCents, expiresAt: until })
      .catch(providerFailure);
    const [p] = await tx
      .insert(payments)
      .values({
        id: uuidv7(),
        clinicId: ctx.clinic.id,
        orderId,
        provider: deps.payments.name,
        method: 'multibanco',
        providerRequestId: issued.requestId,
        status: 'pending',
        amountCents: ctx.order.amountCents,
        details: { entity: issued.entity, reference: issued.reference },
        createdAt: new Date(now),
        updatedAt: new Date(now),
        expiresAt: issued.expiresAt,
      })
      .returning();
    const o = await updateOrder(tx, orderId, { updatedAt: new Date(now) });
    await orderChanged(tx, deps, o, p);
    await writeAudit(tx, now, {
      actor: 'pay_link',
      action: 'payment.multibanco',
      entity: 'order',
      entityId: orderId,
      clinicId: ctx.clinic.id,
      ip,
      details: { paymentId: p!.id },
    });
  });
}

/** Makes an existing attempt the latest again (the page shows the latest attempt). */
async function moveToFront(tx: CentralTx, paymentId: string, nowMs: number): Promise<void> {
  await tx
    .update(payments)
    .set({ createdAt: new Date(nowMs) })
    .where(eq(payments.id, paymentId));
}

/**
 * Sends an MB WAY request to the patient's phone (again: "resend" makes a new request; an earlier one
 * that the patient still accepts is recorded and refunded, never lost).
 * @throws AppError phone_landline, phone_invalid, order_not_payable, provider_unavailable
 */
export async function startMbway(
  deps: CentralDeps,
  orderId: string,
  phoneInput: string,
  ip: string | null,
): Promise<void> {
  const phone = parseMbwayPhone(phoneInput);
  if (!phone.ok) throw new AppError(phone.code, phone.message);
  await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const ctx = await loadOrder(tx, orderId, true);
    if (!ctx) throw new AppError('order_not_found', 'no such order');
    requirePayable(ctx, now);
    const issued = await deps.payments
      .requestMbway({
        orderRef: ctx.order.ref,
        amountCents: ctx.order.amountCents,
        phone: phone.wire,
        description: `${ctx.clinic.name} ${ctx.order.ref}`.slice(0, 100),
        ...(ctx.account?.email ? { email: ctx.account.email } : {}),
      })
      .catch(providerFailure);
    const [p] = await tx
      .insert(payments)
      .values({
        id: uuidv7(),
        clinicId: ctx.clinic.id,
        orderId,
        provider: deps.payments.name,
        method: 'mbway',
        providerRequestId: issued.requestId,
        status: 'pending',
        amountCents: ctx.order.amountCents,
        details: { phoneMasked: maskPhone(phone.e164) },
        createdAt: new Date(now),
        updatedAt: new Date(now),
        expiresAt: issued.expiresAt,
      })
      .returning();
    const o = await updateOrder(tx, orderId, { updatedAt: new Date(now) });
    await orderChanged(tx, deps, o, p);
    await writeAudit(tx, now, {
      actor: 'pay_link',
      action: 'payment.mbway',
      entity: 'order',
      entityId: orderId,
      clinicId: ctx.clinic.id,
      ip,
      details: { paymentId: p!.id },
    });
  });
}

/**
 * Changes an appointment's status (bumping its version) and records the change in the feed, in `tx`.
 * @param why extra fields for the feed's payload (e.g. `{ reason: 'payment_expired' }`)
 */
async function setAppointmentStatus(
  tx: CentralTx,
  deps: CentralDeps,
  id: string,
  set: { status: 'confirmed' | 'cancelled'; cancelledBy?: 'system' | 'clinic' },
  why: Record<string, unknown>,
): Promise<void> {
  const [a] = await tx
    .update(appointments)
    .set({ ...set, updatedAt: new Date(deps.now()), version: sql`${appointments.version} + 1` })
    .where(eq(appointments.id, id))
    .returning();
  await recordChange(tx, deps.now(), {
    clinicId: a!.clinicId,
    entity: 'appointment',
    entityId: a!.id,
    op: 'update',
    version: a!.version,
    accountId: a!.accountId,
    payload: { status: a!.status, ...(set.cancelledBy ? { cancelledBy: set.cancelledBy } : {}), ...why },
  });
}

// ---------------------------------------------------------------------------------------------------
// Applying money

/** How a payment became known. */
type Source = 'callback' | 'poll' | 'desk';

/**
 * Applies "this payment was paid `amountCents` at `paidAt`" under the order's lock. Idempotent.
 * @returns what it concluded
 */
async function applyPaid(
  tx: CentralTx,
  deps: CentralDeps,
  paymentId: string,
  paid: { amountCents: number; paidAt: Date; source: Source },
): Promise<CallbackOutcome> {
  const now = new Date(deps.now());
  const [pre] = await tx.select().from(payments).where(eq(payments.id, paymentId));
  const ctx = await loadOrder(tx, pre!.orderId, true);
  const [p] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
  if (!p || !ctx) throw new Error(`payment ${paymentId} vanished`);
  if (p.status === 'paid' || p.status === 'refund_due' || p.status === 'refunded') return 'duplicate';
  const audit = (action: string, details: Record<string, unknown>) =>
    writeAudit(tx, deps.now(), {
      actor: `provider:${p.provider}`,
      action,
      entity: 'order',
      entityId: ctx.order.id,
      clinicId: ctx.clinic.id,
      details: { paymentId: p.id, source: paid.source, ...details },
    });
  if (paid.amountCents !== ctx.order.amountCents) {
    // A callback's amount is a claim: flag the attempt and leave it pending, so the poller asks the
    // provider (whose answer is authoritative). Money the provider confirms at another amount is
    // recorded for refund; either way the order is never paid on a wrong amount.
    const confirmed = paid.source !== 'callback';
    const [flagged] = await tx
      .update(payments)
      .set({
        flag: 'amount_mismatch',
        updatedAt: now,
        ...(confirmed ? { status: 'refund_due' as const, paidAt: paid.paidAt } : { lastPolledAt: null }),
      })
      .where(eq(payments.id, p.id))
      .returning();
    await orderChanged(tx, deps, await updateOrder(tx, ctx.order.id, { updatedAt: now }), flagged);
    await audit('payment.amount_mismatch', { reported: paid.amountCents, expected: ctx.order.amountCents });
    return 'amount_mismatch';
  }
  if (ctx.order.status !== 'pending') {
    const flag = ctx.order.status === 'paid' ? 'duplicate' : 'late';
    const [flagged] = await tx
      .update(payments)
      .set({ status: 'refund_due', flag, paidAt: paid.paidAt, updatedAt: now })
      .where(eq(payments.id, p.id))
      .returning();
    await orderChanged(tx, deps, await updateOrder(tx, ctx.order.id, { updatedAt: now }), flagged);
    await audit('payment.refund_due', { flag, orderStatus: ctx.order.status });
    return 'late';
  }
  const [done] = await tx
    .update(payments)
    .set({ status: 'paid', paidAt: paid.paidAt, updatedAt: now })
    .where(eq(payments.id, p.id))
    .returning();
  const order = await updateOrder(tx, ctx.order.id, { status: 'paid', paidAt: paid.paidAt, updatedAt: now });
  await orderChanged(tx, deps, order, done);
  if (ctx.appointment.status === 'awaiting_payment') {
    await setAppointmentStatus(tx, deps, ctx.appointment.id, { status: 'confirmed' }, { paid: true });
  }
  // Other pending attempts of this order are moot now; a late acceptance of one becomes refund_due.
  await tx
    .update(payments)
    .set({ status: 'expired', updatedAt: now })
    .where(and(eq(payments.orderId, ctx.order.id), eq(payments.status, 'pending')));
  await cancelAppointmentMessages(tx, ctx.appointment.id, ['pay_link']);
  // The invoice is numbered last: its series row lock (no-gap numbering) is then held only until commit,
  // so applies for one clinic queue on it as briefly as possible (bench:callbacks).
  const invoiceId = uuidv7();
  if (ctx.account?.email && ctx.account.emailVerified) {
    await enqueue(tx, deps.now(), {
      clinicId: ctx.clinic.id,
      accountId: ctx.account.id,
      appointmentId: ctx.appointment.id,
      channel: 'email',
      kind: 'invoice',
      recipient: ctx.account.email,
      dedupeKey: `invoice:${invoiceId}`,
      payload: { invoiceId },
    });
  }
  await audit('payment.paid', { invoiceId, method: p.method });
  const d = p.details as { reference?: string; entity?: string };
  await issueInvoice(
    tx,
    deps,
    { ...ctx, order },
    {
      method: p.method,
      paidAt: paid.paidAt,
      reference: d.reference ? `${d.entity} / ${d.reference}` : null,
    },
    invoiceId,
  );
  return 'applied';
}

/**
 * Records a callback delivery after checking its key (the route answers 200 right after); the work is
 * done by `processCallback`, called at once in the background and again by the job loop for any
 * delivery left unprocessed (e.g. a crash in between).
 * @throws AppError callback_key_invalid (403), validation_failed, not_found (another provider's route)
 */
export async function receiveCallback(
  deps: CentralDeps,
  providerName: string,
  params: URLSearchParams,
  ip: string | null,
): Promise<string> {
  if (providerName !== deps.payments.name) throw new AppError('not_found', `no provider ${providerName}`);
  const parsed = deps.payments.parseCallback(params);
  if (!parsed.ok) {
    await writeAudit(deps.db, deps.now(), {
      actor: `provider:${providerName}`,
      action: 'payment.callback_refused',
      entity: 'payment_callback',
      ip,
      details: { code: parsed.code },
    });
    throw new AppError(parsed.code, parsed.message);
  }
  const cb = parsed.callback;
  const kept: Record<string, string> = {};
  for (const [k, v] of params) if (k !== 'key' && k.length <= 40) kept[k] = v.slice(0, 200);
  const id = uuidv7();
  await deps.db.insert(paymentCallbacks).values({
    id,
    provider: providerName,
    requestId: cb.requestId,
    orderRef: cb.orderRef,
    amountCents: cb.amountCents,
    method: cb.method,
    paidAt: cb.paidAt,
    params: kept,
    receivedAt: new Date(deps.now()),
  });
  return id;
}

/**
 * Applies one recorded callback (once: a processed one is skipped). A callback for a request we do not
 * know, whose order ref names a pending order, pays that order through a payment row created for it.
 * @returns the outcome, or null when it was already processed
 */
export async function processCallback(
  deps: CentralDeps,
  callbackId: string,
): Promise<CallbackOutcome | null> {
  return deps.db.transaction(async (tx) => {
    const [cb] = await tx
      .select()
      .from(paymentCallbacks)
      .where(and(eq(paymentCallbacks.id, callbackId), isNull(paymentCallbacks.processedAt)))
      .for('update', { skipLocked: true });
    if (!cb) return null;
    let [p] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.provider, cb.provider), eq(payments.providerRequestId, cb.requestId)));
    if (!p && cb.orderRef) {
      const [o] = await tx.select().from(orders).where(eq(orders.ref, cb.orderRef));
      if (o) {
        [p] = await tx
          .insert(payments)
          .values({
            id: uuidv7(),
            clinicId: o.clinicId,
            orderId: o.id,
            provider: cb.provider,
            method: cb.method === 'mbway' || cb.method === 'multibanco' ? cb.method : 'link',
            providerRequestId: cb.requestId,
            status: 'pending',
            amountCents: o.amountCents,
            details: { entity: cb.params.entity, reference: cb.params.reference, adopted: true },
            createdAt: new Date(deps.now()),
            updatedAt: new Date(deps.now()),
          })
          .onConflictDoNothing()
          .returning();
        // A concurrent copy of this callback adopted it first (the insert waited for it, then did
        // nothing): that row is the payment, so this copy is a duplicate, not unmatched.
        if (!p) {
          [p] = await tx
            .select()
            .from(payments)
            .where(and(eq(payments.provider, cb.provider), eq(payments.providerRequestId, cb.requestId)));
        }
      }
    }
    const outcome: CallbackOutcome = p
      ? await applyPaid(tx, deps, p.id, {
          amountCents: cb.amountCents,
          paidAt: cb.paidAt,
          source: 'callback',
        })
      : 'unmatched';
    await tx
      .update(paymentCallbacks)
      .set({ outcome, processedAt: new Date(deps.now()), paymentId: p?.id ?? null })
      .where(eq(paymentCallbacks.id, cb.id));
    return outcome;
  });
}

/** Processes recorded callbacks left unprocessed (oldest first). @returns how many were processed */
export async function processPendingCallbacks(deps: CentralDeps, limit = 50): Promise<number> {
  const rows = await deps.db
    .select({ id: paymentCallbacks.id })
    .from(paymentCallbacks)
    .where(isNull(paymentCallbacks.processedAt))
    .orderBy(paymentCallbacks.receivedAt)
    .limit(limit);
  let n = 0;
  for (const r of rows) if ((await processCallback(deps, r.id)) !== null) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Jobs: the poller and expiry

/** How often a pending attempt is asked about when no callback came: MB WAY 5 s, others 60 s. */
export const POLL_EVERY_MS: Record<string, number> = { mbway: 5_000, multibanco: 60_000, link: 60_000 };

/**
 * Asks the provider about pending attempts whose callback has not come (MB WAY after 5 s, others after
 * 60 s, then at that interval) and applies what it says: paid → as a callback would; rejected or
 * expired → the attempt ends. Attempts past their expiry that the provider does not know end too.
 * @returns how many attempts changed
 */
export async function pollPending(deps: CentralDeps, limit = 50): Promise<number> {
  const now = deps.now();
  const dueBy = (cutoff: Date) =>
    and(
      lte(payments.createdAt, cutoff),
      or(isNull(payments.lastPolledAt), lte(payments.lastPolledAt, cutoff)),
    );
  const rows = await deps.db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.status, 'pending'),
        eq(payments.provider, deps.payments.name),
        inArray(payments.method, ['multibanco', 'mbway', 'link']),
        // Only attempts due now, so ones asked recently never take the places of those that are due.
        or(
          and(eq(payments.method, 'mbway'), dueBy(new Date(now - POLL_EVERY_MS.mbway!))),
          dueBy(new Date(now - POLL_EVERY_MS.multibanco!)),
        ),
      ),
    )
    // Never asked first (PostgreSQL sorts NULLs last by default), then the longest unasked.
    .orderBy(sql`${payments.lastPolledAt} ASC NULLS FIRST`, payments.createdAt)
    .limit(limit);
  let changed = 0;
  for (const p of rows) {
    const every = POLL_EVERY_MS[p.method] ?? 60_000;
    if (p.lastPolledAt && p.lastPolledAt.getTime() > now - every) continue;
    if (!p.providerRequestId) continue;
    const [o] = await deps.db.select({ ref: orders.ref }).from(orders).where(eq(orders.id, p.orderId));
    let status;
    try {
      status = await deps.payments.queryStatus({
        method: p.method as ProviderMethod,
        requestId: p.providerRequestId,
        orderRef: o!.ref,
      });
    } catch (err) {
      console.error(
        JSON.stringify({
          level: 'warn',
          event: 'payments.poll_failed',
          paymentId: p.id,
          message: (err as Error).message,
        }),
      );
      continue;
    }
    const did = await deps.db.transaction(async (tx) => {
      await tx
        .update(payments)
        .set({ lastPolledAt: new Date(now) })
        .where(eq(payments.id, p.id));
      if (status.status === 'paid') {
        const outcome = await applyPaid(tx, deps, p.id, {
          amountCents: status.amountCents ?? p.amountCents,
          paidAt: status.paidAt ?? new Date(now),
          source: 'poll',
        });
        return outcome !== 'duplicate';
      }
      const ended =
        status.status === 'rejected' ||
        status.status === 'expired' ||
        (status.status === 'unknown' && p.expiresAt !== null && p.expiresAt.getTime() <= now);
      if (!ended) return false;
      const [row] = await tx
        .update(payments)
        .set({ status: status.status === 'rejected' ? 'rejected' : 'expired', updatedAt: new Date(now) })
        .where(and(eq(payments.id, p.id), eq(payments.status, 'pending')))
        .returning();
      if (row) {
        const order = await updateOrder(tx, p.orderId, { updatedAt: new Date(now) });
        await orderChanged(tx, deps, order, row);
      }
      return row !== undefined;
    });
    if (did) changed++;
  }
  return changed;
}

/**
 * Expires unpaid orders whose time has passed: the order 'expired', its appointment (still awaiting
 * payment) cancelled by the system so the slot is free again, pending attempts ended, its pending
 * messages cancelled. A payment that arrives later is recorded for refund (applyPaid).
 * @returns the ids of the orders expired
 */
export async function expireOrders(deps: CentralDeps, limit = 100): Promise<string[]> {
  const now = new Date(deps.now());
  const due = await deps.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'pending'), lte(orders.expiresAt, now)))
    .limit(limit);
  const done: string[] = [];
  for (const { id } of due) {
    await deps.db.transaction(async (tx) => {
      const ctx = await loadOrder(tx, id, true);
      if (!ctx || ctx.order.status !== 'pending' || !ctx.order.expiresAt || ctx.order.expiresAt > now) return;
      const order = await updateOrder(tx, id, { status: 'expired', updatedAt: now });
      await orderChanged(tx, deps, order);
      await tx
        .update(payments)
        .set({ status: 'expired', updatedAt: now })
        .where(and(eq(payments.orderId, id), eq(payments.status, 'pending')));
      if (ctx.appointment.status === 'awaiting_payment') {
        await setAppointmentStatus(
          tx,
          deps,
          ctx.appointment.id,
          { status: 'cancelled', cancelledBy: 'system' },
          { reason: 'payment_expired' },
        );
      }
      await cancelAppointmentMessages(tx, ctx.appointment.id);
      await writeAudit(tx, deps.now(), {
        actor: 'system',
        action: 'order.expired',
        entity: 'order',
        entityId: id,
        clinicId: ctx.clinic.id,
      });
      done.push(id);
    });
  }
  return done;
}

// ---------------------------------------------------------------------------------------------------
// Reconciliation and refunds

/** One line of the reconciliation report that needs a person. */
export interface Mismatch {
  kind:
    | 'paid_at_provider_not_here'
    | 'refund_due'
    | 'amount_mismatch'
    | 'unmatched_callback'
    | 'provider_unreachable';
  orderId: string | null;
  orderRef: string | null;
  paymentId: string | null;
  requestId: string | null;
  amountCents: number | null;
  detail: string;
}

/** The reconciliation report: counts of our orders by status, and everything that does not add up. */
export interface ReconciliationReport {
  generatedAt: string;
  orders: Record<string, number>;
  paymentsChecked: number;
  mismatches: Mismatch[];
}

/**
 * Compares our orders and payments with the provider: asks about every attempt still pending or ended
 * without payment in the last `days` days (paid at the provider but not here is a mismatch), and lists
 * money to refund, amount mismatches and callbacks that matched nothing.
 */
export async function reconciliation(deps: CentralDeps, days = 30): Promise<ReconciliationReport> {
  const now = deps.now();
  const since = new Date(now - days * 86_400_000);
  const counts = await deps.db
    .select({ status: orders.status, n: sql<number>`count(*)::int` })
    .from(orders)
    .where(sql`${orders.createdAt} >= ${since}`)
    .groupBy(orders.status);
  const mismatches: Mismatch[] = [];
  const open = await deps.db
    .select({ p: payments, ref: orders.ref })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        inArray(payments.status, ['pending', 'expired', 'rejected']),
        eq(payments.provider, deps.payments.name),
        sql`${payments.createdAt} >= ${since}`,
      ),
    );
  for (const { p, ref } of open) {
    if (!p.providerRequestId) continue;
    try {
      const s = await deps.payments.queryStatus({
        method: p.method as ProviderMethod,
        requestId: p.providerRequestId,
        orderRef: ref,
      });
      if (s.status === 'paid') {
        mismatches.push({
          kind: 'paid_at_provider_not_here',
          orderId: p.orderId,
          orderRef: ref,
          paymentId: p.id,
          requestId: p.providerRequestId,
          amountCents: s.amountCents ?? p.amountCents,
          detail: `the provider says paid; here the attempt is ${p.status}`,
        });
      }
    } catch (err) {
      mismatches.push({
        kind: 'provider_unreachable',
        orderId: p.orderId,
        orderRef: ref,
        paymentId: p.id,
        requestId: p.providerRequestId,
        amountCents: null,
        detail: (err as Error).message,
      });
    }
  }
  const due = await deps.db
    .select({ p: payments, ref: orders.ref })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(or(eq(payments.status, 'refund_due'), eq(payments.flag, 'amount_mismatch')));
  for (const { p, ref } of due) {
    if (p.status === 'refunded' || p.status === 'paid') continue;
    mismatches.push({
      kind: p.flag === 'amount_mismatch' ? 'amount_mismatch' : 'refund_due',
      orderId: p.orderId,
      orderRef: ref,
      paymentId: p.id,
      requestId: p.providerRequestId,
      amountCents: p.amountCents,
      detail:
        p.status === 'refund_due'
          ? `money received (${p.flag ?? 'flagged'}); refund it`
          : 'a callback reported another amount; the provider has not confirmed a payment',
    });
  }
  // Paid orders whose appointment was cancelled (by the patient, within policy): the money goes back.
  const paidCancelled = await deps.db
    .select({ o: orders })
    .from(orders)
    .innerJoin(appointments, eq(appointments.id, orders.appointmentId))
    .where(and(eq(orders.status, 'paid'), eq(appointments.status, 'cancelled')));
  for (const { o } of paidCancelled) {
    mismatches.push({
      kind: 'refund_due',
      orderId: o.id,
      orderRef: o.ref,
      paymentId: null,
      requestId: null,
      amountCents: o.amountCents,
      detail: 'paid, and the appointment was cancelled; refund it (POST /api/admin/refunds)',
    });
  }
  const unmatched = await deps.db
    .select()
    .from(paymentCallbacks)
    .where(eq(paymentCallbacks.outcome, 'unmatched'));
  for (const cb of unmatched) {
    mismatches.push({
      kind: 'unmatched_callback',
      orderId: null,
      orderRef: cb.orderRef,
      paymentId: null,
      requestId: cb.requestId,
      amountCents: cb.amountCents,
      detail: `a ${cb.method} callback that matches no request or order`,
    });
  }
  return {
    generatedAt: new Date(now).toISOString(),
    orders: Object.fromEntries(counts.map((c) => [c.status, c.n])),
    paymentsChecked: open.length,
    mismatches,
  };
}

/**
 * Records that money was given back: a paid order becomes 'refunded' with a credit note (emailed), and
 * its appointment is cancelled by the clinic if still upcoming; a 'refund_due' payment becomes
 * 'refunded'. The refund itself is made in the provider's back office (or at the desk).
 * @param target `{ orderId }` to refund a paid order, `{ paymentId }` to settle a refund-due payment
 * @throws AppError order_not_found, payment_not_found, refund_not_allowed
 */
export async function recordRefund(
  deps: CentralDeps,
  target: { orderId: string } | { paymentId: string },
  reason: string,
  actor: Actor,
): Promise<{ creditNote: string | null }> {
  return deps.db.transaction(async (tx) => {
    const now = new Date(deps.now());
    if ('paymentId' in target) {
      const [p] = await tx.select().from(payments).where(eq(payments.id, target.paymentId)).for('update');
      if (!p) throw new AppError('payment_not_found', 'no such payment');
      if (p.status !== 'refund_due') throw new AppError('refund_not_allowed', `the payment is ${p.status}`);
      await tx.update(payments).set({ status: 'refunded', updatedAt: now }).where(eq(payments.id, p.id));
      await writeAudit(tx, deps.now(), {
        actor,
        action: 'payment.refunded',
        entity: 'order',
        entityId: p.orderId,
        clinicId: p.clinicId,
        details: { paymentId: p.id, reason },
      });
      return { creditNote: null };
    }
    const ctx = await loadOrder(tx, target.orderId, true);
    if (!ctx) throw new AppError('order_not_found', 'no such order');
    if (ctx.order.status !== 'paid')
      throw new AppError('refund_not_allowed', `the order is ${ctx.order.status}`);
    const [p] = await tx
      .update(payments)
      .set({ status: 'refunded', updatedAt: now })
      .where(and(eq(payments.orderId, ctx.order.id), eq(payments.status, 'paid')))
      .returning();
    const order = await updateOrder(tx, ctx.order.id, { status: 'refunded', updatedAt: now });
    await orderChanged(tx, deps, order, p);
    const invoice = await invoiceOfOrder(tx, ctx.order.id);
    const credit = invoice ? await issueCreditNote(tx, deps, invoice, reason) : null;
    if (
      ['confirmed', 'awaiting_payment'].includes(ctx.appointment.status) &&
      ctx.appointment.startsAt.getTime() > now.getTime()
    ) {
      await setAppointmentStatus(
        tx,
        deps,
        ctx.appointment.id,
        { status: 'cancelled', cancelledBy: 'clinic' },
        { reason: 'refunded' },
      );
      await cancelAppointmentMessages(tx, ctx.appointment.id);
    }
    if (credit && ctx.account?.email && ctx.account.emailVerified) {
      await enqueue(tx, deps.now(), {
        clinicId: ctx.clinic.id,
        accountId: ctx.account.id,
        appointmentId: ctx.appointment.id,
        channel: 'email',
        kind: 'credit_note',
        recipient: ctx.account.email,
        dedupeKey: `invoice:${credit.id}`,
        payload: { invoiceId: credit.id },
      });
    }
    await writeAudit(tx, deps.now(), {
      actor,
      action: 'order.refunded',
      entity: 'order',
      entityId: ctx.order.id,
      clinicId: ctx.clinic.id,
      details: { reason, creditNote: credit?.number ?? null },
    });
    return { creditNote: credit?.number ?? null };
  });
}
