/**
 * The main job end to end, on real faces (../shared/faces): a patient enrolled at the desk from one photo
 * is recognised at the kiosk from a camera clip made of a different photo, confirms, is checked in, and
 * the waiting-room display shows them (masked name, room, estimated wait) within 2 s.
 * Plus the guards: a stranger is not matched and gets the booking-code fallback; an enrolled patient with
 * no appointment now, or whose enrolment was deleted, is not matched.
 */
import { expect, test, type Browser } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { launchChromium } from './support/browser.ts';
import { cameraClipFrom, facePath } from './support/faces.ts';
import { SHOTS } from './support/page-checks.ts';
import { startServer, type TestServer } from './support/server.ts';
import { toQueueItem, type Board } from '../../server/clinic/features/appointments/service.ts';
import { estimateWaits, learnDurations, waitBand, type WaitBand } from '../../server/domain/wait.ts';
import { openDesk } from './support/desk.ts';
import { clinicDate } from '../../server/domain/time.ts';

// Person deepface_p13: enrol from img38, camera from img41 (shared/faces/README.md).
const ENROL_PHOTO = 'deepface/p13/img38.jpg';
/** The enrolment photos of this person the dev set's README names (img41 is the probe). */
const ENROL_PHOTOS = [ENROL_PHOTO, 'deepface/p13/img39.jpg', 'deepface/p13/img40.jpg'];
const PROBE_PHOTO = 'deepface/p13/img41.jpg';
// Person human_emotions_a is never enrolled.
const STRANGER_PHOTO = 'human/emotions_a/stock-emotions-a-3.jpg';

const SCREENSHOTS = path.resolve('test-results/screenshots');

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

async function bookPatient(fullName: string, minutesFromNow: number) {
  const board = await server.api<Board>('GET', '/api/board');
  const practitioner = board.practitioners[0]!;
  const room = board.rooms.find((r) => r.id === practitioner.defaultRoomId)!;
  const specialty = board.specialties.find((s) => s.code === 'evaluation')!;
  const patient = await server.api<{ id: string }>('POST', '/api/patients', { fullName });
  const appointment = await server.api<{ id: string; bookingCode: string; startsAt: string }>(
    'POST',
    '/api/appointments',
    {
      patientId: patient.id,
      specialtyId: specialty.id,
      practitionerId: practitioner.id,
      startsAt: new Date(Date.now() + minutesFromNow * 60_000).toISOString(),
    },
  );
  return { patient, appointment, practitioner, room };
}

/**
 * The estimate (whole minutes, band) that the domain estimator predicts for appointment `id` at instant
 * `at` (ms), from the board's appointments and durations learned from the day's finished sessions: an
 * independent computation to compare with what the screens show.
 */
function expectedWait(board: Board, id: string, at: number): { waitMin: number; band: WaitBand } {
  const items = board.appointments.map(toQueueItem);
  const durations = learnDurations(
    board.appointments
      .filter((a) => a.status === 'done' && a.sessionStartedAt && a.endedAt)
      .map((a) => ({
        practitionerId: a.practitioner.id,
        specialtyId: a.specialty.id,
        actualMin: (Date.parse(a.endedAt!) - Date.parse(a.sessionStartedAt!)) / 60_000,
        endedAt: Date.parse(a.endedAt!),
      })),
  );
  const estimate = estimateWaits(items, at, {
    turnoverBufferMin: board.settings.turnoverBufferMin,
    callToStartMin: board.settings.callToStartMin,
    earlyStartMin: board.settings.earlyStartMin,
    durations,
  }).get(id);
  if (!estimate) throw new Error(`no estimate for ${id}`);
  return { waitMin: estimate.waitMin, band: waitBand(estimate.waitMin, estimate.position) };
}

function photoDataUrl(relative: string): string {
  return 'data:image/jpeg;base64,' + fs.readFileSync(facePath(relative)).toString('base64');
}

async function appointmentStatus(id: string, startsAt?: string) {
  // The board of the appointment's own clinic day: one booked hours ahead may fall on tomorrow.
  const day = startsAt ? `?date=${clinicDate(Date.parse(startsAt))}` : '';
  const board = await server.api<Board>('GET', `/api/board${day}`);
  return board.appointments.find((a) => a.id === id);
}

