/**
 * The payment-callback benchmark's data and load plan:
 * - `seedPayOnlineOrders`: a pay-online clinic (the central bench clinic's catalogue with
 *   `paymentMode: 'pay_online'`) and `n` appointments awaiting payment, each with a verified patient, a
 *   pending order and a pending Multibanco payment of provider 'sandbox' with its request id, entity and
 *   reference (check digits right for the amount), written in bulk with the Drizzle schema in one
 *   transaction: the rows `startMultibanco` would have left, without the provider round trips.
 * - `callbackPlan`: the order of deliveries (each order once, plus repeats; some right after their first
 *   delivery, the others later), seeded.
 * - `callbackPath`: one delivery as the sandbox sends it (ifthenpay's GET format, see
 *   server/central/payments/sandbox.ts `callbackParams`).
 */
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { CentralDb } from '../../server/central/db/database.ts';
import { accounts, appointments, orders, payments } from '../../server/central/db/schema.ts';
import { insertClinicCatalogue } from '../../server/central/features/catalog/repo.ts';
import { newOrderRef } from '../../server/central/features/payments/orders.ts';
import { centsToCallbackAmount } from '../../server/central/payments/sandbox.ts';
import { multibancoReference } from '../../server/domain/payments/multibanco.ts';
import { buildBenchClinic, mulberry32, shuffle, type ClinicShape } from './central-clinic.ts';

/** The sandbox's default Multibanco entity. */
export const BENCH_ENTITY = '12345';

/** One seeded order as its callback names it. */
export interface SeededOrder {
  orderId: string;
  ref: string;
  paymentId: string;
  requestId: string;
  entity: string;
  reference: string;
  amountCents: number;
  /** When the patient paid (ISO-8601 UTC, ms): the callback's `payment_datetime`. */
  paidAt: string;
}

async function insertChunks<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Writes the pay-online clinic and `n` orders awaiting payment (see the module comment).
 * @param shape the clinic's shape; its weeks and bookedShare must give at least `n` sessions
 * @param firstDate the first Monday of the appointments ('YYYY-MM-DD')
 * @throws Error when the shape gives fewer than `n` sessions
 */
export async function seedPayOnlineOrders(
  db: CentralDb,
  shape: ClinicShape,
  firstDate: string,
  n: number,
  nowMs: number,
): Promise<SeededOrder[]> {
  const now = new Date(nowMs);
  const clinic = buildBenchClinic(shape, firstDate, nowMs);
  if (clinic.appointments.length < n) {
    throw new Error(`the clinic shape gives ${clinic.appointments.length} sessions; ${n} are needed`);
  }
  const catalogue = {
    ...clinic.catalogue,
    clinic: {
      ...clinic.catalogue.clinic,
      paymentMode: 'pay_online' as const,
      nif: '501964843',
      legalName: 'Clínica de Benchmark, Lda.',
    },
  };
  const clinicId = catalogue.clinic.id;
  const expiresAt = new Date(nowMs + 48 * 3_600_000);
  const accountRows = Array.from({ length: n }, (_, i) => ({
    id: uuidv7(),
    email: `pagador-${i}@example.com`,
    emailVerifiedAt: now,
    name: `Utente Pagador ${i}`,
    phone: '+351912345678',
    locale: 'pt' as const,
    createdAt: now,
    updatedAt: now,
  }));
  const appointmentRows = clinic.appointments.slice(0, n).map((a, i) => ({
    ...a,
    accountId: accountRows[i]!.id,
    status: 'awaiting_payment' as const,
    paymentMode: 'pay_online' as const,
  }));
  const refs = new Set<string>();
  const orderRows = appointmentRows.map((a) => {
    let ref: string;
    do ref = newOrderRef();
    while (refs.has(ref));
    refs.add(ref);
    return {
      id: uuidv7(),
      clinicId,
      appointmentId: a.id,
      accountId: a.accountId,
      amountCents: shape.priceCents,
      vatRateBp: 0,
      vatExemption: catalogue.clinic.vatExemption,
      status: 'pending' as const,
      createdAt: now,
      updatedAt: now,
      version: 1,
      ref,
      expiresAt,
    };
  });
  const references = new Set<string>();
  const seeded: SeededOrder[] = [];
  const paymentRows = orderRows.map((o, i) => {
    let reference: string;
    do {
      const first7 = String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0');
      reference = multibancoReference(BENCH_ENTITY, first7, o.amountCents);
    } while (references.has(reference));
    references.add(reference);
    const row = {
      id: uuidv7(),
      clinicId,
      orderId: o.id,
      provider: 'sandbox',
      method: 'multibanco' as const,
      providerRequestId: `sbx_${randomBytes(8).toString('hex')}`,
      status: 'pending' as const,
      amountCents: o.amountCents,
      details: { entity: BENCH_ENTITY, reference },
      createdAt: now,
      updatedAt: now,
      expiresAt,
    };
    seeded.push({
      orderId: o.id,
      ref: o.ref,
      paymentId: row.id,
      requestId: row.providerRequestId,
      entity: BENCH_ENTITY,
      reference,
      amountCents: o.amountCents,
      // Paid in the last hour, a second apart (the same instant on every delivery of one order).
      paidAt: new Date(nowMs - 3_600_000 + i * 1000).toISOString(),
    });
    return row;
  });
  await db.transaction(async (tx) => {
    await insertClinicCatalogue(tx, catalogue);
    await insertChunks(accountRows, 500, (c) => tx.insert(accounts).values(c));
    await insertChunks(appointmentRows, 500, (c) => tx.insert(appointments).values(c));
    await insertChunks(orderRows, 500, (c) => tx.insert(orders).values(c));
    await insertChunks(paymentRows, 500, (c) => tx.insert(payments).values(c));
  });
  return seeded;
}

