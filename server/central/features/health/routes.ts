/** Health of the central API, for the load balancer and for clinics checking they can reach it. */
import { Hono } from 'hono';

/** `GET /health` → `{ ok: true, service: 'central', now }` (now: ISO-8601 UTC from the injected clock). */
export function healthRoutes(deps: { now: () => number }) {
  return new Hono().get('/health', (c) =>
    c.json({ ok: true as const, service: 'central' as const, now: new Date(deps.now()).toISOString() }),
  );
}
