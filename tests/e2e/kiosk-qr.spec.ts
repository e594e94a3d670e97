/**
 * Check-in by QR at the kiosk: the patient holds the booking's QR (as the portal and the confirmation
 * email show it: the bare booking code) to the kiosk camera; the kiosk reads it from the camera frames,
 * shows the candidate (initials, practitioner), and confirming checks them in by code. The face engine is
 * off here, so nothing but the QR can identify the patient.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { makeCameraClip } from '../../scripts/lib/camera-clip.ts';
import type { Board } from '../../server/clinic/features/appointments/service.ts';
import { launchChromium } from './support/browser.ts';
import { facePath } from './support/faces.ts';
import { bookNewPatient, startServer } from './support/server.ts';
import { expectAccessible, shot } from './support/page-checks.ts';

/** A camera clip of the QR of `code`, on a grey scene, as a patient's phone would show it. */
async function qrClip(code: string): Promise<string> {
  const qr = await QRCode.toBuffer(code, { width: 300, margin: 4 });
  const scene = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#6b7280' } })
    .composite([{ input: qr, gravity: 'centre' }])
    .png()
    .toBuffer();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-qr-')), 'qr.y4m');
  fs.writeFileSync(file, await makeCameraClip(scene, { format: 'y4m', seconds: 2, fps: 10 }));
  return file;
}

test('a booking QR held to the kiosk camera checks the patient in', async () => {
  const server = await startServer({ face: false });
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    const { practitioner, appointment } = await bookNewPatient(server, 'Rosa Quiosque Almada', 10);

    // The QR as the portal draws it, in the middle of a grey scene.
    browser = await launchChromium(await qrClip(appointment.bookingCode));
    const kiosk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await kiosk.goto(server.page('kiosk'));
    await expect(kiosk.getByTestId('kiosk')).toBeVisible();
    await expectAccessible(kiosk, 'kiosk welcome');

    await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'candidate', { timeout: 30_000 });
    await expect(kiosk.getByTestId('candidate-initials')).toHaveText('R. A.');
    await expect(kiosk.getByTestId('candidate-practitioner')).toHaveText(practitioner.displayName);
    await expectAccessible(kiosk, 'kiosk candidate');
    await kiosk.getByTestId('confirm-yes').click();
    await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'checked-in');
    await expectAccessible(kiosk, 'kiosk checked in');
    await shot(kiosk, 'kiosk-checked-in-1280x800');

    const after = (await server.api<Board>('GET', '/api/board')).appointments.find(
      (a) => a.id === appointment.id,
    )!;
    expect([after.status, after.checkInMethod]).toEqual(['arrived', 'code']);
  } finally {
    await browser?.close();
    await server.stop();
  }
});

test('a patient identified by their booking QR deletes their face data at the kiosk, then checks in', async () => {
  const server = await startServer();
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    const { patient, appointment } = await bookNewPatient(server, 'Vera Consentimento Dias', 10);
    const photo =
      'data:image/jpeg;base64,' + fs.readFileSync(facePath('deepface/p13/img38.jpg')).toString('base64');
    await server.api('POST', `/api/patients/${patient.id}/face`, { consent: true, images: [photo] });

    browser = await launchChromium(await qrClip(appointment.bookingCode));
    const kiosk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await kiosk.goto(server.page('kiosk'));
    await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'candidate', { timeout: 60_000 });
    await kiosk.getByTestId('withdraw-open').click();
    fs.mkdirSync(path.resolve('test-results/screenshots'), { recursive: true });
    await kiosk.screenshot({ path: path.resolve('test-results/screenshots/kiosk-withdraw-confirm.png') });
    await kiosk.getByTestId('withdraw-confirm').click();
    await expect(kiosk.getByTestId('withdraw-done')).toBeVisible();

    const status = await server.api<{ enrolled: boolean; history: { event: string; channel: string }[] }>(
      'GET',
      `/api/patients/${patient.id}/face`,
    );
    expect(status.enrolled).toBe(false);
    expect(status.history.map((h) => [h.event, h.channel])).toEqual([
      ['given', 'desk'],
      ['withdrawn', 'kiosk'],
    ]);
    await kiosk.getByTestId('confirm-yes').click();
    await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'checked-in');
  } finally {
    await browser?.close();
    await server.stop();
  }
});
