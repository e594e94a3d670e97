/**
 * JSON Schema → fast-check arbitraries for the route fuzzers (issue 13, part 2). The schemas come from the
 * routes themselves: `z.toJSONSchema` of the clinic's zod contracts, or the central API's OpenAPI 3.1
 * document (its `components.schemas` are resolved through `$ref`). Three families of values:
 * - `validOf`: values the schema accepts (strings matching `pattern`, formats uuid / date / date-time /
 *   email, numbers in range, enums, objects with their required keys), ids drawn partly from a pool of
 *   ids that exist in the database so valid requests reach the services;
 * - `boundaryOf`: a valid object with one field at or just past an edge (min/max length, min/max value,
 *   first/last enum member, a member that is not in the enum);
 * - `hostileOf`: wrong types, null, missing required keys, extra keys, unicode edge cases (NUL, lone
 *   surrogates, bidi overrides, RTL, emoji ZWJ sequences, NFD forms), 1 MB strings.
 * Only the subset of JSON Schema that zod 4 and @hono/zod-openapi emit is understood; anything else is
 * treated as "any JSON value".
 */
import fc from 'fast-check';

/** A JSON Schema node (draft 2020-12 / OpenAPI 3.1), as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

/** Where `$ref`s resolve and which ids exist (uuid-format strings draw from `knownIds` half the time). */
export interface SchemaContext {
  /** The document `#/…` references point into (an OpenAPI document, or the schema itself). */
  root: JsonSchema;
  /** Ids that exist in the database under test (may be empty). */
  knownIds: readonly string[];
}

/** Strings that have broken parsers, normalisers, collations and terminals elsewhere. */
export const UNICODE_EDGES: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Eevil\u202C',
  '\u200F\u200Eמטופל',
  'مرحبا بالعالم',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  'Joa\u0303o Conceic\u0327a\u0303o',
  'João Conceição'.normalize('NFD'),
  '\uFEFF',
  '\u2028\u2029',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359',
  "'; DROP TABLE patients; --",
  '" OR 1=1 --',
  '%00%0d%0a',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  ' ',
  '',
  '\t\n\r',
  '𝕬𝖓𝖆',
  'İıŞş',
  'ﷺ',
];

/** A 1 MB string (built once). */
export const HUGE_STRING = 'A'.repeat(1024 * 1024);

/** A JSON value of any shape, with unicode strings. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** A hostile scalar: wrong types, null, numeric extremes and unicode edges. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    0.5,
    [],
    {},
    [null],
    { $gt: '' },
    { __proto__: { admin: true } },
  ),
  fc.constantFrom(...UNICODE_EDGES),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Follows `$ref` (`#/components/schemas/X`, `#/$defs/X`) to the node it names. */
export function resolve(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  let node = schema;
  for (let hops = 0; typeof node.$ref === 'string' && hops < 20; hops++) {
    const parts = (node.$ref as string).replace(/^#\//, '').split('/');
    let target: unknown = ctx.root;
    for (const p of parts) target = (target as Record<string, unknown> | undefined)?.[decodeURIComponent(p)];
    if (!target || typeof target !== 'object') return {};
    node = target as JsonSchema;
  }
  return node;
}

function types(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type as string[];
  if (typeof s.type === 'string') return [s.type];
  if (s.properties) return ['object'];
  if (s.items) return ['array'];
  return [];
}

function num(s: JsonSchema, key: string): number | undefined {
  return typeof s[key] === 'number' ? (s[key] as number) : undefined;
}

const UUID = fc.uuid({ version: [4, 7] });

function isoDateTime(): fc.Arbitrary<string> {
  return fc
    .integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-12-31T23:59:59Z') })
    .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString());
}

function stringOf(s: JsonSchema, ctx: SchemaContext): fc.Arbitrary<string> {
  const format = s.format;
  if (format === 'uuid')
    return ctx.knownIds.length > 0 ? fc.oneof(fc.constantFrom(...ctx.knownIds), UUID) : UUID;
  if (format === 'date-time') return isoDateTime();
  if (format === 'date') return isoDateTime().map((d) => d.slice(0, 10));
  if (format === 'email')
    return fc
      .tuple(
        fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/),
        fc.constantFrom('example.com', 'clinica.pt'),
      )
      .map(([u, d]) => `${u.replace(/\.\.+/g, '.')}@${d}`);
  if (format === 'uri' || format === 'url') return fc.webUrl();
  const min = num(s, 'minLength') ?? 0;
  const max = Math.max(min, Math.min(num(s, 'maxLength') ?? min + 30, min + 200));
  if (typeof s.pattern === 'string') {
    try {
      const re = new RegExp(s.pattern);
      return fc
        .stringMatching(re)
        .filter((v) => v.length >= min && v.length <= (num(s, 'maxLength') ?? Infinity));
    } catch {
      // A pattern fast-check cannot read: fall through to a plain string.
    }
  }
  return fc.string({ unit: 'grapheme', minLength: min, maxLength: max });
}

