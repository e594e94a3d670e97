/**
 * Printing: the kiosk's check-in ticket ("Senha") on an 80 mm receipt printer and the desk's receipt
 * (the local server's `/receipts/:id` page). Pure parts: `ticketHtml` (the 80 mm layout: 72 mm printable,
 * a big monospace ticket code, room, wait, date and time in Europe/Lisbon, initials at most — never a
 * full name) and `printPlan` (printer or PDF). `runPrint` carries a plan out on a webContents: silent
 * print to the chosen printer (`webContents.print({ silent: true, deviceName })`), and a PDF under
 * userData/prints when no printer is chosen, the chosen one is gone, or printing fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PrintOutcome, TicketData } from '../shared/ipc-contract.ts';

/** Ticket paper: 80 mm wide roll, cut at 120 mm; in microns, as webContents.print's pageSize wants. */
export const TICKET_PAGE = { width: 80_000, height: 120_000 } as const;

const TEXT = {
  pt: { ticket: 'Senha', room: 'Sala', wait: 'Espera prevista', with: 'Com', noRoom: 'A indicar' },
  en: { ticket: 'Ticket', room: 'Room', wait: 'Estimated wait', with: 'With', noRoom: 'To be announced' },
} as const;

/** `s` with HTML's special characters escaped. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** `iso` as "dd/mm/yyyy HH:MM" in Europe/Lisbon (24 h). */
export function lisbonDateTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('pt-PT', {
    timeZone: 'Europe/Lisbon',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}`;
}

/**
 * The ticket as a standalone HTML page for an 80 mm roll (`@page { size: 80mm 120mm; margin: 4mm }`, so
 * 72 mm printable): clinic name, the ticket code big in monospace, room, estimated wait, practitioner,
 * initials when given, and the date and time in Europe/Lisbon. All text escaped; no scripts.
 * @param data a parsed `ticketData` (electron/shared/ipc-contract.ts)
 */
export function ticketHtml(data: TicketData): string {
  const t = TEXT[data.lang];
  const row = (label: string, value: string) =>
    `<p class="row"><span>${escapeHtml(label)}</span> <b>${escapeHtml(value)}</b></p>`;
  return `<!doctype html>
<html lang="${data.lang === 'pt' ? 'pt-PT' : 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(t.ticket)} ${escapeHtml(data.ticket)}</title>
<style>
@page { size: 80mm 120mm; margin: 4mm; }
html, body { margin: 0; padding: 0; }
body { width: 72mm; font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 11pt; color: #000; text-align: center; }
.clinic { font-size: 12pt; font-weight: bold; margin: 0 0 2mm; }
.label { font-size: 12pt; margin: 2mm 0 0; text-transform: uppercase; letter-spacing: 1pt; }
.ticket { font-family: 'DejaVu Sans Mono', 'Courier New', monospace; font-size: 40pt; font-weight: bold; margin: 1mm 0 3mm; }
.row { margin: 1mm 0; }
.when { font-size: 9pt; margin-top: 3mm; }
</style></head>
<body>
<p class="clinic">${escapeHtml(data.clinicName)}</p>
<p class="label">${escapeHtml(t.ticket)}</p>
<p class="ticket" data-ticket>${escapeHtml(data.ticket)}</p>
${row(t.room, data.room ?? t.noRoom)}
${row(t.wait, data.wait)}
${data.practitioner ? row(t.with, data.practitioner) : ''}
${data.initials ? `<p class="row">${escapeHtml(data.initials)}</p>` : ''}
<p class="when">${escapeHtml(lisbonDateTime(data.issuedAt))}</p>
</body></html>`;
}

/** Why a job goes to PDF. */
export type PdfReason = 'no_printer_chosen' | 'printer_missing' | 'print_failed';

/** Where a job goes: the named printer, or a PDF and why. */
export type PrintPlan = { to: 'printer'; device: string } | { to: 'pdf'; reason: PdfReason };

/**
 * The printer for a job: the chosen device when the OS still lists it, else a PDF
 * (`no_printer_chosen` when none is set, `printer_missing` when it is gone).
 * @param chosen the device name chosen for the job's role, or null
 * @param printers the printers the OS lists now (names)
 */
export function printPlan(chosen: string | null, printers: readonly { name: string }[]): PrintPlan {
  if (!chosen) return { to: 'pdf', reason: 'no_printer_chosen' };
  if (!printers.some((p) => p.name === chosen)) return { to: 'pdf', reason: 'printer_missing' };
  return { to: 'printer', device: chosen };
}

/** The webContents methods printing uses (Electron's WebContents has them). */
export interface PrintableContents {
  print(
    options: {
      silent: boolean;
      deviceName: string;
      printBackground: boolean;
      pageSize?: { width: number; height: number };
    },
    callback: (success: boolean, failureReason: string) => void,
  ): void;
  printToPDF(options: {
    printBackground: boolean;
    pageSize?: { width: number; height: number };
  }): Promise<Buffer | Uint8Array>;
}

/**
 * Prints `contents` silently on `deviceName`; resolves when the job is spooled.
 * @param pageSize in microns (e.g. TICKET_PAGE); omitted = the printer's default paper
 * @throws Error with the failure reason ("cancelled", "failed", "no valid printers…")
 */
export function printSilently(
  contents: PrintableContents,
  deviceName: string,
  pageSize?: { width: number; height: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    contents.print(
      { silent: true, deviceName, printBackground: true, ...(pageSize ? { pageSize } : {}) },
      (success, failureReason) => (success ? resolve() : reject(new Error(failureReason || 'print failed'))),
    );
  });
}

/**
 * Carries `plan` out: silent print, or on `to: 'pdf'` (and when printing fails) `printToPDF` written to
 * `<dir>/<fileName>.pdf` (dir created). Page size in microns; the PDF gets inches (printToPDF's unit).
 */
export async function runPrint(
  contents: PrintableContents,
  plan: PrintPlan,
  job: { dir: string; fileName: string; pageSize?: { width: number; height: number } },
): Promise<PrintOutcome & { reason: PdfReason | null }> {
  let reason: PdfReason | null = plan.to === 'pdf' ? plan.reason : null;
  if (plan.to === 'printer') {
    try {
      await printSilently(contents, plan.device, job.pageSize);
      return { to: 'printer', device: plan.device, pdfPath: null, reason: null };
    } catch (err) {
      console.warn(`print on ${plan.device} failed: ${(err as Error).message}; saving a PDF`);
      reason = 'print_failed';
    }
  }
  const pdf = await contents.printToPDF({
    printBackground: true,
    ...(job.pageSize
      ? { pageSize: { width: job.pageSize.width / 25_400, height: job.pageSize.height / 25_400 } }
      : {}),
  });
  fs.mkdirSync(job.dir, { recursive: true });
  const file = path.join(job.dir, `${job.fileName.replace(/[^\w.-]/g, '_')}.pdf`);
  fs.writeFileSync(file, pdf);
  return { to: 'pdf', device: null, pdfPath: file, reason };
}
