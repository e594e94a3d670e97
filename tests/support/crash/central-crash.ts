/**
 * The central crash loop (issue 13 part 4): the central API (bundled, tests/support/crash/bundle.ts, its
 * own process) on embedded PGlite in a temp folder or on a PostgreSQL database of its own (DATABASE_URL),
 * under concurrent online bookings — each worker a verified patient account with a session made straight
 * in the database before the first start (the same JWT_SECRET the process runs with), holding a slot
 * from a shared pool (`POST /api/holds`, so workers race for the same slots) and confirming it
 * (`POST /api/holds/{id}/confirm`) — SIGKILLed at seeded random moments and restarted on the same data.
 *
 * A confirm answered 201/200 is an acknowledged booking. The hold id is the confirm's idempotency key:
 * a confirm cut off by a kill is sent again after the restart and must answer 201 or 200 ("already
 * confirmed") with the same appointment, never a second one. A hold cut off by a kill is left to expire
 * (the account's next hold releases it).
 *
 * Verification (`verifyCentral`, the process down; on PGlite this also proves the data folder opens
 * cleanly after a SIGKILL): every acknowledged booking is there, live (confirmed or awaiting payment) and
 * the account's; no two live rows of a practitioner overlap (the exclusion constraint's promise, checked
 * again row by row, buffer included); no account has two booked appointments that overlap (no duplicate
 * from a retried confirm, no patient in two places at once: the service's `appointment_overlap` rule); every live booking has its change-feed row at its version, and feed `seq`s are
 * unique and drawn (not null).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openCentralDatabase, type CentralDatabase } from '../../../server/central/db/database.ts';
import { accounts, appointments, changes } from '../../../server/central/db/schema.ts';
import { ACCESS_COOKIE, startSession } from '../../../server/central/http/auth.ts';
import { seedDemo } from '../../../server/central/seed/demo.ts';
import type { Driver } from '../../../server/central/testing/harness.ts';
import { testConfig } from '../../../server/central/testing/harness.ts';
import { mulberry32, type RandomSource } from '../../../server/clinic/simulation/rng.ts';
import { ROOT_DIR } from '../../../server/clinic/paths.ts';
import { DEMO_CLINIC } from '../../../server/domain/demo-clinic.ts';
import { crashLoop } from './loop.ts';
import { createThrowawayDatabase } from '../throwaway-database.ts';
import { restartableChild } from '../child-process.ts';
import { centralProcessEnv } from '../central-process.ts';

/** The JWT key the crash central runs with (JWT_SECRET, ≥ 32 characters). */
const JWT_SECRET = 'crash-jwt-secret-crash-jwt-secret-2026';

/** A central process on its own data, with `accounts` patients ready to book. */
export interface CentralCrashTarget {
  driver: Driver;
  /** `http://127.0.0.1:<port>` (the same port after restarts). */
  readonly url: string;
  readonly up: boolean;
  /** Access tokens (one per patient account), valid for an hour. */
  tokens: { accountId: string; access: string }[];
  /** What the process wrote to stderr and stdout, across restarts. */
  output: string[];
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Opens the database (the process must be down on PGlite). */
  open(): Promise<CentralDatabase>;
  /** Kills the process, deletes the data folder and drops the database. */
  close(): Promise<void>;
}

/**
 * Creates the data (a temp folder; on 'postgres' a database `cfd_crash_<hex>` on DATABASE_URL's server),
 * migrates and seeds the demo clinic, makes `accounts` verified patients with sessions; does not start.
 * @param entry the bundled central `main.mjs`
 * @throws Error on 'postgres' without DATABASE_URL
 */
