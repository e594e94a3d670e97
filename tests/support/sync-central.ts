/**
 * Shared test support for the clinic's sync tests (server/clinic/sync/*.test.ts): a real central API
 * (PGlite in memory, or a PostgreSQL scratch schema; the demo clinic seeded) served over real HTTP by `@hono/node-server` on 127.0.0.1
 * and a free port, which can be stopped and started again on the same port (central unreachable, then
 * back). It lives in tests/ because a clinic test may not import server/central (scripts/lint/
 * boundaries.js), while shared test support may. Also: central's admin pairing code, an online booking
 * and cancellation made through the portal's routes, central's sync tables read back, and the tests' row
 * checksum and polling wait.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { and, eq } from 'drizzle-orm';
import { appointments, changes, syncInbox, syncRecords } from '../../server/central/db/schema.ts';
import {
  addClinicB,
  ADMIN,
  bookOnline,
  call,
  CLINIC_B,
  pairingCode,
} from '../../server/central/features/sync/test-support.ts';
import { DEMO_CLINIC, seedClinic } from '../../server/central/testing/fixtures.ts';
import {
  createTestCentral,
  describeDrivers,
  type Driver,
  type TestCentral,
} from '../../server/central/testing/harness.ts';

// Clinic tests may not import server/central: they take the driver loop from here.
export { describeDrivers, type Driver };

/** A central API over real HTTP. */
export interface HttpCentral {
  /** `http://127.0.0.1:<port>` (same port after `restart`). */
  url: string;
  t: TestCentral;
  /** A one-time pairing code for the demo clinic (or `clinicId`), as a central admin makes it. */
  pairingCode(clinicId?: string): Promise<string>;
  /** Adds a second clinic (`CLINIC_B`, no catalogue) to central. */
  addClinicB(): Promise<string>;
  /** Books `startsAt` with the demo clinic's first practitioner online; the appointment and how to cancel it. */
  bookOnline(
    startsAt: string,
    name: string,
  ): Promise<{ appointment: Record<string, unknown>; patientId: string; cancel(): Promise<number> }>;
  /** Central's stored snapshots of the demo clinic's (or `clinicId`'s) pushed rows. */
  records(
    clinicId?: string,
  ): Promise<{ entity: string; entityId: string; version: number; payload: Record<string, unknown> }[]>;
  /** Central's appointment row (the portal's booking, with the clinic's visit state), or undefined. */
  appointment(id: string): Promise<typeof appointments.$inferSelect | undefined>;
  /**
   * Appends changes to central's feed for the demo clinic directly (bulk, no notifications), as the
   * booking service would record them; returns the last change's commit_seq (the cursor a pull reaches).
   */
  feed(
    rows: {
      entity: string;
      entityId: string;
      op: 'insert' | 'update' | 'delete';
      version: number;
      payload: Record<string, unknown>;
    }[],
  ): Promise<number>;
  /** How many inbox rows (deliveries applied) central keeps for an entry id. */
  inboxRows(entryId: string): Promise<number>;
  /** The admin revokes the demo clinic's credentials; the HTTP status. */
  revoke(): Promise<number>;
  /** Stops serving (connections closed): central is unreachable. */
  stop(): Promise<void>;
  /** Serves again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function listen(t: TestCentral, port: number): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ server: server as Server, port: info.port }),
    ) as Server;
  });
}

/**
 * Starts central (demo clinic seeded, clock at `now`) on a free port, on `driver`: embedded PGlite in
 * memory (default), or `'postgres'`, a scratch schema of its own on DATABASE_URL's server (dropped by
 * `close`).
 * @throws Error for `'postgres'` without DATABASE_URL
 */
export async function startHttpCentral(now: string, driver: Driver = 'pglite'): Promise<HttpCentral> {
  const t = await createTestCentral(driver, { now });
  await seedClinic(t);
  let { server, port } = await listen(t, 0);
  let up = true;
  const stop = async () => {
    if (!up) return;
    up = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    t,
    pairingCode: async (clinicId = DEMO_CLINIC.id) => (await pairingCode(t, clinicId)).code,
    addClinicB: async () => {
      await addClinicB(t);
      return CLINIC_B;
    },
    async bookOnline(startsAt, name) {
      const { appointment, patient } = await bookOnline(t, startsAt, name);
      return {
        appointment,
        patientId: patient.id,
        cancel: async () =>
          (await patient.http.post(`/api/me/appointments/${appointment.id as string}/cancel`)).status,
      };
    },
    async records(clinicId = DEMO_CLINIC.id) {
      const rows = await t.deps.db.select().from(syncRecords).where(eq(syncRecords.clinicId, clinicId));
      return rows.map((r) => ({
        entity: r.entity,
        entityId: r.entityId,
        version: r.version,
        payload: r.payload,
      }));
    },
    async appointment(id) {
      const [row] = await t.deps.db.select().from(appointments).where(eq(appointments.id, id));
      return row;
    },
    async feed(rows) {
      let last = 0;
      for (let i = 0; i < rows.length; i += 500) {
        const inserted = await t.deps.db
          .insert(changes)
          .values(
            rows.slice(i, i + 500).map((r) => ({
              ...r,
              clinicId: DEMO_CLINIC.id,
              accountId: null,
              createdAt: new Date(t.deps.now()),
            })),
          )
          .returning({ seq: changes.seq });
        last = Math.max(last, ...inserted.map((r) => r.seq));
      }
      // The cursor a clinic reaches is the commit_seq drawn at commit (migration 0060), not the seq.
      const [row] = await t.deps.db
        .select({ commitSeq: changes.commitSeq })
        .from(changes)
        .where(eq(changes.seq, last));
      return row?.commitSeq ?? 0;
    },
    async inboxRows(entryId) {
      const rows = await t.deps.db
        .select()
        .from(syncInbox)
        .where(and(eq(syncInbox.clinicId, DEMO_CLINIC.id), eq(syncInbox.entryId, entryId)));
      return rows.length;
    },
    revoke: async () =>
      (await call(t, 'POST', `/api/admin/clinics/${DEMO_CLINIC.id}/credentials/revoke`, undefined, ADMIN))
        .status,
    stop,
    async restart() {
      if (up) return;
      ({ server, port } = await listen(t, port));
      up = true;
    },
    async close() {
      await stop();
      await t.close();
    },
  };
}

/** SHA-256 of a row as canonical JSON (keys sorted): the same on both sides when the rows agree. */
export function checksum(row: Record<string, unknown>): string {
  const keys = Object.keys(row).sort();
  return createHash('sha256')
    .update(JSON.stringify(keys.map((k) => [k, row[k]])))
    .digest('hex');
}

/**
 * Polls `check` every 20 ms until it holds.
 * @throws Error naming `what` after `timeoutMs` (default 10 s)
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
