/**
 * Opens the desk as a staff member would: the printed desk link (which also carries the desk's launch
 * credential), then the login form, filled and sent; resolves once the desk is on screen. Demo logins:
 * server/clinic/seed/staff.ts (`rececao` receptionist by default).
 */
import { expect, type Page } from '@playwright/test';
import type { TestServer } from './server.ts';

/** Demo logins by role. */
export const DEMO_STAFF = {
  admin: { username: 'admin', password: 'admin-demo-2026' },
  receptionist: { username: 'rececao', password: 'rececao-demo-2026' },
  practitioner: { username: 'fisio1', password: 'fisio-demo-2026' },
} as const;

/**
 * Goes to the desk (optionally with `query`, e.g. 'lang=en') and logs in as `who`.
 * @throws when the login form or the desk does not appear
 */
export async function openDesk(
  page: Page,
  server: TestServer,
  who: keyof typeof DEMO_STAFF = 'receptionist',
  query = '',
): Promise<void> {
  await page.goto(server.page('desk', query));
  await loginAtDesk(page, who);
}

/** Fills and sends the desk's login form (already on screen), then waits for the desk. */
export async function loginAtDesk(page: Page, who: keyof typeof DEMO_STAFF = 'receptionist'): Promise<void> {
  const { username, password } = DEMO_STAFF[who];
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('.auth__form button[type=submit]').click();
  await expect(page.getByTestId('desk')).toBeVisible();
}
