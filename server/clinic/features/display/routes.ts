/** Routes of the waiting-room display: its state as JSON and as a live stream. Mounted under /api. */
import { Hono } from 'hono';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { snapshotStream } from '../../http/sse.ts';
import { displayState } from './service.ts';

/**
 * `GET /display`, `GET /display/stream` (SSE 'display'; one shared snapshot per change for every display:
 * they all show the same masked state, server/clinic/http/snapshot-hub.ts).
 * @param refreshMs periodic snapshot, ms
 */
export function displayRoutes(deps: ClinicDeps, refreshMs: number) {
  return new Hono<AppEnv>()
    .get('/display', (c) => c.json(displayState(deps)))
    .get('/display/stream', () =>
      snapshotStream(deps, 'display', 'display', () => displayState(deps), refreshMs),
    );
}
