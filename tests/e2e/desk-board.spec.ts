/**
 * The desk board for a real day (issue 10 part 4): call a given patient into a chosen room (not the next
 * in line), refuse a second patient in that room, recall, move a waiting patient to another practitioner,
 * undo each from the toast within its minute, the "late" alert badge, and the timeline view with its
 * "now" line. At 1366×768 (PT-PT) and 1920×1080 (English): the row actions stay inside the screen with
 * no sideways scrolling; screenshots go to test-results/screenshots/. The face engine is off (CFD_FACE=0).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import path from 'node:path';
import { launchChromium } from './support/browser.ts';
import { SHOTS, shot } from './support/page-checks.ts';
import { freeRooms } from './support/rooms.ts';
import { openDesk } from './support/desk.ts';
import { startServer, type TestServer } from './support/server.ts';
import type { Board } from '../../server/clinic/features/appointments/service.ts';
import { CLINIC_TZ } from '../../server/domain/time.ts';
import { setStatus } from './support/versions.ts';

type Appointment = Board['appointments'][number];

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

/** Books a new patient `minutes` from now with `practitionerId` (first specialty), checked in unless told. */
async function book(fullName: string, practitionerId: string, minutes: number, checkIn = true) {
  const board = await server.api<Board>('GET', '/api/board');
  const patient = await server.api<{ id: string }>('POST', '/api/patients', { fullName });
  const a = await server.api<Appointment>('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: board.specialties[0]!.id,
    practitionerId,
    startsAt: new Date(Date.now() + minutes * 60_000).toISOString(),
  });
  if (!checkIn) return a;
  return setStatus<Appointment>(server, a.id, { status: 'arrived' });
}

/** Whether the clinic's clock is inside the timeline's 08:00–20:00 now (its blocks and "now" line show). */
function insideTimeline(): boolean {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: CLINIC_TZ, hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(),
    ),
  );
  return hour >= 8 && hour < 20;
}

/**
 * Every action button of `row` lies inside the viewport's width, and the table itself does not scroll
 * sideways (no hidden columns).
 */
async function expectActionsOnScreen(page: Page, rowId: string): Promise<void> {
  const width = page.viewportSize()!.width;
  const wrap = page.locator('.table-wrap');
  expect(await wrap.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
  const row = page.locator(`[data-testid="appt-row"][data-id="${rowId}"]`);
  const buttons = row.locator('.appt__actions button');
  expect(await buttons.count()).toBeGreaterThan(2);
  for (const box of await buttons.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right };
    }),
  )) {
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(width);
  }
}

