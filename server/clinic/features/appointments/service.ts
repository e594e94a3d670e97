/**
 * The visit workflow: the day's board with live waits, booking, walk-ins, check-in, call next, session
 * start/end, no-show, cancel. Every change is one transaction (row + outbox + audit) followed by a change
 * event, which the display and desk streams turn into pushed updates. SQL lives in ./repo.ts.
 */
import { AppError } from '../../../domain/errors.ts';
import { newId, type AppointmentId, type RoomId } from '../../../domain/ids.ts';
import type { AppointmentInput, WalkInInput } from '../../../domain/schemas.ts';
import type { Settings } from '../../../domain/settings.ts';
import { clinicDate, clinicDayBounds } from '../../../domain/time.ts';
import {
  canTransition,
  formatTicket,
  timestampFor,
  type CheckInMethod,
  type VisitStatus,
} from '../../../domain/visit.ts';
import {
  compareQueue,
  earliestFreePractitioner,
  estimateWaits,
  learnDurations,
  waitBand,
  type DurationModel,
  type Estimate,
  type EstimateOptions,
  type QueueItem,
  type WaitBand,
} from '../../../domain/wait.ts';
import type { Actor } from '../../db/changes.ts';
import { writeAudit } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import {
  getRoom,
  getSpecialty,
  listPractitioners,
  listRooms,
  listSpecialties,
  practitionersFor,
  type Practitioner,
  type Room,
  type Specialty,
} from '../catalog/repo.ts';
import { createPatient, getPatient } from '../patients/repo.ts';
import { paidAppointmentIds } from '../payments/repo.ts';
import { readSettings } from '../settings/repo.ts';
import {
  getRow,
  getView,
  insertAppointment,
  lastTicketNumber,
  finishedSessionsKey,
  listFinishedSessions,
  listScheduledBetween,
  listViewsBetween,
  newBookingCode,
  updateAppointment,
  type AppointmentRow,
  type AppointmentView,
} from './repo.ts';

/**
 * A live wait estimate as the API sends it: predicted start (ISO-8601 UTC), whole minutes, 1-based queue
 * position, and the band patients are shown (server/domain/wait.ts `waitBand`).
 */
export interface EstimateView {
  predictedStartAt: string;
  waitMin: number;
  position: number;
  band: WaitBand;
}

/**
 * An appointment on the board: its view plus the live estimate (null unless arrived/called/in session) and
 * whether it has a payment that is not voided (server/clinic/features/payments). The desk's only: public
 * screens (display, kiosk) map what they show field by field and never carry `paid`.
 */
export type BoardAppointment = AppointmentView & { estimate: EstimateView | null; paid: boolean };

/** The desk's board for one clinic day. */
export interface Board {
  /** Clinic day, 'YYYY-MM-DD' (Europe/Lisbon). */
  date: string;
  now: string;
  /** Change-bus sequence number the board reflects. */
  seq: number;
  settings: Settings;
  rooms: Room[];
  practitioners: Practitioner[];
  specialties: Specialty[];
  appointments: BoardAppointment[];
}

const MIN = 60_000;

/** An appointment as the wait estimator sees it (times as ms since epoch). */
export function toQueueItem(a: AppointmentView): QueueItem {
  const ms = (s: string | null) => (s ? Date.parse(s) : null);
  return {
    id: a.id,
    practitionerId: a.practitioner.id,
    specialtyId: a.specialty.id,
    roomId: a.room?.id ?? null,
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
        band: waitBand(e.waitMin, e.position),
      }
    : null;
}

/**
 * The appointments of a day, without estimates. Without `date`: the live board, today plus two hours either
 * side of now, so a visit booked across midnight (late clinics) stays on the board while it is current.
 */
function dayViews(deps: ClinicDeps, date?: string): { date: string; views: AppointmentView[] } {
  const now = deps.now();
  const day = date ?? clinicDate(now);
  let { start, end } = clinicDayBounds(day);
  if (!date) {
    start = new Date(Math.min(start.getTime(), now - 2 * 3600_000));
    end = new Date(Math.max(end.getTime(), now + 2 * 3600_000));
  }
  return { date: day, views: listViewsBetween(deps, start, end) };
}

