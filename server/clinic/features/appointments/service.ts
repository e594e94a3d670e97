/**
 * The visit workflow: booking a walk-in, check-in, call next, session start/end, no-show, cancel.
 * Every change is one transaction (row + outbox + audit) followed by a change event, which the display
 * and desk streams turn into pushed updates.
 */
import type { Db } from '../../db/database.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import { AppError } from '../../../domain/errors.ts';
import { newId } from '../../../domain/ids.ts';
import type { AppointmentInput, WalkInInput } from '../../../domain/schemas.ts';
import type { Settings } from '../../../domain/settings.ts';
import { clinicDate, clinicDayBounds } from '../../../domain/time.ts';
import { canTransition, timestampFor, type VisitStatus } from '../../../domain/visit.ts';
import { compareQueue, estimateWaits, type Estimate, type QueueItem } from '../../../domain/wait.ts';
import type { ChangeBus } from '../../lib/events.ts';
import {
  createPatient,
  getPatient,
  listPractitioners,
  listRooms,
  listSpecialties,
  type Practitioner,
  type Room,
  type Specialty,
} from '../catalog/repo.ts';
import { readSettings } from '../settings/repo.ts';
import {
  getRow,
  getView,
  insertAppointment,
  lastTicketNumber,
  listViewsBetween,
  newBookingCode,
  updateAppointment,
  type AppointmentRow,
  type AppointmentView,
} from './repo.ts';

/** What every service function needs: the database, the change bus and the clock (ms since epoch). */
export interface ClinicDeps {
  db: Db;
  events: ChangeBus;
  now: () => number;
}

export interface EstimateView {
  predictedStartAt: string;
  waitMin: number;
  position: number;
}

export type BoardAppointment = AppointmentView & { estimate: EstimateView | null };

/** The desk's board for one clinic day. */
export interface Board {
  date: string;
  now: string;
  seq: number;
  settings: Settings;
  rooms: Room[];
  practitioners: Practitioner[];
  specialties: Specialty[];
  appointments: BoardAppointment[];
}

function toQueueItem(a: AppointmentView): QueueItem {
  const ms = (s: string | null) => (s ? Date.parse(s) : null);
  return {
    id: a.id,
    practitionerId: a.practitioner.id,
    status: a.status,
    startsAt: Date.parse(a.startsAt),
    durationMin: a.durationMin,
    arrivedAt: ms(a.arrivedAt),
    calledAt: ms(a.calledAt),
    sessionStartedAt: ms(a.sessionStartedAt),
  };
}

function estimateView(e: Estimate | undefined): EstimateView | null {
  return e
    ? {
        predictedStartAt: new Date(e.predictedStartAt).toISOString(),
        waitMin: e.waitMin,
        position: e.position,
      }
    : null;
}

/** Today's (or `date`'s) appointments with live wait estimates, booked time order. */
export function dayWithEstimates(
  deps: ClinicDeps,
  date?: string,
): { date: string; appointments: BoardAppointment[] } {
  const now = deps.now();
  const day = date ?? clinicDate(now);
  let { start, end } = clinicDayBounds(day);
  if (!date) {
    // The live board also covers two hours either side of now, so a visit booked across midnight
    // (late clinics, night shifts) stays on the board and display while it is current.
    start = new Date(Math.min(start.getTime(), now - 2 * 3600_000));
    end = new Date(Math.max(end.getTime(), now + 2 * 3600_000));
  }
  const views = listViewsBetween(deps.db, start, end);
  const settings = readSettings(deps.db);
  const estimates = estimateWaits(views.map(toQueueItem), now, settings.turnoverBufferMin);
  return {
    date: day,
    appointments: views.map((v) => ({ ...v, estimate: estimateView(estimates.get(v.id)) })),
  };
}

/** One appointment with its live estimate (null when it is not on the live board or not active). */
function withEstimate(deps: ClinicDeps, id: string): BoardAppointment {
  return (
    dayWithEstimates(deps).appointments.find((a) => a.id === id) ?? {
      ...getView(deps.db, id),
      estimate: null,
    }
  );
}

