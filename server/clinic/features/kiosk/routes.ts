/** Routes of the check-in kiosk: camera frames, booking code, confirmation. Mounted under /api. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../../domain/errors.ts';
import { bookingCodeInput, confirmInput } from '../../../domain/schemas.ts';
import type { FaceDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { confirmCheckIn, identifyFrame, lookupCode } from './service.ts';

/** Largest camera frame accepted, bytes (a 640×480 JPEG is ~30–80 KB). */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;

/**
 * `POST /kiosk/frames` (body: one image/jpeg|png|webp frame; header `x-kiosk-session`: 8–64 letters,
 * digits or dashes), `POST /kiosk/code`, `POST /kiosk/confirm`.
 */
export function kioskRoutes(deps: FaceDeps) {
  return new Hono<AppEnv>()
    .post(
      '/kiosk/frames',
      bodyLimit({
        maxSize: MAX_FRAME_BYTES,
        onError: () => {
          throw new AppError('payload_too_large', 'a frame must be under 2 MiB');
        },
      }),
      async (c) => {
        const type = c.req.header('content-type') ?? '';
        if (!/^image\/(jpeg|png|webp)$/.test(type))
          throw new AppError(
            'unsupported_media_type',
            'send the frame as image/jpeg, image/png or image/webp',
          );
        const session = c.req.header('x-kiosk-session') ?? '';
        if (!/^[A-Za-z0-9-]{8,64}$/.test(session))
          throw new AppError('validation_failed', 'x-kiosk-session header: 8–64 letters, digits or dashes');
        const frame = new Uint8Array(await c.req.arrayBuffer());
        if (frame.length === 0) throw new AppError('image_invalid', 'empty frame');
        return c.json(await identifyFrame(deps, session, frame));
      },
    )
    .post('/kiosk/code', validate('json', bookingCodeInput), (c) =>
      c.json(lookupCode(deps, c.req.valid('json').code)),
    )
    .post('/kiosk/confirm', validate('json', confirmInput), (c) => {
      const body = c.req.valid('json');
      return c.json(confirmCheckIn(deps, body.appointmentId, body.checkInMethod));
    });
}
