/**
 * Invoice numbering and immutability on each driver (migration 0020's triggers and invoicing.ts):
 * 20 invoices issued at once (concurrent transactions on PostgreSQL, one after another on PGlite) are
 * FR 2026/1..20 with no gap or duplicate; a rolled-back issuer gives its number back; the trigger refuses
 * a number other than the next, any DELETE, and any change to an issued document's numbered fields, but
 * lets the provider's id, ATCUD and issue time be recorded; a new Lisbon year starts at 1; a credit note
 * (NC) refers to its invoice, once; the builtin provider's PDF marks the invoice issued.
 */
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { clinics, invoiceSeries, invoices } from '../../db/schema.ts';
import { sqlState } from '../../db/sql-state.ts';
import { insertHold } from '../booking/repo.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, seedClinic } from '../../testing/fixtures.ts';
import {
  CREDIT_NOTE_SERIES,
  documentOf,
  invoiceById,
  invoiceOfOrder,
  invoicePdf,
  issueCreditNote,
  issueInvoice,
} from './invoicing.ts';
import { createOrder, loadOrder, type OrderContext } from './orders.ts';

const NOW = '2026-11-23T09:00:00.000Z';
const PAID = { method: 'multibanco', paidAt: new Date(NOW), reference: '12345 / 123456789' };
let day = 0;

/** `n` confirmed appointments (one a day, Marta at 10:00) with their pending orders. */
async function makeOrders(t: TestCentral, n: number): Promise<OrderContext[]> {
  const ids = await t.deps.db.transaction(async (tx) => {
    const [clinic] = await tx.select().from(clinics).where(eq(clinics.id, DEMO_CLINIC.id));
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const startsAt = new Date(Date.parse('2026-12-01T10:00:00Z') + day++ * 86_400_000);
      const endsAt = new Date(startsAt.getTime() + 45 * 60_000);
      const a = await insertHold(tx, {
        id: uuidv7(),
        clinicId: DEMO_CLINIC.id,
        practitionerId: DEMO_PRACTITIONERS[0]!.id,
        accountId: null,
        specialty: 'msk_physio',
        startsAt,
        endsAt,
        blockedUntil: endsAt,
        status: 'confirmed',
        holdExpiresAt: null,
        priceCents: 4500,
        paymentMode: 'pay_at_clinic',
        createdAt: new Date(t.deps.now()),
        updatedAt: new Date(t.deps.now()),
      });
      out.push(await createOrder(tx, t.deps, { clinic: clinic!, appointment: a, accountId: null }));
    }
    return out;
  });
  return Promise.all(ids.map(async (id) => (await loadOrder(t.deps.db, id))!));
}

function issue(t: TestCentral, ctx: OrderContext) {
  return t.deps.db.transaction(async (tx) => issueInvoice(tx, t.deps, ctx, PAID));
}

/** [series, year, seq, number] of every document, in numbering order. */
async function numbers(t: TestCentral, series = 'FR', year = 2026) {
  const rows = await t.deps.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.series, series), eq(invoices.year, year)))
    .orderBy(invoices.seq);
  return rows.map((r) => r.number);
}

/** How a database statement failed: its SQLSTATE and the driver's message (Drizzle wraps it in `cause`). */
async function dbError(p: PromiseLike<unknown>): Promise<[string | undefined, string]> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return [sqlState(err), (e.cause ?? e).message];
  }
  throw new Error('the statement succeeded');
}

const range = (from: number, to: number, prefix = 'FR 2026/') =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

