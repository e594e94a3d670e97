/**
 * The patient portal against the real central API (PGlite, SMTP sink, demo clinic), on a phone (390 × 844,
 * Portuguese browser) and at desk size (1280 × 800, English browser): sign up → open the verification link
 * from the dev mailbox → logged in → book (specialty, any practitioner, first time, confirm) → the booking
 * code in "My appointments" → reschedule to another time → cancel → shown as cancelled. axe-core checks
 * every main page for WCAG 2.2 AA violations; screenshots go to test-results/screenshots/.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launchChromium } from './support/browser.ts';
import { expectAccessible, shot as shotNamed } from './support/page-checks.ts';
import { startCentral, type TestCentral } from './support/central.ts';
import { DEMO_PATIENT } from '../../server/domain/demo-clinic.ts';
import { addDays, clinicDate } from '../../server/domain/time.ts';

const VIEWPORTS = [
  {
    name: 'phone',
    viewport: { width: 390, height: 844 },
    locale: 'pt-PT',
    htmlLang: 'pt-PT',
    isMobile: true,
  },
  {
    name: 'desktop',
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    htmlLang: 'en',
    isMobile: false,
  },
] as const;

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

/** Waits for the page heading (focused on navigation) to read `text`. */
async function expectHeading(page: Page, text: RegExp): Promise<void> {
  await expect(page.getByTestId('page-heading')).toHaveText(text);
}

