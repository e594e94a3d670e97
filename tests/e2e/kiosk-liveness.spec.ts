/**
 * Liveness at the kiosk end to end (issue 14), with the check on (the clinic default; the demo seed turns
 * it off because its own camera clip is a photo):
 * - a photo of an enrolled patient moved before the camera (the clip the movement check used to accept)
 *   is never proposed: the kiosk asks the patient to turn their head, and the booking code stays offered;
 * - a real recorded person (`video/live_lin_manuel_miranda.mjpeg`, enrolled from another occasion,
 *   `video/lin-manuel-miranda.png`; shared/faces/README.md) is proposed, confirms and is checked in.
 * With the check off, the kiosk says so on screen.
 */
import { expect, test, type Browser } from '@playwright/test';
import fs from 'node:fs';
import { launchChromium } from './support/browser.ts';
import { cameraClipFrom, facePath } from './support/faces.ts';
import { shot } from './support/page-checks.ts';
import { bookNewPatient, startServer, type TestServer } from './support/server.ts';
import type { Board } from '../../server/clinic/features/appointments/service.ts';

let server: TestServer;
let browser: Browser | undefined;

test.beforeEach(async () => {
  server = await startServer();
});

test.afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await server.stop();
});

async function bookAndEnrol(fullName: string, photo: string, type: 'jpeg' | 'png') {
  const { patient, appointment } = await bookNewPatient(server, fullName, 5);
  const image = `data:image/${type};base64,` + fs.readFileSync(facePath(photo)).toString('base64');
  await server.api('POST', `/api/patients/${patient.id}/face`, { consent: true, images: [image] });
  return { patient, appointment };
}

test('the demo says liveness is off; with it on, a photo moved before the camera is never proposed', async () => {
  const { appointment } = await bookAndEnrol('Tiago Teste Quintela', 'deepface/p13/img38.jpg', 'jpeg');
  browser = await launchChromium(await cameraClipFrom('deepface/p13/img41.jpg'));
  const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await kiosk.goto(server.page('kiosk'));
  // The demo seed has liveness off: the shifted photo is still accepted, and the kiosk says why.
  await expect(kiosk.getByTestId('kiosk-liveness-off')).toBeVisible({ timeout: 60_000 });

  await server.api('PATCH', '/api/settings', { livenessEnforced: true });
  await kiosk.reload();
  await expect(kiosk.getByTestId('kiosk-hint')).toHaveText(/Vire ligeiramente a cabeça/, { timeout: 60_000 });
  await expect(kiosk.getByTestId('kiosk-liveness-off')).toHaveCount(0);
  await shot(kiosk, 'kiosk-liveness-turn-head');
  // Several more seconds of the same picture: still never a candidate, and the code stays offered.
  for (let i = 0; i < 10; i++) {
    await kiosk.waitForTimeout(500);
    expect(await kiosk.getByTestId('kiosk').getAttribute('data-state')).not.toBe('candidate');
  }
  await expect(kiosk.getByTestId('use-code')).toBeVisible();
  const board = await server.api<Board>('GET', '/api/board');
  expect(board.appointments.find((a) => a.id === appointment.id)?.status).toBe('scheduled');
});

test('a real recorded person, enrolled from another photo, is proposed and checks in', async () => {
  await server.api('PATCH', '/api/settings', { livenessEnforced: true });
  const { appointment } = await bookAndEnrol('Lin Teste Miranda', 'video/lin-manuel-miranda.png', 'png');
  browser = await launchChromium(facePath('video/live_lin_manuel_miranda.mjpeg'));
  const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await kiosk.goto(server.page('kiosk'));
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'candidate', { timeout: 90_000 });
  await expect(kiosk.getByTestId('candidate-initials')).toHaveText('L. M.');
  await kiosk.getByTestId('confirm-yes').click();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'checked-in');
  await shot(kiosk, 'kiosk-liveness-checked-in');
  const board = await server.api<Board>('GET', '/api/board');
  const after = board.appointments.find((a) => a.id === appointment.id)!;
  expect([after.status, after.checkInMethod]).toEqual(['arrived', 'face']);
});
