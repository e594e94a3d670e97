/**
 * Paying for an appointment end to end, against the real central API with its embedded defaults (PGlite,
 * SMTP sink, SMS outbox, payment sandbox delivering callbacks over HTTP):
 * - phone (390 × 844, Portuguese): the demo patient books in the portal → the SMS with the payment link
 *   arrives in the dev SMS outbox → invoice details with a NIF → Multibanco reference → "paid" in the
 *   sandbox page → the payment page turns paid by itself (SSE) → the invoice email with its PDF is in the
 *   dev mailbox and "my appointments" offers the invoice;
 * - desk size (1280 × 800, English): MB WAY to a phone the sandbox never answers for → countdown →
 *   "expire now" in the sandbox → the page says it expired (via the poller) → resend → accept in the
 *   sandbox → paid, invoice to "Consumidor final".
 * axe-core checks the payment page; screenshots go to test-results/screenshots/ (pay-*).
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { launchChromium } from './support/browser.ts';
import { expectAccessible, shot } from './support/page-checks.ts';
import { startCentral, type TestCentral } from './support/central.ts';
import { DEMO_CLINIC, DEMO_PATIENT } from '../../server/domain/demo-clinic.ts';

const PHONE = `+351${DEMO_PATIENT.phone}`;

let central: TestCentral;
let browser: Browser;

test.beforeAll(async () => {
  central = await startCentral();
  browser = await launchChromium();
});

test.afterAll(async () => {
  await browser?.close();
  await central?.stop();
});

async function login(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${central.base}/login`);
  await page.getByTestId('login-email').fill(DEMO_PATIENT.email);
  await page.getByTestId('login-password').fill(DEMO_PATIENT.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('logout')).toBeVisible();
  return page;
}

/** Clicks one of the sandbox page's buttons for the request (fresh page load, like a person would). */
async function sandboxAction(page: Page, requestId: string, button: RegExp): Promise<void> {
  await page.goto(`${central.base}/dev/payments`);
  const form = page.locator(`form[aria-label$="${requestId}"]`);
  await form.getByRole('button', { name: button }).click();
  await expect(page).toHaveURL(`${central.base}/dev/payments`);
}

