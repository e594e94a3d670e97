/**
 * Staff logins and paired screens in Chromium against the real server (issue 10 parts 1–3): the login
 * form (axe-clean, desk and phone sizes), a wrong password, the lock screen and its PIN; the desk makes a
 * pairing code, a browser that is "the waiting-room TV" pairs with it on the display's own page, shows
 * the masked feed, keeps working after the server restarts (a new launch secret: only the device token
 * carries it; the staff session survives too), and falls back to the pairing form once the desk revokes
 * it. Screenshots go to
 * test-results/screenshots/.
 */
import { expect, test, type Browser } from '@playwright/test';
import { launchChromium } from './support/browser.ts';
import { loginAtDesk } from './support/desk.ts';
import { expectAccessible, shot } from './support/page-checks.ts';
import { startServer, type TestServer } from './support/server.ts';

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

test('login, wrong password, lock and PIN unlock at 1366×768 and on a phone', async () => {
  const phone = await (
    await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  ).newPage();
  await phone.goto(server.page('desk'));
  await expect(phone.getByTestId('auth')).toBeVisible();
  await expectAccessible(phone, 'desk login (phone)');
  await shot(phone, 'desk-login-390x844');

  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await page.goto(server.page('desk'));
  await expect(page.getByRole('heading', { name: 'Iniciar sessão' })).toBeVisible();
  await expectAccessible(page, 'desk login');
  await shot(page, 'desk-login-1366x768');
  // Nothing of the day is in the page before a login.
  expect(await page.content()).not.toContain('Teste');

  await page.locator('#login-username').fill('rececao');
  await page.locator('#login-password').fill('not-the-password');
  await page.locator('.auth__form button[type=submit]').click();
  await expect(page.getByRole('alert')).toHaveText('Utilizador, palavra-passe ou PIN errados.');

  await loginAtDesk(page, 'receptionist');
  await expect(page.getByTestId('account')).toContainText('Receção');
  await shot(page, 'desk-logged-in-1366x768');

  await page.getByRole('button', { name: 'Bloquear' }).click();
  await expect(page.getByRole('heading', { name: 'Ecrã bloqueado' })).toBeVisible();
  await expect(page.getByTestId('desk')).toHaveCount(0); // the board is out of the page while locked
  await expectAccessible(page, 'desk lock screen');
  await shot(page, 'desk-locked-1366x768');
  await page.locator('#unlock-secret').fill('1111');
  await page.getByRole('button', { name: 'Desbloquear' }).click();
  await expect(page.getByRole('alert')).toContainText('Tentativas restantes: 4.');
  await page.locator('#unlock-secret').fill('2468');
  await page.getByRole('button', { name: 'Desbloquear' }).click();
  await expect(page.getByTestId('desk')).toBeVisible();

  await page.getByTestId('account').locator('summary').click();
  await page.getByRole('button', { name: 'Terminar sessão' }).click();
  await expect(page.getByRole('heading', { name: 'Iniciar sessão' })).toBeVisible();
});

test('a display pairs with a desk code, survives a restart, and stops when revoked', async () => {
  const deskContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const desk = await deskContext.newPage();
  await desk.goto(server.page('desk'));
  await loginAtDesk(desk, 'receptionist');
  await desk.getByTestId('account').locator('summary').click();
  await desk.getByRole('button', { name: 'Administração' }).click();
  const admin = desk.getByTestId('admin-dialog');
  await expect(admin).toBeVisible();
  await admin.getByLabel('Tipo').selectOption('display');
  await admin.getByLabel('Nome (por exemplo, TV da sala de espera)').fill('TV sala de espera');
  await admin.getByRole('button', { name: 'Gerar código' }).click();
  const codeText = await admin.getByTestId('pairing-code').textContent();
  const code = /(\d{6})/.exec(codeText ?? '')![1]!;
  await expectAccessible(desk, 'desk devices');
  await shot(desk, 'desk-devices-1366x768');

  // The TV: its own browser profile, the display's plain address, no token.
  const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const tv = await tvContext.newPage();
  await tv.goto(`${server.base}/display/`);
  await expect(tv.getByTestId('unauthorized')).toBeVisible();
  await expectAccessible(tv, 'display pairing form');
  await shot(tv, 'display-pairing-1920x1080');
  await tv.getByLabel('Código de emparelhamento (6 algarismos)').fill(code);
  await tv.getByRole('button', { name: 'Emparelhar' }).click();
  await expect(tv.getByTestId('connection')).toHaveAttribute('data-online', 'true');
  await expect(admin.getByTestId('device-TV sala de espera')).toContainText('Ecrã da sala de espera');

  // A restart with a new launch secret: the device's token still opens the display.
  const { port, dataDir } = server;
  await server.stop();
  server = await startServer({ face: false, port, dataDir });
  await tv.reload();
  await expect(tv.getByTestId('connection')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
  await expect(tv.getByTestId('unauthorized')).toHaveCount(0);

  // The receptionist's session survived the restart too (its signing key is kept in the data folder).
  await desk.goto(server.page('desk'));
  await expect(desk.getByTestId('desk')).toBeVisible();
  // Revoked at the desk: the TV is back to the pairing form.
  await desk.getByTestId('account').locator('summary').click();
  await desk.getByRole('button', { name: 'Administração' }).click();
  await desk.getByTestId('device-TV sala de espera').getByRole('button', { name: 'Revogar' }).click();
  await expect(desk.getByTestId('device-TV sala de espera')).toContainText('Revogado');
  await tv.reload();
  await expect(tv.getByTestId('unauthorized')).toBeVisible();
});
