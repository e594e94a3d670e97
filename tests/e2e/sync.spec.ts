/**
 * Live sync end to end (issue 9), in Chromium against the real central API (its own process: PGlite, dev
 * mailbox, the portal) and the real clinic server (its own process, `CFD_CENTRAL_URL` set): the admin
 * pairs the clinic in Configuração → Sincronização (a wrong code and an unreachable central first, each
 * with its message; then a code from central's admin route); a verified patient books in the portal and
 * the booking appears on the desk's calendar for its day (the board shows today only, and the first free
 * slot is often another day); a desk check-in of that appointment shows on the patient's portal
 * appointment page ("Check-in feito"); central stops: the header says offline with the pending count;
 * central restarts on the same data and port: the clinic goes back to synced by itself; a desk cancellation
 * of the online booking is refused by central and listed in the section as a conflict, in words; central
 * revokes the credential: the loop stops, the section offers "Emparelhar de novo", and a new code pairs.
 *
 * The delays (portal 201 → desk, clinic check-in answer → portal text) are stamped in the pages by a
 * MutationObserver and written to bench/results/sync-live.json; nothing asserts on them (no timed
 * assertions). Screenshots of the section (1366×768 and 390×844) go to test-results/screenshots/.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { clinicDate } from '../../server/domain/time.ts';
import { launchChromium } from './support/browser.ts';
import { startCentral, type TestCentral } from './support/central.ts';
import { openDesk } from './support/desk.ts';
import { REPO_DIR } from './support/faces.ts';
import { expectAccessible, shot as fullShot } from './support/page-checks.ts';
import { startServer, type TestServer } from './support/server.ts';
import {
  bookFirstSlot,
  firstSlot,
  pairingCode,
  revokeCredentials,
  seenAt,
  verifiedPatient,
  watchFor,
} from './support/sync.ts';
import { setStatus } from './support/versions.ts';

let central: TestCentral | null = null;
let server: TestServer;
let browser: Browser;

test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await central?.stop();
});

/** A TCP port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A full-page screenshot from the top (the sticky header would otherwise sit mid-page). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name);
}

/** Opens Configuração → Sincronização on a desk page logged in as the admin. */
async function openSyncSection(page: Page): Promise<void> {
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('settings-section-sync').click();
  await expect(page.getByTestId('sync-section')).toBeVisible();
}

