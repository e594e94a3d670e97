/**
 * Desk → display: a check-in and "call next" at the desk show on the waiting-room display within a
 * second, with the masked name and the room; the display reconnects and catches up by itself after the
 * server restarts. The face engine is off here (CFD_FACE=0): these paths must not depend on it.
 */
import { freeRooms } from './support/rooms.ts';
import { expect, test, type Browser } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import type { Board } from '../../server/clinic/features/appointments/service.ts';
import { firstNameInitial } from '../../server/domain/names.ts';
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

/** Books a new patient `fullName`, five minutes from now, with the practitioner working in `roomName`. */
async function book(roomName: string, fullName: string) {
  const board = await server.api<Board>('GET', '/api/board');
  const room = board.rooms.find((r) => r.name === roomName)!;
  const practitioner = board.practitioners.find((p) => p.defaultRoomId === room.id)!;
  const patient = await server.api<{ id: string }>('POST', '/api/patients', { fullName });
  return server.api<Board['appointments'][number]>('POST', '/api/appointments', {
    patientId: patient.id,
    specialtyId: board.specialties[0]!.id,
    practitionerId: practitioner.id,
    startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
  });
}

test('check-in and "call next" at the desk put "now calling → room" on the display', async () => {
  await freeRooms(server); // the demo day may have someone in session in Sala 2
  const target = await book('Sala 2', 'Leonor Teste Duarte');
  const room = target.room!;

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const desk = await context.newPage();
  await openDesk(desk, server, 'receptionist');
  const display = await context.newPage();
  await display.goto(server.page('display'));
  await expect(display.getByTestId('connection')).toHaveAttribute('data-online', 'true');

  // Manual check-in: the patient joins the waiting list on the display.
  await desk
    .locator(`[data-testid="appt-row"][data-id="${target.id}"]`)
    .getByTestId('action-check-in')
    .click();
  const label = firstNameInitial(target.patient.fullName);
  await expect(display.getByTestId('waiting-row').filter({ hasText: label }).first()).toBeVisible({
    timeout: 1_000,
  });

  // Call next into Sala 2: whoever is first in that room's queue is called.
  await desk.locator('[data-testid="room-card"][data-room-name="Sala 2"]').getByTestId('call-next').click();
  await expect
    .poll(async () =>
      (await server.api<Board>('GET', '/api/board')).appointments.some(
        (a) => a.status === 'called' && a.room?.id === room.id,
      ),
    )
    .toBe(true);
  const called = (await server.api<Board>('GET', '/api/board')).appointments
    .filter((a) => a.status === 'called' && a.room?.id === room.id)
    .sort((a, b) => Date.parse(b.calledAt!) - Date.parse(a.calledAt!))[0]!;
  const calling = display.getByTestId('now-calling-item').first();
  await expect(calling).toContainText(firstNameInitial(called.patient.fullName), { timeout: 1_000 });
  await expect(calling).toContainText('Sala 2');
  await expect(display.getByTestId('now-calling')).not.toContainText(called.patient.fullName);
  await expect(display.getByTestId('clock')).toHaveText(/^\d{2}:\d{2}/);

  fs.mkdirSync(path.resolve('test-results/screenshots'), { recursive: true });
  await display.screenshot({ path: path.resolve('test-results/screenshots/display-now-calling.png') });

  // In session, then done: the call leaves the display.
  const row = desk.locator(`[data-testid="appt-row"][data-id="${called.id}"]`);
  await row.getByTestId('action-start').click();
  await expect(
    display.getByTestId('now-calling-item').filter({ hasText: firstNameInitial(called.patient.fullName) }),
  ).toHaveCount(0, { timeout: 1_000 });
  await row.getByTestId('action-done').click();
  await expect(row).toHaveAttribute('data-status', 'done');
});

test('the display reconnects and catches up after a server restart', async () => {
  const display = await browser.newPage();
  await display.goto(server.page('display'));
  await expect(display.getByTestId('connection')).toHaveAttribute('data-online', 'true');

  const { port, secret, dataDir } = server;
  await server.stop();
  await expect(display.getByTestId('connection')).toHaveAttribute('data-online', 'false', {
    timeout: 10_000,
  });

  server = await startServer({ face: false, port, token: secret, dataDir });
  const target = await book('Sala 1', 'Vasco Teste Amaral');
  await setStatus(server, target.id, { status: 'arrived' });
  await expect(display.getByTestId('connection')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
  await expect(
    display
      .getByTestId('waiting-row')
      .filter({ hasText: firstNameInitial(target.patient.fullName) })
      .first(),
  ).toBeVisible({
    timeout: 15_000,
  });
});
