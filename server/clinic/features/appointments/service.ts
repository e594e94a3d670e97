/**
 * The visit workflow: the day's board with live waits, timers and alerts, booking, walk-ins, check-in, call
 * next or a given patient, recall, move to another room or practitioner, session start/end, no-show,
 * cancel, and a one-minute undo of each of those board actions. Every change is one transaction (row +
 * outbox + audit + undo record) followed by a change event, which the display and desk streams turn into
 * pushed updates. SQL lives in ./repo.ts.
 */
import { AppError } from '../../../domain/errors.ts';
import { newId, type AppointmentId, type RoomId } from '../../../domain/ids.ts';
import type { AppointmentInput, MoveInput, WalkInInput } from '../../../domain/schemas.ts';
import type { Settings } from '../../../domain/settings.ts';
import { clinicDate, clinicDayBounds } from '../../../domain/time.ts';
import {
  boardAlert,
  canTransition,
  formatTicket,
  isActive,
  isInRoom,
  isMovable,
  minutesSince,
  timestampFor,
  UNDO_WINDOW_MS,
  type BoardAlert,
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
  assertVersion,
  deleteUndo,
  getRow,
  getUndo,
  getView,
  saveUndo,
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
  type UndoSnapshot,
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
 * An appointment on the board: its view plus the live estimate (null unless arrived/called/in session),
 * whether it has a payment that is not voided (server/clinic/features/payments), the whole minutes since
 * the check-in (null unless arrived, called or in session) and the board's alert (server/domain/visit.ts
 * `boardAlert`: 'waiting_long' past `waitAlertMin`, 'late' past `lateAlertMin`, else null). The desk's
 * only: public screens (display, kiosk) map what they show field by field and never carry `paid`.
 */
export type BoardAppointment = AppointmentView & {
  estimate: EstimateView | null;
  paid: boolean;
  sinceArrivalMin: number | null;
  alert: BoardAlert | null;
};

/**
 * The answer of a board action: the appointment as on the board, and until when (ISO-8601 UTC) its
 * author may undo it with `POST /api/board/undo` (null: nothing to undo).
 */
export type BoardActionResult = BoardAppointment & { undoUntil: string | null };

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
  const settings = readSettings(deps);
  return {
    date: day,
    appointments: views.map((v) => ({
      ...v,
      estimate: estimateView(estimates.get(v.id)),
      paid: paid.has(v.id),
      ...timers(v, deps.now(), settings),
    })),
  };
}

/** The row's timer and alert at `now` (see `BoardAppointment`). */
function timers(
  v: AppointmentView,
  now: number,
  settings: Settings,
): Pick<BoardAppointment, 'sinceArrivalMin' | 'alert'> {
  return {
    sinceArrivalMin: isActive(v.status) ? minutesSince(v.arrivedAt, now) : null,
    alert: boardAlert(v, now, settings),
  };
}

/** One appointment with its live estimate (null when it is not on the live board or not active). */
export function withEstimate(deps: ClinicDeps, id: AppointmentId): BoardAppointment {
  const found = dayWithEstimates(deps).appointments.find((a) => a.id === id);
  if (found) return found;
  const view = getView(deps, id);
  return {
    ...view,
    estimate: null,
    paid: paidAppointmentIds(deps, [id]).has(id),
    ...timers(view, deps.now(), readSettings(deps)),
  };
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
 * The estimate a patient gets on checking in now: their appointment with its status set to arrived at
 * `now`, every other visit of the day as it is (undefined when it is not on the live board). Its wait is
 * stored with the check-in (`wait_estimate_min`), to measure estimate error later
 * (shared/reference/wait-estimation.md), and it is the estimate the check-in answers with.
 */
function estimateIfArrivingNow(deps: ClinicDeps, row: AppointmentRow, nowIso: string): Estimate | undefined {
  const { views } = dayViews(deps);
  const arriving = views.map((v) =>
    v.id === row.id ? { ...v, status: 'arrived' as const, arrivedAt: nowIso } : v,
  );
  return estimatesFor(deps, arriving).get(row.id);
}

/**
 * One appointment as the board shows it, with its estimate already computed for its current state (a
 * check-in's, `estimateIfArrivingNow`), so the answer does not recompute the whole day's estimates.
 */
function withKnownEstimate(
  deps: ClinicDeps,
  id: AppointmentId,
  estimate: Estimate | undefined,
): BoardAppointment {
  const view = getView(deps, id);
  return {
    ...view,
    estimate: estimateView(estimate),
    paid: paidAppointmentIds(deps, [id]).has(id),
    ...timers(view, deps.now(), readSettings(deps)),
  };
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
  let arriving: Estimate | undefined;
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
      arriving = estimateIfArrivingNow(deps, row, nowIso);
      patch.wait_estimate_min = arriving?.waitMin ?? null;
    }
    if (to === 'called') {
      const roomId = opts.roomId ?? row.room_id;
      if (!roomId) throw new AppError('room_not_found', 'choose a room to call the patient into');
      patch.room_id = getRoom(deps, roomId).id;
      assertRoomFree(deps, patch.room_id, id);
    }
    const updated = updateInRoom(deps, row, patch);
    saveUndo(
      deps,
      {
        appointment_id: id,
        action: actionOf(row.status, to),
        actor: opts.actor,
        version: updated.version,
        before: row,
      },
      UNDO_WINDOW_MS,
    );
    writeAudit(deps, opts.actor, 'appointment.status', 'appointment', id, {
      from: row.status,
      to,
      ...(to === 'arrived' ? { checkInMethod: patch.check_in_method } : {}),
    });
  })();
  deps.events.emit('appointment', id);
  return to === 'arrived' ? withKnownEstimate(deps, id, arriving) : withEstimate(deps, id);
}