export function board(deps: ClinicDeps, date?: string): Board {
  const { date: day, appointments } = dayWithEstimates(deps, date);
  return {
    date: day,
    now: new Date(deps.now()).toISOString(),
    seq: deps.events.seq,
    settings: readSettings(deps.db),
    rooms: listRooms(deps.db),
    practitioners: listPractitioners(deps.db),
    specialties: listSpecialties(deps.db),
    appointments,
  };
}

/** Books an appointment; without `startsAt` it is a walk-in starting now. */
export function createAppointment(deps: ClinicDeps, input: AppointmentInput, actor: Actor): AppointmentView {
  const specialty = listSpecialties(deps.db).find((s) => s.id === input.specialtyId);
  if (!specialty) throw new AppError('specialty_not_found', `no specialty ${input.specialtyId}`);
  const practitioners = listPractitioners(deps.db);
  let practitioner = practitioners.find((p) => p.id === input.practitionerId);
  if (input.practitionerId && !practitioner)
    throw new AppError('practitioner_not_found', `no practitioner ${input.practitionerId}`);
  if (!practitioner) practitioner = earliestFreePractitioner(deps, practitioners);
  if (!practitioner) throw new AppError('practitioner_not_found', 'the clinic has no practitioners');
  const id = newId();
  deps.db.transaction(() => {
    getPatient(deps.db, input.patientId);
    insertAppointment(deps.db, {
      id,
      patient_id: input.patientId,
      practitioner_id: practitioner.id,
      specialty_id: specialty.id,
      room_id: practitioner.defaultRoomId,
      starts_at: new Date(input.startsAt ? Date.parse(input.startsAt) : deps.now()).toISOString(),
      duration_min: input.durationMin ?? specialty.defaultDurationMin,
      status: 'scheduled',
      walk_in: input.walkIn || !input.startsAt ? 1 : 0,
      booking_code: newBookingCode(deps.db),
      ticket: null,
      check_in_method: null,
      arrived_at: null,
      called_at: null,
      session_started_at: null,
      ended_at: null,
      wait_estimate_min: null,
    });
    writeAudit(deps.db, actor, 'appointment.create', 'appointment', id, { walkIn: !input.startsAt });
  })();
  deps.events.emit('appointment', id);
  return getView(deps.db, id);
}

/**
 * Registers a walk-in: the patient, an appointment starting now and (by default) the check-in, all in one
 * transaction, so a failure leaves no orphan patient.
 * @throws AppError specialty_not_found | practitioner_not_found
 */
export function createWalkIn(deps: ClinicDeps, input: WalkInInput, actor: Actor): BoardAppointment {
  let id = '';
  deps.db.transaction(() => {
    const patient = createPatient(deps.db, { fullName: input.fullName, phone: input.phone }, actor);
    id = createAppointment(
      deps,
      {
        patientId: patient.id,
        specialtyId: input.specialtyId,
        practitionerId: input.practitionerId,
        walkIn: true,
      },
      actor,
    ).id;
    if (input.checkIn) transition(deps, id, 'arrived', { actor, method: 'desk' });
  })();
  return withEstimate(deps, id);
}

/** The practitioner whose queue frees up first (walk-ins for "any practitioner"). */
function earliestFreePractitioner(deps: ClinicDeps, practitioners: Practitioner[]): Practitioner | undefined {
  const { appointments } = dayWithEstimates(deps);
  const freeAt = (p: Practitioner) =>
    Math.max(
      deps.now(),
      ...appointments
        .filter((a) => a.practitioner.id === p.id && a.estimate)
        .map((a) => Date.parse(a.estimate!.predictedStartAt) + a.durationMin * 60_000),
    );
  return [...practitioners].sort((a, b) => freeAt(a) - freeAt(b))[0];
}

