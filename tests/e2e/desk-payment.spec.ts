/**
 * Taking payment at the desk (payments issue, part 7): from the board, record a cash payment for today's
 * appointment at the specialty's price, see the row turn 'Pago', and open the printable receipt (a new
 * window) with the clinic, receipt number, patient, specialty, practitioner, amount and method; then void
 * it (the row is unpaid again, the receipt says ANULADO). Screenshots at 1366×768 go to
 * test-results/screenshots/. The face engine is off (CFD_FACE=0): payments do not need it.
 */
import { expect, test, type Browser } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import type { Board } from '../../server/clinic/features/appointments/service.ts';
import { formatEuros } from '../../server/domain/money.ts';
import { openDesk } from './support/desk.ts';

const SCREENSHOTS = path.resolve('test-results/screenshots');

let server: TestServer;
let browser: Browser;

test.beforeEach(async () => {
  server = await startServer({ face: false });
  browser = await launchChromium();
});

test.afterEach(async () => {
  await browser.close();
  await server.stop();
});

/** `text` as a pattern that accepts any whitespace where it has spaces ('45,00 €' has a no-break space). */
const loose = (text: string) =>
  new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));

test('records a cash payment from the board, shows "Pago" and prints the receipt', async () => {
  const board = await server.api<Board>('GET', '/api/board');
  const specialty = board.specialties.find((s) => s.priceCents > 0)!;
  const practitioner = board.practitioners[0]!;
  const patient = await server.api<{ id: string }>('POST', '/api/patients', {
    fullName: 'Beatriz Teste Pagamento',
  });
  const target = await server.api<Board['appointments'][number]>('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: specialty.id,
    practitionerId: practitioner.id,
    startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  });
  const price = formatEuros(specialty.priceCents, 'pt');

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-PT' });
  const desk = await context.newPage();
  await openDesk(desk, server, 'receptionist');
  const row = desk.locator(`[data-testid="appt-row"][data-id="${target.id}"]`);
  await expect(row.getByTestId('payment-badge')).toHaveText('Por pagar');
  await expect(row.getByTestId('payment-badge')).toHaveAttribute('data-paid', 'false');

  // The desk fits 1366×768 without sideways scrolling.
  const overflow = await desk.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await row.getByTestId('action-payment').click();
  const dialog = desk.getByTestId('payment-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('payment-state')).toHaveText('Por pagar');
  await expect(dialog.getByTestId('payment-amount')).toHaveValue(
    `${Math.floor(specialty.priceCents / 100)},${String(specialty.priceCents % 100).padStart(2, '0')}`,
  );
  await expect(dialog).toContainText(loose(`Preço da especialidade: ${price}`));
  await dialog.getByLabel('Numerário').check();
  await expect(dialog.getByTestId('payment-method-cash')).toBeChecked();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await desk.screenshot({ path: path.join(SCREENSHOTS, 'desk-payment-dialog-1366x768.png') });

  await dialog.getByRole('button', { name: 'Registar pagamento' }).click();
  await expect(dialog.getByTestId('payment-state')).toHaveText(/Pago/);
  const receiptNumber = (await dialog.getByTestId('payment-receipt').textContent())!;
  expect(receiptNumber).toMatch(/^R \d{4}\/1$/); // the demo clinic's first receipt
  await expect(dialog.getByTestId('payment-status')).toContainText(`Recibo ${receiptNumber}`);
  await expect(row.getByTestId('payment-badge')).toHaveText(/Pago/);
  await expect(row.getByTestId('payment-badge')).toHaveAttribute('data-paid', 'true');
  await desk.screenshot({ path: path.join(SCREENSHOTS, 'desk-payment-paid-1366x768.png') });

  // "Imprimir recibo" opens the receipt page in a new window.
  const [receipt] = await Promise.all([
    context.waitForEvent('page'),
    dialog.getByRole('button', { name: 'Imprimir recibo' }).click(),
  ]);
  await receipt.waitForLoadState();
  expect(new URL(receipt.url()).pathname).toMatch(/^\/receipts\/[0-9a-f-]{36}$/);
  const paper = receipt.getByTestId('receipt');
  await expect(paper).toContainText(board.settings.clinicName);
  await expect(receipt.getByTestId('receipt-number')).toHaveText(receiptNumber);
  await expect(paper).toContainText('Beatriz Teste Pagamento');
  await expect(paper).toContainText(specialty.namePt);
  await expect(paper).toContainText(practitioner.displayName);
  await expect(receipt.getByTestId('receipt-amount')).toHaveText(loose(price));
  await expect(paper).toContainText('Numerário');
  await expect(paper).toContainText('Recibo — não substitui a fatura');
  await expect(paper).toContainText(/\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}/);
  await expect(paper).not.toContainText('ANULADO');
  await expect(receipt.getByRole('button', { name: 'Imprimir' })).toBeVisible();
  await receipt.setViewportSize({ width: 1366, height: 768 });
  await receipt.screenshot({ path: path.join(SCREENSHOTS, 'desk-payment-receipt-1366x768.png') });

  // The server agrees: the board marks the row paid.
  const after = await server.api<Board>('GET', '/api/board');
  expect(after.appointments.find((a) => a.id === target.id)?.paid).toBe(true);
  await desk.keyboard.press('Escape'); // a modal <dialog>: Esc closes it
  await expect(dialog).toHaveCount(0);
  await row.scrollIntoViewIfNeeded();
  await desk.screenshot({ path: path.join(SCREENSHOTS, 'desk-payment-board-1366x768.png') });

  // A mistaken payment is voided with a reason: the row is unpaid again, the receipt now says ANULADO.
  await row.getByTestId('action-payment').click();
  await dialog.getByRole('button', { name: 'Anular pagamento' }).click();
  await expect(dialog.getByTestId('payment-void-confirm')).toBeDisabled();
  await dialog.getByLabel('Motivo da anulação').fill('Registado na marcação errada');
  await dialog.getByTestId('payment-void-confirm').click();
  await expect(dialog.getByTestId('payment-state')).toHaveText('Por pagar');
  await expect(row.getByTestId('payment-badge')).toHaveText('Por pagar');
  await receipt.reload();
  await expect(receipt.getByTestId('receipt-void')).toContainText('ANULADO');
  await expect(receipt.getByTestId('receipt-number')).toHaveText(receiptNumber);
});
