/**
 * InvoiceXpress (an AT-certified Portuguese invoicing service) as an InvoicingProvider (document.ts):
 * it issues the legal fatura-recibo or nota de crédito, with its own series, number, ATCUD and signed
 * QR, and we keep its document id and PDF (payments-pt.md "Invoices").
 *
 * API v2, JSON, authenticated by the `api_key` query parameter on `https://{account}.app.invoicexpress.com`:
 * 1. `POST /{invoice_receipts|credit_notes}.json` with `{ invoice: { date 'dd/MM/yyyy', due_date,
 *    reference, observations, tax_exemption, client: { name, code, fiscal_id, address, country },
 *    items: [{ name, description, unit_price (euros, before VAT), quantity, tax: { name 'IVA23' } }],
 *    owner_invoice_id? } }` → 201 `{ invoice_receipt | credit_note: { id, status 'draft', … } }`;
 * 2. `PUT /{type}/{id}/change-state.json` with `{ invoice: { state: 'finalized' } }` → 200 with the
 *    finalized document (`sequence_number`, `atcud` 'ABCD1234-6', …);
 * 3. `GET /api/pdf/{id}.json` → 202 while the PDF is being generated (poll again), then 200
 *    `{ output: { pdfUrl } }`; we download `pdfUrl`.
 * Errors are 4xx (401 bad key, 404 unknown id, 422 validation with an `errors` list).
 *
 * Sources: InvoiceXpress API v2 reference — "Create Invoice" (docs.invoicexpress.com/invoices/
 * createinvoice.md: `POST /{invoices-type}.json`, request object `invoice`, `date`/`due_date`
 * dd/mm/yyyy, `tax_exemption`, `client.name`/`client.code` required; "Portuguese accounts should also
 * send the IVA exemption reason if the invoice contains exempt items"), "Change Invoice State"
 * (docs.invoicexpress.com/invoices/changeinvoicestate.md and invoicexpress.com/api-v2/change-state:
 * draft → final with state 'finalized'; response fields `atcud`, `sequence_number`), "Generate PDF"
 * (invoicexpress.com/api-v1/…/documents: `/api/pdf/{id}` is asynchronous, 202 until ready, then 200
 * with `output.pdfUrl`); the item `tax: { name: 'IVA23' }` form from invoicexpress.com/api-v2 items
 * "Create"; and open-source integrations (OCA's Odoo l10n-portugal `account.move`:
 * `owner_invoice_id` on credit notes, the answer keyed by the document type).
 * Unsure (not confirmed against a live account): the exact 422 body (we read `errors` as strings or
 * `{ error }` objects and fall back to the raw text); whether the change-state answer is keyed
 * `invoice` (docs) or by the document type (OCA) — we accept either; whether the PDF JSON answer is
 * exactly `{ output: { pdfUrl } }` (the v1 page shows it in XML); `owner_invoice_id` is only sent when
 * `ownerInvoiceId` resolves the corrected invoice's InvoiceXpress id. The request body's wrapper key is
 * `invoice` for every document type as the v2 reference documents it (not `invoice_receipt`).
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import { CONSUMIDOR_FINAL_NIF } from './pdf.ts';
import type { InvoiceDocument, InvoicingProvider, IssuedDocument } from './document.ts';

/** Settings of an InvoiceXpress account. */
export interface InvoicexpressConfig {
  /** The account name: the subdomain of `{account}.app.invoicexpress.com`. */
  accountName: string;
  apiKey: string;
}

/**
 * Reads INVOICEXPRESS_ACCOUNT and INVOICEXPRESS_API_KEY (trimmed; an empty value counts as unset).
 * @returns the config when both are set, else null (the builtin provider is used)
 */
export function invoicexpressConfigFromEnv(
  env: Record<string, string | undefined>,
): InvoicexpressConfig | null {
  const accountName = env.INVOICEXPRESS_ACCOUNT?.trim() ?? '';
  const apiKey = env.INVOICEXPRESS_API_KEY?.trim() ?? '';
  return accountName && apiKey ? { accountName, apiKey } : null;
}

/** A refusal from InvoiceXpress: `status` the HTTP status, `errors` the messages it gave. */
export class InvoicexpressError extends Error {
  override readonly name = 'InvoicexpressError';
  constructor(
    message: string,
    readonly status: number,
    readonly errors: string[],
  ) {
    super(message);
  }
}

