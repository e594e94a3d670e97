/**
 * Playwright global setup (playwright.config.ts `globalSetup`): checks the e2e prerequisites once,
 * before any spec starts a server or a browser, and bundles the clinic server and the central API with
 * esbuild (tests/support/crash/bundle.ts, as the app bundles its server) to `E2E_BUNDLES`, so each of the
 * suite's many server starts is a plain `node main.mjs` of about a second instead of a tsx start that
 * compiles the whole server again (several seconds each on a 2-core machine).
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_DIR, requireFaces } from './faces.ts';
import { CHROMIUM_PATH } from './browser.ts';
import { bundleServer } from '../../support/crash/bundle.ts';

/** The bundled servers the e2e helpers start (server.ts, central.ts), under dist/. */
export const E2E_BUNDLES = {
  clinic: path.join(REPO_DIR, 'dist/e2e-clinic/main.mjs'),
  central: path.join(REPO_DIR, 'dist/e2e-central/main.mjs'),
};

/**
 * Fails fast, with the fix, when something the e2e suite needs is missing.
 * @throws Error when the shared face photos, Chromium (`CHROMIUM_PATH`) or the built pages
 *   (dist/renderer) are missing, or a server does not bundle
 */
export default async function globalSetup() {
  requireFaces();
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  if (!fs.existsSync(path.join(REPO_DIR, 'dist/renderer/kiosk/index.html'))) {
    throw new Error('The pages are not built: run `npx vite build` (npm run test:e2e does it).');
  }
  await bundleServer('server/clinic/main.ts', 'server/clinic/db/migrations', {
    folder: 'e2e-clinic',
    extraEntries: { 'face-worker': 'server/clinic/face/worker.ts' },
  });
  await bundleServer('server/central/main.ts', 'server/central/db/migrations', { folder: 'e2e-central' });
}
