/**
 * The desk's calendar and patient card (issue 10 parts 4–5): on the next working day, book a patient from
 * a free slot (patient search → specialty → time), move the appointment to another practitioner and
 * time, open the patient card from it and the enrolment dialog from the card (the full consent text and
 * its version), cancel the appointment with a reason, then book again from the patient search's card
 * ("book" on the card); the server's answers are checked
 * through the API after each step (no double booking: the freed and the taken slots). At 1366×768,
 * axe-clean, screenshots in test-results/screenshots/. The face engine is off (CFD_FACE=0).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import path from 'node:path';
import { launchChromium } from './support/browser.ts';
import { openDesk } from './support/desk.ts';
import { expectAccessible, SHOTS } from './support/page-checks.ts';
import { startServer, type TestServer } from './support/server.ts';
import { FACE_CONSENT_TEXT, FACE_CONSENT_VERSION } from '../../server/domain/consent.ts';
import { DEMO_PRACTITIONERS } from '../../server/domain/demo-clinic.ts';
import { addDays, clinicDate, clinicTime } from '../../server/domain/time.ts';
import type { CalendarDay } from '../../server/clinic/features/calendar/service.ts';

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

/** The next Monday–Friday after today (clinic day): every demo practitioner works 09:00–13:00 then. */
function nextWorkingDay(): string {
  let d = addDays(clinicDate(Date.now()), 1);
  while ([0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}

const [marta, , , rui] = DEMO_PRACTITIONERS as [
  (typeof DEMO_PRACTITIONERS)[0],
  unknown,
  unknown,
  (typeof DEMO_PRACTITIONERS)[0],
];

/** Opens the desk at 1366×768 in PT-PT, logged in, accepting the confirmation dialogs (cancel). */
async function openDeskPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-PT' });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await openDesk(page, server); // the demo receptionist: booking is a desk (admin, receptionist) task
  return page;
}

test('books for the next working day, moves, opens the patient card and cancels', async () => {
  const day = nextWorkingDay();
  const at10 = clinicTime(day, 10, 0).toISOString();
  const at1130 = clinicTime(day, 11, 30).toISOString();
  const patient = await server.api<{ id: string }>('POST', '/api/patients', {
    fullName: 'Beatriz Calendário Teste',
    phone: '912 000 111',
  });
  const appointmentsOf = async () =>
    (await server.api<CalendarDay>('GET', `/api/calendar?date=${day}`)).columns.flatMap((c) =>
      c.appointments
        .filter((a) => a.patient.id === patient.id)
        .map((a) => ({ startsAt: a.startsAt, practitionerId: a.practitioner.id, status: a.status })),
    );

  const desk = await openDeskPage();
  await desk.getByTestId('tab-calendar').click();
  await expect(desk.getByTestId('calendar')).toBeVisible();
  await desk.getByTestId('calendar-date-input').fill(day);
  await expect(desk.getByTestId('calendar-date')).toHaveAttribute('data-date', day);

  // Book: Marta's 10:00 slot → search the patient → "Usar" → Marcar.
  const martaColumn = desk.locator(`[data-testid="calendar-column"][data-practitioner="${marta.id}"]`);
  await martaColumn.locator(`[data-testid="calendar-slot"][data-starts-at="${at10}"]`).click();
  const book = desk.getByTestId('calendar-book');
  await book.getByTestId('calendar-patient-search').fill('beatriz calend');
  await book.getByTestId('calendar-patient-use').first().click();
  await expect(book.getByTestId('calendar-patient-chosen')).toContainText('Beatriz Calendário Teste');
  await expect(book.getByTestId('calendar-book-time')).toHaveValue(at10);
  await expectAccessible(desk, 'desk calendar booking');
  await desk.screenshot({ path: path.join(SHOTS, 'desk-calendar-book-1366x768.png') });
  await book.getByTestId('calendar-book-submit').click();
  await expect(desk.getByTestId('calendar-feedback')).toContainText(
    'Marcação criada: Beatriz Calendário Teste às 10:00',
  );
  await expect
    .poll(appointmentsOf)
    .toEqual([{ startsAt: at10, practitionerId: marta.id, status: 'scheduled' }]);
  const block = martaColumn.locator('[data-testid="calendar-appointment"]', {
    hasText: 'Beatriz Calendário Teste',
  });
  await expect(block).toBeVisible();
  // The slot is gone: nobody else can be booked onto it.
  await expect(martaColumn.locator(`[data-testid="calendar-slot"][data-starts-at="${at10}"]`)).toHaveCount(0);

  // Move: to Dr. Rui Almeida at 11:30, from the appointment's panel.
  const panel = desk.getByTestId('calendar-appointment-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('calendar-move-practitioner').selectOption(rui.id);
  await panel.getByTestId('calendar-move-time').selectOption(at1130);
  await panel.getByTestId('calendar-move-submit').click();
  await expect(desk.getByTestId('calendar-feedback')).toContainText('mudada para');
  await expect
    .poll(appointmentsOf)
    .toEqual([{ startsAt: at1130, practitionerId: rui.id, status: 'scheduled' }]);
  await expect(martaColumn.locator(`[data-testid="calendar-slot"][data-starts-at="${at10}"]`)).toHaveCount(1);
  await expectAccessible(desk, 'desk calendar after a move');
  await desk.screenshot({ path: path.join(SHOTS, 'desk-calendar-moved-1366x768.png') });

  // The patient card, from the appointment's name.
  await desk.getByTestId('calendar-open-card').click();
  const card = desk.getByTestId('patient-card');
  await expect(card).toBeVisible();
  await expect(card.getByRole('heading', { level: 2 })).toHaveText('Beatriz Calendário Teste');
  await expect(card.getByTestId('card-details')).toContainText('912 000 111');
  await expect(card.getByTestId('card-face')).toHaveText('Sem registo facial.');
  await expect(card.getByTestId('card-appointments')).toContainText('Dr. Rui Almeida');
  await expect(card.getByTestId('card-appointments')).toContainText('Marcado');
  await expectAccessible(desk, 'patient card');
  await desk.screenshot({ path: path.join(SHOTS, 'desk-patient-card-1366x768.png') });

  // Face enrolment from the card: the full consent text, with its version, before any photo.
  await card.getByTestId('card-enrol').click();
  await expect(card).toHaveCount(0);
  const enrol = desk.getByTestId('enrol-dialog');
  const consent = enrol.getByTestId('enrol-consent-text');
  await expect(consent).toHaveAttribute('data-version', FACE_CONSENT_VERSION);
  for (const part of ['explainWhat', 'explainWhy', 'retention', 'withdraw', 'legalBasis'] as const)
    await expect(consent).toContainText(FACE_CONSENT_TEXT.pt[part]);
  await expect(consent).toContainText(`versão ${FACE_CONSENT_VERSION}`);
  await expectAccessible(desk, 'enrolment consent');
  await desk.screenshot({ path: path.join(SHOTS, 'desk-enrol-consent-1366x768.png') });
  await enrol.getByTestId('enrol-close').click();
  await expect(enrol).toHaveCount(0);

  // Cancel, with a reason.
  await panel.getByTestId('calendar-cancel-reason').fill('Pedido do utente');
  await panel.getByTestId('calendar-cancel').click();
  await expect(desk.getByTestId('calendar-feedback')).toContainText(
    'Marcação de Beatriz Calendário Teste cancelada',
  );
  await expect
    .poll(appointmentsOf)
    .toEqual([{ startsAt: at1130, practitionerId: rui.id, status: 'cancelled' }]);
  await expect(desk.locator('[data-testid="calendar-appointment"]', { hasText: 'Beatriz' })).toHaveCount(0);
  await desk.screenshot({ path: path.join(SHOTS, 'desk-calendar-cancelled-1366x768.png') });

  // From the patient search to the card, and "book" on the card: the calendar books for that patient.
  const at1400 = clinicTime(day, 14, 0).toISOString();
  await martaColumn.locator(`[data-testid="calendar-slot"][data-starts-at="${at1400}"]`).click();
  await book.getByTestId('calendar-patient-search').fill('912 000 111');
  await book.getByTestId('calendar-patient-card').first().click();
  await expect(card.getByTestId('card-appointments')).toContainText('Cancelado');
  await card.getByTestId('card-book').click();
  await expect(card).toHaveCount(0);
  await expect(desk.getByTestId('calendar-booking-for')).toContainText('Beatriz Calendário Teste');
  await martaColumn.locator(`[data-testid="calendar-slot"][data-starts-at="${at1400}"]`).click();
  await expect(book.getByTestId('calendar-patient-chosen')).toContainText('Beatriz Calendário Teste');
  await book.getByTestId('calendar-book-submit').click();
  await expect(desk.getByTestId('calendar-booking-for')).toHaveCount(0);
  // Columns in name order: Marta before Rui.
  await expect.poll(appointmentsOf).toEqual([
    { startsAt: at1400, practitionerId: marta.id, status: 'scheduled' },
    { startsAt: at1130, practitionerId: rui.id, status: 'cancelled' },
  ]);
});
