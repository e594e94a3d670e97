/**
 * Clinic ↔ central sync routes, protocol v1 (mounted under /api; contracts in server/domain/sync.ts,
 * the protocol in docs/sync.md):
 * - admin (bearer `ADMIN_TOKEN`): `POST /admin/clinics/{clinicId}/pairing-codes` (201 `{ code, expiresAt }`)
 *   and `POST /admin/clinics/{clinicId}/credentials/revoke` (200 `{ revoked }`);
 * - the clinic's local server, every call with header `x-cfd-sync-protocol: 1` (else 400
 *   `sync_protocol_mismatch`): `POST /sync/pair` (no credential; 200 `{ clinicId, credential }`), and with
 *   `Authorization: Bearer <credential>` (else 401 `sync_credential_invalid`): `POST /sync/credential/rotate`,
 *   `POST /sync/push`, `GET /sync/pull`.
 * The clinic is named by its credential only; nothing in a path or body can point a call at another
 * clinic's rows.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../../domain/errors.ts';
import {
  credentialDto,
  pairingCodeDto,
  pairInput,
  pullDto,
  pullQuery,
  pushDto,
  pushInput,
  revokeDto,
  SYNC_PROTOCOL_HEADER,
  SYNC_PROTOCOL_VERSION,
  SYNC_PUSH_FORMAT,
  SYNC_PUSH_MAX_BYTES,
} from '../../../domain/sync.ts';
import type { CentralDeps } from '../../deps.ts';
import { clientIp } from '../../http/client-ip.ts';
import type { CentralEnv } from '../../http/context.ts';
import { errors, json, jsonBody, newRouter } from '../../http/router.ts';
import { sameSecret } from '../../payments/provider.ts';
import { clinicOfRequest, createPairingCode, pair, revokeAll, rotate } from './credentials.ts';
import { pullChanges } from './pull.ts';
import { applyPush } from './push.ts';

/** Bearer `ADMIN_TOKEN`; 403 when none is configured (as the payments admin routes). */
function requireAdmin(deps: CentralDeps): MiddlewareHandler<CentralEnv> {
  return async (c, next) => {
    const expected = deps.config.adminToken;
    if (!expected) throw new AppError('forbidden', 'admin routes are off (set ADMIN_TOKEN)');
    const m = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '');
    if (!m || !sameSecret(m[1]!, expected)) throw new AppError('unauthorized', 'admin bearer token required');
    await next();
  };
}

/**
 * Refuses a request whose `x-cfd-sync-protocol` header is missing or not `SYNC_PROTOCOL_VERSION`.
 * @throws AppError sync_protocol_mismatch (400), details `{ supported, received }`
 */
const requireProtocol: MiddlewareHandler<CentralEnv> = async (c, next) => {
  const received = c.req.header(SYNC_PROTOCOL_HEADER) ?? null;
  if (received !== String(SYNC_PROTOCOL_VERSION))
    throw new AppError(
      'sync_protocol_mismatch',
      `sync protocol ${received ?? '(none)'} is not supported; this server speaks ${SYNC_PROTOCOL_VERSION}`,
      { supported: SYNC_PROTOCOL_VERSION, received },
    );
  await next();
};

const clinicParam = z.object({ clinicId: z.uuid() });

