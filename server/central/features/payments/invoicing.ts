/**
 * Our books' invoices (fatura-recibo, series per clinic, default 'FR') and credit notes (series 'NC'):
 * numbered in the paying transaction with no gaps (the `invoices_number` trigger of migration 0020 takes
 * the next number under the series row lock and refuses any other), frozen as an `InvoiceDocument` in
 * the row, and turned into the patient's PDF by the invoicing provider when the email goes out. Which
 * provider is active (builtin PDF, not certified; or InvoiceXpress, AT-certified) is `deps.invoicing`.
 */
import { TZDate } from '@date-fns/tz';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import { invoiceSeries, invoices } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import type { InvoiceDocument } from '../../invoices/document.ts';
import { FINAL_CONSUMER_NIF } from '../../../domain/payments/dto.ts';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../../domain/specialties.ts';
import { splitVat, type OrderContext } from './orders.ts';

/** An invoice row. */
export type InvoiceRow = typeof invoices.$inferSelect;

/** Series of credit notes. */
export const CREDIT_NOTE_SERIES = 'NC';

/** Payment method names printed on invoices (PT). */
const METHOD_LABEL: Record<string, string> = {
  multibanco: 'Multibanco (referência)',
  mbway: 'MB WAY',
  link: 'Pagamento online',
  desk_cash: 'Numerário',
  desk_card: 'Multibanco (TPA)',
};

/** The year of an instant in Lisbon (invoice series are per calendar year). */
function lisbonYear(at: Date): number {
  return new TZDate(at.getTime(), 'Europe/Lisbon').getFullYear();
}

/** Takes the next number of a series under its row lock (the trigger checks it and advances). */
async function nextSeq(tx: CentralTx, clinicId: string, series: string, year: number): Promise<number> {
  await tx.insert(invoiceSeries).values({ clinicId, series, year, lastSeq: 0 }).onConflictDoNothing();
  const [row] = await tx
    .select({ lastSeq: invoiceSeries.lastSeq })
    .from(invoiceSeries)
    .where(
      and(
        eq(invoiceSeries.clinicId, clinicId),
        eq(invoiceSeries.series, series),
        eq(invoiceSeries.year, year),
      ),
    )
    .for('update');
  return row!.lastSeq + 1;
}

/** JSON form of a document (dates as ISO strings) for the `document` column. */
function toJson(doc: InvoiceDocument): Record<string, unknown> {
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
}

/** A stored document back as an `InvoiceDocument` (dates revived), with the ATCUD the provider gave. */
export function documentOf(row: InvoiceRow): InvoiceDocument {
  const d = row.document as unknown as InvoiceDocument & {
    issuedAt: string;
    payment: { method: string; paidAt: string; reference: string | null } | null;
  };
  return {
    ...d,
    atcud: row.atcud ?? d.atcud,
    issuedAt: new Date(d.issuedAt),
    payment: d.payment ? { ...d.payment, paidAt: new Date(d.payment.paidAt) } : null,
  };
}

/**
 * Issues the invoice-receipt of a paid order (in the paying transaction). One per order: a second call
 * answers the existing one. `id` lets the caller refer to it (e.g. queue its email) before it is numbered.
 */
export async function issueInvoice(
  tx: CentralTx,
  deps: CentralDeps,
  ctx: OrderContext,
  payment: { method: string; paidAt: Date; reference: string | null },
  id: string = uuidv7(),
): Promise<InvoiceRow> {
  const [existing] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.orderId, ctx.order.id), eq(invoices.kind, 'invoice')));
  if (existing) return existing;
  const issuedAt = new Date(deps.now());
  const year = lisbonYear(issuedAt);
  const series = ctx.clinic.invoiceSeries;
  const seq = await nextSeq(tx, ctx.clinic.id, series, year);
  const { netCents, vatCents } = splitVat(ctx.order.amountCents, ctx.order.vatRateBp);
  const names = SPECIALTY_DEFAULTS[ctx.appointment.specialty as SpecialtyCode];
  const when = new Intl.DateTimeFormat('pt-PT', {
    timeZone: 'Europe/Lisbon',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ctx.appointment.startsAt);
  const locale = ctx.account?.locale ?? 'pt';
  const nif = ctx.order.invoiceNif ?? FINAL_CONSUMER_NIF;
  const doc: InvoiceDocument = {
    kind: 'invoice',
    series,
    year,
    sequence: seq,
    number: `${series} ${year}/${seq}`,
    atcud: null,
    issuedAt,
    issuer: {
      name: ctx.clinic.legalName ?? ctx.clinic.name,
      nif: ctx.clinic.nif ?? '',
      address: ctx.clinic.address || null,
    },
    buyer: {
      name:
        nif === FINAL_CONSUMER_NIF
          ? (ctx.order.invoiceName ?? 'Consumidor final')
          : (ctx.order.invoiceName ?? ctx.account?.name ?? ''),
      nif,
      address: ctx.order.invoiceAddress,
    },
    lines: [
      {
        description: `${locale === 'en' ? names.nameEn : names.namePt} — ${ctx.practitionerName}, ${when}`,
        quantity: 1,
        unitCents: netCents,
        vatRateBp: ctx.order.vatRateBp,
        netCents,
        vatCents,
        totalCents: ctx.order.amountCents,
      },
    ],
    netCents,
    vatCents,
    totalCents: ctx.order.amountCents,
    vatExemption: ctx.order.vatRateBp === 0 ? ctx.order.vatExemption : null,
    payment: {
      method: METHOD_LABEL[payment.method] ?? payment.method,
      paidAt: payment.paidAt,
      reference: payment.reference,
    },
    refersTo: null,
    reason: null,
    locale,
  };
  const [row] = await tx
    .insert(invoices)
    .values({
      id,
      clinicId: ctx.clinic.id,
      orderId: ctx.order.id,
      kind: 'invoice',
      series,
      year,
      seq,
      number: doc.number,
      refersTo: null,
      document: toJson(doc),
      totalCents: doc.totalCents,
      issuedAt,
      provider: deps.invoicing.name,
    })
    .returning();
  return row!;
}