/** How far back finished sessions teach the duration model (about three months of a practitioner's work). */
const LEARNING_WINDOW_MS = 90 * 24 * 3600_000;

/** The last model learned per database, with what it was learned from (window start and sessions seen). */
const learned = new WeakMap<object, { key: string; model: DurationModel }>();

/**
 * The duration model learned from the last 90 days of finished sessions (server/domain/wait.ts). It is
 * relearned only when a session has finished or the window moved to another day, so the board, the
 * streams and each check-in share one model instead of reading the history every time.
 */
export function durationModel(deps: ClinicDeps): DurationModel {
  const since = new Date(Math.floor((deps.now() - LEARNING_WINDOW_MS) / 86_400_000) * 86_400_000);
  const key = `${since.toISOString()}|${finishedSessionsKey(deps, since)}`;
  const cached = learned.get(deps.db);
  if (cached?.key === key) return cached.model;
  const sessions = listFinishedSessions(deps, since);
  const model = learnDurations(
    sessions.map((s) => ({
      practitionerId: s.practitioner_id,
      specialtyId: s.specialty_id,
      actualMin: (Date.parse(s.ended_at) - Date.parse(s.session_started_at)) / MIN,
      endedAt: Date.parse(s.ended_at),
    })),
  );
  learned.set(deps.db, { key, model });
  return model;
}

function estimateOptions(deps: ClinicDeps): EstimateOptions {
  const settings = readSettings(deps);
  return {
    turnoverBufferMin: settings.turnoverBufferMin,
    callToStartMin: settings.callToStartMin,
    earlyStartMin: settings.earlyStartMin,
    durations: durationModel(deps),
  };
}

/** Estimates for `views` at the current time (server/domain/wait.ts), keyed by appointment id. */
function estimatesFor(deps: ClinicDeps, views: readonly AppointmentView[]): Map<string, Estimate> {
  return estimateWaits(views.map(toQueueItem), deps.now(), estimateOptions(deps));
}

/** Today's (or `date`'s) appointments with live wait estimates, booked time order. */
export function dayWithEstimates(
  deps: ClinicDeps,
  date?: string,
): { date: string; appointments: BoardAppointment[] } {
  const { date: day, views } = dayViews(deps, date);
  const estimates = estimatesFor(deps, views);
  const paid = paidAppointmentIds(
    deps,
    views.map((v) => v.id),
  );
  return {
    date: day,
    appointments: views.map((v) => ({
      ...v,
      estimate: estimateView(estimates.get(v.id)),
      paid: paid.has(v.id),
    })),
  };
}

/** One appointment with its live estimate (null when it is not on the live board or not active). */
export function withEstimate(deps: ClinicDeps, id: AppointmentId): BoardAppointment {
  return (
    dayWithEstimates(deps).appointments.find((a) => a.id === id) ?? {
      ...getView(deps, id),
      estimate: null,
      paid: paidAppointmentIds(deps, [id]).has(id),
    }
  );
}

/** The desk's board: catalogue, settings and the day's appointments with live estimates. */
export function board(deps: ClinicDeps, date?: string): Board {
  const { date: day, appointments } = dayWithEstimates(deps, date);
  return {
    date: day,
    now: new Date(deps.now()).toISOString(),
    seq: deps.events.seq,
    settings: readSettings(deps),
    rooms: listRooms(deps),
    practitioners: listPractitioners(deps),
    specialties: listSpecialties(deps),
    appointments,
  };
}

/**
 * Books an appointment; without `startsAt` it is a walk-in starting now, and without `practitionerId` it
 * goes to the practitioner whose queue frees up first.
 * @throws AppError specialty_not_found | practitioner_not_found | patient_not_found
 */
