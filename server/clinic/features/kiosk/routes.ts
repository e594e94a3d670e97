/**
 * Routes of the check-in kiosk: camera frames, booking code, confirmation, and withdrawal of face
 * consent after identifying by code. Mounted under /api.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../../domain/errors.ts';
import { bookingCodeInput, confirmInput, kioskWithdrawInput } from '../../../domain/schemas.ts';
import type { FaceDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { RateLimiter, rateLimited } from '../../../http/rate-limit.ts';
import {
  KIOSK_CODE_DEVICE_LIMIT,
  KIOSK_CODE_FAILURE_POLICY,
  KIOSK_CODE_GLOBAL_LIMIT,
} from '../../../domain/throttle.ts';
import { readSettings } from '../settings/repo.ts';
import { confirmCheckIn, identifyFrame, lookupCode, withdrawFaceAtKiosk } from './service.ts';

/** Largest camera frame accepted, bytes (a 640×480 JPEG is ~30–80 KB). */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;

/** The kiosk session id of a request (`x-kiosk-session`); undefined when absent. @throws AppError validation_failed when malformed */
function kioskSession(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[A-Za-z0-9-]{8,64}$/.test(header))
    throw new AppError('validation_failed', 'x-kiosk-session header: 8–64 letters, digits or dashes');
  return header;
}

/**
 * `GET /kiosk/settings` (what the kiosk shows: `{ clinicName }`; the kiosk may not read the clinic's
 * settings), `POST /kiosk/frames` (body: one image/jpeg|png|webp frame; header `x-kiosk-session`: 8–64 letters,
 * digits or dashes, required), `POST /kiosk/code` (`x-kiosk-session` optional: with it the session may
 * withdraw face consent for the patient found), `POST /kiosk/confirm`, and
 * `POST /kiosk/face/withdraw` (body `{ appointmentId }`, `x-kiosk-session` required → `{ deleted: true }`;
 * 403 code_identification_required unless that session identified that appointment by code within
 * KIOSK_WITHDRAW_WINDOW_MS; 404 enrolment_not_found).
 */
export function kioskRoutes(deps: FaceDeps) {
  // Booking-code guessing (issue 13): per kiosk device and for all kiosks, in this process's memory.
  const limiter = new RateLimiter(deps.now);
  return new Hono<AppEnv>()
    .get('/kiosk/settings', (c) => c.json({ clinicName: readSettings(deps).clinicName }))
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
        const session = kioskSession(c.req.header('x-kiosk-session') ?? '')!;
        const frame = new Uint8Array(await c.req.arrayBuffer());
        if (frame.length === 0) throw new AppError('image_invalid', 'empty frame');
        return c.json(await identifyFrame(deps, session, frame));
      },
    )
    .post('/kiosk/code', validate('json', bookingCodeInput), (c) => {
      const device = `kiosk-code:${c.var.caller?.kind === 'device' ? (c.var.caller.deviceId ?? 'app') : 'other'}`;
      const locked = limiter.lockedFor(device);
      if (locked > 0) throw rateLimited(locked, 'booking codes');
      for (const [key, limit] of [
        [device, KIOSK_CODE_DEVICE_LIMIT],
        ['kiosk-code:all', KIOSK_CODE_GLOBAL_LIMIT],
      ] as const) {
        const wait = limiter.take(key, limit);
        if (wait > 0) throw rateLimited(wait, 'booking codes');
      }
      try {
        return c.json(
          lookupCode(deps, c.req.valid('json').code, kioskSession(c.req.header('x-kiosk-session'))),
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'appointment_not_found')
          limiter.fail(device, KIOSK_CODE_FAILURE_POLICY);
        throw err;
      }
    })
    .post('/kiosk/confirm', validate('json', confirmInput), (c) => {
      const body = c.req.valid('json');
      const session = kioskSession(c.req.header('x-kiosk-session'));
      return c.json(confirmCheckIn(deps, body.appointmentId, body.checkInMethod, session));
    })
    .post('/kiosk/face/withdraw', validate('json', kioskWithdrawInput), (c) =>
      c.json(
        withdrawFaceAtKiosk(
          deps,
          kioskSession(c.req.header('x-kiosk-session') ?? '')!,
          c.req.valid('json').appointmentId,
        ),
      ),
    );
}
