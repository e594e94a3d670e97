/**
 * The central API (multi-clinic system of record) as one Hono app: each feature's routes mounted under
 * /api, chained so `CentralAppType` carries every route for `hc<CentralAppType>()` in the patient portal.
 * Same shape as server/clinic/app.ts: errors leave as `{ error: { code, message } }` with the status of
 * their code (server/domain/errors.ts). Stateless, so instances scale out behind a load balancer.
 */
import { Hono } from 'hono';
import { errorHandler, notFound } from '../http/errors.ts';
import { healthRoutes } from './features/health/routes.ts';

/** What the central API's features are given. */
export interface CentralDeps {
  /** The clock, ms since epoch (UTC). */
  now: () => number;
}

/** Builds the central app; its type is the portal's API contract. */
export function createCentralApp(deps: CentralDeps) {
  const app = new Hono();
  app.onError(
    errorHandler((err, c) =>
      console.error(
        JSON.stringify({
          level: 'error',
          event: 'http.unhandled',
          path: c.req.path,
          message: err.message,
          stack: err.stack,
        }),
      ),
    ),
  );
  app.notFound(notFound);
  return app.route('/api', healthRoutes(deps));
}

/** The central API's route types, for `hc<CentralAppType>()` in the portal (type-only import). */
export type CentralAppType = ReturnType<typeof createCentralApp>;
