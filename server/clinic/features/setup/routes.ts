/**
 * Routes of the first-run setup and the admin's later edits (issue 10, part 1), mounted under /api. Who may
 * call each is in server/clinic/http/access.ts (writes: admin only; the photo is readable by every screen,
 * as the kiosk and the display show it). Bodies are validated with the contracts of
 * server/domain/setup.ts; failures answer `validation_failed` (400) with `details.issues` naming fields.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { zValidator } from '@hono/zod-validator';
import { AppError } from '../../../domain/errors.ts';
import { idParam } from '../../../domain/schemas.ts';
import {
  clinicInput,
  openingHoursInput,
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  practitionerCreateInput,
  practitionerPatchInput,
  roomCreateInput,
  roomPatchInput,
  specialtyCreateInput,
  specialtyPatchInput,
  type PhotoType,
} from '../../../domain/setup.ts';
import { validate } from '../../../http/validate.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import {
  createPractitioner,
  createRoom,
  createSpecialty,
  getPhoto,
  saveClinic,
  saveOpeningHours,
  savePhoto,
  setupState,
  updatePractitioner,
  updateRoom,
  updateSpecialty,
} from './service.ts';

/**
 * Validates the clinic's identity like `validate('json', clinicInput)`, but names a bad NIF or phone with
 * its own code: nif_invalid / phone_invalid (400), else validation_failed; `details.issues` = [{ path,
 * message }] either way.
 */
const clinicBody = zValidator('json', clinicInput, (result) => {
  if (result.success) return;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const code = issues.some((i) => i.path === 'nif')
    ? 'nif_invalid'
    : issues.some((i) => i.path === 'phone')
      ? 'phone_invalid'
      : 'validation_failed';
  throw new AppError(code, issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; '), { issues });
});

/**
 * - `GET /setup` → `SetupState` (configuration, `steps`, `complete`);
 * - `PUT /setup/clinic` (`clinicInput`; 400 nif_invalid, phone_invalid, validation_failed) → `SetupState`;
 * - `POST /rooms` (201), `PATCH /rooms/:id` → `RoomAdmin`; 409 room_name_taken, has_future_appointments;
 * - `POST /practitioners` (201), `PATCH /practitioners/:id` → `PractitionerAdmin`; 409
 *   has_future_appointments;
 * - `PUT /practitioners/:id/photo` (body: the image, `content-type` image/jpeg or image/webp, ≤ 512 KiB;
 *   415 unsupported_media_type, 413 payload_too_large, 400 image_invalid) → `PractitionerAdmin`;
 * - `GET /practitioners/:id/photo` → the image (ETag = its SHA-256; 404 photo_not_found);
 * - `POST /specialties` (201; 409 specialty_taken), `PATCH /specialties/:id` → `SpecialtyAdmin`;
 * - `PUT /opening-hours` (`{ blocks }`) → `{ blocks }` as stored (sorted).
 */
export function setupRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/setup', (c) => c.json(setupState(deps)))
    .put('/setup/clinic', clinicBody, (c) => c.json(saveClinic(deps, c.req.valid('json'), c.var.actor)))
    .post('/rooms', validate('json', roomCreateInput), (c) =>
      c.json(createRoom(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .patch('/rooms/:id', validate('param', idParam<'room'>()), validate('json', roomPatchInput), (c) =>
      c.json(updateRoom(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor)),
    )
    .post('/practitioners', validate('json', practitionerCreateInput), (c) =>
      c.json(createPractitioner(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .patch(
      '/practitioners/:id',
      validate('param', idParam<'practitioner'>()),
      validate('json', practitionerPatchInput),
      (c) => c.json(updatePractitioner(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor)),
    )
    .put(
      '/practitioners/:id/photo',
      validate('param', idParam<'practitioner'>()),
      bodyLimit({
        maxSize: PHOTO_MAX_BYTES,
        onError: () => {
          throw new AppError('payload_too_large', `a photo must be at most ${PHOTO_MAX_BYTES} bytes`);
        },
      }),
      async (c) => {
        const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (!PHOTO_TYPES.includes(type as PhotoType))
          throw new AppError('unsupported_media_type', 'send the photo as image/jpeg or image/webp');
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        if (bytes.length === 0) throw new AppError('image_invalid', 'empty photo');
        return c.json(savePhoto(deps, c.req.valid('param').id, type as PhotoType, bytes, c.var.actor));
      },
    )
    .get('/practitioners/:id/photo', validate('param', idParam<'practitioner'>()), (c) => {
      const photo = getPhoto(deps, c.req.valid('param').id);
      const etag = `"${photo.sha256}"`;
      c.header('ETag', etag);
      c.header('Cache-Control', 'no-cache');
      c.header('X-Content-Type-Options', 'nosniff');
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      c.header('Content-Type', photo.mediaType);
      return c.body(new Uint8Array(photo.bytes));
    })
    .post('/specialties', validate('json', specialtyCreateInput), (c) =>
      c.json(createSpecialty(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .patch(
      '/specialties/:id',
      validate('param', idParam<'specialty'>()),
      validate('json', specialtyPatchInput),
      (c) => c.json(updateSpecialty(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor)),
    )
    .put('/opening-hours', validate('json', openingHoursInput), (c) =>
      c.json({ blocks: saveOpeningHours(deps, c.req.valid('json').blocks, c.var.actor) }),
    );
}
