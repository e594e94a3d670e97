/**
 * Routes of the audit viewer (./service.ts). Mounted under /api. Reading the audit log is itself audited
 * ('audit.read', with the filters but never the patient search text). Any staff screen may read it until
 * staff roles exist (issue 10: admin only).
 */
import { Hono } from 'hono';
import { auditQuery, type AuditQuery } from '../../../domain/schemas.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { auditCsv, listAudit } from './service.ts';

/** Rows a CSV export holds at most (a year of a busy clinic is ~200k; narrow the range beyond that). */
export const AUDIT_CSV_MAX_ROWS = 100_000;

/** Audits a reading of the audit log: its filters (never the patient search text) and how many rows. */
function auditRead(deps: ClinicDeps, actor: Actor, q: AuditQuery, results: number, format: 'json' | 'csv') {
  writeAudit(deps, actor, 'audit.read', null, null, {
    from: q.from,
    to: q.to,
    actor: q.actor ?? null,
    action: q.action ?? null,
    byPatient: q.patient !== undefined,
    results,
    format,
  });
}

/**
 * `GET /audit?from&to[&actor][&action][&patient][&before][&limit]` → `{ entries, nextBefore }` (newest
 * first; `limit` 1–500, default 100); `GET /audit.csv?…` → the matching entries (at most
 * {@link AUDIT_CSV_MAX_ROWS}) as `text/csv`, attachment `audit-<from>-<to>.csv`. A reversed range or one
 * longer than 366 days answers 400 `validation_failed`.
 */
export function auditRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/audit', validate('query', auditQuery), (c) => {
      const q = c.req.valid('query');
      const page = listAudit(deps, q);
      auditRead(deps, c.var.actor, q, page.entries.length, 'json');
      return c.json(page);
    })
    .get('/audit.csv', validate('query', auditQuery), (c) => {
      const q = c.req.valid('query');
      const { entries } = listAudit(deps, { ...q, before: undefined, limit: AUDIT_CSV_MAX_ROWS });
      auditRead(deps, c.var.actor, q, entries.length, 'csv');
      return c.body(auditCsv(entries), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="audit-${q.from}-${q.to}.csv"`,
        'Cache-Control': 'no-store',
      });
    });
}