/** The board action a move along the state machine is (the name its undo record and the desk use). */
function actionOf(from: VisitStatus, to: VisitStatus): string {
  switch (to) {
    case 'arrived':
      return from === 'called' ? 'requeue' : 'check-in';
    case 'called':
      return 'call';
    case 'in_session':
      return 'start';
    case 'no_show':
      return 'no-show';
    case 'cancelled':
      return 'cancel';
    default:
      return to;
  }
}

/**
 * `updateAppointment`, turning the database's own guard (0070, one called or in-session patient per room)
 * into room_busy, should a write from elsewhere slip in between the service's check and this update.
 * @throws AppError version_conflict | room_busy
 */
function updateInRoom(deps: ClinicDeps, row: AppointmentRow, patch: Partial<AppointmentRow>): AppointmentRow {
  try {
    return updateAppointment(deps, row.id, row.version, patch);
  } catch (err) {
    const roomId = patch.room_id ?? row.room_id;
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && roomId)
      throw roomBusy(deps, roomId);
    throw err;
  }
}

/**
 * Calls this patient (not necessarily the next in the queue) into `roomId`, or the appointment's room.
 * @throws AppError appointment_not_found | illegal_transition | version_conflict | room_not_found |
 *   room_busy
 */
export function callPatient(
  deps: ClinicDeps,
  id: AppointmentId,
  opts: { roomId?: RoomId; expectedVersion?: number; actor: Actor },
): BoardAppointment {
  return transition(deps, id, 'called', opts);
}

/**
 * Calls a called patient again: stamps a new `called_at`, so the display shows and announces the call
 * once more (renderer/display keys a call by id and calledAt). Audited as 'appointment.recall'.
 * @throws AppError appointment_not_found | illegal_transition (not called) | version_conflict
 */
export function recall(
  deps: ClinicDeps,
  id: AppointmentId,
  opts: { expectedVersion?: number; actor: Actor },
): BoardAppointment {
  deps.db.transaction(() => {
    const row = getRow(deps, id);
    assertVersion(row, opts.expectedVersion);
    if (row.status !== 'called')
      throw new AppError('illegal_transition', `only a called patient can be recalled, not ${row.status}`, {
        from: row.status,
        to: 'called',
      });
    const updated = updateAppointment(deps, id, row.version, {
      called_at: new Date(deps.now()).toISOString(),
    });
    saveUndo(
      deps,
      { appointment_id: id, action: 'recall', actor: opts.actor, version: updated.version, before: row },
      UNDO_WINDOW_MS,
    );
    writeAudit(deps, opts.actor, 'appointment.recall', 'appointment', id, { roomId: row.room_id });
  })();
  deps.events.emit('appointment', id);
  return withEstimate(deps, id);
}

/**
 * Moves a waiting or called patient to another room and/or practitioner (a practitioner change
 * without a room takes the practitioner's default room, unless the patient is already called into a
 * room). A called patient moved to another room must find it free and is announced there (new
 * `called_at`). Audited as 'appointment.move' with the ids before and after.
 * @throws AppError appointment_not_found | practitioner_not_found (unknown or deleted) | room_not_found |
 *   illegal_transition (not waiting nor called: a booking moves through the calendar) | version_conflict |
 *   room_busy
 */
