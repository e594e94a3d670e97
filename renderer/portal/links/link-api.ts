/**
 * The portal's calls of the link routes (server/central/features/links/routes.ts) through the typed
 * client: the invitation's clinic and expiry (public: the token is the capability), and the logged-in
 * patient's confirmation (a 401 first refreshes the session once, as the portal's other calls do).
 */
import type { PatientLinkAcceptDto, PatientLinkInfoDto } from '../../../server/domain/patient-links.ts';
import { ApiError, unwrap } from '../../shared/api.ts';
import { client, refreshSession } from '../api.ts';

/**
 * GET /api/patient-links/{token}.
 * @throws ApiError link_token_invalid (404) | link_token_used (410) | link_token_expired (410)
 */
export function linkInfo(token: string): Promise<PatientLinkInfoDto> {
  return unwrap(client.api['patient-links'][':token'].$get({ param: { token: encodeURIComponent(token) } }));
}

/**
 * POST /api/patient-links/{token}/accept, as the logged-in patient.
 * @throws ApiError unauthorized (no session) | link_token_* | link_conflict (409)
 */
export async function acceptLink(token: string): Promise<PatientLinkAcceptDto> {
  const send = () =>
    unwrap(
      client.api['patient-links'][':token'].accept.$post({ param: { token: encodeURIComponent(token) } }),
    );
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  if (!(await refreshSession())) throw new ApiError('unauthorized', 'session ended', 401);
  return send();
}
