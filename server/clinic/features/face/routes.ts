/** Routes of face enrolment at the desk: status, enrol (with consent), delete. Mounted under /api. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../../domain/errors.ts';
import { enrolInput, idParam, photoCheckInput } from '../../../domain/schemas.ts';
import type { FaceDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { checkPhoto, deleteEnrolment, enrol, enrolmentStatus, rotateKey } from './service.ts';

/** Largest enrolment request, bytes (up to 5 photos as base64). */
const MAX_ENROL_BYTES = 12 * 1024 * 1024;

/** Largest photo-check request, bytes (one photo as base64). */
const MAX_CHECK_BYTES = 3 * 1024 * 1024;

/** A base64 image, bare or as a data: URL, to bytes. */
function decodeBase64Image(s: string): Uint8Array {
  const b64 = s.startsWith('data:') ? s.slice(s.indexOf(',') + 1) : s;
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/**
 * `GET|POST|DELETE /patients/:id/face`.
 * - GET → EnrolmentStatus (service.ts): `enrolled`, `consentAt`, `sampleCount`, `modelId`, `consent`
 *   (`{ version, channel, at, by }` of the current enrolment, or null) and `history` (every consent
 *   given / withdrawn, oldest first, `{ event, version, channel, at, by }`; kept after deletion).
 * - POST (enrolInput) → 201 EnrolmentStatus; consent recorded with channel 'desk' and the current
 *   FACE_CONSENT_VERSION (server/domain/consent.ts).
 * - DELETE → `{ deleted: true }`; descriptors erased, a 'withdrawn' event kept (channel 'desk').
 *
 * `POST /face/rotate-key` → `{ reencrypted }`: a new descriptor key, every enrolment re-encrypted, the
 * key file (or the app's OS-wrapped key) replaced (service.ts rotateKey); 409 face_key_not_rotatable
 * for a key from CFD_FACE_KEY. Any desk may call it until staff roles exist (issue 10: admin only).
 *
 * `POST /face/check` (photoCheckInput: `{ image }`) → PhotoCheck (service.ts): whether one capture
 * would be accepted by the enrolment and, if not, the error code it would get; nothing is stored.
 */
export function faceRoutes(deps: FaceDeps) {
  return new Hono<AppEnv>()
    .get('/patients/:id/face', validate('param', idParam<'patient'>()), (c) =>
      c.json(enrolmentStatus(deps, c.req.valid('param').id)),
    )
    .post(
      '/patients/:id/face',
      bodyLimit({
        maxSize: MAX_ENROL_BYTES,
        onError: () => {
          throw new AppError('payload_too_large', 'at most 12 MiB of images');
        },
      }),
      validate('param', idParam<'patient'>()),
      validate('json', enrolInput),
      async (c) => {
        const body = c.req.valid('json');
        const images = body.images.map(decodeBase64Image);
        return c.json(await enrol(deps, c.req.valid('param').id, images, body.consent, c.var.actor), 201);
      },
    )
    .post(
      '/face/check',
      bodyLimit({
        maxSize: MAX_CHECK_BYTES,
        onError: () => {
          throw new AppError('payload_too_large', 'at most 3 MiB for one image');
        },
      }),
      validate('json', photoCheckInput),
      async (c) => c.json(await checkPhoto(deps, decodeBase64Image(c.req.valid('json').image))),
    )
    .post('/face/rotate-key', async (c) => c.json(await rotateKey(deps, c.var.actor)))
    .delete('/patients/:id/face', validate('param', idParam<'patient'>()), (c) => {
      deleteEnrolment(deps, c.req.valid('param').id, c.var.actor);
      return c.json({ deleted: true });
    });
}
