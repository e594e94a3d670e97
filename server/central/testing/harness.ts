/**
 * Test harness of the central API: a migrated database on each driver and the app over it.
 * - PGlite (in memory) always;
 * - a real PostgreSQL when `DATABASE_URL` is set (CI sets it; `.ci/run` installs and starts PostgreSQL):
 *   each harness gets a schema of its own (`search_path`), dropped on close, so test files run in parallel.
 * `describeDrivers(name, fn)` runs the same suite on each available driver (the PostgreSQL copy is only
 * registered where DATABASE_URL is set).
 */
import { describe } from 'vitest';
import { openScratchSchema } from './scratch-schema.ts';
import { createCentralApp, type CentralAppOptions } from '../app.ts';
import { openCentralDatabase, type DatabaseTarget } from '../db/database.ts';
import type { CentralConfig, CentralDeps } from '../deps.ts';
import { builtinInvoicing } from '../invoices/builtin.ts';
import { memoryMailer, type MailMessage } from '../mail/mailer.ts';
import { createSandboxProvider, type SandboxProvider } from '../payments/sandbox.ts';
import { memorySms, type SmsMessage } from '../sms/sms.ts';

/** The drivers this run can test. */
export type Driver = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when DATABASE_URL is set. */
export function availableDrivers(): Driver[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Registers `fn` once per available driver, as `name [pglite]` / `name [postgres]`. */
export function describeDrivers(name: string, fn: (driver: Driver) => void): void {
  for (const driver of availableDrivers()) describe(`${name} [${driver}]`, () => fn(driver));
}

/** Public URL the tests' requests use (the CSRF check compares Origin with it). */
export const TEST_ORIGIN = 'http://127.0.0.1:4320';

/** The admin bearer token of test instances. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-test-admin-token';

/** The sandbox's anti-phishing key in tests. */
export const TEST_CALLBACK_KEY = 'test-anti-phishing-key';

/** Configuration for tests: fixed secret, cheap Argon2 (the production cost is tested in accounts). */
export function testConfig(overrides: Partial<CentralConfig> = {}): CentralConfig {
  return {
    publicUrl: TEST_ORIGIN,
    jwtSecret: new TextEncoder().encode('test-secret-test-secret-test-secret!'),
    jwtIssuer: 'cfd-central',
    jwtAudience: 'cfd-portal',
    accessTtlSec: 600,
    refreshIdleSec: 30 * 60,
    refreshAbsoluteSec: 30 * 24 * 3600,
    argon2: { memoryCost: 1024, timeCost: 2, parallelism: 1 },
    adminToken: TEST_ADMIN_TOKEN,
    ...overrides,
  };
}

/** A settable clock. */
export interface TestClock {
  (): number;
  set(ms: number | string): void;
  advance(ms: number): void;
}

/** A clock starting at `start` (ms or ISO-8601). */
export function testClock(start: number | string): TestClock {
  let t = typeof start === 'string' ? Date.parse(start) : start;
  const clock = (() => t) as TestClock;
  clock.set = (ms) => {
    t = typeof ms === 'string' ? Date.parse(ms) : ms;
  };
  clock.advance = (ms) => {
    t += ms;
  };
  return clock;
}

/** What a test gets: the app, its deps, the mail it sent and a way to close everything. */
export interface TestCentral {
  app: ReturnType<typeof createCentralApp>;
  deps: CentralDeps;
  clock: TestClock;
  mail: MailMessage[];
  /** SMS sent (the in-memory sender). */
  sms: SmsMessage[];
  /**
   * The sandbox provider. Its callbacks go to this app in-process (`app.request`) unless the test
   * passed `payments` (e.g. a sandbox delivering over real HTTP to a served instance).
   */
  sandbox: SandboxProvider;
  /** Where the database is (a second instance opens the same one with `openSecondInstance`). */
  target: DatabaseTarget | null;
  close(): Promise<void>;
}

/** Opens a fresh database on `driver`, migrated (PostgreSQL: a new schema). */
export async function openTestDatabase(driver: Driver, clock: () => number = Date.now) {
  if (driver === 'pglite') {
    const database = await openCentralDatabase({ kind: 'pglite', dataDir: null }, clock);
    return { database, target: null, drop: async () => database.close() };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const { database, target, drop } = await openScratchSchema(url, 't', clock);
  return { database, target: target as DatabaseTarget | null, drop };
}

/** A central app on a fresh database of `driver`, with a test clock and an in-memory mailer. */
export async function createTestCentral(
  driver: Driver,
  opts: {
    now?: number | string;
    config?: Partial<CentralConfig>;
    app?: CentralAppOptions;
    /** A sandbox of the test's own (it must use `clock`); default: one delivering in-process. */
    sandbox?: (clock: TestClock, app: () => ReturnType<typeof createCentralApp>) => SandboxProvider;
  } = {},
): Promise<TestCentral> {
  const clock = testClock(opts.now ?? '2026-11-23T09:00:00Z');
  const { database, drop, target } = await openTestDatabase(driver, clock);
  const mailer = memoryMailer();
  const sms = memorySms();
  let app: ReturnType<typeof createCentralApp> | null = null;
  const sandbox = opts.sandbox
    ? opts.sandbox(clock, () => app!)
    : createSandboxProvider({
        callbackUrl: `${TEST_ORIGIN}/api/payments/callbacks/sandbox`,
        antiPhishingKey: TEST_CALLBACK_KEY,
        now: clock,
        retryDelaysMs: [5, 5],
        fetch: (async (input: string | URL | Request, init?: RequestInit) =>
          app!.request(String(input), init)) as typeof fetch,
      });
  const deps: CentralDeps = {
    database,
    db: database.db,
    now: clock,
    config: testConfig(opts.config),
    mailer,
    sms,
    payments: sandbox,
    invoicing: builtinInvoicing(),
  };
  app = createCentralApp(deps, opts.app);
  return {
    app,
    deps,
    clock,
    mail: mailer.sent,
    sms: sms.sent,
    sandbox,
    target,
    close: async () => {
      sandbox.close();
      await drop();
    },
  };
}

/**
 * A second central instance on the same database, as behind a load balancer: on PostgreSQL its own pool
 * and LISTEN connection; on PGlite (one process, one embedded database) the same database object.
 */
export async function openSecondInstance(t: TestCentral): Promise<TestCentral> {
  const database = t.target ? await openCentralDatabase(t.target, t.clock) : t.deps.database;
  const mailer = memoryMailer();
  const sms = memorySms();
  const deps: CentralDeps = { ...t.deps, database, db: database.db, mailer, sms };
  return {
    app: createCentralApp(deps),
    deps,
    clock: t.clock,
    mail: mailer.sent,
    sms: sms.sent,
    sandbox: t.sandbox,
    target: t.target,
    close: async () => {
      if (t.target) await database.close();
    },
  };
}

/**
 * Request helpers with a cookie jar, as a browser on our origin would send them: JSON bodies,
 * `Origin` = the public URL, cookies kept between calls.
 */
export function client(t: Pick<TestCentral, 'app'>) {
  const jar = new Map<string, string>();
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { origin: TEST_ORIGIN, ...headers };
    if (jar.size > 0) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await t.app.request(`${TEST_ORIGIN}${path}`, {
      method,
      headers: h,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    for (const sc of res.headers.getSetCookie()) {
      const [pair] = sc.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /max-age=0/i.test(sc)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }
  return {
    jar,
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    delete: (path: string, body?: unknown) => call('DELETE', path, body),
  };
}
