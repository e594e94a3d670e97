/**
 * The authorization matrix test (issue 10): walks every route the local server registers × every kind
 * of caller — admin, receptionist, practitioner, the app's own kiosk and display windows, a paired kiosk
 * and a paired display, and no credentials — through the real app, and checks that each is let in
 * exactly when server/clinic/http/access.ts says so. It fails on a route missing from the allow-list, on
 * an allow-list entry naming no route, and when docs/access-matrix.md is not the table the allow-list
 * renders (`npm run docs:access` rewrites it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPairingCode, pairDevice } from '../features/devices/service.ts';
import { startStaffSession } from '../features/staff/sessions.ts';
import { ROOT_DIR } from '../paths.ts';
import { createHarness, TEST_CREDENTIALS, TEST_SESSION_KEY, type Harness } from '../testing/harness.ts';
import { allowed, renderAccessMatrix, ROUTE_ACCESS, routeKey, type CallerKind } from './access.ts';

let h: Harness;
const deviceTokens: Record<'kiosk' | 'display', string> = { kiosk: '', display: '' };

beforeAll(async () => {
  h = createHarness({ now: Date.parse('2026-11-21T10:00:00Z') });
  await h.as('admin');
  await h.as('receptionist');
  await h.as('practitioner');
  for (const kind of ['kiosk', 'display'] as const) {
    const { code } = createPairingCode(h.deps, { kind, name: `Teste ${kind}` }, 'staff:test.admin');
    // The token is what the pairing answer put in the device's cookie.
    deviceTokens[kind] = pairTokenOf(code);
  }
});
afterAll(() => h.close());

/** Pairs through the service and returns the token the route would have put in the device's cookie. */
function pairTokenOf(code: string): string {
  return pairDevice(h.deps, code, '10.0.0.9').token;
}

/** Every route of the app under /api or /receipts, as `METHOD /path` keys. */
function registeredRoutes(): string[] {
  const keys = h.app.routes
    .filter((r) => r.method !== 'ALL' && (r.path.startsWith('/api/') || r.path.startsWith('/receipts/')))
    .map((r) => routeKey(r.method, r.path));
  return [...new Set(keys)].sort();
}

/** The callers walked, with how each one authenticates. */
const CALLERS: { name: string; kind: CallerKind | null; headers: () => Promise<Record<string, string>> }[] = [
  ...(['admin', 'receptionist', 'practitioner'] as const).map((role) => ({
    name: role,
    kind: role,
    // A fresh session per call: logout and lock, walked as routes, end or lock the session they use.
    headers: async () => {
      const id = (h.deps.db.prepare('SELECT id FROM staff WHERE role = ?').get(role) as { id: string }).id;
      const s = await startStaffSession({ ...h.deps, sessionKey: TEST_SESSION_KEY }, id, 'matrix');
      return { authorization: `Bearer ${s.access}` };
    },
  })),
  {
    name: 'kiosk window',
    kind: 'kiosk',
    headers: async () => ({ authorization: `Bearer ${TEST_CREDENTIALS.kiosk}` }),
  },
  {
    name: 'display window',
    kind: 'display',
    headers: async () => ({ authorization: `Bearer ${TEST_CREDENTIALS.display}` }),
  },
  {
    name: 'paired kiosk',
    kind: 'kiosk',
    headers: async () => ({ authorization: `Bearer ${deviceTokens.kiosk}` }),
  },
  {
    name: 'paired display',
    kind: 'display',
    headers: async () => ({ authorization: `Bearer ${deviceTokens.display}` }),
  },
  { name: 'no credentials', kind: null, headers: async () => ({ authorization: '' }) },
];

/** A concrete URL for a route pattern (every parameter an id that exists nowhere). */
function urlOf(pattern: string): string {
  return pattern.replace(/:[A-Za-z]+/g, '01a232ed-0000-7000-8000-000000000000');
}

describe('authorization matrix', () => {
  it('names every registered route, and no route that does not exist', () => {
    const registered = registeredRoutes();
    const listed = Object.keys(ROUTE_ACCESS).sort();
    expect(registered.filter((k) => !(k in ROUTE_ACCESS))).toEqual([]);
    expect(listed.filter((k) => !registered.includes(k))).toEqual([]);
    expect(registered.length).toBeGreaterThan(40);
  });

  it('lets each caller into exactly the routes the allow-list gives it', async () => {
    const wrong: string[] = [];
    for (const key of registeredRoutes()) {
      const [method, pattern] = key.split(' ') as [string, string];
      for (const caller of CALLERS) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const res = await h.req(method, urlOf(pattern), body, await caller.headers());
        let text = '';
        if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.cancel();
        else text = await res.text();
        const refused =
          // A public route's own 401 (a refresh without its cookie) is an answer, not a refusal.
          (ROUTE_ACCESS[key] !== 'public' &&
            res.status === 401 &&
            /"code":"(unauthorized|session_expired)"/.test(text)) ||
          (res.status === 403 && /may not call|has no access rule/.test(text));
        const expected = !allowed(key, caller.kind);
        if (refused !== expected)
          wrong.push(
            `${key} as ${caller.name}: ${res.status} ${text.slice(0, 120)} (expected ${expected ? 'refused' : 'let in'})`,
          );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps docs/access-matrix.md equal to the allow-list (npm run docs:access)', () => {
    const doc = fs.readFileSync(path.join(ROOT_DIR, 'docs/access-matrix.md'), 'utf8');
    expect(doc).toBe(renderAccessMatrix());
  });
});
