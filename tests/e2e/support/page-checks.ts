/**
 * Checks the portal specs run on every page they visit: axe-core (WCAG 2.0/2.1/2.2 A and AA) finds no
 * violation, and nothing is wider than the screen (no sideways scrolling, WCAG 1.4.10) before a
 * full-page screenshot is written to test-results/screenshots/.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** Where the specs' screenshots go (kept as CI artifacts). */
export const SHOTS = path.resolve('test-results/screenshots');

/** Runs axe on the page as it is and expects no violation; `step` names the page in the failure. */
export async function expectAccessible(page: Page, step: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe violations on ${step}`).toEqual([]);
}

/** Full-page screenshot to `SHOTS/<name>.png`, after checking for horizontal overflow. */
export async function shot(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `horizontal overflow on ${name}`).toBeLessThanOrEqual(0);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