/** One delivery of the plan: the order's index and which delivery of it this is (0 = the first). */
export interface PlannedDelivery {
  order: number;
  copy: number;
  /** Repeats only: placed right after the first delivery (sent while it is in flight). */
  adjacent: boolean;
}

/**
 * The order of deliveries: the `orders` first deliveries shuffled; `repeats` distinct orders (drawn at
 * random) delivered once more, the first `adjacent` of them right after their first delivery, the
 * others at a random position after it. Deterministic for a seed.
 * @throws RangeError when repeats > orders or adjacent > repeats
 */
export function callbackPlan(
  orders: number,
  repeats: number,
  adjacent: number,
  seed: number,
): PlannedDelivery[] {
  if (repeats > orders || adjacent > repeats) throw new RangeError('repeats ≤ orders and adjacent ≤ repeats');
  const random = mulberry32(seed);
  const plan: PlannedDelivery[] = shuffle(
    Array.from({ length: orders }, (_, i) => i),
    random,
  ).map((order) => ({ order, copy: 0, adjacent: false }));
  const repeated = shuffle(
    Array.from({ length: orders }, (_, i) => i),
    random,
  ).slice(0, repeats);
  repeated.forEach((order, k) => {
    const first = plan.findIndex((d) => d.order === order && d.copy === 0);
    const isAdjacent = k < adjacent;
    const at = isAdjacent ? first + 1 : first + 1 + Math.floor(random() * (plan.length - first));
    plan.splice(at, 0, { order, copy: 1, adjacent: isAdjacent });
  });
  return plan;
}

/** The GET path of one delivery of `o`'s callback, in the sandbox's parameter order. */
export function callbackPath(o: SeededOrder, key: string, provider = 'sandbox'): string {
  const p = new URLSearchParams();
  p.set('key', key);
  p.set('orderId', o.ref);
  p.set('amount', centsToCallbackAmount(o.amountCents));
  p.set('requestId', o.requestId);
  p.set('entity', o.entity);
  p.set('reference', o.reference);
  p.set('payment_datetime', o.paidAt);
  p.set('method', 'multibanco');
  return `/api/payments/callbacks/${provider}?${p.toString()}`;
}
