/**
 * Requests and the answer property shared by the clinic and central route fuzzers (issue 13, part 2).
 * A `RouteSpec` names a route and the JSON Schemas of its path parameters, query and JSON body; `requestOf`
 * draws one request for it — valid, boundary or hostile parameters, query and body, a body that is
 * broken JSON, 10,000 levels deep, 1 MB, of the wrong content type or with a lying Content-Length, hostile
 * headers (Origin null, a foreign Host, an 8 KB header, CR/LF), and a credential that is right, missing,
 * expired, forged (`alg: none`, a wrong key) or not a Bearer. `checkAnswer` is the pass rule: a 2xx, or a
 * 4xx whose body is `{ error: { code, message } }` with the status of its code; never a 5xx other than a dependency that is documented as
 * unavailable (no face engine: 503 face_engine_unavailable, …).
 */
import fc from 'fast-check';
import { ERROR_STATUS } from '../../../server/domain/errors.ts';
import { HUGE_STRING, inputsOf, UNICODE_EDGES, type JsonSchema, type SchemaContext } from './arbitrary.ts';
import type { RawRequest, RawResponse } from './http.ts';

/** One route and the schemas it validates with (a missing schema: the route reads no such input). */
export interface RouteSpec {
  method: string;
  /** Hono-style pattern: `/api/patients/:id`. */
  path: string;
  params?: JsonSchema;
  query?: JsonSchema;
  json?: JsonSchema;
  /** Statuses the route documents (central's OpenAPI); undefined: any status whose code maps to it. */
  documented?: ReadonlySet<number>;
}

/** How a request authenticates; the suite turns it into headers (`authHeaders`). */
export type AuthChoice =
  'valid' | 'none' | 'expired' | 'wrong-key' | 'alg-none' | 'no-bearer' | 'garbage' | 'other-role';

/** A drawn request, before the credential is filled in. */
export interface FuzzRequest {
  route: RouteSpec;
  auth: AuthChoice;
  raw: Omit<RawRequest, 'headers'> & { headers: [string, string][] };
  /** The body/headers family drawn, for the failure message and the rules below. */
  family: string;
  /**
   * True when the bytes themselves are malformed (lying Content-Length, bare CR/LF in a header): Node's
   * HTTP parser may answer 400 without our body, or drop the socket — never a 5xx. The bytes may also hold
   * a whole valid request followed by garbage, so the "a refusal changes nothing" rule does not apply.
   */
  framing: boolean;
}

/** 5xx answers a route may give by design (a dependency documented as unavailable), never `internal`. */
export const DEPENDENCY_CODES: ReadonlySet<string> = new Set([
  'face_engine_unavailable',
  'provider_unavailable',
  'central_unreachable',
]);

const BROKEN_JSON = [
  '{',
  '{"a":',
  '[1,2,',
  "{'a':1}",
  '{"a":1,}',
  'nul',
  'NaN',
  '\uFEFF{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"__proto__":{"isAdmin":true}}',
  '{"a":1}{"b":2}',
  '"just a string"',
  '12345678901234567890123456789',
  '{"a":1e99999}',
  '',
  '\u0000',
];

/** 10,000 levels of nesting as raw text (never built as a value). */
const DEEP_ARRAY = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/xml',
  'application/json, text/plain',
  'image/jpeg',
  '',
];

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes U+FFFD's bytes instead of throwing. */
function pct(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')]
      .map((b) =>
        /[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('');
  }
}

function fillPath(pattern: string, params: Record<string, unknown>): string {
  return pattern.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const v = params[name];
    return pct(typeof v === 'string' ? v : JSON.stringify(v ?? null));
  });
}

