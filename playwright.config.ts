/** End-to-end tests: real server (real SQLite, real face engine), Debian's Chromium with a fake camera. */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/support/global-setup.ts',
  // Two workers, one per core: each spec file runs its own servers (free ports, own data folders), and
  // most of a spec's time is spent waiting (sync intervals, streams, the browser), so two files at once
  // keep CI within its 20 minutes as the suites grow.
  workers: 2,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results/e2e',
});
