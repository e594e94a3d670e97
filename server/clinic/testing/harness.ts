/**
 * Test harness for medium tests: a fresh, migrated SQLite file in a temp folder, the demo clinic seeded,
 * and the real Hono app called through `app.request()` with a screen's credential (the desk's unless a
 * test says otherwise) and an allowed Host header.
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

/** The launch secret of every harness app. */
export const TEST_TOKEN = 'test-token-0123456789';
/** The screens' credentials derived from `TEST_TOKEN`. */
export const TEST_CREDENTIALS: Record<Screen, string> = screenCredentials(TEST_TOKEN);

/** An app on a fresh database, called as a page would call it. */

export interface Harness {
  deps: FaceDeps;
  app: ReturnType<typeof createApp>;
  /** Calls the app as a same-origin page would; `headers` override the defaults. */
  req(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
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
  const app = createApp(deps, { token: TEST_TOKEN, allowedHosts: ['localhost'], rendererDir: null });
  return {
    deps,
    app,
    req: (method, route, body, headers = {}) =>
      Promise.resolve(
        app.request(route, {
          method,
          headers: {
            host: 'localhost',
            authorization: `Bearer ${TEST_CREDENTIALS.desk}`,
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
      ),
    setNow: (ms) => {
      now = ms;
    },
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
