/**
 * Helpers of the live-sync spec (tests/e2e/sync.spec.ts): a one-time pairing code from the real central
 * API's admin route (and the revocation of the clinic's credentials) (the demo's kept admin token, `<central data dir>/admin.token`), a verified portal
 * patient (sign-up over HTTP, then the dev mailbox's link opened in the page, which logs it in), a
 * booking made from that page through the portal's API, and a page-side stamp of the moment something
 * appears (a MutationObserver records `Date.now()`, so a measured delay does not include Playwright's
 * polling interval; the test and the browser share the machine's clock).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DEMO_CLINIC } from '../../../server/domain/demo-clinic.ts';
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION } from '../../../server/domain/sync.ts';
import { clinicDate } from '../../../server/domain/time.ts';
import type { TestCentral } from './central.ts';

/**
 * A one-time pairing code for the demo clinic from central's admin route.
 * @throws Error when central has no kept admin token or refuses
 */
export async function pairingCode(central: TestCentral): Promise<string> {
  const token = fs.readFileSync(path.join(central.dataDir, 'admin.token'), 'utf8').trim();
  const res = await fetch(`${central.base}/api/admin/clinics/${DEMO_CLINIC.id}/pairing-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION) },
  });
  if (res.status !== 201) throw new Error(`pairing code: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { code: string }).code;
}

/**
 * Revokes the demo clinic's live credentials at central (admin route), as a central admin would.
 * @throws Error when central refuses
 */
export async function revokeCredentials(central: TestCentral): Promise<void> {
  const token = fs.readFileSync(path.join(central.dataDir, 'admin.token'), 'utf8').trim();
  const res = await fetch(`${central.base}/api/admin/clinics/${DEMO_CLINIC.id}/credentials/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION) },
  });
  if (res.status !== 200) throw new Error(`revoke: ${res.status} ${await res.text()}`);
}

/**
 * Signs a patient up at central and opens the verification link in `page`, which logs them in there.
 * @throws Error when the sign-up is refused or no verification e-mail arrives
 */
export async function verifiedPatient(page: Page, central: TestCentral, email: string): Promise<void> {
  const res = await fetch(`${central.base}/api/account/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Teste Sincronização',
      email,
      phone: '912 345 678',
      password: 'um passeio ao rio 2026',
      nif: '501964843',
      locale: 'pt',
    }),
  });
  if (res.status !== 202) throw new Error(`sign-up: ${res.status} ${await res.text()}`);
  const link = await central.waitForLink(email, '/verify-email');
  await page.goto(link);
  await expect(page.getByTestId('logout')).toBeVisible();
}

/** A booking made in the portal, and when its confirmation answered 201 (ms since the epoch). */
export interface PortalBooking {
  id: string;
  startsAt: string;
  bookingCode: string;
  status: string;
  /** `Date.now()` in the page when the 201 arrived. */
  confirmedAt: number;
}

/** A free start of the demo clinic. */
export interface FreeSlot {
  specialty: string;
  startsAt: string;
}

/**
 * The first free slot of the demo clinic's first specialty at least 30 minutes ahead (a slot that starts
 * while the test runs could go by), from `page` on the portal: availability from today (Lisbon), 7 days.
 * @throws Error when there is none
 */
export async function firstSlot(page: Page): Promise<FreeSlot> {
  return page.evaluate(
    async ({ clinicId, today }) => {
      // Defined here: the function runs in the page (no closures over the test's code).
      const call = async (method: string, url: string, body?: unknown) => {
        const res = await fetch(url, {
          method,
          credentials: 'same-origin',
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
        return { status: res.status, json: (await res.json()) as unknown };
      };
      const { specialties } = (await call('GET', `/api/clinics/${clinicId}/specialties`)).json as {
        specialties: { code: string }[];
      };
      const specialty = specialties[0]!.code;
      const availability = (
        await call('GET', `/api/clinics/${clinicId}/availability?specialty=${specialty}&from=${today}&days=7`)
      ).json as { days: { slots: { startsAt: string }[] }[] };
      const slot = availability.days
        .flatMap((d) => d.slots)
        .find((s) => Date.parse(s.startsAt) > Date.now() + 30 * 60_000);
      if (!slot) throw new Error('no free slot in the next 7 days');
      return { specialty, startsAt: slot.startsAt };
    },
    { clinicId: DEMO_CLINIC.id, today: clinicDate(Date.now()) },
  );
}

/**
 * Books `slot` from `page` (logged in at the portal) through the portal's own API: hold → confirm (201).
 * @throws Error when a call fails or the confirmation is not a 201
 */
export async function bookFirstSlot(page: Page, slot: FreeSlot): Promise<PortalBooking> {
  return page.evaluate(
    async ({ clinicId, slot }) => {
      // Defined here: the function runs in the page (no closures over the test's code).
      const call = async (method: string, url: string, body?: unknown) => {
        const res = await fetch(url, {
          method,
          credentials: 'same-origin',
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
        return { status: res.status, json: (await res.json()) as unknown };
      };
      const { hold } = (await call('POST', '/api/holds', { clinicId, ...slot })).json as {
        hold: { id: string };
      };
      const confirmed = await call('POST', `/api/holds/${hold.id}/confirm`);
      const confirmedAt = Date.now();
      if (confirmed.status !== 201) throw new Error(`confirm answered ${confirmed.status}`);
      const a = (confirmed.json as { appointment: Omit<PortalBooking, 'confirmedAt'> }).appointment;
      return { id: a.id, startsAt: a.startsAt, bookingCode: a.bookingCode, status: a.status, confirmedAt };
    },
    { clinicId: DEMO_CLINIC.id, slot },
  );
}

/**
 * Starts watching `page` for an element matching `selector` whose text matches `pattern` (when given):
 * the first moment it is there is kept in the page; read it with `seenAt`. Call before the action.
 */
export async function watchFor(page: Page, key: string, selector: string, pattern?: RegExp): Promise<void> {
  await page.evaluate(
    ({ key, selector, source, flags }) => {
      const w = window as unknown as Record<string, number | undefined>;
      w[key] = undefined;
      const re = source === null ? null : new RegExp(source, flags);
      const check = () => {
        if (w[key] !== undefined) return;
        const el = document.querySelector(selector);
        if (el && (!re || re.test(el.textContent ?? ''))) {
          w[key] = Date.now();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      check();
    },
    { key, selector, source: pattern?.source ?? null, flags: pattern?.flags ?? '' },
  );
}

/** When `watchFor(page, key, …)` first saw its element (ms since the epoch), or null. */
export async function seenAt(page: Page, key: string): Promise<number | null> {
  return page.evaluate((k) => (window as unknown as Record<string, number | undefined>)[k] ?? null, key);
}
