/**
 * The central API (multi-clinic system of record) as one Hono app: each feature's routes mounted under
 * /api, chained so `CentralAppType` carries every route for `hc<CentralAppType>()` in the patient portal.
 * Routes are declared with @hono/zod-openapi, so `/openapi.json` (OpenAPI 3.1) is generated from the zod
 * schemas they validate with; `/docs` is an interactive reference (Swagger UI served from the
 * swagger-ui-dist npm package, no CDN). Errors leave as `{ error: { code, message } }` with the status of
 * their code (server/domain/errors.ts). Stateless, so instances scale out behind a load balancer.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { errorHandler, notFound } from '../http/errors.ts';
import { sharedRateLimit, type SharedLimit } from './http/rate-limit.ts';
import {
  PASSWORD_RESET_IP_LIMIT,
  PAY_LINK_IP_LIMIT,
  SIGNUP_IP_LIMIT,
  type RateLimit,
} from '../domain/throttle.ts';
import { clientIp } from './http/client-ip.ts';
import { apiBodyGuard, DEFAULT_JSON_LIMIT_BYTES, securityHeaders } from '../http/guards.ts';
import type { CentralEnv } from './http/context.ts';
import type { CentralDeps } from './deps.ts';
import { sameOriginOnly } from './http/auth.ts';
import { docsRoutes } from './http/docs.ts';
import { portalPages } from './http/pages.ts';
import { accountsRoutes } from './features/accounts/routes.ts';
import { bookingRoutes } from './features/booking/routes.ts';
import { catalogRoutes } from './features/catalog/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { linkRoutes } from './features/links/routes.ts';
import { paymentsRoutes } from './features/payments/routes.ts';
import { reminderLinkRoutes } from './features/reminders/routes.ts';
import { syncRoutes } from './features/sync/routes.ts';

export type { CentralDeps } from './deps.ts';

/** Optional parts of the app that only some processes have. */
export interface CentralAppOptions {
  /** Built portal pages (dist/renderer), served at `/`; null = API only (tests). */
  rendererDir?: string | null;
  /** Extra routes mounted before the API (the dev mailbox when the SMTP sink runs). */
  extraRoutes?: (app: OpenAPIHono<CentralEnv>) => void;
}

/** Builds the central app; its type is the portal's API contract. */
export function createCentralApp(deps: CentralDeps, options: CentralAppOptions = {}) {
  const app = new OpenAPIHono<CentralEnv>();
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
  app.use(
    '*',
    secureHeaders({
      // HSTS only over HTTPS (below): on plain http it would be ignored, and it must not stick to a
      // development host name.
      strictTransportSecurity: false,
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
    }),
  );
  const httpsPublicUrl = deps.config.publicUrl.startsWith('https://');
  app.use(
    '*',
    securityHeaders({
      permissionsPolicy: () => 'camera=(), microphone=(), geolocation=()',
      hsts: (c) =>
        httpsPublicUrl ||
        new URL(c.req.url).protocol === 'https:' ||
        c.req.header('x-forwarded-proto') === 'https',
    }),
  );
  app.use('/api/*', sameOriginOnly(deps.config));
  app.use(
    '/api/*',
    apiBodyGuard({
      maxBytes: DEFAULT_JSON_LIMIT_BYTES,
      // Sync push carries batches up to its own limit (features/sync/routes.ts).
      ownLimit: (c) => c.req.path.startsWith('/api/sync/'),
      // Payment providers call back with query parameters and a body of their own choosing.
      rawBody: (c) => c.req.path.startsWith('/api/payments/callbacks/'),
    }),
  );
  // Per-address limits of the routes a guesser or a mail bomber would call (docs/security.md "Rate
  // limits"), counted in PostgreSQL so every instance shares them. In-process requests (tests) have no
  // address and are not counted.
  const perIp = (name: string, limit: RateLimit): SharedLimit => ({
    ...limit,
    key: (c) => {
      const ip = clientIp(c);
      return ip === 'unknown' ? null : `${name}:${ip}`;
    },
  });
  app.use('/api/account/signup', sharedRateLimit(deps, 'sign-ups', [perIp('signup', SIGNUP_IP_LIMIT)]));
  for (const path of ['/api/account/password/forgot', '/api/account/password/reset'])
    app.use(path, sharedRateLimit(deps, 'password resets', [perIp('reset', PASSWORD_RESET_IP_LIMIT)]));
  app.use('/api/pay/*', sharedRateLimit(deps, 'payment-link views', [perIp('pay', PAY_LINK_IP_LIMIT)]));
  options.extraRoutes?.(app);
  const api = app
    .route('/api', healthRoutes(deps))
    .route('/api', accountsRoutes(deps))
    .route('/api', catalogRoutes(deps))
    .route('/api', bookingRoutes(deps))
    .route('/api', paymentsRoutes(deps))
    .route('/api', syncRoutes(deps))
    .route('/api', linkRoutes(deps));
  app.route('/', reminderLinkRoutes(deps));
  docsRoutes(app);
  if (options.rendererDir) app.route('/', portalPages(options.rendererDir));
  return api;
}

/** The central API's route types, for `hc<CentralAppType>()` in the portal (type-only import). */
export type CentralAppType = ReturnType<typeof createCentralApp>;
