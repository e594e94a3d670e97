/**
 * Test support for clinic-side tests that need a patient of the central API (server/clinic may not import
 * server/central; tests/support may): a portal account that books online and keeps its logged-in client,
 * so the test can act as that patient afterwards (e.g. accept a portal link).
 */
import { bookOnline } from '../../server/central/features/sync/test-support.ts';
import type { TestCentral } from '../../server/central/testing/harness.ts';

/** What `bookOnlineAsPatient` gives: the account's id, its logged-in client, and the appointment. */
export interface OnlinePatient {
  id: string;
  /** Calls the central app in-process with the patient's session cookies. */
  post(path: string, body?: unknown): Promise<Response>;
  appointment: Record<string, unknown>;
}

/** A new portal account (name `name`) books `startsAt` with the demo clinic's first practitioner. */
export async function bookOnlineAsPatient(
  t: TestCentral,
  startsAt: string,
  name: string,
): Promise<OnlinePatient> {
  const { patient, appointment } = await bookOnline(t, startsAt, name);
  return { id: patient.id, post: (p, body) => patient.http.post(p, body), appointment };
}
