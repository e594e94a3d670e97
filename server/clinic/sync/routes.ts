/**
 * The clinic server's own sync routes (mounted under /api; not central's `/api/sync/*`):
 * - `GET /sync/status` (staff): the state the desk shows (`SyncStatus`: paired, online, last sync,
 *   last error, pending changes);
 * - `POST /sync/pair { centralUrl?, code }` (admin): pairs with central with a one-time code made by a
 *   central admin; 200 `{ clinicId, centralUrl }`;
 * - `POST /sync/rotate` (admin): a new credential; 200 `{ clinicId }`.
 * Without a sync service (a test app), status answers `paired: false` and the others 409 sync_not_paired.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { ClinicDeps } from '../deps.ts';
import type { AppEnv } from '../http/context.ts';
import { AppError } from '../../domain/errors.ts';
import { validate } from '../../http/validate.ts';
import { writeAudit } from '../db/changes.ts';
import { outboxBacklog } from '../db/changes.ts';
import { readConflicts, type SyncService, type SyncStatus } from './engine.ts';

const pairBody = z.object({
  /** Central's base URL (http or https); defaults to CFD_CENTRAL_URL. */
  centralUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'http or https')
    .optional(),
  code: z.string().min(1).max(40),
});

/** The clinic's sync routes; `sync` null when the server runs without one. */
export function syncRoutes(deps: ClinicDeps, sync: SyncService | null) {
  const need = () => {
    if (!sync) throw new AppError('sync_not_paired', 'sync is not available on this server');
    return sync;
  };
  return new Hono<AppEnv>()
    .get('/sync/status', (c) => {
      if (sync) return c.json(sync.status());
      const backlog = outboxBacklog(deps);
      const status: SyncStatus = {
        paired: false,
        online: false,
        running: false,
        lastSyncAt: null,
        lastError: null,
        stopped: null,
        pending: backlog.pending,
        oldestPendingAt: backlog.oldestAt,
        rejected: 0,
        failures: 0,
        conflicts: readConflicts(deps),
        centralUrl: null,
        clinicId: null,
      };
      return c.json(status);
    })
    .post('/sync/pair', validate('json', pairBody), async (c) => {
      const body = c.req.valid('json');
      const result = await need().pair(body.code, body.centralUrl);
      deps.db.transaction(() =>
        writeAudit(deps, c.var.actor, 'sync.paired', null, null, { clinicId: result.clinicId }),
      )();
      return c.json(result);
    })
    .post('/sync/rotate', async (c) => {
      const result = await need().rotate();
      writeAudit(deps, c.var.actor, 'sync.credential_rotated', null, null, { clinicId: result.clinicId });
      return c.json(result);
    });
}
