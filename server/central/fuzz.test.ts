/**
 * Route fuzzing of the central API (issue 13, part 2): every operation of its own OpenAPI 3.1 document
 * (`/openapi.json`, generated from the zod schemas the routes validate with), with path parameters, query
 * and JSON bodies drawn from that document's schemas — valid, boundary and hostile values, broken JSON,
 * 10,000-deep and 1 MB bodies, odd content types, hostile headers, and credentials that are right,
 * missing, expired, forged (`alg: none`, a wrong key), not a Bearer or of the other kind (a paired clinic's
 * sync credential on the sync routes, with their protocol header) — sent over real
 * HTTP (@hono/node-server on 127.0.0.1). Pass: every answer is a 2xx or a 4xx with
 * `{ error: { code, message } }` whose code has that status (and, a separate test over the same
 * requests, a status the operation documents); never a 5xx but a documented
 * 503 provider_unavailable; the API answers /api/health after each request; and a refused (4xx) request
 * writes no table but the audit log and the login throttle (row triggers on the test's scratch database,
 * tests/support/fuzz/fingerprint.ts).
 * CI runs on PGlite with a fixed seed and a few requests per operation; `npm run fuzz` runs many more,
 * on PostgreSQL too when DATABASE_URL is set (scripts/fuzz.ts; `CFD_FUZZ_SEED`, `CFD_FUZZ_RUNS`).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, watchCentralWrites } from '../../tests/support/fuzz/fingerprint.ts';
import { rawRequest, serveApp, type Served } from '../../tests/support/fuzz/http.ts';
import {
  checkAnswer,
  describeRequest,
  fuzzRoutes,
  fuzzSettings,
  statusSummary,
  type FuzzRequest,
  type RouteSpec,
  undocumented,
} from '../../tests/support/fuzz/requests.ts';
import type { JsonSchema, SchemaContext } from '../../tests/support/fuzz/arbitrary.ts';
import { ACCESS_COOKIE, REFRESH_COOKIE, signAccessToken } from './http/auth.ts';
import { DEMO_CLINIC, loggedInPatient, seedClinic } from './testing/fixtures.ts';
import { pairClinic } from './features/sync/test-support.ts';
import { SYNC_PROTOCOL_HEADER } from '../domain/sync.ts';
import {
  availableDrivers,
  createTestCentral,
  TEST_ADMIN_TOKEN,
  TEST_ORIGIN,
  type Driver,
  type TestCentral,
} from './testing/harness.ts';

const { seed, numRuns } = fuzzSettings(2);
const HOST = new URL(TEST_ORIGIN).host;
/** PGlite in CI; PostgreSQL as well in the long run (`npm run fuzz` sets CFD_FUZZ_RUNS). */
const drivers: Driver[] = process.env.CFD_FUZZ_RUNS ? availableDrivers() : ['pglite'];

type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, unknown>;
  security?: Record<string, unknown>[];
};

/** One fuzz spec per operation of the OpenAPI document, with the auth scheme it names. */
function specsOf(doc: {
  paths: Record<string, Record<string, Operation>>;
}): (RouteSpec & { scheme: string })[] {
  const specs: (RouteSpec & { scheme: string })[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const group = (where: string): JsonSchema | undefined => {
        const ps = (op.parameters ?? []).filter((p) => p.in === where);
        if (ps.length === 0) return undefined;
        return {
          type: 'object',
          properties: Object.fromEntries(ps.map((p) => [p.name, p.schema ?? {}])),
          required: ps.filter((p) => p.required).map((p) => p.name),
        };
      };
      const params = group('path');
      const query = group('query');
      const json = op.requestBody?.content?.['application/json']?.schema;
      specs.push({
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, ':$1'),
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(json ? { json } : {}),
        documented: new Set(Object.keys(op.responses).map(Number)),
        scheme: Object.keys(op.security?.[0] ?? {})[0] ?? 'public',
      });
    }
  return specs;
}

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

