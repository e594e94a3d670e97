/**
 * The waiting-room display on a busy day: 40 patients waiting and three being called, seeded through the
 * local server's HTTP API (walk-ins, one booking checked in at the kiosk by its code). At 1920×1080,
 * 3840×2160 and 1080×1920 every entry is inside the screen, nothing scrolls sideways, no name is split
 * across lines, the three 'Ana S.' show their tickets (the kiosk's among them, as its receipt printed
 * it), no full name is anywhere on the page, and axe finds nothing. Screenshots:
 * test-results/screenshots/display-busy-*.png. The face engine is off (CFD_FACE=0).
 */
import { freeRooms } from './support/rooms.ts';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Board } from '../../server/clinic/features/appointments/service.ts';
import { launchChromium } from './support/browser.ts';
import { expectAccessible, shot } from './support/page-checks.ts';
import { startServer, type TestServer } from './support/server.ts';
import { setStatus } from './support/versions.ts';

let server: TestServer;
let browser: Browser;

type Appointment = Board['appointments'][number];

const FIRST = [
  'Beatriz',
  'Carla',
  'Diana',
  'Filipa',
  'Helena',
  'Joana',
  'Leonor',
  'Mariana',
  'Rita',
  'Sofia',
  'Teresa',
  'André',
  'Bruno',
  'Carlos',
  'Diogo',
  'Eduardo',
  'Francisco',
  'Gonçalo',
  'Hugo',
];
/** 37 waiting patients whose masked labels ('Beatriz M.', 'Beatriz N.', …) are all different. */
const UNIQUE = FIRST.flatMap((f) => [`${f} Teste Moura`, `${f} Teste Neves`]).slice(0, 37);
/** A very long (hyphenated) first name: shrunk, or shown as 'Maximiliana… V.', never broken. */
const LONG_WAITING = 'Maximiliana-Conceição Teste Vasconcelos';
/** Two waiting 'Ana S.' (one checks in at the kiosk) and a third being called. */
const ANA_WALK_IN = 'Ana Teste Silva';
const ANA_KIOSK = 'Ana Maria Sousa';
const ANA_CALLED = 'Ana Beatriz Santos';
/** Called last, so the newest (biggest) call has a long name too. */
const CALLED = ['Rui Teste Barbosa', 'Bartolomeu-Henrique Teste Albuquerque'];
const ALL_NAMES = [...UNIQUE, LONG_WAITING, ANA_WALK_IN, ANA_KIOSK, ANA_CALLED, ...CALLED];

const SIZES = [
  { name: '1080p', width: 1920, height: 1080 },
  { name: '4k', width: 3840, height: 2160 },
  { name: 'portrait', width: 1080, height: 1920 },
] as const;

test.beforeAll(async () => {
  server = await startServer({ face: false });
  browser = await launchChromium();
});

test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A walk-in checked in at the desk; returns its appointment (with its ticket). */
async function walkIn(fullName: string, specialtyId: string): Promise<Appointment> {
  return server.api<Appointment>('POST', '/api/walk-ins', { fullName, specialtyId, checkIn: true });
}

/** Books `fullName` in five minutes and checks them in at the kiosk by booking code; the kiosk's ticket. */
async function checkInAtKiosk(fullName: string, board: Board): Promise<string> {
  const patient = await server.api<{ id: string }>('POST', '/api/patients', { fullName });
  const booked = await server.api<Appointment>('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: board.specialties[0]!.id,
    practitionerId: board.practitioners[0]!.id,
    startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const kiosk = await context.newPage();
  await kiosk.goto(server.page('kiosk'));
  await kiosk.getByTestId('use-code').click();
  await kiosk.getByTestId('code-input').fill(booked.bookingCode);
  await kiosk.getByTestId('code-submit').click();
  await kiosk.getByTestId('confirm-yes').click();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'checked-in');
  const ticket = (await kiosk.getByTestId('checked-in-ticket').textContent())!.trim();
  await context.close();
  expect(ticket).toMatch(/^A\d{3}$/);
  return ticket;
}

/**
 * Takes everyone waiting or called off the display (cancelled) and ends the visits in session, so only
 * a test's own patients show and every room is free to call into.
 */
