/**
 * Small tests of printing (./print.ts): the 80 mm ticket HTML (ticket, room, wait, Lisbon time, escaped
 * text, no full name), the printer-or-PDF plan, and `runPrint` on a fake webContents (silent print with
 * the ticket's page size; a PDF under the given folder when no printer is chosen or printing fails).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ticketData } from '../shared/ipc-contract.ts';
import {
  lisbonDateTime,
  printPlan,
  runPrint,
  ticketHtml,
  TICKET_PAGE,
  type PrintableContents,
} from './print.ts';

const ticket = ticketData.parse({
  ticket: 'A012',
  room: 'Sala 2',
  wait: '5 a 10 min',
  practitioner: 'Dra. Sofia Lopes',
  clinicName: 'Clínica <Demo>',
  issuedAt: '2026-07-01T09:30:00.000Z',
  initials: 'A. S.',
});

describe('ticketHtml', () => {
  it('lays the ticket out for an 80 mm roll with the ticket code big in monospace', () => {
    const html = ticketHtml(ticket);
    expect(html).toContain('@page { size: 80mm 120mm; margin: 4mm; }');
    expect(html).toContain('width: 72mm');
    expect(html).toMatch(
      /\.ticket \{ font-family: 'DejaVu Sans Mono', 'Courier New', monospace; font-size: 40pt/,
    );
    expect(html).toContain('<p class="ticket" data-ticket>A012</p>');
    expect(html).toContain('<span>Sala</span> <b>Sala 2</b>');
    expect(html).toContain('<span>Espera prevista</span> <b>5 a 10 min</b>');
    expect(html).toContain('<p class="row">A. S.</p>');
    // 09:30 UTC on 1 July is 10:30 in Lisbon (summer time).
    expect(html).toContain('01/07/2026 10:30');
    expect(html).toContain('Clínica &lt;Demo&gt;');
    expect(html).not.toContain('<Demo>');
    expect(html).not.toContain('<script');
  });

  it('prints in English when asked, and says the room is to be announced when there is none', () => {
    const html = ticketHtml({ ...ticket, lang: 'en', room: null, initials: null, practitioner: null });
    expect(html).toContain('<span>Room</span> <b>To be announced</b>');
    expect(html).toContain('Estimated wait');
    expect(html).not.toContain('A. S.');
    expect(html).not.toContain('Sofia');
  });

  it('shows Lisbon time in winter too (UTC+0)', () => {
    expect(lisbonDateTime('2026-12-02T23:59:00.000Z')).toBe('02/12/2026 23:59');
    expect(lisbonDateTime('2026-03-29T01:00:00.000Z')).toBe('29/03/2026 02:00');
  });
});

describe('printPlan', () => {
  const printers = [{ name: 'EPSON_TM' }, { name: 'HP_Desk' }];
  it('prints on the chosen printer while the OS lists it, else to a PDF saying why', () => {
    expect(printPlan('EPSON_TM', printers)).toEqual({ to: 'printer', device: 'EPSON_TM' });
    expect(printPlan(null, printers)).toEqual({ to: 'pdf', reason: 'no_printer_chosen' });
    expect(printPlan('Gone', printers)).toEqual({ to: 'pdf', reason: 'printer_missing' });
    expect(printPlan('EPSON_TM', [])).toEqual({ to: 'pdf', reason: 'printer_missing' });
  });
});

function fakeContents(printOk: boolean) {
  const calls: { print: unknown[]; pdf: unknown[] } = { print: [], pdf: [] };
  const contents: PrintableContents = {
    print(options, callback) {
      calls.print.push(options);
      setImmediate(() => callback(printOk, printOk ? '' : 'failed'));
    },
    async printToPDF(options) {
      calls.pdf.push(options);
      return Buffer.from('%PDF-1.7 fake');
    },
  };
  return { contents, calls };
}

describe('runPrint', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-print-'));

  it('prints silently on the device with the ticket’s 80 mm page size', async () => {
    const { contents, calls } = fakeContents(true);
    const out = await runPrint(
      contents,
      { to: 'printer', device: 'EPSON_TM' },
      {
        dir: dir(),
        fileName: 'ticket-1',
        pageSize: TICKET_PAGE,
      },
    );
    expect(out).toEqual({ to: 'printer', device: 'EPSON_TM', pdfPath: null, reason: null });
    expect(calls.print).toEqual([
      {
        silent: true,
        deviceName: 'EPSON_TM',
        printBackground: true,
        pageSize: { width: 80_000, height: 120_000 },
      },
    ]);
    expect(calls.pdf).toEqual([]);
  });

  it('falls back to a PDF when printing fails, and writes one when no printer is chosen', async () => {
    const d = dir();
    const failing = fakeContents(false);
    const out = await runPrint(
      failing.contents,
      { to: 'printer', device: 'EPSON_TM' },
      {
        dir: path.join(d, 'prints'),
        fileName: 'ticket 2:x',
        pageSize: TICKET_PAGE,
      },
    );
    expect(out).toEqual({
      to: 'pdf',
      device: null,
      pdfPath: path.join(d, 'prints', 'ticket_2_x.pdf'),
      reason: 'print_failed',
    });
    expect(fs.readFileSync(out.pdfPath!, 'utf8')).toBe('%PDF-1.7 fake');
    // printToPDF takes inches: 80 mm = 3.1496 in.
    expect(failing.calls.pdf).toEqual([
      { printBackground: true, pageSize: { width: 80_000 / 25_400, height: 120_000 / 25_400 } },
    ]);
    const none = fakeContents(true);
    const pdf = await runPrint(
      none.contents,
      { to: 'pdf', reason: 'no_printer_chosen' },
      { dir: d, fileName: 'receipt-1' },
    );
    expect(pdf).toMatchObject({
      to: 'pdf',
      reason: 'no_printer_chosen',
      pdfPath: path.join(d, 'receipt-1.pdf'),
    });
    expect(none.calls.print).toEqual([]);
    expect(none.calls.pdf).toEqual([{ printBackground: true }]);
  });
});
