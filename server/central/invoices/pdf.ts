/**
 * Renders an InvoiceDocument (document.ts) as an A4 PDF with pdfkit: issuer top-left, title and number,
 * date in Europe/Lisbon, buyer ('Consumidor final' for NIF 999999990), a lines table, totals in euros
 * written the Portuguese way ('1 234,56 €'), the VAT exemption reason, payment, the corrected invoice of
 * a credit note, and a QR code with a compact summary (invoiceQrPayload). Labels are PT or EN by
 * `doc.locale`. Unless the caller says the document is certified, a footer says it is not a valid
 * invoice for tax purposes (payments-pt.md "Invoices": only AT-certified software issues those).
 * Text uses pdfkit's built-in Helvetica, whose WinAnsi encoding covers Portuguese accents, 'º', '—' and
 * '€'. Output is deterministic: CreationDate is `issuedAt` (pdfkit derives the file /ID from the info
 * dictionary) and nothing random is written, so the same input gives the same bytes.
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { InvoiceDocument, InvoiceLine } from './document.ts';

/** The generic buyer NIF printed as 'Consumidor final' (payments-pt.md "NIF"). */
export const CONSUMIDOR_FINAL_NIF = '999999990';

const LISBON = tz('Europe/Lisbon');

const LABELS = {
  pt: {
    invoice: 'Fatura-Recibo',
    credit_note: 'Nota de Crédito',
    number: 'N.º',
    date: 'Data',
    nif: 'NIF',
    buyer: 'Cliente',
    consumer: 'Consumidor final',
    description: 'Descrição',
    qty: 'Qtd.',
    unit: 'Preço unit.',
    vat: 'IVA',
    total: 'Total',
    net: 'Total sem IVA',
    vatTotal: 'IVA',
    grandTotal: 'Total a pagar',
    creditTotal: 'Total a creditar',
    exemption: 'Motivo de isenção',
    payment: 'Pagamento',
    paidAt: 'Data do pagamento',
    reference: 'Referência',
    refersTo: 'Refere-se a',
    reason: 'Motivo',
    footer: 'Documento emitido por software não certificado — não serve de fatura para efeitos fiscais.',
    methods: {
      cash: 'Numerário',
      card: 'Cartão',
      multibanco: 'Multibanco',
      mbway: 'MB WAY',
      transfer: 'Transferência bancária',
    } as Record<string, string>,
  },
  en: {
    invoice: 'Invoice-Receipt',
    credit_note: 'Credit note',
    number: 'No.',
    date: 'Date',
    nif: 'Tax no. (NIF)',
    buyer: 'Customer',
    consumer: 'Consumidor final',
    description: 'Description',
    qty: 'Qty',
    unit: 'Unit price',
    vat: 'VAT',
    total: 'Total',
    net: 'Total before VAT',
    vatTotal: 'VAT',
    grandTotal: 'Total due',
    creditTotal: 'Total credited',
    exemption: 'VAT exemption reason',
    payment: 'Payment',
    paidAt: 'Payment date',
    reference: 'Reference',
    refersTo: 'Refers to',
    reason: 'Reason',
    footer: 'Document issued by non-certified software — not a valid invoice for tax purposes.',
    methods: {
      cash: 'Cash',
      card: 'Card',
      multibanco: 'Multibanco',
      mbway: 'MB WAY',
      transfer: 'Bank transfer',
    } as Record<string, string>,
  },
} as const;

/**
 * Integer cents as Portuguese euros: 4500 → '45,00 €', 123456 → '1 234,56 €', -250 → '-2,50 €'
 * (decimal comma, thousands grouped with a plain space, the sign after a space). Plain spaces rather
 * than Intl's narrow no-break space, which the PDF's WinAnsi fonts cannot show.
 */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')} €`;
}

/** A VAT rate in basis points as a percentage: 2300 → '23%', 0 → '0%', 650 → '6,5%'. */
export function formatVatRate(bp: number): string {
  return `${String(bp / 100).replace('.', ',')}%`;
}

/** A UTC instant as Lisbon wall-clock time, 'dd/MM/yyyy HH:mm' (e.g. '15/07/2026 10:30' for 09:30Z). */
export function formatLisbon(at: Date): string {
  return format(at, 'dd/MM/yyyy HH:mm', { in: LISBON });
}

function amount(cents: number): string {
  return (cents / 100).toFixed(2);
}

