/**
 * `npm start`'s demo pairing: once the local server and the embedded central API both answer, pairs the
 * demo clinic with central so a booking made in the portal shows at the desk within seconds (issue 9).
 * It does what an admin would: a one-time pairing code from central's admin route (the demo's kept
 * admin token, `<central data dir>/admin.token`), then the clinic's `POST /api/sync/pair` as the demo
 * admin. Skipped when the clinic is already paired, when the demo is off, or when either server does
 * not come up within `timeoutMs`; it never stops `npm start` (it only prints what happened).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_CLINIC } from '../server/domain/demo-clinic.ts';
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION } from '../server/domain/sync.ts';

/** Where the two servers are and how to reach them. */
export interface DemoSyncOptions {
  clinicUrl: string;
  centralUrl: string;
  /** Central's data directory (its kept admin token lives there). */
  centralDataDir: string;
  /** The demo admin's login on the clinic (server/clinic/seed/staff.ts). */
  admin: { username: string; password: string };
  timeoutMs?: number;
}

async function waitFor(url: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * Pairs the demo clinic with central if it is not paired yet.
 * @returns what happened, one line for the console
 */
export async function pairDemoClinic(o: DemoSyncOptions): Promise<string> {
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  if (
    !(await waitFor(`${o.clinicUrl}/api/auth/status`, deadline)) ||
    !(await waitFor(`${o.centralUrl}/`, deadline))
  )
    return 'Sync: the clinic or the central API did not start; not paired.';
  const login = await fetch(`${o.clinicUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(o.admin),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  if (!login.ok) return `Sync: could not log in as the demo admin (${login.status}); pair at the desk.`;
  const asAdmin = { cookie, 'x-cfd-screen': 'desk', origin: o.clinicUrl };
  const status = (await (await fetch(`${o.clinicUrl}/api/sync/status`, { headers: asAdmin })).json()) as {
    paired?: boolean;
  };
  if (status.paired) return 'Sync: the clinic is paired with the central API.';
  const tokenFile = path.join(o.centralDataDir, 'admin.token');
  if (!fs.existsSync(tokenFile)) return 'Sync: no central admin token found; not paired.';
  const adminToken = fs.readFileSync(tokenFile, 'utf8').trim();
  const codeRes = await fetch(`${o.centralUrl}/api/admin/clinics/${DEMO_CLINIC.id}/pairing-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION) },
  });
  if (!codeRes.ok) return `Sync: central refused a pairing code (${codeRes.status}); not paired.`;
  const { code } = (await codeRes.json()) as { code: string };
  const pair = await fetch(`${o.clinicUrl}/api/sync/pair`, {
    method: 'POST',
    headers: { ...asAdmin, 'content-type': 'application/json' },
    body: JSON.stringify({ code, centralUrl: o.centralUrl }),
  });
  if (!pair.ok) return `Sync: pairing failed (${pair.status} ${await pair.text()}).`;
  return `Sync: the demo clinic is paired with the central API at ${o.centralUrl}; bookings made in the portal reach the desk within seconds.`;
}