describeDrivers('invoicing', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
    await seedClinic(t, 'pay_online');
  });
  afterAll(async () => t.close());
  beforeEach(() => t.clock.set(NOW));

  it('numbers 20 invoices issued at once FR 2026/1..20, no gaps, no duplicates', async () => {
    const orders = await makeOrders(t, 20);
    const rows =
      driver === 'postgres'
        ? await Promise.all(orders.map((ctx) => issue(t, ctx)))
        : await orders.reduce<Promise<Awaited<ReturnType<typeof issue>>[]>>(
            async (acc, ctx) => [...(await acc), await issue(t, ctx)],
            Promise.resolve([]),
          );
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(range(1, 20).map((_, i) => i + 1));
    expect(await numbers(t)).toEqual(range(1, 20));
    for (const r of rows) {
      expect(r).toMatchObject({
        kind: 'invoice',
        series: 'FR',
        year: 2026,
        totalCents: 4500,
        provider: 'builtin',
      });
      expect(r.number).toBe(`FR 2026/${r.seq}`);
      const doc = documentOf(r);
      expect(doc).toMatchObject({
        kind: 'invoice',
        number: r.number,
        sequence: r.seq,
        totalCents: 4500,
        netCents: 4500,
        vatCents: 0,
        refersTo: null,
        buyer: { name: 'Consumidor final', nif: '999999990', address: null },
        issuer: { name: 'Clínica Fisio Demo, Lda.', nif: '501964843' },
        payment: { method: 'Multibanco (referência)', reference: '12345 / 123456789' },
      });
      expect(doc.issuedAt.toISOString()).toBe(NOW);
    }
    const [series] = await t.deps.db
      .select()
      .from(invoiceSeries)
      .where(
        and(
          eq(invoiceSeries.clinicId, DEMO_CLINIC.id),
          eq(invoiceSeries.series, 'FR'),
          eq(invoiceSeries.year, 2026),
        ),
      );
    expect(series!.lastSeq).toBe(20);
    // Issuing again for the same order answers the same invoice, with no new number.
    expect((await issue(t, orders[0]!)).id).toBe(rows[0]!.id);
    expect(await numbers(t)).toEqual(range(1, 20));
  });

  it('a rolled-back issuer gives its number back', async () => {
    const [a, b] = await makeOrders(t, 2);
    const before = (await numbers(t)).length;
    await expect(
      t.deps.db.transaction(async (tx) => {
        const inv = await issueInvoice(tx, t.deps, a!, PAID);
        expect(inv.seq).toBe(before + 1);
        throw new Error('the payment transaction failed after numbering');
      }),
    ).rejects.toThrow('the payment transaction failed after numbering');
    expect(await invoiceOfOrder(t.deps.db, a!.order.id)).toBeUndefined();
    const next = await issue(t, b!);
    expect(next.number).toBe(`FR 2026/${before + 1}`);
    expect(await numbers(t)).toEqual(range(1, before + 1));
  });

  it('the trigger refuses a number other than the next, and keeps the series intact', async () => {
    const [ctx] = await makeOrders(t, 1);
    const max = (await numbers(t)).length;
    const raw = (seq: number) =>
      t.deps.db.insert(invoices).values({
        id: uuidv7(),
        clinicId: DEMO_CLINIC.id,
        orderId: ctx!.order.id,
        kind: 'invoice',
        series: 'FR',
        year: 2026,
        seq,
        number: `FR 2026/${seq}`,
        refersTo: null,
        document: {},
        totalCents: 4500,
        issuedAt: new Date(NOW),
        provider: 'builtin',
      });
    const next = `(${max + 1})`;
    expect(await dbError(raw(max + 2))).toEqual([
      '23514',
      `invoice number ${max + 2} of series ${DEMO_CLINIC.id} FR/2026 is not the next one ${next}`,
    ]);
    expect(await dbError(raw(max))).toEqual([
      '23514',
      `invoice number ${max} of series ${DEMO_CLINIC.id} FR/2026 is not the next one ${next}`,
    ]);
    expect((await dbError(raw(1)))[0]).toBe('23514');
    expect(await numbers(t)).toEqual(range(1, max));
    // The failed statements took no number.
    expect((await issue(t, ctx!)).number).toBe(`FR 2026/${max + 1}`);
  });

  it('an issued invoice is never deleted and its numbered fields never change; provider fields may be set', async () => {
    const [ctx] = await makeOrders(t, 1);
    const inv = await issue(t, ctx!);
    expect(await dbError(t.deps.db.delete(invoices).where(eq(invoices.id, inv.id)))).toEqual([
      '23514',
      'invoices are never deleted',
    ]);
    const refused: Partial<typeof invoices.$inferInsert>[] = [
      { number: 'FR 2026/999' },
      { seq: 999 },
      { totalCents: 1 },
      { document: { ...(inv.document as Record<string, unknown>), totalCents: 1 } },
      { issuedAt: new Date('2026-01-01T00:00:00Z') },
      { orderId: uuidv7() },
    ];
    for (const set of refused) {
      expect(await dbError(t.deps.db.update(invoices).set(set).where(eq(invoices.id, inv.id)))).toEqual([
        '23514',
        'an issued invoice does not change',
      ]);
    }
    const [after] = await t.deps.db
      .update(invoices)
      .set({
        externalId: 'ix-123',
        atcud: 'JJ3ABCDE-7',
        providerIssuedAt: new Date('2026-11-23T09:05:00Z'),
      })
      .where(eq(invoices.id, inv.id))
      .returning();
    expect(after).toMatchObject({
      externalId: 'ix-123',
      atcud: 'JJ3ABCDE-7',
      number: inv.number,
      totalCents: 4500,
    });
    expect(after!.providerIssuedAt!.toISOString()).toBe('2026-11-23T09:05:00.000Z');
    expect(documentOf(after!).atcud).toBe('JJ3ABCDE-7');
    expect((await invoiceById(t.deps.db, inv.id))!.document).toEqual(inv.document);
  });

  it('a new Lisbon year starts at 1', async () => {
    const [late2026, first2027, second2027] = await makeOrders(t, 3);
    const max = (await numbers(t)).length;
    t.clock.set('2026-12-31T23:59:59.000Z'); // still 2026 in Lisbon (UTC+0 in winter)
    expect((await issue(t, late2026!)).number).toBe(`FR 2026/${max + 1}`);
    t.clock.set('2027-01-01T00:30:00.000Z');
    const a = await issue(t, first2027!);
    const b = await issue(t, second2027!);
    expect([a.number, a.year, a.seq, b.number]).toEqual(['FR 2027/1', 2027, 1, 'FR 2027/2']);
    expect(documentOf(a).issuedAt.toISOString()).toBe('2027-01-01T00:30:00.000Z');
    expect(await numbers(t, 'FR', 2027)).toEqual(['FR 2027/1', 'FR 2027/2']);
  });

  it('a credit note NC 2026/1 refers to its invoice, once', async () => {
    const [ctx] = await makeOrders(t, 1);
    const inv = await issue(t, ctx!);
    t.clock.set('2026-11-24T12:00:00.000Z');
    const nc = await t.deps.db.transaction((tx) => issueCreditNote(tx, t.deps, inv, 'Consulta cancelada'));
    expect(nc).toMatchObject({
      kind: 'credit_note',
      series: CREDIT_NOTE_SERIES,
      year: 2026,
      seq: 1,
      number: 'NC 2026/1',
      refersTo: inv.id,
      orderId: ctx!.order.id,
      totalCents: 4500,
    });
    const doc = documentOf(nc);
    expect(doc).toMatchObject({
      kind: 'credit_note',
      series: 'NC',
      sequence: 1,
      number: 'NC 2026/1',
      refersTo: inv.number,
      reason: 'Consulta cancelada',
      payment: null,
      totalCents: 4500,
    });
    expect(doc.issuedAt.toISOString()).toBe('2026-11-24T12:00:00.000Z');
    // Again: the same note, no new number.
    const again = await t.deps.db.transaction((tx) => issueCreditNote(tx, t.deps, inv, 'outra vez'));
    expect(again.id).toBe(nc.id);
    expect(await numbers(t, 'NC')).toEqual(['NC 2026/1']);
    // A second credit note for the same invoice is refused by the database too.
    const dup = await dbError(
      t.deps.db.transaction(async (tx) => {
        await tx.insert(invoices).values({
          id: uuidv7(),
          clinicId: DEMO_CLINIC.id,
          orderId: ctx!.order.id,
          kind: 'credit_note',
          series: 'NC',
          year: 2026,
          seq: 2,
          number: 'NC 2026/2',
          refersTo: inv.id,
          document: {},
          totalCents: 4500,
          issuedAt: new Date(NOW),
          provider: 'builtin',
        });
      }),
    );
    // Taken by the trigger first (seq 2 is the next NC number), then refused by the unique index.
    expect(dup[0]).toBe('23505');
    expect(dup[1]).toContain('invoices_one_credit_per_invoice');
    expect(await numbers(t, 'NC')).toEqual(['NC 2026/1']);
  });

  it('invoicePdf (builtin) returns a PDF and marks the invoice issued by the provider', async () => {
    const [ctx] = await makeOrders(t, 1);
    const inv = await issue(t, ctx!);
    expect(inv.providerIssuedAt).toBeNull();
    t.clock.set('2026-11-23T09:10:00.000Z');
    const pdf = await invoicePdf(t.deps, inv);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const marked = (await invoiceById(t.deps.db, inv.id))!;
    expect(marked.providerIssuedAt!.toISOString()).toBe('2026-11-23T09:10:00.000Z');
    expect([marked.externalId, marked.atcud]).toEqual([null, null]);
    // Again (from the stale row too): the same bytes, the first issue time kept.
    t.clock.set('2026-11-23T09:20:00.000Z');
    expect((await invoicePdf(t.deps, inv)).equals(pdf)).toBe(true);
    expect((await invoicePdf(t.deps, marked)).equals(pdf)).toBe(true);
    expect((await invoiceById(t.deps.db, inv.id))!.providerIssuedAt!.toISOString()).toBe(
      '2026-11-23T09:10:00.000Z',
    );
  });

  it('two concurrent first PDF requests have the provider issue the document once', async () => {
    const [ctx] = await makeOrders(t, 1);
    const inv = await issue(t, ctx!);
    const builtin = t.deps.invoicing;
    let issues = 0;
    t.deps.invoicing = {
      ...builtin,
      async issue(doc) {
        issues++;
        // A certified provider answers over the network: long enough for the other request to arrive.
        await new Promise((r) => setTimeout(r, 50));
        return { ...(await builtin.issue(doc)), externalId: `ext-${issues}`, atcud: `ATCUD-${issues}` };
      },
    };
    try {
      const [a, b] = await Promise.all([invoicePdf(t.deps, inv), invoicePdf(t.deps, inv)]);
      expect(issues).toBe(1);
      expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(b.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(await invoiceById(t.deps.db, inv.id)).toMatchObject({ externalId: 'ext-1', atcud: 'ATCUD-1' });
    } finally {
      t.deps.invoicing = builtin;
    }
  });
});