const LISBON = tz('Europe/Lisbon');

type DocType = 'invoice_receipts' | 'credit_notes';

function docType(doc: InvoiceDocument): DocType {
  return doc.kind === 'invoice' ? 'invoice_receipts' : 'credit_notes';
}

/** The InvoiceXpress tax name of a rate: 2300 bp → 'IVA23', 0 → 'IVA0' (the account's default taxes). */
export function invoicexpressTaxName(vatRateBp: number): string {
  return `IVA${String(vatRateBp / 100)}`;
}

/**
 * The JSON body of the create request for `doc` (see the module comment for the fields).
 * @param opts.exemptionCode AT exemption code sent as `tax_exemption` when a line is exempt
 *   (default 'M07': "Isento artigo 9.º do CIVA", health services)
 * @param opts.ownerInvoiceId the corrected invoice's InvoiceXpress id (credit notes), if known
 */
export function invoicexpressBody(
  doc: InvoiceDocument,
  opts: { exemptionCode?: string; ownerInvoiceId?: string | null } = {},
): { invoice: Record<string, unknown> } {
  const date = format(doc.issuedAt, 'dd/MM/yyyy', { in: LISBON });
  const consumer = doc.buyer.nif === CONSUMIDOR_FINAL_NIF;
  const client: Record<string, string> = {
    name: doc.buyer.name,
    // InvoiceXpress finds or creates the client by name/code; the NIF is the stable code we have.
    code: doc.buyer.nif,
    country: 'Portugal',
  };
  // Without a fiscal_id InvoiceXpress invoices "Consumidor final".
  if (!consumer) client.fiscal_id = doc.buyer.nif;
  if (doc.buyer.address) client.address = doc.buyer.address;
  const invoice: Record<string, unknown> = {
    date,
    due_date: date,
    reference: doc.kind === 'credit_note' && doc.refersTo ? doc.refersTo : doc.number,
    client,
    items: doc.lines.map((l) => ({
      name: l.description,
      description: l.description,
      unit_price: l.unitCents / 100,
      quantity: l.quantity,
      tax: { name: invoicexpressTaxName(l.vatRateBp) },
    })),
  };
  const observations =
    doc.kind === 'credit_note'
      ? [doc.refersTo ? `Refere-se a ${doc.refersTo}` : null, doc.reason ? `Motivo: ${doc.reason}` : null]
          .filter(Boolean)
          .join('. ')
      : `Ref. ${doc.number}`;
  if (observations) invoice.observations = observations;
  if (doc.lines.some((l) => l.vatRateBp === 0)) invoice.tax_exemption = opts.exemptionCode ?? 'M07';
  if (doc.kind === 'credit_note' && opts.ownerInvoiceId) invoice.owner_invoice_id = opts.ownerInvoiceId;
  return { invoice };
}

/** The document object of an answer: `{ invoice_receipt: {…} }`, `{ credit_note: {…} }` or `{ invoice: {…} }`. */
function documentOf(json: unknown): Record<string, unknown> | null {
  if (!json || typeof json !== 'object') return null;
  for (const v of Object.values(json as Record<string, unknown>)) {
    if (v && typeof v === 'object' && 'id' in v) return v as Record<string, unknown>;
  }
  return null;
}

function errorsOf(text: string): string[] {
  try {
    const json = JSON.parse(text) as { errors?: unknown; error?: unknown };
    const list = Array.isArray(json.errors) ? json.errors : json.error !== undefined ? [json.error] : [];
    const out = list.map((e) =>
      typeof e === 'string'
        ? e
        : e && typeof e === 'object' && 'error' in e
          ? String((e as { error: unknown }).error)
          : JSON.stringify(e),
    );
    if (out.length) return out;
  } catch {
    // not JSON
  }
  return text.trim() ? [text.trim().slice(0, 200)] : [];
}