/**
 * The text held by the invoice's QR code: a subset of the fields of AT's QR specification (Portaria
 * 195/2020, "Especificações técnicas código QR"), in its order and `*`-separated `KEY:value` form, with
 * amounts in euros with a '.' decimal point:
 * `A` issuer NIF, `B` buyer NIF, `C` buyer country ('PT'), `D` document type ('FR' fatura-recibo or
 * 'NC' nota de crédito), `E` status ('N' normal), `F` date 'yyyyMMdd' (Lisbon), `G` document number,
 * `H` ATCUD (the code after 'ATCUD:', or '0' when none), `I1` tax region ('PT'), then per rate present:
 * `I2` exempt base, `I3`/`I4` reduced (6 %) base/VAT, `I5`/`I6` intermediate (13 %) base/VAT,
 * `I7`/`I8` normal (23 %) base/VAT, then `N` total VAT and `O` total with VAT.
 * It deliberately leaves out `Q` (the 4 characters of the document's signature hash) and `R` (the AT
 * software certificate number): we have neither, so this is NOT a certified AT QR code and an AT reader
 * should treat it as invalid; it only lets a person or our own tools read the summary back.
 * @throws Error for a VAT rate other than 0, 6, 13 or 23 % (mainland rates only)
 */
export function invoiceQrPayload(doc: InvoiceDocument): string {
  const byRate = new Map<number, { net: number; vat: number }>();
  for (const l of doc.lines) {
    const acc = byRate.get(l.vatRateBp) ?? { net: 0, vat: 0 };
    acc.net += l.netCents;
    acc.vat += l.vatCents;
    byRate.set(l.vatRateBp, acc);
  }
  for (const rate of byRate.keys()) {
    if (![0, 600, 1300, 2300].includes(rate)) {
      throw new Error(`invoice QR: unsupported VAT rate ${rate} bp (mainland 0, 6, 13, 23 % only)`);
    }
  }
  const fields: [string, string][] = [
    ['A', doc.issuer.nif],
    ['B', doc.buyer.nif],
    ['C', 'PT'],
    ['D', doc.kind === 'invoice' ? 'FR' : 'NC'],
    ['E', 'N'],
    ['F', format(doc.issuedAt, 'yyyyMMdd', { in: LISBON })],
    ['G', doc.number],
    ['H', doc.atcud ? doc.atcud.replace(/^ATCUD:/, '') : '0'],
    ['I1', 'PT'],
  ];
  const exempt = byRate.get(0);
  if (exempt) fields.push(['I2', amount(exempt.net)]);
  for (const [rate, base, vat] of [
    [600, 'I3', 'I4'],
    [1300, 'I5', 'I6'],
    [2300, 'I7', 'I8'],
  ] as const) {
    const r = byRate.get(rate);
    if (r) fields.push([base, amount(r.net)], [vat, amount(r.vat)]);
  }
  fields.push(['N', amount(doc.vatCents)], ['O', amount(doc.totalCents)]);
  return fields.map(([k, v]) => `${k}:${v}`).join('*');
}

/**
 * The QR code printed on the PDF: invoiceQrPayload(doc) as a 120×120 px PNG, error-correction level M
 * (the level AT's specification asks for), 1-module quiet zone.
 * @throws Error from invoiceQrPayload
 */
export function invoiceQrPng(doc: InvoiceDocument): Promise<Buffer> {
  return QRCode.toBuffer(invoiceQrPayload(doc), {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 120,
  });
}

function formatQty(q: number): string {
  return String(q).replace('.', ',');
}

/**
 * The invoice or credit note as a PDF (A4, one or more pages).
 * @param doc the document; money in integer cents, `issuedAt`/`paidAt` UTC (printed in Europe/Lisbon)
 * @param opts.certified true only when an AT-certified provider issued it: drops the "not certified"
 *   footer (default false: the footer is printed)
 * @returns the PDF bytes (starting '%PDF-'); identical bytes for identical input
 * @throws Error from invoiceQrPayload for an unsupported VAT rate
 */
