/**
 * Desk → analytics: the view opens from the desk's tabs on the last 7 days, draws its charts from the
 * recorded visits, shows the API's own figures in its summary, switches to weeks, says when a period has
 * no visits, and exports the CSV. Screenshots at 1366×768 and 390×844 go to test-results/screenshots/.
 * Works with the demo clinic's day alone (past days may hold simulated history or nothing): the test
 * records one complete visit of its own today, so every chart has something to draw, and compares the
 * page with the API rather than with fixed demo values. The face engine is off (CFD_FACE=0).
 */
import { freeRooms } from './support/rooms.ts';
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import type { Board } from '../../server/clinic/features/appointments/service.ts';
import type { AnalyticsReport } from '../../server/clinic/features/analytics/service.ts';
import { addDays, clinicDate } from '../../server/domain/time.ts';
import { openDesk } from './support/desk.ts';
import { setStatus } from './support/versions.ts';

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

const SCREENSHOTS = path.resolve('test-results/screenshots');

/** A new patient booked now, checked in, called, seen and done: a wait, an estimate and a session. */
async function recordOneVisit() {
  await freeRooms(server); // a room holds one called or in-session patient at a time
  const board = await server.api<Board>('GET', '/api/board');
  const patient = await server.api<{ id: string }>('POST', '/api/patients', {
    fullName: 'Clara Teste Análise',
  });
  const visit = await server.api<Board['appointments'][number]>('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: board.specialties[0]!.id,
    startsAt: new Date().toISOString(),
  });
  for (const status of ['arrived', 'called', 'in_session', 'done'])
    await setStatus(server, visit.id, { status });
  return visit;
}

/** Opens the desk and goes to its analytics view through the tab. */
async function openAnalytics(page: Page) {
  await openDesk(page, server, 'admin');
  await expect(page.getByTestId('desk')).toBeVisible();
  await page.getByTestId('tab-analytics').click();
  await expect(page).toHaveURL(/#\/analytics$/);
  await expect(page.getByTestId('analytics')).toBeVisible();
}

/** A chart's drawing (recharts' main SVG, an 'application' with its keyboard layer), not a legend icon. */
const SURFACE = 'svg.recharts-surface[role="application"]';

const CHARTS = ['chart-waits', 'chart-estimate', 'chart-attendance', 'chart-specialty', 'chart-practitioner'];

test('analytics: charts and summary from the recorded visits, weeks, empty period, CSV export', async () => {
  const visit = await recordOneVisit();
  const today = clinicDate(Date.now());
  const from = addDays(today, -6);
  const api = await server.api<AnalyticsReport>('GET', `/api/analytics?from=${from}&to=${today}&by=day`);
  expect(api.totals.visits).toBeGreaterThan(0);

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-PT' });
  const page = await context.newPage();
  await openAnalytics(page);
  await expect(page.getByTestId('tab-analytics')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('preset-last7d').click();
  await expect(page.getByTestId('preset-last7d')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('analytics-from')).toHaveValue(from);
  await expect(page.getByTestId('analytics-to')).toHaveValue(today);

  // Every chart is drawn (an SVG surface with marks), none says "no data".
  for (const id of CHARTS) {
    const chart = page.getByTestId(id);
    await expect(chart).toHaveAttribute('data-empty', 'false');
    await expect(chart.locator(SURFACE)).toBeVisible();
  }
  await expect(
    page.getByTestId('chart-waits').locator('.recharts-line-curve, .recharts-dot').first(),
  ).toBeAttached();
  // Our visit's specialty and practitioner label a bar (the session lasted seconds: the bar may be thin).
  await expect(page.getByTestId('chart-specialty').locator(SURFACE)).toContainText(
    visit.specialty.namePt.split(' ')[0]!,
  );
  await expect(page.getByTestId('chart-practitioner').locator(SURFACE)).toContainText(
    visit.practitioner.displayName.split(' ').at(-1)!,
  );
  await expect(page.getByTestId('chart-waits').locator(SURFACE)).toContainText(
    `${today.slice(8, 10)}/${today.slice(5, 7)}`,
  );

  // The summary shows the API's figures.
  const visits = page.getByTestId('summary-visits');
  await expect(visits).toHaveAttribute('data-value', String(api.totals.visits));
  await expect(visits.locator('.figure__value')).toHaveText(String(api.totals.visits));
  await expect(page.getByTestId('summary-no-shows')).toHaveAttribute(
    'data-value',
    String(api.totals.noShows),
  );
  await expect(page.getByTestId('summary-wait-mean')).toHaveAttribute(
    'data-value',
    String(api.totals.waits.meanMin),
  );

  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'analytics-1366x768.png') });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'analytics-1366-full.png'), fullPage: true });

  // CSV export of the same period: an attachment whose first line is the header.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('analytics-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`analytics-${from}-${today}.csv`);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe(
    'start,end,visits,done,no_shows,late_arrivals,wait_count,wait_mean_min,wait_p90_min,estimate_count,' +
      'estimate_abs_error_mean_min,estimate_under_predicted_share,estimate_in_band_share,session_count,' +
      'session_mean_min,session_p90_min',
  );
  expect(lines.slice(1, -1)).toHaveLength(7); // one row per day
  expect(lines.at(-2)).toMatch(new RegExp(`^${today},${today},${api.buckets.at(-1)!.visits},`));

  // Weeks: at most two buckets for 7 days, the same totals.
  await page.getByTestId('by-week').click();
  await expect(page.getByTestId('by-week')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('analytics').locator('[data-loading="false"]')).toBeVisible();
  await expect(visits).toHaveAttribute('data-value', String(api.totals.visits));
  await expect(page.getByTestId('chart-waits').locator(SURFACE)).toBeVisible();

  // A period without visits says so; one longer than 366 days is refused before asking the server.
  await page.getByTestId('analytics-from').fill('2020-01-01');
  await expect(page.getByTestId('analytics-invalid')).toBeVisible();
  await page.getByTestId('analytics-to').fill('2020-01-07');
  await expect(page.getByTestId('analytics-empty')).toBeVisible();

  // Back to the board through the other tab.
  await page.getByTestId('tab-board').click();
  await expect(page.getByTestId('room-card').first()).toBeVisible();
  await context.close();

  // A phone: the same view, one column.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-PT' });
  const small = await phone.newPage();
  await openAnalytics(small);
  await small.getByTestId('preset-last7d').click();
  await expect(small.getByTestId('chart-waits').locator(SURFACE)).toBeVisible();
  await expect(small.getByTestId('summary-visits')).toHaveAttribute('data-value', String(api.totals.visits));
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await small.screenshot({ path: path.join(SCREENSHOTS, 'analytics-390x844.png') });
  await small.screenshot({ path: path.join(SCREENSHOTS, 'analytics-390-full.png'), fullPage: true });
  await phone.close();
});