/** Issues the credit note that cancels an invoice in full (refund). One per invoice. */
export async function issueCreditNote(
  tx: CentralTx,
  deps: CentralDeps,
  invoice: InvoiceRow,
  reason: string,
): Promise<InvoiceRow> {
  const [existing] = await tx.select().from(invoices).where(eq(invoices.refersTo, invoice.id));
  if (existing) return existing;
  const original = documentOf(invoice);
  const issuedAt = new Date(deps.now());
  const year = lisbonYear(issuedAt);
  const seq = await nextSeq(tx, invoice.clinicId, CREDIT_NOTE_SERIES, year);
  const doc: InvoiceDocument = {
    ...original,
    kind: 'credit_note',
    series: CREDIT_NOTE_SERIES,
    year,
    sequence: seq,
    number: `${CREDIT_NOTE_SERIES} ${year}/${seq}`,
    atcud: null,
    issuedAt,
    payment: null,
    refersTo: invoice.number,
    reason,
  };
  const [row] = await tx
    .insert(invoices)
    .values({
      id: uuidv7(),
      clinicId: invoice.clinicId,
      orderId: invoice.orderId,
      kind: 'credit_note',
      series: CREDIT_NOTE_SERIES,
      year,
      seq,
      number: doc.number,
      refersTo: invoice.id,
      document: toJson(doc),
      totalCents: doc.totalCents,
      issuedAt,
      provider: deps.invoicing.name,
    })
    .returning();
  return row!;
}

/** The invoice (kind 'invoice') of an order, or undefined. */
export async function invoiceOfOrder(
  q: CentralDb | CentralTx,
  orderId: string,
): Promise<InvoiceRow | undefined> {
  const [row] = await q
    .select()
    .from(invoices)
    .where(and(eq(invoices.orderId, orderId), eq(invoices.kind, 'invoice')));
  return row;
}

/** One invoice or credit note by id. */
export async function invoiceById(q: CentralDb | CentralTx, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await q.select().from(invoices).where(eq(invoices.id, id));
  return row;
}

/**
 * The PDF of an invoice. With a certified provider, the first call has the provider issue the legal
 * document and keeps its id and ATCUD (only those columns change; the trigger guards the rest). The
 * invoice row is locked while the provider issues it, so two concurrent first calls (the outbox's email
 * and a download) never issue the same document twice at the provider.
 * @throws Error when the provider refuses (the message outbox retries)
 */
export async function invoicePdf(deps: CentralDeps, row: InvoiceRow): Promise<Buffer> {
  if (row.providerIssuedAt === null) {
    const issuedPdf = await deps.db.transaction(async (tx) => {
      const [current] = await tx.select().from(invoices).where(eq(invoices.id, row.id)).for('update');
      if (!current) throw new Error(`invoice ${row.id} not found`);
      row = current;
      if (current.providerIssuedAt !== null) return null;
      const issued = await deps.invoicing.issue(documentOf(current));
      const [updated] = await tx
        .update(invoices)
        .set({ externalId: issued.externalId, atcud: issued.atcud, providerIssuedAt: new Date(deps.now()) })
        .where(eq(invoices.id, current.id))
        .returning();
      row = updated!;
      return issued.pdf;
    });
    if (issuedPdf) return issuedPdf;
  }
  return deps.invoicing.pdf(documentOf(row), row.externalId);
}