/**
 * The InvoiceXpress provider (`name` 'invoicexpress').
 * `issue(doc)` creates the document (invoice_receipts or credit_notes), finalizes it, waits for its
 * PDF and resolves with `{ externalId: the InvoiceXpress id as a string, pdf, certified: true, atcud:
 * 'ATCUD:…' from the finalized answer or null }`. `pdf(doc, externalId)` fetches the PDF again.
 * @param opts.accountName/opts.apiKey the account (invoicexpressConfigFromEnv)
 * @param opts.baseUrl default `https://{accountName}.app.invoicexpress.com` (tests: a local fake)
 * @param opts.fetch default globalThis.fetch
 * @param opts.exemptionCode AT code for exempt lines (default 'M07', art. 9.º CIVA)
 * @param opts.ownerInvoiceId resolves a credit note's `refersTo` (our printed number) to the
 *   InvoiceXpress id of that invoice, sent as `owner_invoice_id`; omitted → not sent
 * @param opts.pollMs wait between PDF polls in ms (default 1000); opts.maxPolls default 30
 * @throws InvoicexpressError `InvoiceXpress <METHOD> <path> → <status>: <errors>` on a non-2xx answer
 *   (the api key is never in the message); Error when an answer lacks the id, the PDF stays 202 after
 *   maxPolls, the download is not a PDF, or `pdf()` is called without an externalId
 */
export function createInvoicexpressProvider(opts: {
  accountName: string;
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  exemptionCode?: string;
  ownerInvoiceId?: (refersTo: string) => Promise<string | null>;
  pollMs?: number;
  maxPolls?: number;
}): InvoicingProvider {
  const doFetch = opts.fetch ?? fetch;
  const base = (opts.baseUrl ?? `https://${opts.accountName}.app.invoicexpress.com`).replace(/\/+$/, '');
  const pollMs = opts.pollMs ?? 1000;
  const maxPolls = opts.maxPolls ?? 30;

  async function call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) {
    const res = await doFetch(`${base}${path}?api_key=${encodeURIComponent(opts.apiKey)}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      const errors = errorsOf(text);
      throw new InvoicexpressError(
        `InvoiceXpress ${method} ${path} → ${res.status}: ${errors.join('; ') || res.statusText}`,
        res.status,
        errors,
      );
    }
    let json: unknown = null;
    try {
      json = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      // A 202 "still generating" may carry no JSON; callers check what they need.
    }
    return { status: res.status, json };
  }

  async function fetchPdf(id: string): Promise<Buffer> {
    for (let i = 0; i < maxPolls; i++) {
      const { status, json } = await call('GET', `/api/pdf/${id}.json`);
      if (status === 202) {
        await new Promise((r) => setTimeout(r, pollMs));
        continue;
      }
      const pdfUrl = (json as { output?: { pdfUrl?: unknown } } | null)?.output?.pdfUrl;
      if (typeof pdfUrl !== 'string')
        throw new Error(`InvoiceXpress PDF ${id}: answer without output.pdfUrl`);
      const res = await doFetch(pdfUrl);
      if (!res.ok) throw new Error(`InvoiceXpress PDF ${id}: download answered ${res.status}`);
      const pdf = Buffer.from(await res.arrayBuffer());
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new Error(`InvoiceXpress PDF ${id}: the download is not a PDF`);
      }
      return pdf;
    }
    throw new Error(`InvoiceXpress PDF ${id}: still being generated after ${maxPolls} polls`);
  }

  return {
    name: 'invoicexpress',
    async issue(doc): Promise<IssuedDocument> {
      const type = docType(doc);
      const ownerInvoiceId =
        doc.kind === 'credit_note' && doc.refersTo && opts.ownerInvoiceId
          ? await opts.ownerInvoiceId(doc.refersTo)
          : null;
      const created = documentOf(
        (
          await call(
            'POST',
            `/${type}.json`,
            invoicexpressBody(doc, { exemptionCode: opts.exemptionCode, ownerInvoiceId }),
          )
        ).json,
      );
      if (!created) throw new Error(`InvoiceXpress POST /${type}.json: answer without a document id`);
      const id = String(created.id);
      const finalized = documentOf(
        (await call('PUT', `/${type}/${id}/change-state.json`, { invoice: { state: 'finalized' } })).json,
      );
      const atcud = typeof finalized?.atcud === 'string' && finalized.atcud ? finalized.atcud : null;
      return {
        externalId: id,
        pdf: await fetchPdf(id),
        certified: true,
        atcud: atcud ? (atcud.startsWith('ATCUD:') ? atcud : `ATCUD:${atcud}`) : null,
      };
    },
    async pdf(_doc, externalId) {
      if (!externalId) throw new Error('InvoiceXpress pdf: the document has no InvoiceXpress id');
      return fetchPdf(externalId);
    },
  };
}