for (const vp of VIEWPORTS) {
  test(`sign up, book, reschedule and cancel on the ${vp.name}`, async () => {
    const context = await browser.newContext({
      viewport: vp.viewport,
      locale: vp.locale,
      isMobile: vp.isMobile,
      hasTouch: vp.isMobile,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const email = `e2e.${vp.name}.${Date.now()}@example.com`;
    const pt = vp.htmlLang === 'pt-PT';

    // Landing page: clinic name, book button; the language follows the browser.
    await page.goto(central.base + '/');
    await expectHeading(page, /Clínica Fisio Demo/);
    await expect(page.locator('html')).toHaveAttribute('lang', vp.htmlLang);
    await expect(page.getByTestId(`lang-${pt ? 'pt' : 'en'}`)).toHaveAttribute('aria-pressed', 'true');
    await expectAccessible(page, 'home');
    await shot(page, 'home', vp.name);

    // Sign up; a bad phone number is caught before sending, tied to its input.
    await page.getByTestId('home-signup').click();
    await expectHeading(page, pt ? /Criar conta/ : /Sign up/);
    await page.getByTestId('signup-name').fill(`Teste ${vp.name} Portal`);
    await page.getByTestId('signup-email').fill(email);
    await page.getByTestId('signup-phone').fill('12345');
    await page.getByTestId('signup-password').fill('um passeio ao rio 2026');
    await page.getByTestId('signup-nif').fill('501964843');
    await page.getByTestId('signup-submit').click();
    const phone = page.getByTestId('signup-phone');
    await expect(phone).toHaveAttribute('aria-invalid', 'true');
    await expect(phone).toBeFocused();
    const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
    const errorId = (await page.getByTestId('signup-phone-error').getAttribute('id'))!;
    expect(describedBy.split(' ')).toContain(errorId);
    await expectAccessible(page, 'signup-error');
    await shot(page, 'signup', vp.name);
    await phone.fill('912 345 678');
    await page.getByTestId('signup-submit').click();

    // "Check your e-mail", then the link from the dev mailbox logs the patient in.
    await expect(page.getByTestId('check-email')).toBeVisible();
    await expect(page.getByTestId('check-email')).toContainText(email);
    await expectAccessible(page, 'check-email');
    await shot(page, 'check-email', vp.name);
    const link = await central.waitForLink(email, '/verify-email');
    await page.goto(link);
    await expect(page.getByTestId('flash')).toBeVisible();
    await expect(page.getByTestId('logout')).toBeVisible();
    await expect(page).toHaveURL(central.base + '/');

    // Book: specialty → any practitioner → first free time next week (outside the clinic's 24-hour
    // change deadline, so it can be rescheduled and cancelled online) → review with countdown → confirm.
    await page.getByTestId('home-book').click();
    await expect(page.getByTestId('specialty-option').first()).toBeVisible();
    await expectAccessible(page, 'book-specialty');
    await shot(page, 'book-specialty', vp.name);
    await page.getByTestId('specialty-option').first().click();

    await expect(page.getByTestId('choose-any')).toBeVisible();
    await expect(page.getByTestId('practitioner-option').first()).toBeVisible();
    await expect(page.getByTestId('practitioner-option').first().locator('img')).toHaveJSProperty(
      'complete',
      true,
    );
    await expectAccessible(page, 'book-practitioner');
    await shot(page, 'book-practitioner', vp.name);
    await page.getByTestId('choose-any').click();

    await expect(page.getByTestId('slot').first()).toBeVisible();
    await expect(page.getByTestId('day')).toHaveCount(7);
    await expectAccessible(page, 'book-slots');
    await shot(page, 'book-slots', vp.name);
    const weekStart = await page.getByTestId('day').first().getAttribute('data-date');
    await page.getByTestId('next-week').click();
    await expect(page.getByTestId('day').first()).not.toHaveAttribute('data-date', weekStart!);
    const firstSlot = page.getByTestId('slot').first();
    await expect(firstSlot).toHaveText(/^\d{2}:\d{2}$/);
    const firstStartsAt = (await firstSlot.getAttribute('data-starts-at'))!;
    await firstSlot.click();

    await expect(page.getByTestId('hold-timer')).toContainText(/[0-7]:[0-5]\d/);
    await expectAccessible(page, 'book-review');
    await shot(page, 'book-review', vp.name);
    await page.getByTestId('confirm-booking').click();

    await expect(page.getByTestId('booked')).toBeVisible();
    const code = (await page.getByTestId('detail-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    await expect(page.getByTestId('qr')).toHaveJSProperty('complete', true);
    expect(
      await page.getByTestId('qr').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);
    await expect(page.getByTestId('add-to-calendar')).toHaveAttribute('href', /calendar\.ics$/);
    await expectAccessible(page, 'booked');
    await shot(page, 'booked', vp.name);

    // My appointments: the booking with its code.
    await page.getByTestId('nav-appointments').click();
    const booked = page.locator(`[data-testid="appointment"][data-code="${code}"]`);
    await expect(booked).toBeVisible();
    await expect(booked.getByTestId('booking-code')).toHaveText(code);
    await expect(booked.getByTestId('appointment-status')).toHaveAttribute('data-status', 'confirmed');
    await expectAccessible(page, 'appointments');
    await shot(page, 'appointments', vp.name);

    // Reschedule: same specialty and practitioner, another time.
    await booked.getByTestId('appointment-reschedule').click();
    await expect(page.getByTestId('slot').first()).toBeVisible();
    await expect(page.getByTestId('choices')).toBeVisible();
    await expectAccessible(page, 'reschedule-slots');
    await shot(page, 'reschedule-slots', vp.name);
    const rescheduleWeek = await page.getByTestId('day').first().getAttribute('data-date');
    await page.getByTestId('next-week').click();
    await expect(page.getByTestId('day').first()).not.toHaveAttribute('data-date', rescheduleWeek!);
    const other = page.locator(`[data-testid="slot"]:not([data-starts-at="${firstStartsAt}"])`).first();
    await other.click();
    await expect(page.getByTestId('hold-timer')).toBeVisible();
    await page.getByTestId('confirm-booking').click();
    await expect(page.getByTestId('booked')).toBeVisible();
    const newCode = (await page.getByTestId('detail-code').textContent())!.trim();
    expect(newCode).toMatch(/^[A-Z0-9]{6}$/);
    await shot(page, 'rescheduled', vp.name);

    // The list shows the new booking, confirmed; the replaced one is not listed twice.
    await page.getByTestId('back-to-list').click();
    const moved = page.locator(`[data-testid="appointment"][data-code="${newCode}"]`);
    await expect(moved.getByTestId('appointment-status')).toHaveAttribute('data-status', 'confirmed');
    if (newCode !== code) {
      await expect(page.locator(`[data-testid="appointment"][data-code="${code}"]`)).toHaveCount(0);
    }

    // Cancel the new one through the confirm dialog.
    await moved.getByTestId('appointment-cancel').click();
    const dialog = page.getByTestId('cancel-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('cancel-confirm')).toBeVisible();
    await expectAccessible(page, 'cancel-dialog');
    await shot(page, 'cancel-dialog', vp.name);
    await page.getByTestId('cancel-confirm').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('flash')).toBeVisible();
    await expect(moved.getByTestId('appointment-status')).toHaveAttribute('data-status', 'cancelled');
    await expect(moved.getByTestId('appointment-cancel')).toHaveCount(0);
    await shot(page, 'cancelled', vp.name);

    // Account page.
    await page.getByTestId('nav-account').click();
    await expect(page.getByTestId('account-email')).toHaveText(email);
    await expectAccessible(page, 'account');
    await shot(page, 'account', vp.name);

    // The other language: the switch updates <html lang> and the text, and is remembered.
    const otherLang = pt ? 'en' : 'pt';
    await page.getByTestId(`lang-${otherLang}`).click();
    await expect(page.locator('html')).toHaveAttribute('lang', otherLang === 'pt' ? 'pt-PT' : 'en');
    await expectHeading(page, otherLang === 'pt' ? /A minha conta/ : /My account/);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', otherLang === 'pt' ? 'pt-PT' : 'en');
    await expectAccessible(page, 'account-other-language');

    // Log out: private pages now send to the login page.
    await page.getByTestId('logout').click();
    await expect(page.getByTestId('nav-login')).toBeVisible();
    await page.goto(central.base + '/appointments');
    await expect(page).toHaveURL(/\/login\?next=%2Fappointments/);
    await expectAccessible(page, 'login');
    await shot(page, 'login', vp.name);

    expect(pageErrors).toEqual([]);
    await context.close();
  });
}

test('the demo patient logs in, returns to the page they asked for, and sees changes live', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-PT' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(central.base + '/account');
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
  await page.getByTestId('login-email').fill(DEMO_PATIENT.email);
  await page.getByTestId('login-password').fill('wrong-password-123');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await page.getByTestId('login-password').fill(DEMO_PATIENT.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(central.base + '/account');
  await expect(page.getByTestId('account-email')).toHaveText(DEMO_PATIENT.email);

  // Book through the API with the page's own session, then watch "My appointments" while the booking
  // is cancelled elsewhere (here: the API again): the server's event updates the card without a reload.
  const api = page.request;
  const headers = { origin: central.base };
  const { clinics } = (await (await api.get(`${central.base}/api/clinics`)).json()) as {
    clinics: { id: string }[];
  };
  const clinicId = clinics[0]!.id;
  const from = addDays(clinicDate(Date.now()), 8);
  const availability = (await (
    await api.get(
      `${central.base}/api/clinics/${clinicId}/availability?specialty=massage&from=${from}&days=7`,
    )
  ).json()) as { days: { slots: { startsAt: string }[] }[] };
  const startsAt = availability.days.flatMap((d) => d.slots)[0]!.startsAt;
  const held = await api.post(`${central.base}/api/holds`, {
    headers,
    data: { clinicId, specialty: 'massage', startsAt },
  });
  expect(held.status()).toBe(201);
  const { hold } = (await held.json()) as { hold: { id: string } };
  const confirmed = await api.post(`${central.base}/api/holds/${hold.id}/confirm`, { headers });
  expect(confirmed.status()).toBe(201);
  const { appointment } = (await confirmed.json()) as { appointment: { id: string; bookingCode: string } };

  await page.getByTestId('nav-appointments').click();
  const card = page.locator(`[data-testid="appointment"][data-id="${appointment.id}"]`);
  await expect(card.getByTestId('appointment-status')).toHaveAttribute('data-status', 'confirmed');
  await expect(card.getByTestId('booking-code')).toHaveText(appointment.bookingCode);
  const cancelled = await api.post(`${central.base}/api/me/appointments/${appointment.id}/cancel`, {
    headers,
  });
  expect(cancelled.status()).toBe(200);
  await expect(card.getByTestId('appointment-status')).toHaveAttribute('data-status', 'cancelled', {
    timeout: 5_000,
  });
  await context.close();
});

/** A portal screenshot: test-results/screenshots/portal-<step>-<viewport>.png. */
async function shot(page: Page, step: string, viewport: string): Promise<void> {
  await shotNamed(page, `portal-${step}-${viewport}`);
}