export interface TransitionOptions {
  actor: Actor;
  roomId?: string;
  expectedVersion?: number;
  /** How the patient checked in (only for → arrived). */
  method?: 'face' | 'code' | 'desk';
}

/**
 * Moves an appointment along the visit state machine (server/domain/visit.ts).
 * @throws AppError appointment_not_found | illegal_transition | version_conflict | room_not_found
 */
export function transition(
  deps: ClinicDeps,
  id: string,
  to: VisitStatus,
  opts: TransitionOptions,
): BoardAppointment {
  const { db } = deps;
  const nowIso = new Date(deps.now()).toISOString();
  let result: BoardAppointment | undefined;
  db.transaction(() => {
    const row = getRow(db, id);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) {
      throw new AppError(
        'version_conflict',
        `appointment ${id} is at version ${row.version}, not ${opts.expectedVersion}`,
      );
    }
    if (!canTransition(row.status, to)) {
      throw new AppError('illegal_transition', `cannot go from ${row.status} to ${to}`, {
        from: row.status,
        to,
      });
    }
    const patch: Partial<AppointmentRow> = { status: to };
    const stamp = timestampFor(to);
    if (stamp) patch[stamp] = nowIso;
    if (to === 'arrived') {
      patch.check_in_method = opts.method ?? row.check_in_method ?? 'desk';
      if (!row.ticket) {
        const { start, end } = clinicDayBounds(clinicDate(deps.now()));
        patch.ticket = `A${String(lastTicketNumber(db, start, end) + 1).padStart(3, '0')}`;
      }
    }
    if (to === 'called') {
      const roomId = opts.roomId ?? row.room_id;
      if (!roomId) throw new AppError('room_not_found', 'choose a room to call the patient into');
      if (!listRooms(db).some((r) => r.id === roomId))
        throw new AppError('room_not_found', `no room ${roomId}`);
      patch.room_id = roomId;
    }
    updateAppointment(db, id, row.version, patch);
    result = withEstimate(deps, id);
    if (to === 'arrived') {
      // Keep the estimate shown at check-in, to measure estimate error later (wait-estimation.md).
      db.prepare('UPDATE appointments SET wait_estimate_min = ? WHERE id = ?').run(
        result.estimate?.waitMin ?? null,
        id,
      );
    }
    writeAudit(db, opts.actor, 'appointment.status', 'appointment', id, {
      from: row.status,
      to,
      method: patch.check_in_method,
    });
  })();
  deps.events.emit('appointment', id);
  return result!;
}

/**
 * Calls the next waiting patient (queue order of server/domain/wait.ts) whose appointment is in `roomId`.
 * @throws AppError room_not_found | queue_empty
 */
export function callNext(deps: ClinicDeps, roomId: string, actor: Actor): BoardAppointment {
  if (!listRooms(deps.db).some((r) => r.id === roomId))
    throw new AppError('room_not_found', `no room ${roomId}`);
  const { appointments } = dayWithEstimates(deps);
  const waiting = appointments.filter((a) => a.status === 'arrived' && a.room?.id === roomId);
  const next = waiting.map((a) => ({ a, q: toQueueItem(a) })).sort((x, y) => compareQueue(x.q, y.q))[0];
  if (!next) throw new AppError('queue_empty', 'nobody is waiting for this room');
  return transition(deps, next.a.id, 'called', { actor, roomId });
}

/** Scheduled appointments a patient may check in for now (inside the clinic's check-in window). */
export function expectedNow(deps: ClinicDeps, settings: Settings): AppointmentRow[] {
  const now = deps.now();
  return deps.db
    .prepare(
      `SELECT * FROM appointments WHERE status = 'scheduled' AND starts_at >= ? AND starts_at <= ? ORDER BY starts_at`,
    )
    .all(
      new Date(now - settings.checkInAfterMin * 60_000).toISOString(),
      new Date(now + settings.checkInBeforeMin * 60_000).toISOString(),
    ) as AppointmentRow[];
}
