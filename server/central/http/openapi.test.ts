/**
 * The OpenAPI document is generated from the routes themselves: every /api route the app serves appears
 * in /openapi.json (a route added without `createRoute` fails here), with a summary, and every operation
 * that can fail documents its error answers with the shared Error schema.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCentral, type TestCentral } from '../testing/harness.ts';

type Op = {
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};

let t: TestCentral;
beforeAll(async () => {
  t = await createTestCentral('pglite');
});
afterAll(async () => t.close());

it('lists every /api route the app serves, each with a summary and documented errors', async () => {
  const doc = (await (await t.app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, Op>>;
    components: { schemas: Record<string, unknown> };
  };
  expect(doc.components.schemas.Error).toBeDefined();
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    ),
  );
  const served = new Set(
    t.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`),
  );
  expect(served.size).toBeGreaterThanOrEqual(20);
  expect([...served].filter((r) => !documented.has(r))).toEqual([]);
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary, where).toBeTruthy();
      const errorStatuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      if (path !== '/api/health' && path !== '/api/clinics')
        expect(errorStatuses.length, where).toBeGreaterThan(0);
      for (const s of errorStatuses) {
        expect(op.responses[s]!.content!['application/json']!.schema.$ref, `${where} ${s}`).toBe(
          '#/components/schemas/Error',
        );
      }
    }
  }
});

it('documents the answers of the app-wide checks: 403/413/415/400 on writes, 429 where rate-limited', async () => {
  const doc = (await (await t.app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, Op & { responses: Record<string, { description: string }> }>>;
  };
  const signup = doc.paths['/api/account/signup']!.post!.responses;
  expect(Object.keys(signup).filter((s) => ['403', '413', '415', '429'].includes(s))).toEqual([
    '403',
    '413',
    '415',
    '429',
  ]);
  expect(signup['400']!.description.split(' | ')).toEqual(expect.arrayContaining(['bad_json']));
  const callback = Object.entries(doc.paths).find(([p]) => p.startsWith('/api/payments/callbacks/'))!;
  expect(Object.keys(callback[1].post!.responses)).not.toContain('415');
  expect(Object.keys(doc.paths['/api/clinics']!.get!.responses)).not.toContain('403');
});
