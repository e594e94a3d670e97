/**
 * Tests of the InvoiceXpress provider (invoicexpress.ts) against a local node:http fake that answers as
 * the v2 documentation describes: create (201), change-state (200, with ATCUD), the PDF endpoint (202
 * then 200 with output.pdfUrl) and the download; a 422 validation error; and the env config.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InvoiceDocument } from './document.ts';
import {
  createInvoicexpressProvider,
  invoicexpressBody,
  invoicexpressConfigFromEnv,
  InvoicexpressError,
} from './invoicexpress.ts';

const KEY = 'k3y/with+chars';
const PDF_BYTES = Buffer.from('%PDF-1.4\n% fake InvoiceXpress PDF\n%%EOF\n', 'latin1');

const invoice: InvoiceDocument = {
  kind: 'invoice',
  series: 'FR',
  year: 2026,
  sequence: 17,
  number: 'FR 2026/17',
  atcud: null,
  issuedAt: new Date('2026-07-15T23:30:00Z'),
  issuer: { name: 'Clínica Fisio Lda', nif: '501964843', address: 'Rua Augusta 1, Lisboa' },
  buyer: { name: 'Ana Silva', nif: '123456789', address: 'Av. da Liberdade 10, Lisboa' },
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
    {
      description: 'Kinesio tape',
      quantity: 2,
      unitCents: 1000,
      vatRateBp: 2300,
      netCents: 2000,
      vatCents: 460,
      totalCents: 2460,
    },
  ],
  netCents: 6500,
  vatCents: 460,
  totalCents: 6960,
  vatExemption: 'Isento nos termos do art. 9.º do CIVA',
  payment: { method: 'card', paidAt: new Date('2026-07-15T23:30:00Z'), reference: null },
  refersTo: null,
  reason: null,
  locale: 'pt',
};

const creditNote: InvoiceDocument = {
  ...invoice,
  kind: 'credit_note',
  series: 'NC',
  sequence: 2,
  number: 'NC 2026/2',
  buyer: { name: 'Consumidor final', nif: '999999990', address: null },
  lines: [invoice.lines[0]!],
  netCents: 4500,
  vatCents: 0,
  totalCents: 4500,
  payment: null,
  refersTo: 'FR 2026/17',
  reason: 'Sessão cancelada',
};

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

describe('InvoiceXpress provider', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let pdfPolls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = raw ? (JSON.parse(raw) as { invoice?: { client?: { name?: string } } }) : null;
        seen.push({ method: req.method!, url: req.url!, body });
        const url = new URL(req.url!, base);
        const json = (status: number, value: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (url.pathname === '/files/1050.pdf' || url.pathname === '/files/2001.pdf') {
          res.writeHead(200, { 'content-type': 'application/pdf' });
          return res.end(PDF_BYTES);
        }
        if (url.searchParams.get('api_key') !== KEY)
          return json(401, { errors: [{ error: 'Access denied' }] });
        if (req.method === 'POST' && url.pathname === '/invoice_receipts.json') {
          if (body?.invoice?.client?.name === 'Bad') {
            return json(422, {
              errors: [{ error: 'Client fiscal id is invalid' }, { error: 'Date is invalid' }],
            });
          }
          return json(201, { invoice_receipt: { id: 1050, status: 'draft', sequence_number: 'rascunho' } });
        }
        if (req.method === 'PUT' && url.pathname === '/invoice_receipts/1050/change-state.json') {
          return json(200, {
            invoice_receipt: {
              id: 1050,
              status: 'settled',
              sequence_number: '17/FR',
              atcud: 'AAJFJMVNTN-17',
            },
          });
        }
        if (req.method === 'POST' && url.pathname === '/credit_notes.json') {
          return json(201, { credit_note: { id: 2001, status: 'draft' } });
        }
        if (req.method === 'PUT' && url.pathname === '/credit_notes/2001/change-state.json') {
          return json(200, { invoice: { id: 2001, status: 'final', atcud: '' } });
        }
        if (req.method === 'GET' && url.pathname === '/api/pdf/1050.json') {
          pdfPolls++;
          if (pdfPolls < 3) {
            res.writeHead(202);
            return res.end();
          }
          return json(200, { output: { pdfUrl: `${base}/files/1050.pdf` } });
        }
        if (req.method === 'GET' && url.pathname === '/api/pdf/2001.json') {
          return json(200, { output: { pdfUrl: `${base}/files/2001.pdf` } });
        }
        return json(404, { errors: [{ error: 'Not found' }] });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    pdfPolls = 0;
  });

  const provider = (extra: Partial<Parameters<typeof createInvoicexpressProvider>[0]> = {}) =>
    createInvoicexpressProvider({ accountName: 'clinica', apiKey: KEY, baseUrl: base, pollMs: 5, ...extra });
  const q = `?api_key=${encodeURIComponent(KEY)}`;

  it('creates, finalizes and fetches the PDF of a fatura-recibo (polling through 202)', async () => {
    const p = provider();
    expect(p.name).toBe('invoicexpress');
    const issued = await p.issue(invoice);
    expect(issued).toEqual({
      externalId: '1050',
      pdf: PDF_BYTES,
      certified: true,
      atcud: 'ATCUD:AAJFJMVNTN-17',
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: `/invoice_receipts.json${q}`,
        body: {
          invoice: {
            // 23:30 UTC on 15 July is 00:30 on 16 July in Lisbon.
            date: '16/07/2026',
            due_date: '16/07/2026',
            reference: 'FR 2026/17',
            observations: 'Ref. FR 2026/17',
            tax_exemption: 'M07',
            client: {
              name: 'Ana Silva',
              code: '123456789',
              fiscal_id: '123456789',
              address: 'Av. da Liberdade 10, Lisboa',
              country: 'Portugal',
            },
            items: [
              {
                name: 'Sessão de fisioterapia',
                description: 'Sessão de fisioterapia',
                unit_price: 45,
                quantity: 1,
                tax: { name: 'IVA0' },
              },
              {
                name: 'Kinesio tape',
                description: 'Kinesio tape',
                unit_price: 10,
                quantity: 2,
                tax: { name: 'IVA23' },
              },
            ],
          },
        },
      },
      {
        method: 'PUT',
        url: `/invoice_receipts/1050/change-state.json${q}`,
        body: { invoice: { state: 'finalized' } },
      },
      { method: 'GET', url: `/api/pdf/1050.json${q}`, body: null },
      { method: 'GET', url: `/api/pdf/1050.json${q}`, body: null },
      { method: 'GET', url: `/api/pdf/1050.json${q}`, body: null },
      { method: 'GET', url: '/files/1050.pdf', body: null },
    ]);
  });

  it('issues a credit note to a consumidor final linked to the original invoice', async () => {
    const asked: string[] = [];
    const issued = await provider({
      ownerInvoiceId: async (refersTo) => {
        asked.push(refersTo);
        return '1050';
      },
    }).issue(creditNote);
    expect(asked).toEqual(['FR 2026/17']);
    expect(issued).toEqual({ externalId: '2001', pdf: PDF_BYTES, certified: true, atcud: null });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `POST /credit_notes.json${q}`,
      `PUT /credit_notes/2001/change-state.json${q}`,
      `GET /api/pdf/2001.json${q}`,
      'GET /files/2001.pdf',
    ]);
    expect(seen[0]!.body).toEqual({
      invoice: {
        date: '16/07/2026',
        due_date: '16/07/2026',
        reference: 'FR 2026/17',
        observations: 'Refere-se a FR 2026/17. Motivo: Sessão cancelada',
        tax_exemption: 'M07',
        owner_invoice_id: '1050',
        client: { name: 'Consumidor final', code: '999999990', country: 'Portugal' },
        items: [
          {
            name: 'Sessão de fisioterapia',
            description: 'Sessão de fisioterapia',
            unit_price: 45,
            quantity: 1,
            tax: { name: 'IVA0' },
          },
        ],
      },
    });
  });

  it('maps a 422 to an InvoicexpressError with the listed errors and without the api key', async () => {
    const err = await provider()
      .issue({ ...invoice, buyer: { ...invoice.buyer, name: 'Bad' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoicexpressError);
    expect(err).toMatchObject({
      message:
        'InvoiceXpress POST /invoice_receipts.json → 422: Client fiscal id is invalid; Date is invalid',
      status: 422,
      errors: ['Client fiscal id is invalid', 'Date is invalid'],
    });
    expect((err as Error).message).not.toContain(KEY);
    expect(seen).toHaveLength(1);
    await expect(
      createInvoicexpressProvider({ accountName: 'clinica', apiKey: 'wrong', baseUrl: base }).issue(invoice),
    ).rejects.toThrow('InvoiceXpress POST /invoice_receipts.json → 401: Access denied');
  });

  it('fetches the PDF of an issued document again, and gives up after maxPolls', async () => {
    expect((await provider().pdf(invoice, '1050')).equals(PDF_BYTES)).toBe(true);
    expect(pdfPolls).toBe(3);
    pdfPolls = 0;
    await expect(provider({ maxPolls: 2 }).pdf(invoice, '1050')).rejects.toThrow(
      'InvoiceXpress PDF 1050: still being generated after 2 polls',
    );
    await expect(provider().pdf(invoice, null)).rejects.toThrow(
      'InvoiceXpress pdf: the document has no InvoiceXpress id',
    );
  });

  it('defaults to the account subdomain', async () => {
    const urls: string[] = [];
    const fakeFetch = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ errors: ['nope'] }), { status: 404 });
    }) as unknown as typeof fetch;
    await expect(
      createInvoicexpressProvider({ accountName: 'clinica', apiKey: 'abc', fetch: fakeFetch }).pdf(
        invoice,
        '7',
      ),
    ).rejects.toThrow('InvoiceXpress GET /api/pdf/7.json → 404: nope');
    expect(urls).toEqual(['https://clinica.app.invoicexpress.com/api/pdf/7.json?api_key=abc']);
  });
});

describe('invoicexpress config and body', () => {
  it('reads both env variables, an empty one counting as unset', () => {
    expect(
      invoicexpressConfigFromEnv({ INVOICEXPRESS_ACCOUNT: 'clinica', INVOICEXPRESS_API_KEY: 'abc' }),
    ).toEqual({
      accountName: 'clinica',
      apiKey: 'abc',
    });
    expect(invoicexpressConfigFromEnv({})).toBeNull();
    expect(invoicexpressConfigFromEnv({ INVOICEXPRESS_ACCOUNT: 'clinica' })).toBeNull();
    expect(
      invoicexpressConfigFromEnv({ INVOICEXPRESS_ACCOUNT: 'clinica', INVOICEXPRESS_API_KEY: '' }),
    ).toBeNull();
    expect(
      invoicexpressConfigFromEnv({ INVOICEXPRESS_ACCOUNT: ' ', INVOICEXPRESS_API_KEY: 'abc' }),
    ).toBeNull();
  });

  it('sends no tax_exemption when no line is exempt, and a custom exemption code when asked', () => {
    const taxed = { ...invoice, lines: [invoice.lines[1]!] };
    expect(invoicexpressBody(taxed).invoice).not.toHaveProperty('tax_exemption');
    expect(invoicexpressBody(invoice, { exemptionCode: 'M10' }).invoice.tax_exemption).toBe('M10');
  });
});