function queryString(query: unknown): string {
  if (!query || typeof query !== 'object' || Array.isArray(query)) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (v === undefined) continue;
    sp.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Body families: JSON of the schema's inputs (most often), or raw hostile bytes. */
function bodyOf(
  route: RouteSpec,
  ctx: SchemaContext,
): fc.Arbitrary<{
  body: string | Buffer;
  type: string;
  family: string;
  contentLength?: number;
  framing?: boolean;
}> {
  const json = route.json ?? { type: 'object' };
  return fc.oneof(
    {
      weight: 12,
      arbitrary: inputsOf(json, ctx).map((v) => ({
        body: JSON.stringify(v) ?? 'null',
        type: 'application/json',
        family: 'json',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...BROKEN_JSON)
        .map((b) => ({ body: b, type: 'application/json', family: 'broken-json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(DEEP_ARRAY, DEEP_OBJECT)
        .map((b) => ({ body: b, type: 'application/json', family: 'deep' })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        body: JSON.stringify({ x: HUGE_STRING }),
        type: 'application/json',
        family: 'huge',
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(inputsOf(json, ctx), fc.constantFrom(...CONTENT_TYPES)).map(([v, type]) => ({
        body: JSON.stringify(v) ?? 'null',
        type,
        family: `content-type ${type || '(empty)'}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(inputsOf(json, ctx), fc.constantFrom(-5, 3, 100_000)).map(([v, delta]) => {
        const body = JSON.stringify(v) ?? 'null';
        const length = Math.max(0, Buffer.byteLength(body) + delta);
        return {
          body,
          type: 'application/json',
          family: `content-length ${delta > 0 ? '+' : ''}${delta}`,
          contentLength: length,
          framing: true,
        };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 64 })
        .map((b) => ({ body: Buffer.from(b), type: 'application/json', family: 'binary' })),
    },
  );
}

/** Header families: the ordinary ones (most often) or one hostile header. */
const headerFamily: fc.Arbitrary<{
  family: string;
  headers: [string, string][];
  host?: string;
  framing?: boolean;
}> = fc.oneof(
  { weight: 16, arbitrary: fc.constant({ family: 'plain', headers: [] as [string, string][] }) },
  {
    weight: 1,
    arbitrary: fc.constant({ family: 'origin null', headers: [['origin', 'null']] as [string, string][] }),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      family: 'foreign origin',
      headers: [['origin', 'https://evil.example']] as [string, string][],
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('evil.example', '', '[::1]', 'localhost.', 'LOCALHOST')
      .map((host) => ({ family: `host ${host}`, headers: [] as [string, string][], host })),
  },
  // A Host that makes no URL: @hono/node-server answers a bare 400 before the app runs.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('localhost:99999', 'local host', 'localhost:80:80')
      .map((host) => ({ family: `host ${host}`, headers: [] as [string, string][], host, framing: true })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      family: 'huge header',
      headers: [['x-huge', 'x'.repeat(8 * 1024)]] as [string, string][],
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      family: 'crlf header',
      headers: [
        ['x-test', 'a\rb'],
        ['x-next', 'c\nd'],
      ] as [string, string][],
      framing: true,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        ...UNICODE_EDGES.filter((u) => !u.includes('\r') && !u.includes('\n') && !u.includes('\u0000')),
      )
      .map((u) => ({
        family: 'unicode headers',
        framing: true,
        headers: [
          ['x-forwarded-for', `1.2.3.4, ${u}`],
          ['user-agent', u],
          ['cookie', `cfd_device=${u}; __Host-cfd_access=%`],
        ] as [string, string][],
      })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      family: 'sec-fetch cross-site',
      headers: [
        ['sec-fetch-site', 'cross-site'],
        ['origin', 'http://localhost.evil.example'],
      ] as [string, string][],
    }),
  },
);

const authChoice: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<AuthChoice>('valid') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<AuthChoice>(
      'none',
      'expired',
      'wrong-key',
      'alg-none',
      'no-bearer',
      'garbage',
      'other-role',
    ),
  },
);

/**
 * One request for `route`: path parameters, query and body from the route's schemas (valid, boundary or
 * hostile), a header family and a credential choice.
 * @param host the Host header the server accepts
 */
export function requestOf(route: RouteSpec, ctx: SchemaContext, host: string): fc.Arbitrary<FuzzRequest> {
  const params = route.params ? inputsOf(route.params, ctx) : fc.constant({});
  const unicodeParam = fc.constantFrom(
    ...UNICODE_EDGES,
    '%0d%0aSet-Cookie:x=1',
    '%0d%0aX-Injected:1',
    '..%2f..%2f',
    'a'.repeat(5000),
  );
  const query = route.query
    ? inputsOf(route.query, ctx)
    : fc.oneof(fc.constant(undefined), fc.constant({ x: '\u0000' }));
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method) || route.json !== undefined;
  const body = hasBody ? bodyOf(route, ctx) : fc.constant(undefined);
  return fc
    .record({
      params: fc.oneof(
        { weight: 5, arbitrary: params },
        { weight: 1, arbitrary: unicodeParam.map((u) => ({ __raw: u })) },
      ),
      query,
      body,
      headers: headerFamily,
      auth: authChoice,
    })
    .map(({ params, query, body, headers, auth }) => {
      const p: Record<string, unknown> =
        params && typeof params === 'object' && !Array.isArray(params)
          ? (params as Record<string, unknown>)
          : { __raw: params };
      const path =
        '__raw' in p
          ? route.path.replace(/:([A-Za-z_]+)/g, () =>
              pct(typeof p.__raw === 'string' ? p.__raw : (JSON.stringify(p.__raw) ?? 'undefined')).replace(
                /%25/g,
                '%',
              ),
            )
          : fillPath(route.path, p);
      const qs = queryString(query);
      const h: [string, string][] = [['host', headers.host ?? host], ...headers.headers];
      if (body && body.type) h.push(['content-type', body.type]);
      const families = [body?.family, headers.family, auth !== 'valid' ? `auth ${auth}` : undefined].filter(
        Boolean,
      );
      return {
        route,
        auth,
        family: families.join(', '),
        // Past Node's 16 KB header limit the parser answers 431 itself.
        framing: Boolean(body?.framing || headers.framing) || path.length + qs.length > 16_000,
        raw: {
          method: route.method,
          target: `${path}${qs}`,
          headers: h,
          ...(body ? { body: body.body } : {}),
          ...(body?.contentLength !== undefined ? { contentLength: body.contentLength } : {}),
        },
      };
    });
}

/** A short description of a request for failure messages (bodies cut to 300 characters). */
export function describeRequest(r: FuzzRequest): string {
  const body = r.raw.body === undefined ? '' : String(r.raw.body);
  const target =
    r.raw.target.length > 200
      ? `${r.raw.target.slice(0, 200)}… (${r.raw.target.length} chars)`
      : r.raw.target;
  return `${r.raw.method} ${target} [${r.family}] body=${JSON.stringify(body.slice(0, 200))}${body.length > 200 ? `… (${body.length} chars)` : ''}`;
}

/**
 * The pass rule for one answer; returns what is wrong, or null. A 2xx passes; a 4xx must carry
 * `{ error: { code, message } }` with a known code whose status is the answer's (`undocumented` checks
 * the status against the route's documented answers); a 5xx passes only for a dependency documented as unavailable. With
 * `framing` (malformed bytes), Node's parser may answer 400 bare or close the socket.
 */
export function checkAnswer(req: FuzzRequest, res: RawResponse): string | null {
  const s = res.status;
  if (req.framing && (s === 0 || ((s === 400 || s === 413 || s === 431) && !res.body.startsWith('{'))))
    return null;
  if (s === 0) return 'no answer (socket closed or timed out)';
  // The path and query carry `%0d%0aSet-Cookie:x=1`: it must never come back as a header of its own.
  if (
    Object.keys(res.headers).some((k) => k === 'x-injected') ||
    /(^|[,;]\s*)x=1/.test(res.headers['set-cookie'] ?? '')
  )
    return `a header was injected: ${JSON.stringify(res.headers)}`;
  if (s >= 200 && s < 400) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return `${s} without a JSON body: ${res.body.slice(0, 200)}`;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string')
    return `${s} without { error: { code, message } }: ${res.body.slice(0, 200)}`;
  const expected = (ERROR_STATUS as Record<string, number>)[error.code];
  if (expected === undefined) return `${s} with an unknown code ${error.code}`;
  if (expected !== s) return `${s} with code ${error.code}, whose status is ${expected}`;
  if (s >= 500) return DEPENDENCY_CODES.has(error.code) ? null : `${s} ${error.code}: ${error.message}`;
  return null;
}

/**
 * Whether the answer's status is one the route documents (central's OpenAPI `responses`); null when it
 * is, when the route documents nothing, or for malformed bytes Node's parser answered.
 */
export function undocumented(req: FuzzRequest, res: RawResponse): string | null {
  if (!req.route.documented || req.route.documented.has(res.status) || res.status === 0) return null;
  if (req.framing && !res.body.startsWith('{')) return null;
  const code = /"code":"([a-z_]+)"/.exec(res.body)?.[1] ?? '(no code)';
  return `${res.status} ${code} is not among the route's documented answers (${[...req.route.documented].join(', ')})`;
}

/** Fixed seed and small run counts in CI; `CFD_FUZZ_SEED` (a number or `random`) and `CFD_FUZZ_RUNS` for longer runs. */
export function fuzzSettings(defaultRuns: number): { seed: number; numRuns: number } {
  const raw = process.env.CFD_FUZZ_SEED;
  const seed =
    raw === 'random'
      ? Math.floor(Math.random() * 2 ** 31)
      : raw !== undefined && raw !== ''
        ? Number(raw)
        : 20261113;
  const runs = Number(process.env.CFD_FUZZ_RUNS ?? '');
  return { seed, numRuns: Number.isFinite(runs) && runs > 0 ? runs : defaultRuns };
}

/**
 * Runs `probe` (which throws on a bad answer) on requests drawn for each route, route `i` with seed
 * `seed + i` so one route's failure replays alone, stopping a route at its first failure.
 * @returns one line per failed route: method, path, seed, fast-check's counterexample path and the error
 */
export async function fuzzRoutes(
  specs: readonly RouteSpec[],
  ctx: SchemaContext,
  host: string,
  probe: (req: FuzzRequest) => Promise<void>,
  settings: { seed: number; numRuns: number },
): Promise<string[]> {
  const failures: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const out = await fc.check(fc.asyncProperty(requestOf(spec, ctx, host), probe), {
      seed: settings.seed + i,
      numRuns: settings.numRuns,
      endOnFailure: true,
    });
    if (out.failed)
      failures.push(
        `${spec.method} ${spec.path} (seed ${settings.seed + i}, path ${out.counterexamplePath}): ${String((out.errorInstance as Error | undefined)?.message ?? out.errorInstance)}`,
      );
  }
  return failures;
}

/** One line for the log: the answers of a fuzz run counted by status, in status order. */
export function statusSummary(server: string, seed: number, statuses: ReadonlyMap<number, number>): string {
  return `${server} fuzz, seed ${seed}: answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`;
}