test('pair at the desk, a portal booking reaches the desk, a check-in reaches the portal, offline and back', async () => {
  // Central's address is chosen first so the three start together; the clinic's backoff is capped at
  // 3 s so it notices central's return soon (the default cap is 5 min).
  const centralPort = await freePort();
  const centralBase = `http://127.0.0.1:${centralPort}`;
  // Each handle is kept as soon as it exists, so afterAll stops it even when another one fails to start.
  const started = await Promise.allSettled([
    startCentral({ port: centralPort }).then((c) => (central = c)),
    startServer({
      face: false,
      env: { CFD_CENTRAL_URL: centralBase, CFD_SYNC_BACKOFF_MAX_MS: '3000' },
    }).then((s) => (server = s)),
    launchChromium().then((b) => (browser = b)),
  ]);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  if (!central) throw new Error('central did not start');
  const centralDir = central.dataDir;

  // --- The sync section, unpaired: the URL defaults to CFD_CENTRAL_URL; errors in words. ---
  const desk = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  desk.setDefaultTimeout(20_000);
  await openDesk(desk, server, 'admin');
  await expect(desk.getByTestId('sync-status')).toHaveCount(0); // the header says nothing while unpaired
  await openSyncSection(desk);
  await expect(desk.getByTestId('sync-paired')).toHaveAttribute('data-paired', 'false');
  await expect(desk.getByTestId('sync-url')).toHaveValue(centralBase);

  await desk.getByTestId('sync-code').fill('123');
  await desk.getByTestId('sync-pair').click();
  await expect(desk.getByTestId('sync-code')).toHaveAttribute('aria-invalid', 'true');
  await expect(desk.getByTestId('sync-pair-form')).toContainText('O código tem 10 caracteres');

  await desk.getByTestId('sync-code').fill('ABCD-EFGH-JK');
  await desk.getByTestId('sync-pair').click();
  await expect(desk.getByTestId('sync-pair-error')).toHaveText(
    'Código de emparelhamento inválido, já usado ou expirado. Peça um código novo na central.',
  );

  await desk.getByTestId('sync-url').fill('http://127.0.0.1:9');
  await desk.getByTestId('sync-pair').click();
  await expect(desk.getByTestId('sync-pair-error')).toContainText('Não foi possível contactar a central');
  await expectAccessible(desk, 'sync section, pairing error');
  await shot(desk, 'desk-sync-unpaired-1366x768');

  // --- Pair with a real code. ---
  await desk.getByTestId('sync-url').fill(centralBase);
  await desk.getByTestId('sync-code').fill(await pairingCode(central));
  await desk.getByTestId('sync-pair').click();
  await expect(desk.getByTestId('sync-notice')).toContainText('Clínica emparelhada com a central');
  await expect(desk.getByTestId('sync-paired')).toHaveAttribute('data-paired', 'true');
  // The first pass pushes the demo day's backlog (about 120 changes), one transaction each at central.
  await expect(desk.getByTestId('sync-connection')).toHaveText('Ligada à central', { timeout: 45_000 });
  await expect(desk.getByTestId('sync-central-url')).toHaveText(centralBase);
  await expect(desk.getByTestId('sync-last')).toContainText('agora mesmo');
  await expect(desk.getByTestId('sync-status')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
  await expectAccessible(desk, 'sync section, paired');
  await shot(desk, 'desk-sync-paired-1366x768');

  // The rotation asks first; cancelling changes nothing, confirming renews and sync keeps working.
  await desk.getByTestId('sync-rotate').click();
  await expect(desk.getByTestId('sync-rotate-card')).toContainText('deixa de funcionar de imediato');
  await expectAccessible(desk, 'sync rotation confirmation');
  await desk.getByTestId('sync-rotate-confirm').click();
  await expect(desk.getByTestId('sync-notice')).toHaveText('Credencial renovada.');

  // --- A portal booking appears at the desk (calendar of its day). ---
  const portal = await (
    await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-PT', isMobile: true })
  ).newPage();
  portal.setDefaultTimeout(20_000);
  await verifiedPatient(portal, central, `e2e.sync.${Date.now()}@example.com`);
  const slot = await firstSlot(portal);
  await desk.getByTestId('tab-calendar').click();
  const day = clinicDate(Date.parse(slot.startsAt));
  await desk.getByTestId('calendar-date-input').fill(day);
  await expect(desk.getByTestId('calendar-date')).toHaveAttribute('data-date', day);
  const block = `[data-testid="calendar-appointment"][data-starts-at="${slot.startsAt}"]`;
  await watchFor(desk, 'booked', block, /Teste Sincronização/);
  const booking = await bookFirstSlot(portal, slot);
  await expect(desk.locator(block, { hasText: 'Teste Sincronização' })).toBeVisible({ timeout: 30_000 });
  const bookingSeenAt = (await seenAt(desk, 'booked'))!;
  expect(bookingSeenAt).toBeGreaterThan(0);

  // --- A desk check-in shows on the patient's appointment page. ---
  await portal.goto(`${centralBase}/appointments/${booking.id}`);
  await expect(portal.getByTestId('visit')).toBeAttached();
  await watchFor(portal, 'checkedIn', '[data-testid="visit"]', /Check-in feito/);
  await setStatus(server, booking.id, { status: 'arrived' }, day);
  const checkInAnsweredAt = Date.now();
  await expect(portal.getByTestId('visit')).toContainText('Check-in feito', { timeout: 30_000 });
  const checkInSeenAt = (await seenAt(portal, 'checkedIn'))!;
  expect(checkInSeenAt).toBeGreaterThan(0);

  // --- Central stops: offline with the pending count; back by itself when central returns. ---
  await desk.getByTestId('tab-settings').click();
  await desk.getByTestId('settings-section-sync').click();
  await central.stop({ keepData: true });
  central = null;
  const { specialties } = await server.api<{ specialties: { id: string }[] }>('GET', '/api/board');
  await server.api('POST', '/api/walk-ins', {
    fullName: 'Ana Sem Ligação',
    specialtyId: specialties[0]!.id,
    checkIn: true,
  });
  const header = desk.getByTestId('sync-status');
  await expect(header).toHaveAttribute('data-online', 'false', { timeout: 30_000 });
  const { pending } = await server.api<{ pending: number }>('GET', '/api/sync/status');
  expect(pending).toBeGreaterThan(0);
  await expect(header).toHaveText(
    new RegExp(`^Sem ligação à central — ${pending} alteraç(ão|ões) pendentes?$`),
  );
  await expect(desk.getByTestId('sync-connection')).toHaveText('Sem ligação à central');
  await expect(desk.getByTestId('sync-last-error')).toHaveAttribute('data-code', 'network');
  await expect(desk.getByTestId('sync-pending')).toHaveAttribute('data-pending', String(pending));
  await expectAccessible(desk, 'sync section, offline');
  await shot(desk, 'desk-sync-offline-1366x768');

  const offlineAt = Date.now();
  central = await startCentral({ port: centralPort, dataDir: centralDir });
  await expect(header).toHaveAttribute('data-online', 'true', { timeout: 60_000 });
  const backAfterMs = Date.now() - offlineAt;
  await expect(desk.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0');
  await expect(header).toHaveText(/^Sincronizado/);

  // The desk cancels the online booking: central keeps its own (it owns bookings made online), and the
  // section lists the conflict in words.
  await setStatus(server, booking.id, { status: 'cancelled' }, day);
  const conflict = desk.getByTestId('sync-conflict').filter({ hasText: booking.id.slice(-8) });
  await expect(conflict).toContainText('Marcação', { timeout: 30_000 });
  await expect(conflict).toContainText(
    'Marcação feita online: a hora, o profissional e o estado são os da central',
  );

  // Central revokes the clinic's credential: the loop stops, the header and the section say so, and the
  // form to pair again is open; a new code pairs again and the clinic syncs.
  await revokeCredentials(central);
  await expect(desk.getByTestId('sync-stopped')).toContainText('A central recusou a credencial', {
    timeout: 30_000,
  });
  await expect(header).toHaveText('Sincronização parada — emparelhe a clínica com a central de novo');
  const repair = desk.getByTestId('sync-pair-form');
  await expect(repair).toContainText('Emparelhar de novo');
  await expect(desk.getByTestId('sync-rotate-card')).toHaveCount(0);
  await expectAccessible(desk, 'sync section, stopped');
  await repair.getByTestId('sync-code').fill(await pairingCode(central));
  await repair.getByTestId('sync-pair').click();
  await expect(desk.getByTestId('sync-stopped')).toHaveCount(0);
  await expect(desk.getByTestId('sync-connection')).toHaveText('Ligada à central', { timeout: 30_000 });

  // The same section on a phone, in English.
  await desk.setViewportSize({ width: 390, height: 844 });
  await desk.getByTestId('lang-en').click();
  await expect(desk.getByTestId('sync-connection')).toHaveText('Connected to central');
  await expectAccessible(desk, 'sync section on a phone');
  await shot(desk, 'desk-sync-paired-390x844');

  const results = {
    measuredAt: new Date().toISOString(),
    what: 'tests/e2e/sync.spec.ts: real central and clinic processes, Chromium, one run',
    portalBookingToDeskS: Math.round((bookingSeenAt - booking.confirmedAt) / 100) / 10,
    deskCheckInToPortalMs: checkInSeenAt - checkInAnsweredAt,
    centralRestartToHeaderSyncedS: Math.round(backAfterMs / 100) / 10,
    /** The machine's 1-minute load average at the end (CI and other jobs share its cores). */
    loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
    cpus: os.cpus().length,
  };
  fs.mkdirSync(path.join(REPO_DIR, 'bench/results'), { recursive: true });
  fs.writeFileSync(
    path.join(REPO_DIR, 'bench/results/sync-live.json'),
    JSON.stringify(results, null, 2) + '\n',
  );
  console.log('sync-live', results);
});
