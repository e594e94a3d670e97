/**
 * The SQL of the desk's analytics: the visits booked in a range of instants, with the timestamps the
 * metrics are computed from and the names of their practitioner and specialty. No patient data is read.
 */
import type { DbContext } from '../../db/database.ts';
import type { PractitionerId, SpecialtyId } from '../../../domain/ids.ts';
import type { SpecialtyCode } from '../../../domain/specialties.ts';
import type { VisitStatus } from '../../../domain/visit.ts';

/** One visit as the analytics see it: times ISO-8601 UTC text (null until stamped), `walk_in` 0/1. */
export interface VisitRow {
  starts_at: string;
  status: VisitStatus;
  walk_in: number;
  arrived_at: string | null;
  called_at: string | null;
  session_started_at: string | null;
  ended_at: string | null;
  /** The wait shown at check-in, whole minutes (null: no check-in, or no estimate then). */
  wait_estimate_min: number | null;
  practitioner_id: PractitionerId;
  practitioner_name: string;
  specialty_id: SpecialtyId;
  specialty_code: SpecialtyCode;
  specialty_pt: string;
  specialty_en: string;
}

/** Visits booked (`starts_at`) in [start, end), cancelled ones included, booked time order. */
export function listVisitsBetween(ctx: DbContext, start: Date, end: Date): VisitRow[] {
  return ctx.db
    .prepare(
      `SELECT a.starts_at, a.status, a.walk_in, a.arrived_at, a.called_at, a.session_started_at, a.ended_at,
              a.wait_estimate_min, a.practitioner_id, pr.display_name AS practitioner_name,
              a.specialty_id, s.code AS specialty_code, s.name_pt AS specialty_pt, s.name_en AS specialty_en
       FROM appointments a
       JOIN practitioners pr ON pr.id = a.practitioner_id
       JOIN specialties s ON s.id = a.specialty_id
       WHERE a.starts_at >= ? AND a.starts_at < ?
       ORDER BY a.starts_at, a.id`,
    )
    .all(start.toISOString(), end.toISOString()) as VisitRow[];
}
