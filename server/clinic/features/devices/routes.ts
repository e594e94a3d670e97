/**
 * Routes of paired devices, mounted under /api: the desk makes a pairing code, lists and revokes
 * devices; a kiosk or display pairs with the code and gets its token in an HttpOnly cookie (400 days,
 * the longest a browser keeps one; a revoked or expired device pairs again). See ./service.ts.
 */
import { Hono } from 'hono';
import { clientIp } from '../../http/client-ip.ts';
import { z } from 'zod';
import { pairingCodeInput, pairInput } from '../../../domain/staff.ts';
import type { DbContext } from '../../db/database.ts';
import type { AppEnv } from '../../http/context.ts';
import { DEVICE_COOKIE } from '../../http/security.ts';
import { validate } from '../../../http/validate.ts';
import { writeCookie } from '../staff/sessions.ts';
import { createPairingCode, listDevices, pairDevice, revokeDevice } from './service.ts';

/** Lifetime of the device cookie, seconds (400 days: Chromium's cap on cookie lifetimes). */
const DEVICE_COOKIE_MAX_AGE_SEC = 400 * 24 * 60 * 60;

/** `POST /devices/pairing-codes`, `POST /devices/pair`, `GET /devices`, `POST /devices/:id/revoke`. */
export function deviceRoutes(deps: DbContext) {
  return new Hono<AppEnv>()
    .post('/devices/pairing-codes', validate('json', pairingCodeInput), (c) =>
      c.json(createPairingCode(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .post('/devices/pair', validate('json', pairInput), (c) => {
      const { device, token } = pairDevice(deps, c.req.valid('json').code, clientIp(c));
      writeCookie(c, DEVICE_COOKIE, token, DEVICE_COOKIE_MAX_AGE_SEC);
      return c.json({ device }, 201);
    })
    .get('/devices', (c) => c.json({ devices: listDevices(deps) }))
    .post('/devices/:id/revoke', validate('param', z.object({ id: z.string().min(1).max(64) })), (c) =>
      c.json(revokeDevice(deps, c.req.valid('param').id, c.var.actor)),
    );
}