export function move(deps: ClinicDeps, id: AppointmentId, input: MoveInput, actor: Actor): BoardAppointment {
  deps.db.transaction(() => {
    const row = getRow(deps, id);
    assertVersion(row, input.expectedVersion);
    if (!isMovable(row.status))
      throw new AppError('illegal_transition', `a visit that is ${row.status} cannot be moved`, {
        from: row.status,
        to: row.status,
      });
    const patch: Partial<AppointmentRow> = {};
    if (input.practitionerId) {
      const practitioner = listPractitioners(deps).find((p) => p.id === input.practitionerId);
      if (!practitioner)
        throw new AppError('practitioner_not_found', `no practitioner ${input.practitionerId}`);
      patch.practitioner_id = practitioner.id;
      if (!input.roomId && row.status !== 'called' && practitioner.defaultRoomId)
        patch.room_id = practitioner.defaultRoomId;
    }
    if (input.roomId) patch.room_id = getRoom(deps, input.roomId).id;
    if (row.status === 'called' && patch.room_id && patch.room_id !== row.room_id) {
      assertRoomFree(deps, patch.room_id, id);
      patch.called_at = new Date(deps.now()).toISOString();
    }
    const updated = updateInRoom(deps, row, patch);
    saveUndo(
      deps,
      { appointment_id: id, action: 'move', actor, version: updated.version, before: row },
      UNDO_WINDOW_MS,
    );
    writeAudit(deps, actor, 'appointment.move', 'appointment', id, {
      status: row.status,
      fromRoomId: row.room_id,
      toRoomId: updated.room_id,
      fromPractitionerId: row.practitioner_id,
      toPractitionerId: updated.practitioner_id,
    });
  })();
  deps.events.emit('appointment', id);
  return withEstimate(deps, id);
}

/**
 * Undoes the last board action on an appointment (check-in, call, recall, start, done, no-show, cancel,
 * requeue, move): restores the columns it changed, as a new version (with its outbox row), audited as
 * 'appointment.undo'. Only its author may, within `UNDO_WINDOW_MS` (60 s, the injected clock), and only
 * while nothing else changed the appointment since: `expectedVersion` is the version the action answered
 * with.
 * @throws AppError appointment_not_found | undo_expired (no action to undo, already undone, or older than
 *   a minute) | forbidden (another actor's action) | undo_conflict (the appointment changed since) |
 *   room_busy (the room it would go back to has another patient called or in session now)
 */
export function undo(
  deps: ClinicDeps,
  id: AppointmentId,
  expectedVersion: number,
  actor: Actor,
): BoardAppointment {
  deps.db.transaction(() => {
    const row = getRow(deps, id);
    const rec = getUndo(deps, id);
    if (!rec || deps.now() - Date.parse(rec.at) > UNDO_WINDOW_MS)
      throw new AppError('undo_expired', 'nothing to undo on this appointment in the last minute', {
        appointmentId: id,
      });
    if (rec.actor !== actor)
      throw new AppError('forbidden', 'only who did an action can undo it', { action: rec.action });
    if (rec.version !== row.version || expectedVersion !== row.version)
      throw new AppError('undo_conflict', 'the appointment changed since that action; nothing was undone', {
        appointmentId: id,
        version: row.version,
        action: rec.action,
      });
    const restore: Partial<UndoSnapshot> = { ...rec.before };
    if (restore.status && isInRoom(restore.status) && restore.room_id)
      assertRoomFree(deps, restore.room_id, id);
    updateInRoom(deps, row, restore);
    deleteUndo(deps, id);
    writeAudit(deps, actor, 'appointment.undo', 'appointment', id, {
      action: rec.action,
      from: row.status,
      to: rec.before.status,
    });
  })();
  deps.events.emit('appointment', id);
  return withEstimate(deps, id);
}

/**
 * `a` with `undoUntil`: when its author's undo of the last action expires (ISO-8601 UTC), or null when
 * there is none or the appointment changed since.
 */
export function withUndo(deps: ClinicDeps, a: BoardAppointment): BoardActionResult {
  const rec = getUndo(deps, a.id);
  const until = rec && rec.version === a.version ? Date.parse(rec.at) + UNDO_WINDOW_MS : null;
  return {
    ...a,
    undoUntil: until !== null && until >= deps.now() ? new Date(until).toISOString() : null,
  };
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
export function callNext(
  deps: ClinicDeps,
  roomId: RoomId,
  actor: Actor,
  practitionerId: string | null = null,
): BoardAppointment {
  getRoom(deps, roomId);
  assertRoomFree(deps, roomId);
  const { views } = dayViews(deps);
  const next = views
    .filter((a) => a.status === 'arrived' && a.room?.id === roomId)
    .filter((a) => practitionerId === null || a.practitioner.id === practitionerId)
    .map((a) => ({ a, q: toQueueItem(a) }))
    .sort((x, y) => compareQueue(x.q, y.q))[0];
  if (!next) throw new AppError('queue_empty', 'nobody is waiting for this room');
  return transition(deps, next.a.id, 'called', { actor, roomId, expectedVersion: next.a.version });
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
