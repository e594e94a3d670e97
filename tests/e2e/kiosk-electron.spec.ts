/**
 * The kiosk as it runs inside the Electron app (issue 11), in Chromium with the app's bridge stood in:
 * `window.cfd` is what electron/preload/index.ts exposes, here a stand-in that records each call, answers
 * as main would, and sends the staff PIN to the real local server's `POST /api/kiosk/exit-check` (as
 * main's `httpPinChecker` does). Checks: after a check-in the "Imprimir senha" button sends a ticket that
 * the IPC contract accepts (initials at most, never the full name); holding the top-right corner for 3 s
 * opens the PIN pad; a wrong PIN is refused by the server; the demo staff PIN leaves kiosk mode and opens
 * the staff menu (camera, ticket printer, auto-print); the desk's Configuração → Impressoras saves the
 * receipt printer through the bridge. Screenshots at kiosk, desk and phone sizes.
 */
import { expect, test, type Page } from '@playwright/test';
import { ipcContract } from '../../electron/shared/ipc-contract.ts';
import { launchChromium } from './support/browser.ts';
import { bookNewPatient, startServer } from './support/server.ts';
import { openDesk } from './support/desk.ts';
import { expectAccessible, shot } from './support/page-checks.ts';

/** The bridge stand-in, installed before the page's scripts run (a string: it runs in the page). */
const BRIDGE = `
(() => {
  const calls = [];
  window.__cfdCalls = calls;
  const ok = (value) => Promise.resolve({ ok: true, value });
  const record = (name, input, value) => { calls.push([name, input]); return ok(value); };
  let settings = { ticket: null, receipt: null, autoPrintTicket: false };
  window.cfd = {
    appVersion: () => ok({ version: '0.1.0', packaged: true }),
    screensList: () => ok([]),
    screensAssign: (input) => record('screensAssign', input, input),
    kioskLeave: async (input) => {
      calls.push(['kioskLeave', input]);
      const res = await fetch('/api/kiosk/exit-check', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cfd-screen': 'kiosk' },
        body: JSON.stringify(input),
      });
      if (res.ok) return { ok: true, value: { left: true } };
      return { ok: false, error: (await res.json()).error };
    },
    printPrinters: () => ok([{ name: 'TM_T20', displayName: 'EPSON TM-T20 (80 mm)', isDefault: true }]),
    printTicket: (input) => record('printTicket', input, { to: 'printer', device: 'TM_T20', pdfPath: null }),
    printReceipt: (input) => record('printReceipt', input, { to: 'pdf', device: null, pdfPath: '/tmp/r.pdf' }),
    printSettingsGet: () => ok(settings),
    printSettingsSet: (input) => { settings = { ...settings, ...input }; return record('printSettingsSet', input, settings); },
    cameraGet: () => ok(null),
    cameraSet: (input) => record('cameraSet', input, input),
  };
})();
`;

/** The calls the page made on the bridge, as [name, input]. */
function calls(page: Page): Promise<[string, unknown][]> {
  return page.evaluate(() => (window as unknown as { __cfdCalls: [string, unknown][] }).__cfdCalls);
}

