/**
 * A walk-in at the desk checks the register first (issue 10): typing a returning patient's name without
 * accents offers their record (name, phone, date of birth); choosing it registers the arrival for that
 * patient, so no duplicate is created; a new name registers a new patient. At 1366×768, axe-clean,
 * screenshots in test-results/screenshots/. The face engine is off (CFD_FACE=0).
 */
import { expect, test, type Browser } from '@playwright/test';
import { launchChromium } from './support/browser.ts';
import { expectAccessible, SHOTS } from './support/page-checks.ts';
import { startServer, type TestServer } from './support/server.ts';
import fs from 'node:fs';
import path from 'node:path';
import type { Board } from '../../server/clinic/features/appointments/service.ts';
import { openDesk } from './support/desk.ts';

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

const patientsNamed = async (q: string) =>
  (await server.api<{ id: string }[]>('GET', `/api/patients?q=${encodeURIComponent(q)}`)).length;

test('offers the existing patient while typing, and registers the walk-in for them without a duplicate', async () => {
  const known = await server.api<{ id: string }>('POST', '/api/patients', {
    fullName: 'José Conceição Teste',
    phone: '912 345 678',
    birthDate: '1980-03-07',
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-PT' });
  const desk = await context.newPage();
  await openDesk(desk, server, 'admin');

  await desk.getByTestId('walkin-name').fill('jose conceicao');
  const offer = desk.getByTestId('walkin-known');
  await expect(offer).toContainText('Já é utente da clínica?');
  await expect(offer).toContainText('José Conceição Teste · 912 345 678 · nasc. 07/03/1980');
  await expectAccessible(desk, 'desk walk-in offer');
  await offer.screenshot({ path: path.join(SHOTS, 'desk-walk-in-known.png') });
  await offer.getByTestId('walkin-use').click();
  await expect(desk.getByTestId('walkin-chosen')).toHaveText(/Utente existente: José Conceição Teste/);
  await desk.getByTestId('walkin-submit').click();

  await expect
    .poll(async () => {
      const board = await server.api<Board>('GET', '/api/board');
      return board.appointments.filter((a) => a.patient.id === known.id && a.walkIn).length;
    })
    .toBe(1);
  expect(await patientsNamed('Conceição')).toBe(1);
  await expect(desk.getByTestId('walkin-chosen')).toHaveCount(0); // the form is ready for the next one

  // A new name is offered nothing and registers a new patient.
  await desk.getByTestId('walkin-name').fill('Zacarias Novo Teste');
  await desk.waitForTimeout(800); // longer than the search's pause: nothing may be offered
  await expect(desk.getByTestId('walkin-known')).toHaveCount(0);
  await desk.getByTestId('walkin-submit').click();
  await expect.poll(() => patientsNamed('Zacarias')).toBe(1);

  // The audit log: who did what to this patient, filtered by the same search, exportable.
  await desk.getByTestId('tab-audit').click();
  await expect(desk.getByTestId('audit-page')).toBeVisible();
  await desk.getByTestId('audit-patient').fill('conceicao');
  await desk.getByTestId('audit-apply').click();
  const rows = desk.getByTestId('audit-row');
  await expect(rows.first()).toContainText('José Conceição Teste');
  const actions = await rows.locator('code').allTextContents();
  expect(actions).toEqual(['appointment.status', 'appointment.create', 'patient.create']);
  await expect(desk.getByTestId('audit-csv')).toHaveAttribute('href', /audit\.csv\?.*patient=conceicao/);
  await expectAccessible(desk, 'desk audit log');
  await desk.screenshot({ path: path.join(SHOTS, 'desk-audit-1366x768.png') });
  const download = desk.waitForEvent('download');
  await desk.getByTestId('audit-csv').click();
  const csv = fs.readFileSync(await (await download).path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    'seq,at_utc,actor,action,entity,entity_id,patient_id,patient_name,detail',
  );
  expect(csv).toContain('José Conceição Teste');
});