export async function renderInvoicePdf(
  doc: InvoiceDocument,
  opts: { certified?: boolean } = {},
): Promise<Buffer> {
  const L = LABELS[doc.locale];
  const title = L[doc.kind];
  const qr = await invoiceQrPng(doc);

  const pdf = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: true,
    info: {
      Title: `${title} ${doc.number}`,
      Author: doc.issuer.name,
      Producer: 'Clinic Front Desk',
      Creator: 'Clinic Front Desk',
      CreationDate: doc.issuedAt,
      ModDate: doc.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const left = 50;
  const right = pdf.page.width - 50;
  const width = right - left;

  // Issuer, top-left.
  pdf.font('Helvetica-Bold').fontSize(12).text(doc.issuer.name, left, 50, { width: 300 });
  pdf.font('Helvetica').fontSize(9).text(`${L.nif}: ${doc.issuer.nif}`, { width: 300 });
  if (doc.issuer.address) pdf.text(doc.issuer.address, { width: 300 });

  // QR code, top-right.
  pdf.image(qr, right - 100, 45, { width: 100, height: 100 });

  // Title, number, date.
  pdf.font('Helvetica-Bold').fontSize(16).text(title, left, 160, { width });
  pdf.font('Helvetica').fontSize(10);
  pdf.text(`${L.number} ${doc.number}`, { width });
  if (doc.atcud) pdf.text(doc.atcud, { width });
  pdf.text(`${L.date}: ${formatLisbon(doc.issuedAt)}`, { width });

  // Buyer.
  pdf.moveDown(0.8);
  pdf.font('Helvetica-Bold').text(L.buyer, { width });
  pdf.font('Helvetica');
  const consumer = doc.buyer.nif === CONSUMIDOR_FINAL_NIF;
  if (consumer) {
    if (doc.buyer.name && doc.buyer.name !== L.consumer) pdf.text(doc.buyer.name, { width });
    pdf.text(`${L.nif}: ${CONSUMIDOR_FINAL_NIF} (${L.consumer})`, { width });
  } else {
    pdf.text(doc.buyer.name, { width });
    pdf.text(`${L.nif}: ${doc.buyer.nif}`, { width });
  }
  if (doc.buyer.address) pdf.text(doc.buyer.address, { width });

  // Credit note: what it corrects and why.
  if (doc.kind === 'credit_note') {
    pdf.moveDown(0.5);
    if (doc.refersTo) pdf.text(`${L.refersTo} ${doc.refersTo}`, { width });
    if (doc.reason) pdf.text(`${L.reason}: ${doc.reason}`, { width });
  }

  // Lines table.
  const cols = [
    { x: left, w: 215, align: 'left' as const },
    { x: left + 220, w: 45, align: 'right' as const },
    { x: left + 270, w: 80, align: 'right' as const },
    { x: left + 355, w: 45, align: 'right' as const },
    { x: left + 405, w: width - 405, align: 'right' as const },
  ];
  const row = (cells: string[], y: number, bold = false): number => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    let h = 0;
    cells.forEach((text, i) => {
      const c = cols[i]!;
      pdf.text(text, c.x, y, { width: c.w, align: c.align });
      h = Math.max(h, pdf.y - y);
    });
    return y + h + 4;
  };
  let y = pdf.y + 18;
  y = row([L.description, L.qty, L.unit, L.vat, L.total], y, true);
  pdf
    .moveTo(left, y - 2)
    .lineTo(right, y - 2)
    .lineWidth(0.5)
    .stroke();
  y += 2;
  const bottom = pdf.page.height - 90;
  doc.lines.forEach((l: InvoiceLine) => {
    if (y > bottom) {
      pdf.addPage();
      y = 50;
    }
    y = row(
      [
        l.description,
        formatQty(l.quantity),
        formatEuros(l.unitCents),
        formatVatRate(l.vatRateBp),
        formatEuros(l.totalCents),
      ],
      y,
    );
  });
  pdf.moveTo(left, y).lineTo(right, y).lineWidth(0.5).stroke();

  // Totals, right-aligned.
  if (y > bottom - 60) {
    pdf.addPage();
    y = 50;
  }
  y += 8;
  const totals: [string, string, boolean][] = [
    [L.net, formatEuros(doc.netCents), false],
    [L.vatTotal, formatEuros(doc.vatCents), false],
    [doc.kind === 'invoice' ? L.grandTotal : L.creditTotal, formatEuros(doc.totalCents), true],
  ];
  for (const [label, value, bold] of totals) {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 11 : 10);
    pdf.text(label, left + 250, y, { width: 150, align: 'right' });
    pdf.text(value, left + 405, y, { width: width - 405, align: 'right' });
    y = pdf.y + 3;
  }

  // Exemption reason and payment.
  pdf.font('Helvetica').fontSize(9);
  pdf.x = left;
  pdf.y = y + 10;
  if (doc.vatCents === 0 && doc.vatExemption) {
    pdf.text(`${L.exemption}: ${doc.vatExemption}`, left, pdf.y, { width });
  }
  if (doc.payment) {
    pdf.moveDown(0.5);
    const method = L.methods[doc.payment.method] ?? doc.payment.method;
    pdf.text(`${L.payment}: ${method}`, left, pdf.y, { width });
    pdf.text(`${L.paidAt}: ${formatLisbon(doc.payment.paidAt)}`, { width });
    if (doc.payment.reference) pdf.text(`${L.reference}: ${doc.payment.reference}`, { width });
  }

  // Footer on the last page.
  if (!opts.certified) {
    pdf
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(L.footer, left, pdf.page.height - 70, { width, align: 'center', lineBreak: true });
  }

  pdf.end();
  return done;
}
