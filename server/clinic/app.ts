/**
 * The clinic's local server as one Hono app: security middleware (server/clinic/http/), then each
 * feature's routes mounted under /api, chained so `AppType` carries every route and the pages call them
 * through `hc<AppType>()`, then the built pages. Errors leave as `{ error: { code, message } }` with the
 * status of their code (server/domain/errors.ts).
 */
import { Hono } from 'hono';
import type { FaceDeps } from './deps.ts';
import { analyticsRoutes } from './features/analytics/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { calendarRoutes } from './features/calendar/routes.ts';
import { appointmentRoutes } from './features/appointments/routes.ts';
import { displayRoutes } from './features/display/routes.ts';
import { faceRoutes } from './features/face/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { kioskRoutes } from './features/kiosk/routes.ts';
import { kioskExitRoutes } from './features/kiosk/exit.ts';
import { patientRoutes } from './features/patients/routes.ts';
import { paymentRoutes, receiptRoutes } from './features/payments/routes.ts';
import { settingsRoutes } from './features/settings/routes.ts';
import { deviceRoutes } from './features/devices/routes.ts';
import { staffRoutes } from './features/staff/routes.ts';
import { setupRoutes } from './features/setup/routes.ts';
import type { SyncService } from './sync/engine.ts';
import { syncRoutes } from './sync/routes.ts';
import type { PortalInviter } from './sync/patient-links.ts';
import type { AppEnv } from './http/context.ts';
import { screenCredentials } from './http/credentials.ts';
import { errorHandler, notFound } from '../http/errors.ts';
import { log } from './lib/log.ts';
import { mountPages } from './http/pages.ts';
import { authenticate, authorize, hostAllowList, matchedRouteKey, pageCredential } from './http/security.ts';
import { apiBodyGuard, DEFAULT_JSON_LIMIT_BYTES, securityHeaders } from '../http/guards.ts';
import type { Argon2Params } from '../http/passwords.ts';

/** How the app is served. */
export interface AppOptions {
  /** Launch secret; each screen's credential is derived from it (server/clinic/http/credentials.ts). */
  token: string;
  /** Host names (without port) accepted in the Host header. */
  allowedHosts: string[];
  /** Built pages (vite build output) served at /desk/, /kiosk/, /display/; null to serve none. */
  rendererDir: string | null;
  /** Interval of the screens' periodic refresh (waits change as time passes), ms; default 30 s. */
  refreshMs?: number;
  /** 32-byte key that signs staff access tokens (kept in the data directory so sessions survive restarts). */
  sessionKey: Uint8Array;
  /** Argon2id cost of staff passwords and PINs (server/http/passwords.ts). */
  argon2: Argon2Params;
  /** The sync with the central API (server/clinic/sync); absent: its routes say it is not paired. */
  sync?: SyncService | null;
  /** Sends a patient a link to their portal account (server/clinic/sync/patient-links.ts); absent: 409. */
  portalInvite?: PortalInviter | null;
}

/** Pages that use the camera (kiosk identification, desk enrolment): `Permissions-Policy: camera=(self)`. */
const CAMERA_PAGES = /^\/(kiosk|desk)(\/|$)/;
/** Routes that take images and enforce their own, larger body limit (features/face, kiosk, setup). */
const OWN_BODY_LIMIT = new Set([
  'POST /api/patients/:id/face',
  'POST /api/face/check',
  'POST /api/kiosk/frames',
  'PUT /api/practitioners/:id/photo',
]);
/** Routes whose body is an image (image/jpeg, png, webp), not JSON: they check the type themselves. */
const RAW_BODY = new Set(['POST /api/kiosk/frames', 'PUT /api/practitioners/:id/photo']);

/** Builds the app; its type (`AppType`) is the API contract the pages are checked against. */
export function createApp(deps: FaceDeps, options: AppOptions) {
  const refreshMs = options.refreshMs ?? 30_000;
  const credentials = screenCredentials(options.token);
  const app = new Hono<AppEnv>();
  app.onError(
    errorHandler((err, c) =>
      log('error', 'http.unhandled', { path: c.req.path, message: err.message, stack: err.stack }),
    ),
  );
  app.notFound(notFound);
  app.use(
    '*',
    securityHeaders({
      permissionsPolicy: (c) => (CAMERA_PAGES.test(c.req.path) ? 'camera=(self)' : 'camera=()'),
    }),
  );
  app.use('*', hostAllowList(options.allowedHosts));
  app.use('*', pageCredential(credentials));
  const auth = { db: deps.db, now: deps.now, sessionKey: options.sessionKey, credentials };
  app.use(
    '/api/*',
    authenticate(auth),
    authorize(),
    apiBodyGuard({
      maxBytes: DEFAULT_JSON_LIMIT_BYTES,
      ownLimit: (c) => OWN_BODY_LIMIT.has(matchedRouteKey(c) ?? ''),
      rawBody: (c) => RAW_BODY.has(matchedRouteKey(c) ?? ''),
    }),
  );
  // The printable receipt names the patient: a desk page behind a staff login (cookie + ?screen=desk).
  app.use('/receipts/*', authenticate(auth), authorize());
  const staffDeps = { ...deps, sessionKey: options.sessionKey, argon2: options.argon2 };

  const routes = app
    .route('/api', staffRoutes(staffDeps, credentials))
    .route('/api', deviceRoutes(deps))
    .route('/api', healthRoutes(deps))
    .route('/api', settingsRoutes(deps))
    .route('/api', appointmentRoutes(deps, refreshMs))
    .route('/api', displayRoutes(deps, refreshMs))
    .route('/api', patientRoutes(deps, options.portalInvite ?? null))
    .route('/api', faceRoutes(deps))
    .route('/api', kioskRoutes(deps))
    .route('/api', kioskExitRoutes(staffDeps))
    .route('/api', analyticsRoutes(deps))
    .route('/api', auditRoutes(deps))
    .route('/api', paymentRoutes(deps))
    .route('/api', setupRoutes(deps))
    .route('/api', calendarRoutes(deps))
    .route('/api', syncRoutes(deps, options.sync ?? null))
    .route('/', receiptRoutes(deps));

  if (options.rendererDir) mountPages(app, options.rendererDir);
  return routes;
}

/** The clinic API's route types, for `hc<AppType>()` in the pages (type-only import). */
export type AppType = ReturnType<typeof createApp>;