/** axe-core (WCAG 2.x A and AA) finds no violation in the appointments panel (`step` names the view). */
async function expectBoardAccessible(page: Page, step: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .include('.appts')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe violations on ${step}`).toEqual([]);
}

const rowOf = (page: Page, id: string) => page.locator(`[data-testid="appt-row"][data-id="${id}"]`);

test('calls a given patient into a chosen room, recalls, moves, and undoes each at 1366×768', async () => {
  await freeRooms(server);
  const board = await server.api<Board>('GET', '/api/board');
  const [marta, other] = board.practitioners;
  const first = await book('Inês Teste Primeira', marta!.id, 5);
  const second = await book('Rui Teste Segundo', marta!.id, 10);
  const late = await book('Tânia Teste Atrasada', other!.id, -15, false);
  const room = board.rooms.find((r) => r.id !== first.room?.id)!;

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-PT' });
  const desk = await context.newPage();
  await openDesk(desk, server, 'receptionist');

  // The late patient's row says so in words, not only in colour.
  await expect(rowOf(desk, late.id).getByTestId('alert-badge')).toHaveText(/Em atraso/);
  await expect(rowOf(desk, first.id).getByTestId('wait-timer')).toHaveText(/Há \d+ min/);
  await expectActionsOnScreen(desk, second.id);

  // Call the second in line (not the first) into a chosen room.
  const secondRow = rowOf(desk, second.id);
  await secondRow.getByTestId('action-move').click();
  const dialog = desk.getByTestId('move-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('move-room').selectOption(room.id);
  await shot(desk, 'desk-board-move-dialog-1366x768');
  await dialog.getByTestId('move-call').click();
  await expect(dialog).toBeHidden();
  await expect(secondRow).toHaveAttribute('data-status', 'called');
  await expect(secondRow.getByTestId('room')).toHaveText(room.name);
  await expect(rowOf(desk, first.id)).toHaveAttribute('data-status', 'arrived');
  const toast = desk.getByTestId('undo-toast');
  await expect(toast).toContainText(`Chamada de Rui Teste Segundo para ${room.name}.`);
  await shot(desk, 'desk-board-undo-toast-1366x768');
  await expectBoardAccessible(desk, 'the list with the undo toast');
  await secondRow.scrollIntoViewIfNeeded();
  await desk.screenshot({ path: path.join(SHOTS, 'desk-board-rows-1366x768.png') });

  // The room holds one called patient: calling the first into it is refused, with the reason.
  await rowOf(desk, first.id).getByTestId('action-move').click();
  await dialog.getByTestId('move-room').selectOption(room.id);
  await dialog.getByTestId('move-call').click();
  await expect(desk.getByTestId('desk-message')).toHaveText(
    /A sala ainda tem um utente chamado ou em sessão/,
  );
  await dialog.getByRole('button', { name: 'Cancelar' }).click();
  await expect(rowOf(desk, first.id)).toHaveAttribute('data-status', 'arrived');

  // Recall, then undo it: the call keeps its earlier time.
  await secondRow.getByTestId('action-recall').click();
  await expect(toast).toContainText('Nova chamada de Rui Teste Segundo.');
  const recalled = (await server.api<Board>('GET', '/api/board')).appointments.find(
    (a) => a.id === second.id,
  )!;
  await toast.getByTestId('undo').click();
  await expect(desk.getByTestId('desk-message')).toHaveText(/Desfeito: Rui Teste Segundo/);
  await expect
    .poll(
      async () =>
        (await server.api<Board>('GET', '/api/board')).appointments.find((a) => a.id === second.id)!.calledAt,
    )
    .not.toBe(recalled.calledAt);

  // Move the first patient to another practitioner, then undo it from the toast.
  const firstRow = rowOf(desk, first.id);
  await firstRow.getByTestId('action-move').click();
  await dialog.getByTestId('move-practitioner').selectOption(other!.id);
  await dialog.getByTestId('move-submit').click();
  await expect(firstRow.locator('.appt__who')).toContainText(other!.displayName);
  await expect(toast).toContainText('Inês Teste Primeira: sala ou profissional alterados.');
  await toast.getByTestId('undo').click();
  await expect(firstRow.locator('.appt__who')).toContainText(marta!.displayName);
  await expect(toast).toBeHidden();

  // A status change from the row is undoable too: no-show → back to waiting.
  await firstRow.getByTestId('action-no-show').click();
  await expect(firstRow).toHaveAttribute('data-status', 'no_show');
  await toast.getByTestId('undo').click();
  await expect(firstRow).toHaveAttribute('data-status', 'arrived');

  // The timeline: one lane per practitioner, blocks labelled with time, name and status.
  await desk.getByTestId('view-timeline').click();
  await expect(desk.getByTestId('timeline')).toBeVisible();
  expect(await desk.getByTestId('timeline-lane').count()).toBe(board.practitioners.length);
  if (insideTimeline()) {
    const block = desk.locator(`[data-testid="timeline-block"][data-id="${second.id}"]`);
    await expect(block).toHaveAttribute('data-status', 'called');
    await expect(block.getByRole('button')).toHaveAccessibleName(/Rui Teste Segundo, .*, Chamado/);
    await expect(desk.locator('.tl-now').first()).toBeVisible();
  }
  await shot(desk, 'desk-board-timeline-1366x768');
  await expectBoardAccessible(desk, 'the timeline');
  await desk.getByTestId('view-list').click();
  await expect(secondRow).toBeVisible();
  await context.close();
});

test('the board in English at 1920×1080: call into the booked room, undo from the toast, timeline', async () => {
  await freeRooms(server);
  const board = await server.api<Board>('GET', '/api/board');
  const practitioner = board.practitioners[1]!;
  const waiting = await book('Hugo Teste Inglês', practitioner.id, 0);

  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-GB' });
  const desk = await context.newPage();
  await desk.addInitScript(() => localStorage.setItem('cfd.desk.lang', 'en'));
  await openDesk(desk, server, 'receptionist');
  const row = rowOf(desk, waiting.id);
  await expectActionsOnScreen(desk, waiting.id);
  await expect(row.getByTestId('wait-timer')).toHaveText(/\d+ min ago/);

  await row.getByTestId('action-call').click();
  await expect(row).toHaveAttribute('data-status', 'called');
  const toast = desk.getByTestId('undo-toast');
  await expect(toast).toContainText(`Hugo Teste Inglês called into ${waiting.room!.name}.`);
  await expect(toast.getByTestId('undo')).toHaveText('Undo');
  await shot(desk, 'desk-board-1920x1080');
  await toast.getByTestId('undo').click();
  await expect(row).toHaveAttribute('data-status', 'arrived');
  await expect(desk.getByTestId('desk-message')).toHaveText(/Undone: Hugo Teste Inglês is back to “Arrived”/);

  await desk.getByTestId('view-timeline').click();
  await shot(desk, 'desk-board-timeline-1920x1080');
  await context.close();
});
