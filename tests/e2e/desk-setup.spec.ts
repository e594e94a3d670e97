/**
 * The first-run setup wizard at the desk (issue 10, part 1), on a clinic without the demo data: after the
 * first admin account, the wizard walks Clinic → Rooms → Practitioners (with a photo, shrunk to ≤ 256 px
 * in the page) → Specialties (price in euros) → Opening hours → Public screens (live preview of the name
 * policy), showing its validation messages on the way, and leaves a clinic whose setup is complete and
 * whose desk takes a walk-in; the admin's Configuração tab then edits it. In Chromium at 1366×768 and on
 * a phone (390×844), axe-checked, screenshots in test-results/screenshots/desk-setup-*. The face engine
 * is off (CFD_FACE=0).
 *
 * A clinic without the demo has no staff account, so the desk opens with its printed link
 * (`server.page('desk')`) on the first-run screen (tests/e2e/support/desk.ts `openDesk` logs in as a demo
 * account instead); the wizard follows the first admin account.
 */
import { deflateSync } from 'node:zlib';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launchChromium } from './support/browser.ts';
import { expectAccessible, shot } from './support/page-checks.ts';
import { startServer, type TestServer } from './support/server.ts';

let server: TestServer;
let browser: Browser;

test.beforeEach(async () => {
  server = await startServer({ demo: false, face: false });
  browser = await launchChromium();
});

test.afterEach(async () => {
  await browser.close();
  await server.stop();
});