function defineRoutes(deps: CentralDeps) {
  const admin = { tags: ['admin'], security: [{ bearerAuth: [] }], middleware: requireAdmin(deps) };
  const sync = { tags: ['sync'], middleware: requireProtocol };
  const clinic = { ...sync, security: [{ bearerAuth: [] }] };
  return {
    pairingCode: createRoute({
      ...admin,
      method: 'post',
      path: '/admin/clinics/{clinicId}/pairing-codes',
      summary: "A one-time code (15 minutes) that pairs a clinic's local server",
      request: { params: clinicParam },
      responses: {
        201: json(pairingCodeDto, 'the code, shown once'),
        ...errors('validation_failed', 'unauthorized', 'forbidden', 'clinic_not_found'),
      },
    }),
    revoke: createRoute({
      ...admin,
      method: 'post',
      path: '/admin/clinics/{clinicId}/credentials/revoke',
      summary: "Revokes a clinic's sync credentials (it must pair again)",
      request: { params: clinicParam },
      responses: {
        200: json(revokeDto, 'how many live credentials were revoked'),
        ...errors('validation_failed', 'unauthorized', 'forbidden', 'clinic_not_found'),
      },
    }),
    pair: createRoute({
      ...sync,
      method: 'post',
      path: '/sync/pair',
      summary: "Trades a pairing code for the clinic's credential (revokes its earlier ones)",
      request: { body: jsonBody(pairInput) },
      responses: {
        200: json(credentialDto, 'the clinic and its credential'),
        ...errors('validation_failed', 'sync_protocol_mismatch', 'pairing_code_invalid'),
      },
    }),
    rotate: createRoute({
      ...clinic,
      method: 'post',
      path: '/sync/credential/rotate',
      summary: 'A new credential for the calling clinic; the one used is revoked',
      responses: {
        200: json(credentialDto, 'the new credential'),
        ...errors('sync_protocol_mismatch', 'sync_credential_invalid'),
      },
    }),
    push: createRoute({
      ...clinic,
      method: 'post',
      path: '/sync/push',
      summary: "Applies the clinic's outbox entries (idempotent by entry id); one result per entry",
      request: { body: jsonBody(pushInput) },
      responses: {
        200: json(pushDto, 'one result per entry, in the order sent'),
        ...errors(
          'validation_failed',
          'payload_too_large',
          'sync_protocol_mismatch',
          'sync_credential_invalid',
        ),
      },
    }),
    pull: createRoute({
      ...clinic,
      method: 'get',
      path: '/sync/pull',
      summary: "Central's changes for the calling clinic after a cursor (its own pushes left out)",
      request: { query: pullQuery },
      responses: {
        200: json(pullDto, 'a page of changes'),
        ...errors('validation_failed', 'sync_protocol_mismatch', 'sync_credential_invalid'),
      },
    }),
  };
}

/** The sync routes, to mount under /api. */
export function syncRoutes(deps: CentralDeps) {
  const r = defineRoutes(deps);
  const router = newRouter();
  // Refuse an oversized push before parsing it (413 payload_too_large).
  router.use(
    '/sync/*',
    bodyLimit({
      maxSize: SYNC_PUSH_MAX_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `request body over ${SYNC_PUSH_MAX_BYTES} bytes`);
      },
    }),
  );
  return router
    .openapi(r.pairingCode, async (c) =>
      c.json(await createPairingCode(deps, c.req.valid('param').clinicId), 201),
    )
    .openapi(r.revoke, async (c) => c.json(await revokeAll(deps, c.req.valid('param').clinicId), 200))
    .openapi(r.pair, async (c) => c.json(await pair(deps, c.req.valid('json').code, clientIp(c)), 200))
    .openapi(r.rotate, async (c) => c.json(await rotate(deps, c, clientIp(c)), 200))
    .openapi(r.push, async (c) => {
      const body = c.req.valid('json');
      if (body.format !== SYNC_PUSH_FORMAT)
        throw new AppError(
          'sync_protocol_mismatch',
          `outbox format ${body.format} is not supported; this server accepts ${SYNC_PUSH_FORMAT}`,
          { supported: SYNC_PUSH_FORMAT, received: body.format },
        );
      const clinicId = await clinicOfRequest(deps, c);
      return c.json({ results: await applyPush(deps, clinicId, body.entries) }, 200);
    })
    .openapi(r.pull, async (c) => {
      const clinicId = await clinicOfRequest(deps, c);
      c.header('cache-control', 'no-store');
      return c.json(await pullChanges(deps, clinicId, c.req.valid('query')), 200);
    });
}