for (const driver of drivers)
  describe(`central route fuzzing [${driver}]`, () => {
    let t: TestCentral;
    let served: Served;
    let ctx: SchemaContext;
    let specs: (RouteSpec & { scheme: string })[];
    let watch: Awaited<ReturnType<typeof watchCentralWrites>>;
    /** First answer per operation whose status the operation does not document. */
    const undocumentedAnswers = new Map<string, string>();
    /** How many answers of each status the run saw (printed at the end). */
    const statuses = new Map<number, number>();

    beforeAll(async () => {
      t = await createTestCentral(driver);
      await seedClinic(t);
      const doc = (await (await t.app.request('/openapi.json')).json()) as {
        paths: Record<string, Record<string, Operation>>;
      };
      specs = specsOf(doc);
      const ids = async (q: string) => (await rowsOf<{ id: string }>(t.deps.db, q)).map((r) => String(r.id));
      ctx = {
        root: doc as unknown as JsonSchema,
        knownIds: [
          ...(await ids('SELECT id FROM clinics')),
          ...(await ids('SELECT id FROM practitioners')),
          ...(await ids('SELECT id FROM appointments LIMIT 4')),
        ],
      };
      watch = await watchCentralWrites(t.deps.db);
      served = await serveApp(t.app.fetch);
    }, 120_000);
    afterAll(async () => {
      await served?.close();
      await t?.close();
    });

    function validOrNone(auth: 'none' | 'valid', scheme: string): [string, string][] {
      return auth === 'valid' && scheme === 'bearerAuth'
        ? [['authorization', `Bearer ${TEST_ADMIN_TOKEN}`]]
        : [];
    }

    /**
     * Bearer headers of a clinic's sync route (`/api/sync/*` but pairing): 'valid' is a clinic credential
     * freshly paired (a rotation by an earlier request ends the previous one), 'other-role' the admin's
     * token; the rest as for any bearer route.
     */
    async function syncAuthHeaders(auth: FuzzRequest['auth']): Promise<[string, string][]> {
      switch (auth) {
        case 'none':
          return [];
        case 'valid':
          return [['authorization', `Bearer ${await pairClinic(t, DEMO_CLINIC.id)}`]];
        case 'other-role':
          return [['authorization', `Bearer ${TEST_ADMIN_TOKEN}`]];
        case 'no-bearer':
          return [['authorization', await pairClinic(t, DEMO_CLINIC.id)]];
        case 'garbage':
          return [['authorization', 'Basic YWRtaW46YWRtaW4=']];
        default:
          return [['authorization', `Bearer ${randomBytes(32).toString('base64url')}`]];
      }
    }

    /** Cookie or bearer headers for the request's credential choice (a fresh patient for cookies). */
    async function authHeaders(
      req: FuzzRequest & { route: { scheme?: string } },
    ): Promise<[string, string][]> {
      const scheme = (req.route as RouteSpec & { scheme: string }).scheme;
      if (/^\/api\/sync\/(?!pair$)/.test(req.route.path)) return syncAuthHeaders(req.auth);
      // The account routes read the session cookie without declaring cookieAuth.
      const patientRoute =
        scheme === 'cookieAuth' || /^\/api\/(account|me|patient-links)\//.test(req.route.path);
      if (req.auth === 'none' || (req.auth === 'valid' && !patientRoute))
        return validOrNone(req.auth, scheme);
      // A fresh patient: logout, erasure and password changes end the one they use.
      const patient = await loggedInPatient(t, 'Fuzz Utente');
      const access = patient.http.jar.get(ACCESS_COOKIE)!;
      const cookies = (a: string) =>
        [['cookie', `${ACCESS_COOKIE}=${a}; ${REFRESH_COOKIE}=${patient.http.jar.get(REFRESH_COOKIE)!}`]] as [
          string,
          string,
        ][];
      const now = t.deps.now();
      const forged = async (kind: 'expired' | 'wrong-key') =>
        kind === 'expired'
          ? signAccessToken(t.deps.config, patient.id, patient.sessionId, now - 3 * 3600_000)
          : signAccessToken(
              { ...t.deps.config, jwtSecret: new Uint8Array(randomBytes(32)) },
              patient.id,
              patient.sessionId,
              now,
            );
      const asScheme = (token: string): [string, string][] =>
        scheme === 'bearerAuth' ? [['authorization', `Bearer ${token}`]] : cookies(token);
      switch (req.auth) {
        case 'valid':
          return scheme === 'bearerAuth'
            ? [['authorization', `Bearer ${TEST_ADMIN_TOKEN}`]]
            : cookies(access);
        case 'expired':
        case 'wrong-key':
          return asScheme(await forged(req.auth));
        case 'alg-none': {
          const claims = {
            sub: patient.id,
            sid: patient.sessionId,
            iss: 'cfd-central',
            aud: 'cfd-portal',
            iat: now / 1000,
            exp: now / 1000 + 600,
          };
          return asScheme(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`);
        }
        case 'no-bearer':
          return [['authorization', scheme === 'bearerAuth' ? TEST_ADMIN_TOKEN : access]];
        case 'garbage':
          return [
            ['authorization', 'Basic YWRtaW46YWRtaW4='],
            ['cookie', `${ACCESS_COOKIE}=%%%; ${REFRESH_COOKIE}=${'r'.repeat(500)}`],
          ];
        case 'other-role':
          return scheme === 'bearerAuth'
            ? cookies(access)
            : [['authorization', `Bearer ${TEST_ADMIN_TOKEN}`]];
      }
    }

    /** Sends one fuzzed request; checks the answer, the database after a refusal and health after. */
    async function probe(req: FuzzRequest): Promise<void> {
      const auth = await authHeaders(req);
      const own = req.raw.headers.some(([k]) => k === 'origin')
        ? []
        : ([['origin', TEST_ORIGIN]] as [string, string][]);
      // Sync calls name their protocol version (else 400 before anything else is looked at).
      if (
        req.route.path.startsWith('/api/sync/') &&
        !req.raw.headers.some(([k]) => k === SYNC_PROTOCOL_HEADER)
      )
        own.push([SYNC_PROTOCOL_HEADER, '1']);
      await watch.writes();
      const res = await rawRequest(served.port, {
        ...req.raw,
        headers: [...req.raw.headers, ...own, ...auth],
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const problem = checkAnswer(req, res);
      if (problem) throw new Error(`${problem} ← ${describeRequest(req)}`);
      const gap = undocumented(req, res);
      const key = `${req.route.method} ${req.route.path}`;
      if (gap && !undocumentedAnswers.has(key))
        undocumentedAnswers.set(key, `${gap} ← ${describeRequest(req)}`);
      const written = await watch.writes();
      if (!req.framing && res.status >= 400 && res.status < 500 && written.length > 0)
        throw new Error(
          `${res.status} ${res.body.slice(0, 160)}, but it wrote ${written.join(', ')} ← ${describeRequest(req)}`,
        );
      const health = await rawRequest(served.port, {
        method: 'GET',
        target: '/api/health',
        headers: [['host', HOST]],
      });
      if (health.status !== 200)
        throw new Error(`then /api/health answered ${health.status} ← ${describeRequest(req)}`);
    }

    it('notes a write to a table, but none to the audit log', async () => {
      await watch.writes();
      await rowsOf(t.deps.db, 'UPDATE clinics SET name = name WHERE id = (SELECT id FROM clinics LIMIT 1)');
      await rowsOf(
        t.deps.db,
        "INSERT INTO audit_log (at, actor, action, entity) VALUES (now(), 'system', 'fuzz.check', 'fuzz')",
      );
      expect(await watch.writes()).toEqual(['clinics']);
      expect(await watch.writes()).toEqual([]);
    });

    it('fuzzes at least every operation the OpenAPI document lists', () => {
      expect(specs.length).toBeGreaterThanOrEqual(40);
      expect(specs.every((s) => s.documented && s.documented.size > 0)).toBe(true);
    });

    it(
      `answers fuzzed requests with a 2xx or a coded 4xx, never a 5xx, refusals change nothing (seed ${seed}, ${numRuns} per operation)`,
      async () => {
        const failures = await fuzzRoutes(specs, ctx, HOST, probe, { seed, numRuns });
        console.info(statusSummary('central', seed, statuses));
        expect(failures).toEqual([]);
      },
      Math.max(300_000, numRuns * 60_000),
    );

    it('gave only answers each operation documents in /openapi.json (same requests)', () => {
      expect([...undocumentedAnswers.values()]).toEqual([]);
    });
  });