function numberOf(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const exMin = num(s, 'exclusiveMinimum');
  const exMax = num(s, 'exclusiveMaximum');
  let min = num(s, 'minimum') ?? (exMin !== undefined ? exMin + (integer ? 1 : 1e-9) : -1_000_000);
  let max = num(s, 'maximum') ?? (exMax !== undefined ? exMax - (integer ? 1 : 1e-9) : 1_000_000);
  if (min > max) [min, max] = [max, min];
  if (integer)
    return fc.integer({
      min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
      max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
    });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * Values `schema` accepts (as far as JSON Schema can say: zod refinements such as a NIF checksum are not
 * in the schema, so some "valid" values are refused with a 400 — which the properties allow).
 * @param depth recursion guard for self-referencing schemas
 */
export function validOf(schema: JsonSchema, ctx: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0)
    return fc.oneof(...alternatives.map((a) => validOf(a, ctx, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return validOf(s.allOf[0] as JsonSchema, ctx, depth + 1);
  const ts = types(s);
  if (ts.length > 1) return fc.oneof(...ts.map((t) => validOf({ ...s, type: t }, ctx, depth + 1)));
  switch (ts[0]) {
    case 'string':
      return stringOf(s, ctx);
    case 'integer':
      return numberOf(s, true);
    case 'number':
      return numberOf(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (s.items as JsonSchema | undefined) ?? {};
      const minLength = num(s, 'minItems') ?? 0;
      const maxLength = Math.max(minLength, Math.min(num(s, 'maxItems') ?? minLength + 4, minLength + 8));
      return fc.array(validOf(items, ctx, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((s.required as string[] | undefined) ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = validOf(v, ctx, depth + 1);
      if (Object.keys(model).length === 0)
        return s.additionalProperties && typeof s.additionalProperties === 'object'
          ? fc.dictionary(
              fc.string({ maxLength: 10 }),
              validOf(s.additionalProperties as JsonSchema, ctx, depth + 1),
              { maxKeys: 3 },
            )
          : fc.constant({});
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
    }
    default:
      return anyJson;
  }
}

/** Values at and just past the edges of a leaf schema (strings, numbers, enums). */
export function edgesOf(schema: JsonSchema, ctx: SchemaContext): unknown[] {
  const s = resolve(schema, ctx);
  const out: unknown[] = [];
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    out.push(s.enum[0], s.enum[s.enum.length - 1], `${String(s.enum[0])}x`, String(s.enum[0]).toUpperCase());
  }
  const ts = types(s);
  if (ts.includes('string')) {
    const min = num(s, 'minLength');
    const max = num(s, 'maxLength');
    if (min !== undefined) out.push('a'.repeat(min), min > 0 ? 'a'.repeat(min - 1) : '');
    if (max !== undefined) out.push('é'.repeat(max), 'a'.repeat(max + 1), '😀'.repeat(max));
    if (s.format === 'uuid')
      out.push(
        '00000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
        '01a232ed-0000-7000-8000-00000000000',
        '01A232ED-0000-7000-8000-000000000000',
      );
    if (s.format === 'date' || s.format === 'date-time')
      out.push('0000-01-01', '9999-12-31', '2026-02-29', '2028-02-29', '2026-13-01', '2026-11-21T25:00:00Z');
    out.push('');
  }
  if (ts.includes('integer') || ts.includes('number')) {
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
      const v = num(s, k);
      if (v !== undefined) out.push(v, v - 1, v + 1);
    }
    out.push(0, -1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 1.5, -0);
  }
  if (ts.includes('array')) {
    const max = num(s, 'maxItems');
    out.push([], max !== undefined ? Array.from({ length: max + 1 }, () => null) : [null]);
  }
  return out.length > 0 ? out : [null];
}

function objectProps(schema: JsonSchema, ctx: SchemaContext): Record<string, JsonSchema> {
  const s = resolve(schema, ctx);
  return (s.properties ?? {}) as Record<string, JsonSchema>;
}

/** A valid object with one field replaced by one of its edge values (or the valid value, for a scalar). */
export function boundaryOf(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const props = objectProps(schema, ctx);
  const keys = Object.keys(props);
  if (keys.length === 0) return fc.oneof(validOf(schema, ctx), fc.constantFrom(...edgesOf(schema, ctx)));
  return fc
    .tuple(validOf(schema, ctx), fc.constantFrom(...keys))
    .chain(([value, key]) =>
      fc
        .constantFrom(...edgesOf(props[key]!, ctx))
        .map((edge) => ({ ...(value as Record<string, unknown>), [key]: edge })),
    );
}

/**
 * A hostile variant of a valid value: a field of the wrong type or null, a required key missing, extra
 * keys (including `__proto__` and `constructor`), a unicode edge or a 1 MB string in a field, or a value
 * of another shape altogether.
 */
export function hostileOf(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  const props = objectProps(schema, ctx);
  const keys = Object.keys(props);
  const whole = fc.oneof(hostileScalar, anyJson, fc.constant(HUGE_STRING));
  if (keys.length === 0) return whole;
  const required = ((s.required as string[] | undefined) ?? []).filter((k) => k in props);
  const base = validOf(schema, ctx).map((v) => ({ ...(v as Record<string, unknown>) }));
  return fc.oneof(
    whole,
    fc.tuple(base, fc.constantFrom(...keys), hostileScalar).map(([v, k, bad]) => ({ ...v, [k]: bad })),
    fc.tuple(base, fc.constantFrom(...keys)).map(([v, k]) => ({ ...v, [k]: HUGE_STRING })),
    required.length > 0
      ? fc
          .tuple(base, fc.constantFrom(...required))
          .map(([v, k]) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k)))
      : base,
    fc
      .tuple(base, fc.constantFrom('__proto__', 'constructor', 'id', 'version', 'role', 'x'), anyJson)
      // A computed key makes `__proto__` an own property, so it reaches the JSON text.
      .map(([v, k, extra]) => ({ ...v, [k]: extra })),
    fc
      .tuple(base, fc.constantFrom(...keys), fc.constantFrom(...UNICODE_EDGES))
      .map(([v, k, u]) => ({ ...v, [k]: u })),
  );
}

/**
 * Every input family for one schema: valid values half the time (so requests reach the services), else
 * boundary or hostile ones.
 */
export function inputsOf(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: validOf(schema, ctx) },
    { weight: 1, arbitrary: boundaryOf(schema, ctx) },
    { weight: 2, arbitrary: hostileOf(schema, ctx) },
  );
}
