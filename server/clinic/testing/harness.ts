/**
 * Test harness for medium tests: a fresh, migrated SQLite file in a temp folder, the demo clinic seeded,
 * and the real Hono app called through `app.request()` with an allowed Host header and, unless a test
 * says otherwise, the access token of a test admin (`h.as(role)` gives the headers of another role;
 * `TEST_CREDENTIALS.kiosk` / `.display` are the app's own kiosk and display windows). The harness's
 * staff rows are written directly (no audit row, no Argon2 cost); their sessions are restarted whenever
 * the test's clock has moved, so a test that jumps hours ahead still calls as a live session.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createApp } from '../app.ts';
import { openDatabase } from '../db/database.ts';
import type { Screen } from '../../domain/ready.ts';
import type { FaceDeps } from '../deps.ts';
import type { FaceEngine } from '../face/engine.ts';
import { KioskSessions } from '../features/kiosk/sessions.ts';
import { screenCredentials } from '../http/credentials.ts';
import { ChangeBus } from '../lib/events.ts';
import { seedDemoClinic } from '../seed/demo.ts';
import type { StaffRole } from '../../domain/staff.ts';
import { ARGON2_TEST } from '../../http/passwords.ts';
import { startStaffSession } from '../features/staff/sessions.ts';

/** The launch secret of every harness app. */
export const TEST_TOKEN = 'test-token-0123456789';
/** The screens' launch credentials derived from `TEST_TOKEN`. */
export const TEST_CREDENTIALS: Record<Screen, string> = screenCredentials(TEST_TOKEN);
/** The key that signs the harness apps' staff access tokens. */
export const TEST_SESSION_KEY = new Uint8Array(32).fill(7);
/** Usernames of the harness's staff, one per role (audit actor `staff:<username>`). */
export const TEST_STAFF: Record<StaffRole, string> = {
  admin: 'test.admin',
  receptionist: 'test.rececao',
  practitioner: 'test.fisio',
};

/** An app on a fresh database, called as a page would call it. */

export interface Harness {
  deps: FaceDeps;
  app: ReturnType<typeof createApp>;
  /** Calls the app as a same-origin page would; `headers` override the defaults. */
  req(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Headers that call as the harness's account of `role` (a fresh access token at the current clock). */
  as(role: StaffRole): Promise<Record<string, string>>;
  /** Sets the clock (ms since epoch). */
  setNow(ms: number): void;
  close(): void;
}

/** A fresh harness; `engine` defaults to none (face routes answer 503), `seed` to the demo clinic. */
export function createHarness(
  options: { engine?: FaceEngine | null; seed?: boolean; now?: number } = {},
): Harness {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-test-'));
  const db = openDatabase(path.join(dir, 'clinic.sqlite'));
  let now = options.now ?? Date.now();
  const deps: FaceDeps = {
    db,
    events: new ChangeBus(),
    now: () => now,
    engine: () => options.engine ?? null,
    faceKey: randomBytes(32),
    kioskSessions: new KioskSessions(),
  };
  if (options.seed !== false) seedDemoClinic(deps);
  const app = createApp(deps, {
    token: TEST_TOKEN,
    allowedHosts: ['localhost'],
    rendererDir: null,
    sessionKey: TEST_SESSION_KEY,
    argon2: ARGON2_TEST,
  });
  const tokens = new Map<StaffRole, { token: string; at: number }>();
  const as = async (role: StaffRole): Promise<Record<string, string>> => {
    const cached = tokens.get(role);
    if (cached && cached.at === now) return { authorization: `Bearer ${cached.token}` };
    const id = harnessStaff(deps, role);
    const session = await startStaffSession({ ...deps, sessionKey: TEST_SESSION_KEY }, id, 'harness');
    tokens.set(role, { token: session.access, at: now });
    return { authorization: `Bearer ${session.access}` };
  };
  return {
    deps,
    app,
    as,
    req: async (method, route, body, headers = {}) =>
      app.request(route, {
        method,
        headers: {
          host: 'localhost',
          ...(headers.authorization === undefined ? await as('admin') : {}),
          ...(body === undefined || typeof body === 'string' || body instanceof Uint8Array
            ? {}
            : { 'content-type': 'application/json' }),
          ...headers,
        },
        body:
          body === undefined
            ? undefined
            : typeof body === 'string' || body instanceof Uint8Array
              ? (body as BodyInit)
              : JSON.stringify(body),
      }),
    setNow: (ms) => {
      now = ms;
    },
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The id of the harness's account of `role`, made on first use (rows written directly: no audit row;
 * the practitioner account works the queue of the first practitioner created).
 */
function harnessStaff(deps: FaceDeps, role: StaffRole): string {
  const username = TEST_STAFF[role];
  const found = deps.db.prepare('SELECT id FROM staff WHERE username = ?').get(username) as
    { id: string } | undefined;
  if (found) return found.id;
  const id = `staff-${role}`;
  const at = new Date(deps.now()).toISOString();
  const practitionerId =
    role === 'practitioner'
      ? ((
          deps.db
            .prepare('SELECT id FROM practitioners WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT 1')
            .get() as { id: string } | undefined
        )?.id ?? null)
      : null;
  if (role === 'practitioner' && practitionerId === null)
    throw new Error('the harness practitioner account needs a practitioner in the database');
  deps.db
    .prepare(
      `INSERT INTO staff (id, username, display_name, role, practitioner_id, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '$argon2id$unusable', ?, ?)`,
    )
    .run(id, username, `Teste ${role}`, role, practitionerId, at, at);
  return id;
}