export function createAppointment(deps: ClinicDeps, input: AppointmentInput, actor: Actor): AppointmentView {
  const specialty = getSpecialty(deps, input.specialtyId);
  let practitioner = listPractitioners(deps).find((p) => p.id === input.practitionerId);
  if (input.practitionerId && !practitioner)
    throw new AppError('practitioner_not_found', `no practitioner ${input.practitionerId}`);
  if (!practitioner) practitioner = freeFirst(deps, practitionersFor(deps, specialty.id));
  if (!practitioner) throw new AppError('practitioner_not_found', 'the clinic has no practitioners');
  const id = newId<'appointment'>();
  deps.db.transaction(() => {
    getPatient(deps, input.patientId);
    insertAppointment(deps, {
      id,
      patient_id: input.patientId,
      practitioner_id: practitioner.id,
      specialty_id: specialty.id,
      room_id: practitioner.defaultRoomId,
      starts_at: new Date(input.startsAt ? Date.parse(input.startsAt) : deps.now()).toISOString(),
      duration_min: input.durationMin ?? specialty.defaultDurationMin,
      status: 'scheduled',
      walk_in: input.walkIn || !input.startsAt ? 1 : 0,
      booking_code: newBookingCode(deps),
      ticket: null,
      check_in_method: null,
      arrived_at: null,
      called_at: null,
      session_started_at: null,
      ended_at: null,
      wait_estimate_min: null,
    });
    writeAudit(deps, actor, 'appointment.create', 'appointment', id, { walkIn: !input.startsAt });
  })();
  deps.events.emit('appointment', id);
  return getView(deps, id);
}

/**
 * Registers a walk-in: the patient (an existing one by `patientId`, which the desk found by searching
 * first, or a new one by `fullName`), an appointment starting now and (by default) the check-in, all in
 * one transaction, so a failure leaves no orphan patient.
 * @throws AppError patient_not_found | specialty_not_found | practitioner_not_found
 */
export function createWalkIn(deps: ClinicDeps, input: WalkInInput, actor: Actor): BoardAppointment {
  let id: AppointmentId | undefined;
  deps.db.transaction(() => {
    // An existing patient (the desk searched first) is not created again.
    const patient = input.patientId
      ? getPatient(deps, input.patientId)
      : createPatient(deps, { fullName: input.fullName!, phone: input.phone }, actor);
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
    if (input.checkIn) transition(deps, id, 'arrived', { actor, checkInMethod: 'desk' });
  })();
  return withEstimate(deps, id!);
}

/** Of `practitioners` (those of the specialty), the one whose queue frees up first ("any practitioner"). */
function freeFirst(deps: ClinicDeps, practitioners: Practitioner[]): Practitioner | undefined {
  const { views } = dayViews(deps);
  const found = earliestFreePractitioner(
    views.map(toQueueItem),
    deps.now(),
    practitioners.map((p) => p.id),
    estimateOptions(deps),
  );
  return practitioners.find((p) => p.id === found?.practitionerId);
}

/** Options of a state change. */
export interface TransitionOptions {
  actor: Actor;
  /** Room to call the patient into (only for → called); defaults to the appointment's room. */
  roomId?: RoomId;
  /** Optimistic concurrency: the version the caller saw. */
  expectedVersion?: number;
  /** How the patient checked in (only for → arrived); default 'desk'. */
  checkInMethod?: CheckInMethod;
}

/**
 * The wait a patient will be shown on checking in now: the estimate of their appointment with its status
 * set to arrived at `now`, every other visit of the day as it is. Stored with the check-in
 * (`wait_estimate_min`), to measure estimate error later (shared/reference/wait-estimation.md).
 */
function waitIfArrivingNow(deps: ClinicDeps, row: AppointmentRow, nowIso: string): number | null {
  const { views } = dayViews(deps);
  const arriving = views.map((v) =>
    v.id === row.id ? { ...v, status: 'arrived' as const, arrivedAt: nowIso } : v,
  );
  return estimatesFor(deps, arriving).get(row.id)?.waitMin ?? null;
}

/**
 * Moves an appointment along the visit state machine (server/domain/visit.ts), in one transaction with
 * one version bump and one outbox row (which carries the ticket and the wait estimate of a check-in).
 * @throws AppError appointment_not_found | illegal_transition | version_conflict | room_not_found |
 *   room_busy (→ called into a room that has a patient called or in session)
 */