/** CRC-32 of a PNG chunk (type + data). */
function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A plain 640×480 PNG (two colour bands; no face): bigger than the 256 px the page shrinks it to. */
function bandedPng(width = 640, height = 480): Buffer {
  const row = (y: number) => {
    const line = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) line.set(y < height / 2 ? [11, 92, 173] : [220, 235, 250], 1 + x * 3);
    return line;
  };
  const raw = Buffer.concat(Array.from({ length: height }, (_, y) => row(y)));
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Opens the desk and creates the first admin (the staff-login work's first-run screen). */
async function openAsFirstAdmin(page: Page): Promise<void> {
  await page.goto(server.page('desk'));
  const auth = page.getByTestId('auth');
  await expect(auth).toBeVisible();
  await page.locator('#setup-name').fill('Administração');
  await page.locator('#setup-username').fill('admin');
  await page.locator('#setup-password').fill('uma-palavra-passe-longa');
  await page.locator('.auth__form button[type=submit]').click();
}

/** GET an API route as the page's logged-in admin (the context's cookies). */
async function apiAsPage<T>(page: Page, route: string): Promise<T> {
  const res = await page.request.get(server.base + route, { headers: { 'x-cfd-screen': 'desk' } });
  expect(res.ok()).toBe(true);
  return (await res.json()) as T;
}

/** The Next button of the wizard, and the step it should lead to. */
async function next(page: Page, to: string): Promise<void> {
  await page.getByTestId('setup-next').click();
  await expect(page.getByTestId(`setup-step-${to}`)).toBeVisible();
}

for (const viewport of [
  { width: 1366, height: 768, name: '1366x768' },
  { width: 390, height: 844, name: 'phone' },
]) {
  test(`sets up an empty clinic step by step (${viewport.name})`, async () => {
    const context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      locale: 'pt-PT',
      ...(viewport.width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    });
    const page = await context.newPage();
    await openAsFirstAdmin(page);
    const wizard = page.getByTestId('setup-wizard');
    await expect(wizard).toBeVisible();
    const shotOf = (step: string) => shot(page, `desk-setup-${step}-${viewport.name}`);

    // 1. Clinic: nothing typed → the fields are flagged; a wrong NIF check digit is named.
    await expect(page.getByTestId('setup-step-clinic')).toBeVisible();
    await page.getByTestId('setup-next').click();
    await expect(page.getByTestId('setup-error')).toHaveText('Verifique os campos assinalados.');
    await page.getByLabel('Nome da clínica').fill('Fisio Alvalade');
    await page.getByLabel(/NIF da clínica/).fill('501 964 844');
    await page.getByLabel('Morada').fill('Av. da Igreja 10, 1700-239 Lisboa');
    await page.getByLabel(/Telefone/).fill('21 234 5678');
    await page.getByTestId('setup-next').click();
    await expect(page.getByText('NIF inválido: 9 dígitos, com o dígito de controlo certo.')).toBeVisible();
    await expectAccessible(page, 'setup clinic step with errors');
    await shotOf('clinic-errors');
    await page.getByLabel(/NIF da clínica/).fill('501 964 843');
    await next(page, 'rooms');
    await expect(page.getByTestId('setup-progress')).toHaveText(/Passo \d de \d/);

    // 2. Rooms: Next before any room says what is missing; add two.
    await page.getByTestId('setup-next').click();
    await expect(page.getByTestId('setup-error')).toHaveText('Adicione pelo menos uma sala.');
    for (const name of ['Sala 1', 'Sala 2']) {
      await page.getByLabel('Nova sala').fill(name);
      await page.getByTestId('add-room').click();
      await expect(page.locator(`[data-testid="setup-room"][data-name="${name}"]`)).toBeVisible();
    }
    await shotOf('rooms');
    await next(page, 'practitioners');

    // 3. Practitioners: a specialty not yet offered is added with its usual length and price.
    await page.getByLabel('Nome completo').fill('Marta Lopes');
    await page.getByLabel(/Nome apresentado aos utentes/).fill('Dr.ª Marta Lopes');
    await page.getByLabel('Sala habitual').selectOption({ label: 'Sala 1' });
    await page.getByLabel('Consulta de avaliação').check();
    await page.getByTestId('practitioner-photo').setInputFiles({
      name: 'marta.png',
      mimeType: 'image/png',
      buffer: bandedPng(),
    });
    await expect(page.locator('.setup-photo__img')).toBeVisible();
    await page.getByTestId('save-practitioner').click();
    const row = page.locator('[data-testid="setup-practitioner"][data-name="Dr.ª Marta Lopes"]');
    await expect(row).toBeVisible();
    const avatar = row.locator('img.setup-avatar');
    await expect(avatar).toBeVisible();
    // The page sent the shrunk picture: at most 256 px on its longest side.
    const size = await avatar.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(size).toEqual([256, 192]);
    await expectAccessible(page, 'setup practitioners step');
    await shotOf('practitioners');
    await next(page, 'specialties');

    // 4. Specialties: the evaluation offered by the previous step; change its price, offer massage.
    const evaluation = page.locator('[data-testid="setup-specialty"][data-code="evaluation"]');
    await expect(evaluation).toContainText('Oferecida · 35,00 €');
    await evaluation.getByLabel(/Preço/).fill('37,5');
    await evaluation.getByLabel(/Duração/).fill('40');
    await evaluation.getByRole('button', { name: 'Guardar' }).click();
    await expect(evaluation).toContainText('Oferecida · 37,50 €');
    const massage = page.locator('[data-testid="setup-specialty"][data-code="massage"]');
    await massage.getByLabel(/Preço/).fill('12,345');
    await massage.getByRole('button', { name: 'Oferecer' }).click();
    await expect(massage).toContainText('Indique o preço em euros, por exemplo 35,00.');
    await massage.getByLabel(/Preço/).fill('40');
    await massage.getByRole('button', { name: 'Oferecer' }).click();
    await expect(massage).toContainText('Oferecida · 40,00 €');
    await expectAccessible(page, 'setup specialties step');
    await shotOf('specialties');
    await next(page, 'openingHours');

    // 5. Opening hours: the suggested week, plus Saturday morning.
    const saturday = page.locator('[data-testid="setup-day"][data-weekday="6"]');
    await saturday.getByRole('checkbox').check();
    await saturday.getByLabel(/Fecha 1/).fill('13:00');
    await expectAccessible(page, 'setup opening hours step');
    await shotOf('hours');
    await next(page, 'publicScreens');

    // 6. Public screens: the preview follows the choice; two alike names get their tickets.
    const preview = page.getByTestId('name-preview');
    await expect(preview.getByTestId('preview-label').first()).toHaveText('Ana M.');
    await expect(preview).toContainText('Senha A07');
    await page.getByLabel('Só as iniciais').check();
    await expect(preview.getByTestId('preview-label').first()).toHaveText('A. M.');
    await expectAccessible(page, 'setup public screens step');
    await shotOf('public-screens');
    await page.getByTestId('setup-next').click();

    // The clinic is set up: every step done.
    await expect
      .poll(async () => (await apiAsPage<{ complete: boolean }>(page, '/api/setup')).complete)
      .toBe(true);
    const state = await apiAsPage<{
      clinic: { nif: string; phone: string };
      specialties: { code: string; durationMin: number; priceCents: number }[];
      openingHours: { weekday: number }[];
      namePolicy: string;
    }>(page, '/api/setup');
    expect(state.clinic).toMatchObject({ nif: '501964843', phone: '212345678' });
    expect(state.specialties.map((s) => [s.code, s.durationMin, s.priceCents])).toEqual([
      ['evaluation', 40, 3750],
      ['massage', 45, 4000],
    ]);
    expect(new Set(state.openingHours.map((b) => b.weekday))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(state.namePolicy).toBe('initials');
    await shotOf('done');

    // The desk takes a walk-in with the new catalogue (the evaluation, 40 minutes, with Marta).
    await page.getByTestId('walkin-name').fill('Rui Costa Teste');
    await page.getByTestId('walkin-submit').click();
    await expect(page.getByText('Rui Costa Teste').first()).toBeVisible();

    // Later edits: the admin's Configuração tab shows the same steps as sections.
    await page.getByTestId('tab-settings').click();
    await expect(page.getByTestId('settings-page')).toBeVisible();
    await page.getByTestId('settings-section-rooms').click();
    await page.getByLabel('Mudar o nome de Sala 2').fill('Ginásio');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await expect(page.locator('[data-testid="setup-room"][data-name="Ginásio"]')).toBeVisible();
    await expectAccessible(page, 'settings page, rooms');
    await shotOf('settings-rooms');
    await context.close();
  });
}
