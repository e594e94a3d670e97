/**
 * Portal-link routes (issue 9, same-patient merge; mounted under /api; service.ts has the rules):
 * - the clinic's local server, with the sync protocol header and its credential (as `/sync/push`):
 *   `POST /sync/patient-links { clinicPatientId, email?, phone?, locale }` → 201 `{ expiresAt, sent }`;
 * - the portal: `GET /patient-links/{token}` → `{ clinicName, expiresAt }` (no login: the token is the
 *   capability, and it only names the clinic), and, logged in, `POST /patient-links/{token}/accept` →
 *   `{ clinicName, linkedAt }`.
 * Token errors: 404 link_token_invalid, 410 link_token_used / link_token_expired.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../../domain/errors.ts';
import {
  patientLinkAcceptDto,
  patientLinkInfoDto,
  patientLinkInviteDto,
  patientLinkInviteInput,
} from '../../../domain/patient-links.ts';
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION } from '../../../domain/sync.ts';
import type { CentralDeps } from '../../deps.ts';
import { requireCaller } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import type { CentralEnv } from '../../http/context.ts';
import { errors, json, jsonBody, newRouter } from '../../http/router.ts';
import { clinicOfRequest } from '../sync/credentials.ts';
import { accept, invite, linkInfo } from './service.ts';

/** The sync protocol header, as on every `/sync/*` call (400 sync_protocol_mismatch). */
const requireProtocol: MiddlewareHandler<CentralEnv> = async (c, next) => {
  const received = c.req.header(SYNC_PROTOCOL_HEADER) ?? null;
  if (received !== String(SYNC_PROTOCOL_VERSION))
    throw new AppError('sync_protocol_mismatch', `sync protocol ${received ?? '(none)'} is not supported`, {
      supported: SYNC_PROTOCOL_VERSION,
      received,
    });
  await next();
};

const tokenParam = z.object({ token: z.string().min(20).max(200) });

/** The portal-link routes, to mount under /api. */
export function linkRoutes(deps: CentralDeps) {
  const inviteRoute = createRoute({
    tags: ['sync'],
    security: [{ bearerAuth: [] }],
    middleware: requireProtocol,
    method: 'post',
    path: '/sync/patient-links',
    summary: "Sends a clinic's patient a one-time link (14 days) to link their portal account",
    request: { body: jsonBody(patientLinkInviteInput) },
    responses: {
      201: json(patientLinkInviteDto, 'when the link expires and where it was sent'),
      ...errors(
        'validation_failed',
        'sync_protocol_mismatch',
        'sync_credential_invalid',
        'patient_has_portal_account',
        'contact_required',
      ),
    },
  });
  const infoRoute = createRoute({
    tags: ['patient links'],
    method: 'get',
    path: '/patient-links/{token}',
    summary: 'The clinic inviting, for a live link',
    request: { params: tokenParam },
    responses: {
      200: json(patientLinkInfoDto, 'the clinic and the expiry'),
      ...errors('validation_failed', 'link_token_invalid', 'link_token_used', 'link_token_expired'),
    },
  });
  const acceptRoute = createRoute({
    tags: ['patient links'],
    middleware: [requireCaller(deps)],
    method: 'post',
    path: '/patient-links/{token}/accept',
    summary: "Links the caller's account to the clinic's record (one use)",
    request: { params: tokenParam },
    responses: {
      200: json(patientLinkAcceptDto, 'linked'),
      ...errors(
        'validation_failed',
        'unauthorized',
        'link_token_invalid',
        'link_token_used',
        'link_token_expired',
        'link_conflict',
      ),
    },
  });
  return newRouter()
    .openapi(inviteRoute, async (c) => {
      const clinicId = await clinicOfRequest(deps, c);
      return c.json(await invite(deps, clinicId, c.req.valid('json'), clientIp(c)), 201);
    })
    .openapi(infoRoute, async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await linkInfo(deps, c.req.valid('param').token), 200);
    })
    .openapi(acceptRoute, async (c) =>
      c.json(await accept(deps, c.var.caller.accountId, c.req.valid('param').token, clientIp(c)), 200),
    );
}