test('enrolled at the desk from three checked photos, recognised at the kiosk from another, shown on the display', async () => {
  const { patient, appointment, practitioner, room } = await bookPatient('Tiago Teste Quintela', 10);
  browser = await launchChromium(await cameraClipFrom(PROBE_PHOTO));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });

  // Desk: enrol from three photos, with explicit consent.
  const desk = await context.newPage();
  await openDesk(desk, server, 'receptionist');
  await desk
    .locator(`[data-testid="appt-row"][data-id="${appointment.id}"]`)
    .getByTestId('action-enrol')
    .click();
  const dialog = desk.getByTestId('enrol-dialog');
  // Each photo is checked as it is added: a dark one is refused with the reason and not kept.
  const dark = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-enrol-')), 'dark.jpg');
  await sharp(facePath(ENROL_PHOTO)).linear(0.25, 0).jpeg().toFile(dark);
  await dialog.getByTestId('enrol-file').setInputFiles(dark);
  await expect(dialog.getByTestId('enrol-status')).toContainText('O rosto está demasiado escuro');
  await expect(dialog.locator('.thumb')).toHaveCount(0);
  await expect(dialog.getByTestId('enrol-need-more')).toHaveText(
    'Ainda sem fotografias. Faltam 3 fotografias para guardar.',
  );
  await dialog.screenshot({ path: path.join(SHOTS, 'desk-enrol-refused-dark.png') });
  fs.rmSync(path.dirname(dark), { recursive: true });
  // Three templates (the desk asks for 3 to 5). Each photo is checked by the server's face engine in
  // turn (seconds each on a busy 2-core machine running two browsers), so the three get 30 s.
  await dialog.getByTestId('enrol-file').setInputFiles(ENROL_PHOTOS.map(facePath));
  await expect(dialog.locator('.thumb')).toHaveCount(3, { timeout: 30_000 });
  await expect(dialog.getByTestId('enrol-status')).toContainText('Fotografia 3 aceite.');
  await expect(dialog.getByTestId('enrol-need-more')).toHaveCount(0);
  await dialog.screenshot({ path: path.join(SHOTS, 'desk-enrol-three-photos.png') });
  await expect(dialog.getByTestId('enrol-save')).toBeDisabled(); // no consent yet
  await dialog.getByTestId('enrol-consent').check();
  await dialog.getByTestId('enrol-save').click();
  await expect
    .poll(
      async () =>
        (
          await server.api<{ enrolled: boolean; sampleCount: number }>(
            'GET',
            `/api/patients/${patient.id}/face`,
          )
        ).sampleCount,
      {
        timeout: 30_000,
      },
    )
    .toBe(3);

  const display = await context.newPage();
  await display.goto(server.page('display'));
  await expect(display.getByTestId('connection')).toHaveAttribute('data-online', 'true');

  // Kiosk: the camera shows a different photo of the same person.
  const kiosk = await context.newPage();
  await kiosk.goto(server.page('kiosk'));
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'candidate', { timeout: 60_000 });
  await expect(kiosk.getByTestId('candidate-initials')).toHaveText('T. Q.');
  await expect(kiosk.getByTestId('candidate-practitioner')).toHaveText(practitioner.displayName);
  await expect(kiosk.getByTestId('kiosk')).not.toContainText('Quintela'); // no full name on the kiosk

  await kiosk.getByTestId('confirm-yes').click();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'checked-in');
  await expect(kiosk.getByTestId('checked-in-room')).toHaveText(room.name);

  // The display shows the masked name, the room and a wait within 2 s of confirming.
  const row = display.getByTestId('waiting-row').filter({ hasText: 'Tiago Q.' });
  await expect(row).toBeVisible({ timeout: 2_000 });
  await expect(row).toContainText(room.name);
  await expect(display.locator('body')).not.toContainText('Teste Quintela');

  const board = await server.api<Board>('GET', '/api/board');
  const after = board.appointments.find((a) => a.id === appointment.id)!;
  expect([after.status, after.checkInMethod, after.ticket]).toEqual([
    'arrived',
    'face',
    await kiosk.getByTestId('checked-in-ticket').textContent(),
  ]);
  // The kiosk shows the band of the wait the estimator predicts at the moment of check-in (nothing has
  // moved since), and the board carries the same estimate…
  const atCheckIn = expectedWait(board, appointment.id, Date.parse(after.arrivedAt!));
  await expect(kiosk.getByTestId('checked-in-wait')).toHaveAttribute('data-band', atCheckIn.band);
  await expect(kiosk.getByTestId('checked-in-wait')).not.toBeEmpty();
  // …and the display shows the estimator's band for now (polled: the minute may turn between the reads).
  await expect
    .poll(
      async () => {
        const live = await server.api<Board>('GET', '/api/board');
        const shown = await row.getByTestId('waiting-wait').getAttribute('data-band');
        const expected = expectedWait(live, appointment.id, Date.parse(live.now));
        const board = live.appointments.find((a) => a.id === appointment.id)!.estimate;
        return shown === expected.band && board?.waitMin === expected.waitMin
          ? 'equal'
          : `display ${shown}, board ${board?.waitMin} min, estimator ${expected.waitMin} min (${expected.band})`;
      },
      { timeout: 35_000 },
    )
    .toBe('equal');

  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await kiosk.screenshot({ path: path.join(SCREENSHOTS, 'kiosk-checked-in.png') });
  await display.screenshot({ path: path.join(SCREENSHOTS, 'display-after-check-in.png') });
  await desk.screenshot({ path: path.join(SCREENSHOTS, 'desk.png') });
});

