/**
 * Playwright global setup (playwright.config.ts `globalSetup`): checks the e2e prerequisites once,
 * before any spec starts a server or a browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_DIR, requireFaces } from './faces.ts';
import { CHROMIUM_PATH } from './browser.ts';

/**
 * Fails fast, with the fix, when something the e2e suite needs is missing.
 * @throws Error when the shared face photos, Chromium (`CHROMIUM_PATH`) or the built pages
 *   (dist/renderer) are missing
 */
export default function globalSetup() {
  requireFaces();
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  if (!fs.existsSync(path.join(REPO_DIR, 'dist/renderer/kiosk/index.html'))) {
    throw new Error('The pages are not built: run `npx vite build` (npm run test:e2e does it).');
  }
}