export async function centralCrashTarget(
  driver: Driver,
  entry: string,
  accountCount: number,
): Promise<CentralCrashTarget> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-crash-central-'));
  let databaseUrl: string | null = null;
  let drop = async () => {};
  if (driver === 'postgres') {
    const db = await createThrowawayDatabase('cfd_crash');
    databaseUrl = db.url;
    drop = db.drop;
  }
  const open = () =>
    openCentralDatabase(
      databaseUrl
        ? { kind: 'postgres', url: databaseUrl }
        : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    );
  const config = testConfig({
    jwtSecret: new TextEncoder().encode(JWT_SECRET),
    accessTtlSec: 3600,
  });
  const tokens: { accountId: string; access: string }[] = [];
  const database = await open();
  try {
    const deps = { db: database.db, now: Date.now, config };
    await seedDemo(deps, { patient: false });
    for (let i = 0; i < accountCount; i++) {
      const id = uuidv7();
      const now = new Date();
      await database.db.insert(accounts).values({
        id,
        email: `crash-${i}-${id}@example.com`,
        emailVerifiedAt: now,
        name: `Crash Patient ${i}`,
        phone: '+351912345678',
        passwordHash: null,
        locale: 'pt',
        createdAt: now,
        updatedAt: now,
      });
      const session = await database.db.transaction((tx) => startSession(tx, deps, id, 'crash'));
      tokens.push({ accountId: id, access: session.access });
    }
  } finally {
    await database.close();
  }

  const output: string[] = [];
  const server = restartableChild(
    'central',
    90_000,
    (port) => {
      const env = centralProcessEnv({
        port,
        dataDir,
        databaseUrl,
        adminToken: 'crash-admin-token-crash-admin-token',
        extra: { JWT_SECRET },
      });
      const proc = fork(entry, [], { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      proc.stdout!.on('data', (b: Buffer) => output.push(b.toString('utf8')));
      proc.stderr!.on('data', (b: Buffer) => output.push(b.toString('utf8')));
      return proc;
    },
    () => output.join(''),
  );
  const handle: CentralCrashTarget = {
    driver,
    get url() {
      return server.url;
    },
    get up() {
      return server.up;
    },
    tokens,
    output,
    start: () => server.start(),
    kill: (signal) => server.kill(signal),
    open,
    async close() {
      await handle.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      await drop();
    },
  };
  return handle;
}

/** What the patients were told, and what was settled after the kills. */
export interface CentralLedger {
  /** Acknowledged bookings: appointment (= hold) id → account id. */
  bookings: Map<string, string>;
  holds: number;
  /** Holds refused 409 slot_unavailable (the slot was taken: the race the exclusion constraint settles). */
  slotTaken: number;
  /**
   * Holds refused 409 appointment_overlap: the pool offers one start with several practitioners, and the
   * patient already had an appointment at that time.
   */
  ownOverlap: number;
  /** Requests cut off by a kill. */
  inDoubt: number;
  /** Cut-off confirms settled by sending them again (answered 201 or 200 with the same id). */
  resent: number;
  unexpected: string[];
}

/** The booking load across kills. */
export class CentralCrashLoad {
  readonly ledger: CentralLedger = {
    bookings: new Map(),
    holds: 0,
    slotTaken: 0,
    ownOverlap: 0,
    inDoubt: 0,
    resent: 0,
    unexpected: [],
  };
  private readonly rand: RandomSource;
  private pool: { startsAt: string; practitionerId: string }[] = [];
  private confirmsInDoubt: { holdId: string; accountId: string; access: string }[] = [];

  constructor(
    private readonly target: CentralCrashTarget,
    seed: number,
    private readonly poolSize: number,
  ) {
    this.rand = mulberry32(seed);
  }

  private call(method: string, route: string, access: string, body?: unknown): Promise<Response> {
    return fetch(this.target.url + route, {
      method,
      headers: { 'content-type': 'application/json', cookie: `${ACCESS_COOKIE}=${access}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /**
   * Reads the next two weeks' massage slots once: the shared pool (practitioner × start, the first
   * `poolSize`) the workers race for.
   */
  private async loadPool(access: string): Promise<void> {
    if (this.pool.length) return;
    const from = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
    const res = await this.call(
      'GET',
      `/api/clinics/${DEMO_CLINIC.id}/availability?specialty=massage&from=${from}&days=14`,
      access,
    );
    if (!res.ok) throw new Error(`availability: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as {
      days: { slots: { startsAt: string; practitionerIds: string[] }[] }[];
    };
    for (const day of body.days)
      for (const s of day.slots)
        for (const p of s.practitionerIds) this.pool.push({ startsAt: s.startsAt, practitionerId: p });
    this.pool = this.pool.slice(0, this.poolSize);
    if (this.pool.length === 0) throw new Error('no slot offered');
  }

  private async confirm(
    holdId: string,
    accountId: string,
    access: string,
    resend: boolean,
  ): Promise<boolean> {
    let res: Response;
    try {
      res = await this.call('POST', `/api/holds/${holdId}/confirm`, access);
    } catch {
      if (!resend) this.ledger.inDoubt++;
      this.confirmsInDoubt.push({ holdId, accountId, access });
      return false;
    }
    const body = (await res.json()) as { appointment?: { id: string } };
    if ((res.status === 201 || res.status === 200) && body.appointment?.id === holdId) {
      this.ledger.bookings.set(holdId, accountId);
      if (resend) this.ledger.resent++;
    } else this.ledger.unexpected.push(`confirm ${res.status} ${JSON.stringify(body)}`);
    return true;
  }

  /** One worker's booking: hold a random pool slot, confirm it. False once the server stops answering. */
  private async book(account: { accountId: string; access: string }): Promise<boolean> {
    const slot = this.pool[Math.floor(this.rand() * this.pool.length)]!;
    let res: Response;
    try {
      res = await this.call('POST', '/api/holds', account.access, {
        clinicId: DEMO_CLINIC.id,
        specialty: 'massage',
        practitionerId: slot.practitionerId,
        startsAt: slot.startsAt,
      });
    } catch {
      this.ledger.inDoubt++;
      return false;
    }
    const body = (await res.json()) as { hold?: { id: string }; error?: { code: string } };
    if (res.status === 409 && body.error?.code === 'slot_unavailable') {
      this.ledger.slotTaken++;
      return true;
    }
    if (res.status === 409 && body.error?.code === 'appointment_overlap') {
      this.ledger.ownOverlap++;
      return true;
    }
    if (res.status !== 201 || !body.hold) {
      this.ledger.unexpected.push(`hold ${res.status} ${JSON.stringify(body)}`);
      return true;
    }
    this.ledger.holds++;
    return this.confirm(body.hold.id, account.accountId, account.access, false);
  }

  /** Sends the cut-off confirms again (the server must be up). @throws Error when it stops answering */
  async settle(): Promise<void> {
    await this.loadPool(this.target.tokens[0]!.access);
    const doubts = this.confirmsInDoubt;
    this.confirmsInDoubt = [];
    for (const d of doubts)
      if (!(await this.confirm(d.holdId, d.accountId, d.access, true)))
        throw new Error('central down while settling');
  }

  /** One booking loop per account until the server stops answering. */
  async run(): Promise<void> {
    await Promise.all(
      this.target.tokens.map(async (account) => {
        while (await this.book(account));
      }),
    );
  }

  /** A kill delay in [minMs, maxMs) from the seeded stream. */
  killDelay(minMs: number, maxMs: number): number {
    return Math.floor(minMs + this.rand() * (maxMs - minMs));
  }
}

/**
 * The crash loop (tests/support/crash/loop.ts) with the booking load: a round's kill comes after its first
 * acknowledged booking. Returns the load and the restarts.
 */
export async function centralCrashLoop(
  target: CentralCrashTarget,
  options: { kills: number; seed: number; poolSize: number; minMs: number; maxMs: number },
): Promise<{ load: CentralCrashLoad; restarts: number }> {
  const load = new CentralCrashLoad(target, options.seed, options.poolSize);
  const restarts = await crashLoop(
    target,
    {
      settle: () => load.settle(),
      run: () => load.run(),
      acknowledged: () => load.ledger.bookings.size,
      killDelay: (minMs, maxMs) => load.killDelay(minMs, maxMs),
    },
    options,
  );
  return { load, restarts };
}

/** What `verifyCentral` found; every list empty means the run is sound. */
export interface CentralVerdict {
  lost: string[];
  overlaps: string[];
  duplicates: string[];
  changeFeed: string[];
  /** Live bookings (confirmed or awaiting payment) in the database. */
  live: number;
}

const LIVE = new Set(['held', 'awaiting_payment', 'confirmed']);

/** Checks the database (process down) against the ledger; see the module comment. */
export async function verifyCentral(
  target: CentralCrashTarget,
  ledger: CentralLedger,
): Promise<CentralVerdict> {
  const database = await target.open();
  try {
    const rows = await database.db
      .select({
        id: appointments.id,
        accountId: appointments.accountId,
        practitionerId: appointments.practitionerId,
        startsAt: appointments.startsAt,
        endsAt: appointments.endsAt,
        blockedUntil: appointments.blockedUntil,
        status: appointments.status,
        version: appointments.version,
      })
      .from(appointments);
    const feed = await database.db
      .select({ seq: changes.seq, entityId: changes.entityId, version: changes.version })
      .from(changes);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const lost: string[] = [];
    for (const [id, accountId] of ledger.bookings) {
      const r = byId.get(id);
      if (!r || r.accountId !== accountId || (r.status !== 'confirmed' && r.status !== 'awaiting_payment'))
        lost.push(`${id}: ${r ? `${r.status} of ${r.accountId}` : 'missing'}`);
    }
    const live = rows.filter((r) => LIVE.has(r.status));
    const overlaps: string[] = [];
    const byPractitioner = new Map<string, typeof live>();
    for (const r of live)
      byPractitioner.set(r.practitionerId, [...(byPractitioner.get(r.practitionerId) ?? []), r]);
    for (const list of byPractitioner.values()) {
      list.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      for (let i = 1; i < list.length; i++)
        if (list[i]!.startsAt < list[i - 1]!.blockedUntil)
          overlaps.push(`${list[i - 1]!.id} / ${list[i]!.id}`);
    }
    const duplicates: string[] = [];
    const byAccount = new Map<string, typeof live>();
    for (const r of live)
      if (r.status !== 'held' && r.accountId)
        byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
    for (const list of byAccount.values()) {
      list.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      for (let i = 1; i < list.length; i++)
        if (list[i]!.startsAt < list[i - 1]!.endsAt)
          duplicates.push(`${list[i]!.accountId}: ${list[i - 1]!.id} / ${list[i]!.id}`);
    }
    const changeFeed: string[] = [];
    const seqs = new Set<number>();
    const versions = new Map<string, Set<number>>();
    for (const c of feed) {
      if (c.seq === null || seqs.has(c.seq)) changeFeed.push(`seq ${c.seq} drawn twice or not at all`);
      seqs.add(c.seq);
      versions.set(c.entityId, (versions.get(c.entityId) ?? new Set()).add(c.version));
    }
    for (const id of ledger.bookings.keys()) {
      const r = byId.get(id);
      if (r && !versions.get(id)?.has(r.version))
        changeFeed.push(`${id}: no feed row at version ${r.version}`);
    }
    return {
      lost,
      overlaps,
      duplicates,
      changeFeed,
      live: live.filter((r) => r.status !== 'held').length,
    };
  } finally {
    await database.close();
  }
}
