/** Routes of the clinic settings: read all, change some (validated against `settingsSchema`). */
import { Hono } from 'hono';
import { settingsSchema } from '../../../domain/settings.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { readSettings, writeSettings } from './repo.ts';

/** `GET /settings`, `PATCH /settings` (partial, unknown keys refused). */
export function settingsRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/settings', (c) => c.json(readSettings(deps)))
    .patch('/settings', validate('json', settingsSchema.partial().strict()), (c) => {
      const settings = writeSettings(deps, c.req.valid('json'), c.var.actor);
      deps.events.emit('settings');
      return c.json(settings);
    });
}