test('phone: book → SMS link → Multibanco → paid in the sandbox → invoice by email', async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'pt-PT',
    isMobile: true,
    hasTouch: true,
  });
  const page = await login(context);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // Book the first free time a week ahead.
  await page.getByTestId('home-book').click();
  await page.getByTestId('specialty-option').first().click();
  await page.getByTestId('choose-any').click();
  await page.getByTestId('next-week').click();
  await page.getByTestId('slot').first().click();
  await page.getByTestId('confirm-booking').click();
  await expect(page.getByTestId('booked')).toBeVisible();
  const code = (await page.getByTestId('detail-code').textContent())!.trim();

  // The payment link arrives by SMS (dev outbox) and opens without logging in.
  const sms = await central.waitForSms(PHONE, new RegExp(`\\(${code}\\)`));
  expect(sms.body).toMatch(
    new RegExp(
      `^Clínica Fisio Demo: consulta \\d{2}/\\d{2}, \\d{2}:\\d{2} \\(${code}\\)\\. Pode pagar já \\d+,\\d{2} € em \\S+ ou na receção\\.$`,
    ),
  );
  const link = sms.links[0]!;
  expect(new URL(link).pathname).toMatch(/^\/pay\/[A-Za-z0-9_-]{22}$/);
  const pay = await context.newPage();
  pay.setDefaultTimeout(20_000);
  await pay.goto(link);
  await expect(pay.getByTestId('pay-summary')).toContainText('Clínica Fisio Demo');
  await expect(pay.getByTestId('pay-sandbox')).toBeVisible();

  // Invoice details: a bad NIF is caught, a good one saved.
  await pay.getByTestId('pay-name').fill('Ana Demo');
  await pay.getByTestId('pay-nif').fill('501964842');
  await pay.getByTestId('pay-details-save').click();
  await expect(pay.getByTestId('pay-nif')).toHaveAttribute('aria-invalid', 'true');
  await pay.getByTestId('pay-nif').fill('501 964 843');
  await pay.getByTestId('pay-address').fill('Rua Augusta 1, 1100-053 Lisboa');
  await pay.getByTestId('pay-details-save').click();
  await expect(pay.getByTestId('pay-details-nif')).toHaveText('501964843');
  await expectAccessible(pay, 'pay-details');
  await shot(pay, 'pay-method-phone');

  // Multibanco: entity, reference and amount with copy buttons and the expiry.
  await pay.getByTestId('pay-method-multibanco').click();
  await pay.getByTestId('multibanco-get').click();
  await expect(pay.getByTestId('mb-entity')).toHaveText('12345');
  await expect(pay.getByTestId('mb-reference')).toHaveText(/^\d{3} \d{3} \d{3}$/);
  await expect(pay.getByTestId('mb-expires')).toBeVisible();
  await expectAccessible(pay, 'pay-multibanco');
  await shot(pay, 'pay-multibanco-phone');
  const reference = (await pay.getByTestId('mb-reference').textContent())!.replace(/\s/g, '');

  // "Pay" it in the sandbox; the sandbox calls our callback over HTTP; the page turns paid by itself.
  const request = (await central.sandboxRequests()).find((r) => r.reference === reference)!;
  expect(request.method).toBe('multibanco');
  const sandbox = await context.newPage();
  await sandboxAction(sandbox, request.requestId, /Pay \/ Pagar/);
  await shot(sandbox, 'pay-sandbox-phone');
  await expect(pay.getByTestId('pay-paid')).toBeVisible({ timeout: 20_000 });
  await expect(pay.getByTestId('pay-invoice-number')).toHaveText(/^FR \d{4}\/\d+$/, { timeout: 20_000 });
  const invoiceNumber = (await pay.getByTestId('pay-invoice-number').textContent())!.trim();
  await expectAccessible(pay, 'pay-paid');
  await shot(pay, 'pay-paid-phone');
  const pdf = await pay.request.get(
    `${central.base}${await pay.getByTestId('pay-invoice-download').getAttribute('href')}`,
  );
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // The invoice email with the PDF is in the dev mailbox.
  await expect
    .poll(async () =>
      (await central.mailbox()).find(
        (m) => m.to === DEMO_PATIENT.email && m.subject === `Fatura ${invoiceNumber}`,
      ),
    )
    .toMatchObject({
      attachments: [{ contentType: 'application/pdf', filename: expect.stringMatching(/\.pdf$/) }],
    });

  // My appointments: paid, with the invoice.
  await page.getByTestId('nav-appointments').click();
  const card = page.locator(`[data-testid="appointment"][data-code="${code}"]`);
  await expect(card.getByTestId('appointment-invoice')).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test('desk size: MB WAY expires, resend, accepted in the sandbox → paid', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const page = await login(context);
  const errors: string[] = [];

  // Book through the API with the session (the UI booking is covered above), then ask for a pay link.
  const from = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10);
  const avail = await page.request.get(
    `${central.base}/api/clinics/${DEMO_CLINIC.id}/availability?specialty=msk_physio&from=${from}&days=7`,
  );
  const days = ((await avail.json()) as { days: { slots: { startsAt: string }[] }[] }).days;
  const startsAt = days.flatMap((d) => d.slots).at(-1)!.startsAt;
  const held = await page.request.post(`${central.base}/api/holds`, {
    data: { clinicId: DEMO_CLINIC.id, specialty: 'msk_physio', startsAt },
  });
  expect(held.status()).toBe(201);
  const { hold } = (await held.json()) as { hold: { id: string } };
  const confirmed = await page.request.post(`${central.base}/api/holds/${hold.id}/confirm`);
  const { appointment } = (await confirmed.json()) as { appointment: { id: string } };
  const linkRes = await page.request.post(`${central.base}/api/me/appointments/${appointment.id}/pay-link`);
  expect(linkRes.status()).toBe(200);
  const { url } = (await linkRes.json()) as { url: string };

  const pay = await context.newPage();
  pay.setDefaultTimeout(20_000);
  pay.on('pageerror', (e) => errors.push(e.message));
  await pay.goto(url);
  await pay.getByTestId('pay-name').fill('Ana Demo');
  await pay.getByTestId('pay-details-save').click();
  await expect(pay.getByTestId('pay-details-nif')).toBeVisible();

  // MB WAY: a landline is refused with a clear message; a mobile the sandbox never answers for.
  await pay.getByTestId('pay-method-mbway').click();
  await pay.getByTestId('mbway-phone').fill('213 000 000');
  await pay.getByTestId('mbway-send').click();
  await expect(pay.getByTestId('mbway-phone')).toHaveAttribute('aria-invalid', 'true');
  await pay.getByTestId('mbway-phone').fill('910 000 003');
  await pay.getByTestId('mbway-send').click();
  await expect(pay.getByTestId('mbway-countdown')).toHaveText(/^[34]:[0-5]\d$/);
  await expectAccessible(pay, 'pay-mbway');
  await shot(pay, 'pay-mbway-desk');

  const sandbox = await context.newPage();
  const first = (await central.sandboxRequests()).find(
    (r) => r.method === 'mbway' && r.status === 'pending',
  )!;
  await sandboxAction(sandbox, first.requestId, /Expire now/);
  // The poller learns the expiry from the provider (no callback for it) and the page says so.
  await expect(pay.getByTestId('mbway-expired')).toBeVisible({ timeout: 30_000 });
  await shot(pay, 'pay-mbway-expired-desk');

  // Resend: a new request to the same phone, a fresh countdown.
  await pay.getByTestId('mbway-resend').click();
  await expect(pay.getByTestId('mbway-countdown')).toHaveText(/^[34]:[0-5]\d$/);
  await expect
    .poll(async () => (await central.sandboxRequests()).filter((r) => r.method === 'mbway').length)
    .toBe(2);
  const second = (await central.sandboxRequests()).find(
    (r) => r.method === 'mbway' && r.status === 'pending' && r.requestId !== first.requestId,
  )!;
  await sandboxAction(sandbox, second.requestId, /Accept/);
  await expect(pay.getByTestId('pay-paid')).toBeVisible({ timeout: 20_000 });
  await expect(pay.getByTestId('pay-invoice-number')).toHaveText(/^FR \d{4}\/\d+$/, { timeout: 20_000 });
  await shot(pay, 'pay-paid-desk');
  expect(errors).toEqual([]);
  await context.close();
});