async function clearQueue(): Promise<Board> {
  await freeRooms(server);
  const board = await server.api<Board>('GET', '/api/board');
  for (const a of board.appointments) {
    if (a.status === 'called') await setStatus(server, a.id, { status: 'arrived' });
    if (a.status === 'arrived' || a.status === 'called')
      await setStatus(server, a.id, { status: 'cancelled' });
  }
  return board;
}

/** Layout facts measured in the page (CSS pixels). */
interface Measured {
  viewport: { width: number; height: number };
  outside: string[];
  overflowX: number;
  /** Names whose text runs over more than one line. */
  multiLine: string[];
  /** Names cut off (ellipsised) in their box. */
  clipped: string[];
  /** Names shown in their short form (`shortLabel`). */
  shortened: string[];
  /** Rows whose content is wider than the row. */
  rowOverflow: string[];
  /** Smallest font size of a waiting row, px. */
  minRowFontPx: number;
}

async function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const entries = Array.from(
      document.querySelectorAll<HTMLElement>('[data-testid="waiting-row"], [data-testid="now-calling-item"]'),
    );
    const outside = entries
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5;
      })
      .map((el) => el.textContent ?? '');
    // The form of each name on screen: the full label, or its short form (whole words dropped).
    const names = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="display-name"]')).map(
      (box) => {
        const shown =
          box.querySelector<HTMLElement>(
            box.hasAttribute('data-short') ? '.public-name__short' : '.public-name__full',
          ) ?? box;
        const range = document.createRange();
        range.selectNodeContents(shown);
        return { box, text: shown.textContent ?? '', range };
      },
    );
    // One rectangle per line box the text occupies: a name split anywhere gives two tops.
    const multiLine = names
      .filter(
        ({ range }) => new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size !== 1,
      )
      .map(({ text }) => text);
    const clipped = names
      .filter(({ box, range }) => range.getBoundingClientRect().width > box.clientWidth + 1)
      .map(({ text }) => text);
    const shortened = names.filter(({ box }) => box.hasAttribute('data-short')).map(({ text }) => text);
    const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="waiting-row"]'));
    const rowOverflow = rows
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent ?? '');
    const minRowFontPx = Math.min(...rows.map((el) => parseFloat(getComputedStyle(el).fontSize)));
    return {
      viewport: { width: vw, height: vh },
      outside,
      overflowX: document.documentElement.scrollWidth - vw,
      multiLine,
      clipped,
      shortened,
      rowOverflow,
      minRowFontPx,
    };
  });
}