export function transition(
  deps: ClinicDeps,
  id: AppointmentId,
  to: VisitStatus,
  opts: TransitionOptions,
): BoardAppointment {
  const nowIso = new Date(deps.now()).toISOString();
  deps.db.transaction(() => {
    const row = getRow(deps, id);
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
      patch.check_in_method = opts.checkInMethod ?? 'desk';
      if (!row.ticket) {
        const { start, end } = clinicDayBounds(clinicDate(deps.now()));
        patch.ticket = formatTicket(lastTicketNumber(deps, start, end) + 1);
      }
      patch.wait_estimate_min = waitIfArrivingNow(deps, row, nowIso);
    }
    if (to === 'called') {
      const roomId = opts.roomId ?? row.room_id;
      if (!roomId) throw new AppError('room_not_found', 'choose a room to call the patient into');
      patch.room_id = getRoom(deps, roomId).id;
      assertRoomFree(deps, patch.room_id, id);
    }
    try {
      updateAppointment(deps, id, row.version, patch);
    } catch (err) {
      // The database's own guard (0070, one called or in-session patient per room), should a write
      // from elsewhere slip in between the check above and this update.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && patch.room_id)
        throw roomBusy(deps, patch.room_id);
      throw err;
    }
    writeAudit(deps, opts.actor, 'appointment.status', 'appointment', id, {
      from: row.status,
      to,
      ...(to === 'arrived' ? { checkInMethod: patch.check_in_method } : {}),
    });
  })();
  deps.events.emit('appointment', id);
  return withEstimate(deps, id);
}

/** The appointment called into or in session in `roomId`, other than `except`, if any. */
function roomOccupant(deps: ClinicDeps, roomId: RoomId, except?: AppointmentId) {
  return deps.db
    .prepare(
      `SELECT id, ticket FROM appointments WHERE room_id = ? AND status IN ('called', 'in_session') AND id <> ?`,
    )
    .get(roomId, except ?? '') as { id: AppointmentId; ticket: string | null } | undefined;
}

/** AppError room_busy (409) for `roomId`, naming its occupant's appointment and ticket. */
function roomBusy(deps: ClinicDeps, roomId: RoomId): AppError {
  const occupant = roomOccupant(deps, roomId);
  return new AppError(
    'room_busy',
    'the room still has a patient called or in session; finish that visit first',
    {
      roomId,
      appointmentId: occupant?.id ?? null,
      ticket: occupant?.ticket ?? null,
    },
  );
}

/**
 * A room holds one called or in-session patient at a time (also enforced by the database, 0070).
 * @throws AppError room_busy
 */
function assertRoomFree(deps: ClinicDeps, roomId: RoomId, except?: AppointmentId): void {
  if (roomOccupant(deps, roomId, except)) throw roomBusy(deps, roomId);
}

/**
 * Calls the next waiting patient (queue order of server/domain/wait.ts) whose appointment is in `roomId`,
 * if the room is free (nobody called or in session there).
 * @throws AppError room_not_found | room_busy | queue_empty
 */
export function callNext(deps: ClinicDeps, roomId: RoomId, actor: Actor): BoardAppointment {
  getRoom(deps, roomId);
  assertRoomFree(deps, roomId);
  const { views } = dayViews(deps);
  const next = views
    .filter((a) => a.status === 'arrived' && a.room?.id === roomId)
    .map((a) => ({ a, q: toQueueItem(a) }))
    .sort((x, y) => compareQueue(x.q, y.q))[0];
  if (!next) throw new AppError('queue_empty', 'nobody is waiting for this room');
  return transition(deps, next.a.id, 'called', { actor, roomId });
}

/** Scheduled appointments a patient may check in for now (inside the clinic's check-in window). */
export function expectedNow(deps: ClinicDeps, settings: Settings): AppointmentRow[] {
  const now = deps.now();
  return listScheduledBetween(
    deps,
    new Date(now - settings.checkInAfterMin * MIN),
    new Date(now + settings.checkInBeforeMin * MIN),
  );
}
