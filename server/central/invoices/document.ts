/**
 * An invoice (fatura-recibo) or credit note (nota de crédito) as our books hold it, and the interface of
 * whoever turns it into the document the patient receives (payments-pt.md "Invoices"):
 * - `builtin` (pdf.ts): our own PDF with every field and a QR; NOT an AT-certified invoice.
 * - `invoicexpress` (invoicexpress.ts): an AT-certified service issues the legal document; we keep its id
 *   and its PDF.
 * Money is integer cents; `issuedAt` is UTC and printed in Europe/Lisbon.
 */

/** One invoice line. */
export interface InvoiceLine {
  description: string;
  quantity: number;
  unitCents: number;
  /** VAT rate in basis points (0 = exempt; 2300 = 23 %). */
  vatRateBp: number;
  netCents: number;
  vatCents: number;
  totalCents: number;
}

/** A party on the invoice. */
export interface InvoiceParty {
  name: string;
  /** 9-digit NIF; the buyer's is '999999990' ("Consumidor final") when they gave none. */
  nif: string;
  address: string | null;
}

/** An invoice or credit note with every field printed on it. */
export interface InvoiceDocument {
  kind: 'invoice' | 'credit_note';
  /** Series code, e.g. 'FR' (fatura-recibo) or 'NC' (nota de crédito). */
  series: string;
  year: number;
  /** 1, 2, 3… within (clinic, series, year), no gaps (enforced in the database). */
  sequence: number;
  /** Printed number, e.g. 'FR 2026/17'. */
  number: string;
  /** AT validation code 'ATCUD:XXXX-17' when a certified provider gives one; null for builtin. */
  atcud: string | null;
  issuedAt: Date;
  issuer: InvoiceParty;
  buyer: InvoiceParty;
  lines: InvoiceLine[];
  netCents: number;
  vatCents: number;
  totalCents: number;
  /** Exemption reason printed when VAT is 0, e.g. 'Isento nos termos do art. 9.º do CIVA'. */
  vatExemption: string | null;
  /** How it was paid (invoice-receipt). */
  payment: { method: string; paidAt: Date; reference: string | null } | null;
  /** The invoice a credit note corrects (its printed number). */
  refersTo: string | null;
  /** Why a credit note was issued. */
  reason: string | null;
  /** Language of the labels. */
  locale: 'pt' | 'en';
}

/** What an invoicing provider returns for one document. */
export interface IssuedDocument {
  /** The provider's id (null for builtin). */
  externalId: string | null;
  /** The PDF the patient receives. */
  pdf: Buffer;
  /** True only when an AT-certified provider issued it. */
  certified: boolean;
  /** The ATCUD the provider assigned, if any. */
  atcud: string | null;
}

/** Issues the document for an invoice we have numbered. @throws Error when the provider refuses */
export interface InvoicingProvider {
  readonly name: 'builtin' | 'invoicexpress';
  issue(doc: InvoiceDocument): Promise<IssuedDocument>;
  /** The PDF of an already-issued document (builtin renders it again; deterministic). */
  pdf(doc: InvoiceDocument, externalId: string | null): Promise<Buffer>;
}
