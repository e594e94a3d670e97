/**
 * Tests of the built-in invoice PDF (pdf.ts) and provider (builtin.ts): an exempt fatura-recibo to a
 * "consumidor final", a 23 % VAT invoice in English with a NIF and an ATCUD, and a credit note. The PDF's
 * text is read back with pdfjs-dist and compared string by string; the QR payload is checked exactly;
 * re-rendering must give identical bytes.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jsQR from 'jsqr';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { builtinInvoicing } from './builtin.ts';
import type { InvoiceDocument } from './document.ts';
import {
  formatEuros,
  formatLisbon,
  formatVatRate,
  invoiceQrPayload,
  invoiceQrPng,
  renderInvoicePdf,
} from './pdf.ts';

const require = createRequire(import.meta.url);
const standardFontDataUrl = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

/** Every non-blank text item of every page, in order. */
async function pdfText(pdf: Buffer): Promise<string[]> {
  const loaded = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl }).promise;
  const out: string[] = [];
  for (let n = 1; n <= loaded.numPages; n++) {
    const content = await (await loaded.getPage(n)).getTextContent();
    for (const item of content.items) {
      if ('str' in item && item.str.trim()) out.push(item.str);
    }
  }
  await loaded.destroy();
  return out;
}

const ISSUER = { name: 'Clínica Fisio Lda', nif: '501964843', address: 'Rua Augusta 1, 1100-048 Lisboa' };

const exempt: InvoiceDocument = {
  kind: 'invoice',
  series: 'FR',
  year: 2026,
  sequence: 17,
  number: 'FR 2026/17',
  atcud: null,
  issuedAt: new Date('2026-07-15T09:30:00Z'),
  issuer: ISSUER,
  buyer: { name: 'Consumidor final', nif: '999999990', address: null },
  lines: [
    {
      description: 'Sessão de fisioterapia',
      quantity: 1,
      unitCents: 4500,
      vatRateBp: 0,
      netCents: 4500,
      vatCents: 0,
      totalCents: 4500,
    },
  ],
  netCents: 4500,
  vatCents: 0,
  totalCents: 4500,
  vatExemption: 'Isento nos termos do art. 9.º do CIVA',
  payment: { method: 'mbway', paidAt: new Date('2026-07-15T09:31:00Z'), reference: '912345678' },
  refersTo: null,
  reason: null,
  locale: 'pt',
};

const taxed: InvoiceDocument = {
  ...exempt,
  sequence: 18,
  number: 'FR 2026/18',
  atcud: 'ATCUD:AAJFJMVNTN-18',
  // 23:05 UTC on 15 July is 00:05 on 16 July in Lisbon (WEST, UTC+1): the printed date is Lisbon's.
  issuedAt: new Date('2026-07-15T23:05:00Z'),
  buyer: { name: 'Ana Silva', nif: '123456789', address: 'Av. da Liberdade 10, 1250-001 Lisboa' },
  lines: [
    {
      description: 'Kinesio tape',
      quantity: 2,
      unitCents: 1000,
      vatRateBp: 2300,
      netCents: 2000,
      vatCents: 460,
      totalCents: 2460,
    },
    {
      description: 'Massage oil',
      quantity: 1,
      unitCents: 125000,
      vatRateBp: 2300,
      netCents: 125000,
      vatCents: 28750,
      totalCents: 153750,
    },
  ],
  netCents: 127000,
  vatCents: 29210,
  totalCents: 156210,
  vatExemption: null,
  payment: { method: 'card', paidAt: new Date('2026-07-15T23:06:00Z'), reference: null },
  locale: 'en',
};

const credit: InvoiceDocument = {
  ...exempt,
  kind: 'credit_note',
  series: 'NC',
  sequence: 3,
  number: 'NC 2026/3',
  issuedAt: new Date('2026-07-16T14:00:00Z'),
  buyer: { name: 'Ana Silva', nif: '123456789', address: null },
  payment: null,
  refersTo: 'FR 2026/17',
  reason: 'Sessão cancelada pela clínica',
};

describe('invoice formatting helpers', () => {
  it('writes euros, VAT rates and Lisbon times the Portuguese way', () => {
    expect(formatEuros(4500)).toBe('45,00 €');
    expect(formatEuros(5)).toBe('0,05 €');
    expect(formatEuros(123456)).toBe('1 234,56 €');
    expect(formatEuros(123456789)).toBe('1 234 567,89 €');
    expect(formatEuros(-250)).toBe('-2,50 €');
    expect(formatVatRate(2300)).toBe('23%');
    expect(formatVatRate(0)).toBe('0%');
    expect(formatVatRate(650)).toBe('6,5%');
    expect(formatLisbon(new Date('2026-07-15T09:30:00Z'))).toBe('15/07/2026 10:30');
    expect(formatLisbon(new Date('2026-12-31T23:05:00Z'))).toBe('31/12/2026 23:05');
  });

  it('builds the QR summary string with the documented AT field subset', () => {
    expect(invoiceQrPayload(exempt)).toBe(
      'A:501964843*B:999999990*C:PT*D:FR*E:N*F:20260715*G:FR 2026/17*H:0*I1:PT*I2:45.00*N:0.00*O:45.00',
    );
    expect(invoiceQrPayload(taxed)).toBe(
      'A:501964843*B:123456789*C:PT*D:FR*E:N*F:20260716*G:FR 2026/18*H:AAJFJMVNTN-18*I1:PT*I7:1270.00*I8:292.10*N:292.10*O:1562.10',
    );
    expect(invoiceQrPayload(credit)).toBe(
      'A:501964843*B:123456789*C:PT*D:NC*E:N*F:20260716*G:NC 2026/3*H:0*I1:PT*I2:45.00*N:0.00*O:45.00',
    );
    expect(() => invoiceQrPayload({ ...taxed, lines: [{ ...taxed.lines[0]!, vatRateBp: 2200 }] })).toThrow(
      'invoice QR: unsupported VAT rate 2200 bp (mainland 0, 6, 13, 23 % only)',
    );
  });

  it('draws a QR code that decodes back to the payload', async () => {
    const { data, info } = await sharp(await invoiceQrPng(taxed))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const decoded = jsQR(new Uint8ClampedArray(data), info.width, info.height);
    expect(decoded?.data).toBe(invoiceQrPayload(taxed));
  });
});