test('a busy day: 40 waiting and 3 calls fit 1080p, 4K and portrait, colliding names show their tickets', async () => {
  test.setTimeout(240_000);
  let board = await clearQueue();
  const specialtyId = board.specialties[0]!.id;
  for (const name of [...UNIQUE, LONG_WAITING, ANA_WALK_IN]) await walkIn(name, specialtyId);
  const kioskTicket = await checkInAtKiosk(ANA_KIOSK, board);
  // One call per room (a room holds one called patient at a time).
  for (const [i, name] of [ANA_CALLED, ...CALLED].entries()) {
    const a = await walkIn(name, specialtyId);
    const roomId = board.rooms[i]!.id;
    await setStatus(server, a.id, { status: 'called', roomId });
  }
  board = await server.api<Board>('GET', '/api/board');
  const anaTickets = board.appointments
    .filter((a) => [ANA_WALK_IN, ANA_KIOSK, ANA_CALLED].includes(a.patient.fullName))
    .map((a) => a.ticket)
    .sort();
  expect(anaTickets).toHaveLength(3);
  expect(anaTickets).toContain(kioskTicket);

  for (const size of SIZES) {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
      reducedMotion: 'reduce', // the new-call pulse scales the card for ~3 s; measure it at rest
    });
    const page = await context.newPage();
    await page.goto(server.page('display'));
    await expect(page.getByTestId('connection')).toHaveAttribute('data-online', 'true');
    await expect(page.getByTestId('waiting-row')).toHaveCount(40);
    await expect(page.getByTestId('now-calling-item')).toHaveCount(3);
    await expect(page.getByTestId('waiting-more')).toHaveCount(0);
    await expect(page.getByTestId('now-calling-item').first()).toContainText('Bartolomeu-Henrique A.');

    // The labels are fitted once the layout has settled (fit-text.ts refits at least every 2 s).
    await expect
      .poll(async () => {
        const { clipped, shortened } = await measure(page);
        return [...clipped, ...shortened.filter((n) => n !== 'Maximiliana… V.')];
      })
      .toEqual([]);
    const m = await measure(page);
    const where = `${size.name} (${m.viewport.width}×${m.viewport.height})`;
    expect(m.viewport, where).toEqual({ width: size.width, height: size.height });
    expect(m.outside, `entries outside the screen at ${where}`).toEqual([]);
    expect(m.overflowX, `horizontal overflow at ${where}`).toBeLessThanOrEqual(0);
    expect(m.multiLine, `names on more than one line at ${where}`).toEqual([]);
    expect(m.clipped, `names cut off at ${where}`).toEqual([]);
    // Only the extreme name may need its short form (whole words dropped), nothing else.
    expect(
      m.shortened.filter((n) => n !== 'Maximiliana… V.'),
      `names shortened at ${where}`,
    ).toEqual([]);
    expect(m.rowOverflow, `rows wider than their column at ${where}`).toEqual([]);
    // Legible across a room, and 4K is the 1080p layout at twice the size, not a corner of the screen.
    expect(m.minRowFontPx, `row type at ${where}`).toBeGreaterThanOrEqual(size.width === 3840 ? 40 : 20);

    // The three 'Ana S.' show their tickets (the kiosk's among them); nobody else needs one.
    const anas = page
      .locator('[data-testid="waiting-row"], [data-testid="now-calling-item"]')
      .filter({ has: page.getByTestId('display-name').getByText('Ana S.', { exact: true }) });
    await expect(anas).toHaveCount(3);
    const shownTickets = (await anas.getByTestId('display-ticket').allTextContents())
      .map((s) => /A\d{3}/.exec(s)?.[0])
      .sort();
    expect(shownTickets, where).toEqual(anaTickets);
    await expect(page.getByTestId('display-ticket')).toHaveCount(3);
    for (const ticket of await page.getByTestId('display-ticket').all()) await expect(ticket).toBeVisible();

    // Masked names only: no full name, no surname, anywhere on the page.
    const text = await page.locator('body').innerText();
    for (const name of ALL_NAMES) expect(text, where).not.toContain(name);
    for (const word of ['Teste', 'Moura', 'Neves', 'Vasconcelos', 'Albuquerque', 'Silva', 'Sousa', 'Santos'])
      expect(text, where).not.toContain(word);

    await expectAccessible(page, `display ${where}`);
    await shot(page, `display-busy-${size.name}`);
    await context.close();
  }
});

test('a quiet moment: six waiting in one column with the practitioner, one call, at 1080p and portrait', async () => {
  const board = await clearQueue();
  const specialtyId = board.specialties[0]!.id;
  const names = UNIQUE.slice(0, 6);
  for (const name of names) await walkIn(name, specialtyId);
  const called = await walkIn(CALLED[0]!, specialtyId);
  await setStatus(server, called.id, { status: 'called' });

  for (const size of [SIZES[0], SIZES[2]]) {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(server.page('display'));
    await expect(page.getByTestId('waiting-row')).toHaveCount(6);
    await expect(page.getByTestId('now-calling-item')).toHaveCount(1);
    // One column, so each row has room for the practitioner; nobody collides, so no ticket shows.
    await expect(page.getByTestId('waiting-row').first()).toContainText(/Dr/);
    await expect(page.getByTestId('display-ticket')).toHaveCount(0);
    await expect.poll(async () => (await measure(page)).clipped).toEqual([]);
    const m = await measure(page);
    const where = `${size.name} (${size.width}×${size.height})`;
    expect(m.outside, where).toEqual([]);
    expect(m.multiLine, where).toEqual([]);
    expect(m.shortened, where).toEqual([]);
    expect(m.rowOverflow, where).toEqual([]);
    expect(m.minRowFontPx, where).toBeGreaterThanOrEqual(28);
    const text = await page.locator('body').innerText();
    for (const name of [...names, CALLED[0]!]) expect(text, where).not.toContain(name);
    await expectAccessible(page, `quiet display ${where}`);
    await shot(page, `display-quiet-${size.name}`);
    await context.close();
  }
});
