/**
 * Test fixtures of the central API: the demo clinic (seed/demo.ts, same catalogue as `npm start`) and
 * logged-in patients (an account row and a session, with the session cookies in a test client's jar).
 */
import { v7 as uuidv7 } from 'uuid';
import { DEMO_CLINIC, DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import { accounts, sessions } from '../db/schema.ts';
import { ACCESS_COOKIE, REFRESH_COOKIE, signAccessToken, startSession } from '../http/auth.ts';
import { seedDemo } from '../seed/demo.ts';
import { client, type TestCentral } from './harness.ts';

export { DEMO_CLINIC, DEMO_PRACTITIONERS };

/** Seeds the demo clinic (no demo patient) into the test database. */
export async function seedClinic(
  t: TestCentral,
  paymentMode: 'pay_online' | 'pay_at_clinic' = 'pay_at_clinic',
) {
  await seedDemo(t.deps, { patient: false, paymentMode });
}

/** A verified patient with an open session: a client whose cookie jar carries it. */
export async function loggedInPatient(t: TestCentral, name = 'Maria Teste', locale: 'pt' | 'en' = 'pt') {
  const id = uuidv7();
  const now = new Date(t.deps.now());
  const email = `${id}@example.com`;
  await t.deps.db.insert(accounts).values({
    id,
    email,
    emailVerifiedAt: now,
    name,
    phone: '+351912345678',
    passwordHash: null,
    locale,
    createdAt: now,
    updatedAt: now,
  });
  const session = await t.deps.db.transaction((tx) => startSession(tx, t.deps, id, 'vitest'));
  const c = client(t);
  c.jar.set(ACCESS_COOKIE, session.access);
  c.jar.set(REFRESH_COOKIE, session.refresh);
  return {
    id,
    email,
    sessionId: session.sessionId,
    http: c,
    /** A fresh access token for the same session at the clock's current time (after moving the clock). */
    async renewAccess() {
      c.jar.set(ACCESS_COOKIE, await signAccessToken(t.deps.config, id, session.sessionId, t.deps.now()));
    },
  };
}

/**
 * Many verified patients with sessions at once (bulk inserts), each as a test client — for races.
 */
export async function manyPatients(t: TestCentral, n: number) {
  const now = new Date(t.deps.now());
  const ids = Array.from({ length: n }, () => uuidv7());
  const sessionIds = ids.map(() => uuidv7());
  await t.deps.db.insert(accounts).values(
    ids.map((id, i) => ({
      id,
      email: `race-${i}-${id}@example.com`,
      emailVerifiedAt: now,
      name: `Utente ${i}`,
      locale: 'pt' as const,
      createdAt: now,
      updatedAt: now,
    })),
  );
  await t.deps.db.insert(sessions).values(
    ids.map((accountId, i) => ({
      id: sessionIds[i]!,
      accountId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
      userAgent: 'race',
    })),
  );
  return Promise.all(
    ids.map(async (id, i) => {
      const c = client(t);
      c.jar.set(ACCESS_COOKIE, await signAccessToken(t.deps.config, id, sessionIds[i]!, t.deps.now()));
      return { id, http: c };
    }),
  );
}