describe('renderInvoicePdf', () => {
  it('renders an exempt fatura-recibo to a consumidor final, with the not-certified footer', async () => {
    const pdf = await renderInvoicePdf(exempt);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await pdfText(pdf)).toEqual([
      'Clínica Fisio Lda',
      'NIF: 501964843',
      'Rua Augusta 1, 1100-048 Lisboa',
      'Fatura-Recibo',
      'N.º FR 2026/17',
      'Data: 15/07/2026 10:30',
      'Cliente',
      'NIF: 999999990 (Consumidor final)',
      'Descrição',
      'Qtd.',
      'Preço unit.',
      'IVA',
      'Total',
      'Sessão de fisioterapia',
      '1',
      '45,00 €',
      '0%',
      '45,00 €',
      'Total sem IVA',
      '45,00 €',
      'IVA',
      '0,00 €',
      'Total a pagar',
      '45,00 €',
      'Motivo de isenção: Isento nos termos do art. 9.º do CIVA',
      'Pagamento: MB WAY',
      'Data do pagamento: 15/07/2026 10:31',
      'Referência: 912345678',
      'Documento emitido por software não certificado — não serve de fatura para efeitos fiscais.',
    ]);
  });

  it('renders a 23 % VAT invoice in English with NIF, ATCUD and no footer when certified', async () => {
    const text = await pdfText(await renderInvoicePdf(taxed, { certified: true }));
    expect(text).toEqual([
      'Clínica Fisio Lda',
      'Tax no. (NIF): 501964843',
      'Rua Augusta 1, 1100-048 Lisboa',
      'Invoice-Receipt',
      'No. FR 2026/18',
      'ATCUD:AAJFJMVNTN-18',
      'Date: 16/07/2026 00:05',
      'Customer',
      'Ana Silva',
      'Tax no. (NIF): 123456789',
      'Av. da Liberdade 10, 1250-001 Lisboa',
      'Description',
      'Qty',
      'Unit price',
      'VAT',
      'Total',
      'Kinesio tape',
      '2',
      '10,00 €',
      '23%',
      '24,60 €',
      'Massage oil',
      '1',
      '1 250,00 €',
      '23%',
      '1 537,50 €',
      'Total before VAT',
      '1 270,00 €',
      'VAT',
      '292,10 €',
      'Total due',
      '1 562,10 €',
      'Payment: Card',
      'Payment date: 16/07/2026 00:06',
    ]);
    const uncertified = await pdfText(await renderInvoicePdf(taxed));
    expect(uncertified.at(-1)).toBe(
      'Document issued by non-certified software — not a valid invoice for tax purposes.',
    );
  });

  it('renders a credit note with the invoice it corrects and the reason', async () => {
    const text = await pdfText(await renderInvoicePdf(credit));
    expect(text.slice(3, 12)).toEqual([
      'Nota de Crédito',
      'N.º NC 2026/3',
      'Data: 16/07/2026 15:00',
      'Cliente',
      'Ana Silva',
      'NIF: 123456789',
      'Refere-se a FR 2026/17',
      'Motivo: Sessão cancelada pela clínica',
      'Descrição',
    ]);
    expect(text).toContain('Total a creditar');
    expect(text).not.toContain('Total a pagar');
    expect(text.at(-1)).toBe(
      'Documento emitido por software não certificado — não serve de fatura para efeitos fiscais.',
    );
  });

  it('gives identical bytes when rendered again, and different bytes for a different document', async () => {
    const a = await renderInvoicePdf(taxed);
    const b = await renderInvoicePdf(structuredClone(taxed));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(await renderInvoicePdf({ ...taxed, number: 'FR 2026/19' }))).toBe(false);
  });

  it('is what the builtin provider issues: uncertified, no external id, no ATCUD', async () => {
    const provider = builtinInvoicing();
    expect(provider.name).toBe('builtin');
    const issued = await provider.issue(exempt);
    expect(issued).toMatchObject({ externalId: null, certified: false, atcud: null });
    expect(issued.pdf.equals(await renderInvoicePdf(exempt))).toBe(true);
    expect((await provider.pdf(exempt, null)).equals(issued.pdf)).toBe(true);
  });
});