test('a person who is not enrolled is not matched and gets the booking-code fallback', async () => {
  const { appointment } = await bookPatient('Rosa Código Nunes', 5);
  browser = await launchChromium(await cameraClipFrom(STRANGER_PHOTO));
  const kiosk = await browser.newPage();
  await kiosk.goto(server.page('kiosk'));
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'fallback', { timeout: 60_000 });
  await expect(kiosk.getByTestId('fallback')).toContainText(/receção/i);
  expect((await appointmentStatus(appointment.id))?.status).toBe('scheduled');

  // The non-biometric path works: the booking code checks the patient in.
  await kiosk.getByTestId('code-input').fill(appointment.bookingCode.toLowerCase());
  await kiosk.getByTestId('code-submit').click();
  await expect(kiosk.getByTestId('candidate-initials')).toHaveText('R. N.');
  await kiosk.getByTestId('confirm-yes').click();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'checked-in');
  const after = await appointmentStatus(appointment.id);
  expect(after?.status).toBe('arrived');
  expect(after?.checkInMethod).toBe('code');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await kiosk.screenshot({ path: path.join(SCREENSHOTS, 'kiosk-code-checked-in.png') });
});

test('an enrolled patient with no appointment now, or whose enrolment was deleted, is not matched', async () => {
  // Enrolled, but booked four hours from now: outside the check-in window, so not in the gallery.
  const later = await bookPatient('Tiago Teste Quintela', 240);
  await server.api('POST', `/api/patients/${later.patient.id}/face`, {
    consent: true,
    images: [photoDataUrl(ENROL_PHOTO)],
  });

  browser = await launchChromium(await cameraClipFrom(PROBE_PHOTO));
  const kiosk = await browser.newPage();
  await kiosk.goto(server.page('kiosk'));
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'fallback', { timeout: 60_000 });
  expect((await appointmentStatus(later.appointment.id, later.appointment.startsAt))?.status).toBe(
    'scheduled',
  );

  // Booked now and enrolled, then consent withdrawn (enrolment deleted): still never matched.
  const now = await bookPatient('Tiago Outro Quintela', 5);
  await server.api('POST', `/api/patients/${now.patient.id}/face`, {
    consent: true,
    images: [photoDataUrl(ENROL_PHOTO)],
  });
  await server.api('DELETE', `/api/patients/${now.patient.id}/face`);
  await kiosk.reload();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-state', 'fallback', { timeout: 60_000 });
  expect((await appointmentStatus(now.appointment.id))?.status).toBe('scheduled');
});
