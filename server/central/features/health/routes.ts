/** Health of the central API, for the load balancer and for clinics checking they can reach it. */
import { createRoute, z } from '@hono/zod-openapi';
import { json, newRouter } from '../../http/router.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Liveness of this central instance',
  responses: {
    200: json(
      z.object({ ok: z.literal(true), service: z.literal('central'), now: z.string() }),
      'the instance is up; now = its clock, ISO-8601 UTC',
    ),
  },
});

/** `GET /health` → `{ ok: true, service: 'central', now }` (now: ISO-8601 UTC from the injected clock). */
export function healthRoutes(deps: { now: () => number }) {
  return newRouter().openapi(healthRoute, (c) =>
    c.json({ ok: true as const, service: 'central' as const, now: new Date(deps.now()).toISOString() }, 200),
  );
}
