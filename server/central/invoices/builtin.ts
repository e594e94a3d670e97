/**
 * The built-in invoicing provider: our own PDF (pdf.ts) for every document we number. It is NOT
 * AT-certified (payments-pt.md "Invoices"): `certified` is false, there is no ATCUD, and the PDF says so
 * in its footer. A deployment that needs legally valid invoices configures InvoiceXpress
 * (invoicexpress.ts) instead.
 */
import type { InvoicingProvider } from './document.ts';
import { renderInvoicePdf } from './pdf.ts';

/**
 * The built-in provider (`name` 'builtin'). `issue(doc)` resolves with `{ externalId: null, pdf,
 * certified: false, atcud: null }`; `pdf(doc, _)` renders the same bytes again (deterministic).
 * @throws Error from renderInvoicePdf (an unsupported VAT rate)
 */
export function builtinInvoicing(): InvoicingProvider {
  return {
    name: 'builtin',
    async issue(doc) {
      return { externalId: null, pdf: await renderInvoicePdf(doc), certified: false, atcud: null };
    },
    pdf(doc) {
      return renderInvoicePdf(doc);
    },
  };
}
