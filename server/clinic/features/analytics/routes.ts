/**
 * Routes of the desk's analytics (waits, estimate error, no-shows, late arrivals, session lengths; see
 * ./service.ts for each definition), as JSON for the charts and as CSV for a spreadsheet. Mounted under
 * /api. Every read is audited with its range only: the answers hold no patient data.
 */
import { Hono } from 'hono';
import { analyticsQuery } from '../../../domain/schemas.ts';
import { writeAudit } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { analytics, toCsv } from './service.ts';

/**
 * `GET /analytics?from=YYYY-MM-DD&to=YYYY-MM-DD&by=day|week` → `AnalyticsReport` (JSON);
 * `GET /analytics.csv?…` → the same buckets as `text/csv` (attachment `analytics-<from>-<to>.csv`).
 * A range that is reversed or longer than 366 days answers 400 `validation_failed`.
 */
export function analyticsRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/analytics', validate('query', analyticsQuery), (c) => {
      const query = c.req.valid('query');
      const report = analytics(deps, query);
      writeAudit(deps, c.var.actor, 'analytics.read', 'analytics', null, { ...query, format: 'json' });
      return c.json(report);
    })
    .get('/analytics.csv', validate('query', analyticsQuery), (c) => {
      const query = c.req.valid('query');
      const csv = toCsv(analytics(deps, query));
      writeAudit(deps, c.var.actor, 'analytics.read', 'analytics', null, { ...query, format: 'csv' });
      return c.body(csv, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="analytics-${query.from}-${query.to}.csv"`,
        'Cache-Control': 'no-store',
      });
    });
}
