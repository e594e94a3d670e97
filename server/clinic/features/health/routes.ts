/** Health of the local server: up, and whether the face engine is loaded (with its backend and model). */
import { Hono } from 'hono';
import type { FaceDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';

/** `GET /health` → `{ ok: true, face: { ready: false } | { ready: true, backend, modelId, … } }`. */
export function healthRoutes(deps: FaceDeps) {
  return new Hono<AppEnv>().get('/health', (c) => {
    const engine = deps.engine();
    return c.json({ ok: true, face: engine ? { ready: true, ...engine.info } : { ready: false } });
  });
}
