/**
 * The audit viewer (issue 10, item 7): who did what to which patient and when, from `audit_log`, with
 * the patient each entry concerns resolved (an entry on a patient, or on one of their appointments), for
 * the desk's Audit view and its CSV export. Staff screens only: the answer holds full names.
 */
import { stringify } from 'csv-stringify/sync';
import type { PatientId } from '../../../domain/ids.ts';
import { clinicDayBounds } from '../../../domain/time.ts';
import type { DbContext } from '../../db/database.ts';
import { searchPatients } from '../patients/repo.ts';

/** Filters of the audit viewer; dates are clinic days (Europe/Lisbon), inclusive. */
export interface AuditFilter {
  from: string;
  to: string;
  /** Exact actor ('desk', 'kiosk', 'system', …). */
  actor?: string;
  /** Action prefix: 'face' matches 'face.enrol', 'face.delete', … */
  action?: string;
  /** A patient search (domain/patient-search.ts): entries about any patient it finds. */
  patient?: string;
  /** Only entries older than this `seq` (the next page). */
  before?: number;
  /** Page size (the CSV export passes its own cap). */
  limit: number;
}

/** One audit entry as the viewer shows it. `at` is ISO-8601 UTC. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  patient: { id: PatientId; fullName: string } | null;
  detail: Record<string, unknown>;
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  detail: string;
  patient_id: PatientId | null;
  patient_name: string | null;
}

/** The patient an entry concerns: the entity itself, or the patient of the appointment. */
const PATIENT_OF = `CASE WHEN l.entity = 'patient' THEN l.entity_id
  WHEN l.entity = 'appointment' THEN (SELECT a.patient_id FROM appointments a WHERE a.id = l.entity_id)
  END`;

/**
 * Entries matching `filter`, newest first, at most `filter.limit`, and the `seq` to pass as `before` for
 * the next page (null when this is the last). A patient search that finds nobody gives no entries.
 */
export function listAudit(
  ctx: DbContext,
  filter: AuditFilter,
): { entries: AuditEntry[]; nextBefore: number | null } {
  const where = ['l.at >= ?', 'l.at < ?'];
  const params: unknown[] = [
    clinicDayBounds(filter.from).start.toISOString(),
    clinicDayBounds(filter.to).end.toISOString(),
  ];
  if (filter.actor) {
    where.push('l.actor = ?');
    params.push(filter.actor);
  }
  if (filter.action) {
    where.push("(l.action = ? OR l.action LIKE ? ESCAPE '\\')");
    params.push(filter.action, `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`);
  }
  if (filter.patient) {
    const ids = searchPatients(ctx, filter.patient, 50).map((p) => p.id);
    if (ids.length === 0) return { entries: [], nextBefore: null };
    where.push(`(${PATIENT_OF}) IN (${ids.map(() => '?').join(', ')})`);
    params.push(...ids);
  }
  if (filter.before !== undefined) {
    where.push('l.seq < ?');
    params.push(filter.before);
  }
  const rows = ctx.db
    .prepare(
      `SELECT l.seq, l.at, l.actor, l.action, l.entity, l.entity_id, l.detail, p.id AS patient_id,
         p.full_name AS patient_name
       FROM audit_log l LEFT JOIN patients p ON p.id = (${PATIENT_OF})
       WHERE ${where.join(' AND ')}
       ORDER BY l.seq DESC LIMIT ?`,
    )
    .all(...params, filter.limit + 1) as Row[];
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      patient: r.patient_id && r.patient_name ? { id: r.patient_id, fullName: r.patient_name } : null,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    })),
    nextBefore: rows.length > filter.limit ? page.at(-1)!.seq : null,
  };
}

/** Columns of the CSV export. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at_utc',
  'actor',
  'action',
  'entity',
  'entity_id',
  'patient_id',
  'patient_name',
  'detail',
] as const;

/**
 * A spreadsheet must not run a cell as a formula (CSV injection, OWASP): a cell starting with = + - @,
 * tab or carriage return gets a leading apostrophe.
 */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Entries as CSV (RFC 4180 by csv-stringify: header row, CRLF, quoted where needed), UTF-8. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  return stringify(
    entries.map((e) =>
      [
        String(e.seq),
        e.at,
        e.actor,
        e.action,
        e.entity ?? '',
        e.entityId ?? '',
        e.patient?.id ?? '',
        e.patient?.fullName ?? '',
        JSON.stringify(e.detail),
      ].map(safeCell),
    ),
    { header: true, columns: [...AUDIT_CSV_COLUMNS], record_delimiter: '\r\n' },
  );
}