/** Presses and holds the kiosk's hidden staff corner for `ms`. */
async function holdCorner(page: Page, ms: number): Promise<void> {
  const box = (await page.getByTestId('kiosk-staff-corner').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(ms);
  await page.mouse.up();
}

test('in the app: prints the ticket through the bridge, and staff leave kiosk mode with their PIN', async () => {
  const server = await startServer({ face: false });
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    const { appointment } = await bookNewPatient(server, 'Inês Impressa Tavares', 10);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    await context.addInitScript({ content: BRIDGE });
    const kiosk = await context.newPage();
    await kiosk.goto(server.page('kiosk'));
    await kiosk.getByTestId('use-code').click();
    await kiosk.getByTestId('code-input').fill(appointment.bookingCode);
    await kiosk.getByTestId('code-submit').click();
    await kiosk.getByTestId('confirm-yes').click();
    await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'checked-in');

    // "Imprimir senha": one call, accepted by the IPC contract, with the ticket and no full name.
    await kiosk.getByTestId('print-ticket').click();
    await expect(kiosk.getByRole('status').filter({ hasText: /impress|print/i })).toBeVisible();
    const printed = (await calls(kiosk)).filter(([name]) => name === 'printTicket');
    expect(printed).toHaveLength(1);
    const ticket = ipcContract['print:ticket'].input.parse(printed[0]![1]);
    expect(ticket.ticket).toBe(await kiosk.getByTestId('checked-in-ticket').textContent());
    expect(JSON.stringify(ticket)).not.toMatch(/Impressa|Tavares/);
    await expectAccessible(kiosk, 'kiosk checked in, in the app');
    await shot(kiosk, 'kiosk-app-checked-in-1080x1920');

    // A short press does nothing; a 3 s hold opens the PIN pad.
    await holdCorner(kiosk, 500);
    await expect(kiosk.getByRole('dialog')).toHaveCount(0);
    await holdCorner(kiosk, 3_300);
    await expect(kiosk.locator('#kiosk-staff-pin')).toBeVisible();
    await expectAccessible(kiosk, 'kiosk staff PIN pad');
    await shot(kiosk, 'kiosk-app-staff-pin-1080x1920');

    // A wrong PIN: refused by the local server, the kiosk stays locked.
    await kiosk.locator('#kiosk-staff-pin').fill('1357');
    await kiosk.locator('#kiosk-staff-pin').press('Enter');
    await expect(kiosk.getByRole('alert')).toBeVisible();
    await expect(kiosk.getByTestId('kiosk-staff-menu')).toHaveCount(0);

    // The demo staff PIN (tests/e2e/desk-staff.spec.ts) leaves kiosk mode; the staff menu opens.
    await kiosk.locator('#kiosk-staff-pin').fill('2468');
    await kiosk.locator('#kiosk-staff-pin').press('Enter');
    await expect(kiosk.getByTestId('kiosk-staff-menu')).toBeVisible();
    expect((await calls(kiosk)).filter(([name]) => name === 'kioskLeave')).toEqual([
      ['kioskLeave', { pin: '1357' }],
      ['kioskLeave', { pin: '2468' }],
    ]);
    await expectAccessible(kiosk, 'kiosk staff menu');
    await shot(kiosk, 'kiosk-app-staff-menu-1080x1920');
    await kiosk.setViewportSize({ width: 390, height: 844 });
    await shot(kiosk, 'kiosk-app-staff-menu-phone');

    // The desk in the app: Configuração → Impressoras chooses the receipt printer, saved through the
    // bridge (main's print settings); the section exists only where the bridge does.
    const desk = await context.newPage();
    await desk.setViewportSize({ width: 1440, height: 900 });
    await openDesk(desk, server, 'admin');
    await desk.getByTestId('tab-settings').click();
    await desk.getByTestId('settings-section-printers').click();
    await expect(desk.getByTestId('ticket-printer')).toHaveText('Nenhuma (a senha fica só no ecrã)');
    await desk.getByTestId('receipt-printer').selectOption('TM_T20');
    await expect(desk.getByTestId('printers-message')).toHaveText('Impressora de recibos guardada.');
    expect((await calls(desk)).filter(([name]) => name === 'printSettingsSet')).toEqual([
      ['printSettingsSet', { receipt: 'TM_T20' }],
    ]);
    await expect(desk.getByTestId('receipt-printer')).toHaveValue('TM_T20');
    await expectAccessible(desk, 'desk printers settings, in the app');
    await shot(desk, 'desk-app-printers-1440x900');
    await desk.setViewportSize({ width: 390, height: 844 });
    await shot(desk, 'desk-app-printers-phone');
  } finally {
    await browser?.close();
    await server.stop();
  }
});
