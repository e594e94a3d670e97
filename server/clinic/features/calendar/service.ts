/**
 * The desk's calendar: any clinic day's appointments per practitioner with their free slots, and booking,
 * moving and cancelling under the portal's availability rules (server/domain/availability.ts: opening
 * hours ∩ the practitioner's weekly schedule, the specialty's duration, the clinic's turnover buffer, a
 * 15-minute grid, half-open intervals, DST-safe Europe/Lisbon wall clock).
 *
 * No double booking: every write re-checks the slot inside its SQLite transaction. better-sqlite3 runs a
 * transaction start to end on one connection and SQLite has one writer at a time, so the check and the
 * insert cannot interleave with another booking (the race booking.md warns of needs two writers at once).
 *
 * Hours: the clinic's opening hours are the `openingHours` setting the setup saves (server/clinic/features/
 * setup); until it is saved, the demo clinic's (server/domain/demo-clinic.ts, the definition the portal's
 * demo clinic is seeded from). A practitioner's week is central's (`practitioner_schedules`, pulled by
 * sync) once central has published it; before that a demo practitioner works the demo clinic's weekly
 * schedule (as on the portal), anyone else the opening hours. Central's time off
 * (`practitioner_time_off`) is busy time.
 */
import {
  availability,
  localMinuteToInstant,
  isoWeekday,
  mergeIntervals,
  type Interval,
  type Slot,
  type WeeklyBlock,
} from '../../../domain/availability.ts';
import { DEMO_OPENING_HOURS, DEMO_PRACTITIONERS } from '../../../domain/demo-clinic.ts';
import { AppError } from '../../../domain/errors.ts';
import { newId, type AppointmentId, type PractitionerId, type SpecialtyId } from '../../../domain/ids.ts';
import type {
  CalendarBookingInput,
  CancelInput,
  RescheduleInput,
  SlotsQuery,
} from '../../../domain/schemas.ts';
import { clinicDate, clinicDayBounds } from '../../../domain/time.ts';
import { canTransition } from '../../../domain/visit.ts';
import { writeAudit, type Actor } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import {
  assertVersion,
  getView,
  getRow,
  insertAppointment,
  listViewsBetween,
  newBookingCode,
  updateAppointment,
  type AppointmentView,
} from '../appointments/repo.ts';
import {
  getSpecialty,
  listPractitioners,
  listSpecialties,
  practitionersFor,
  type Practitioner,
  type Specialty,
} from '../catalog/repo.ts';
import { getPatient } from '../patients/repo.ts';
import { readSettings } from '../settings/repo.ts';
import { clinicOpeningBlocks } from '../setup/service.ts';

/** Minutes between bookable starts, from local midnight (the portal's demo clinic uses 15). */
export const SLOT_STEP_MIN = 15;
/** How far ahead the desk may book, days. */
export const HORIZON_DAYS = 365;
/** Statuses that no longer hold the practitioner's time. */
const FREEING_STATUSES = ['cancelled', 'no_show'] as const;

const MIN = 60_000;

/** A UTC range `[startsAt, endsAt)`, ISO-8601. */
export interface TimeRange {
  startsAt: string;
  endsAt: string;
}

/** One practitioner's column of the calendar. */
export interface CalendarColumn {
  practitioner: { id: PractitionerId; displayName: string; specialtyIds: SpecialtyId[] };
  /** When they work that day (opening hours ∩ schedule), UTC ranges; empty on a day off. */
  hours: TimeRange[];
  /** Their appointments that day, cancelled ones included, booked time order. */
  appointments: AppointmentView[];
  /**
   * Free starts for `durationMin` (the asked specialty's, or their shortest one's), from now on; each
   * `[startsAt, endsAt)` is the session without the buffer.
   */
  freeSlots: TimeRange[];
  durationMin: number;
}

/** `GET /api/calendar`: one clinic day. */
export interface CalendarDay {
  /** 'YYYY-MM-DD', Europe/Lisbon. */
  date: string;
  now: string;
  specialties: Specialty[];
  /** Opening hours that day, UTC ranges; empty when the clinic is closed. */
  opening: TimeRange[];
  columns: CalendarColumn[];
}

/** `GET /api/calendar/slots`: free starts for one specialty. */
export interface SlotList {
  date: string;
  specialtyId: SpecialtyId;
  durationMin: number;
  /** Starts, each with the practitioners free for it (ids in the catalogue's order). */
  slots: Slot[];
}

/**
 * The clinic's weekly opening hours: the `openingHours` setting when the setup has saved it, else the
 * demo clinic's (see the module comment).
 */
export function openingHours(deps: ClinicDeps): WeeklyBlock[] {
  const stored = clinicOpeningBlocks(deps);
  return stored.length > 0 ? stored : DEMO_OPENING_HOURS;
}

/**
 * A practitioner's weekly schedule: central's (pulled by sync) when it has published one, else the demo
 * clinic's for a demo id, else the opening hours.
 */
export function weeklySchedule(deps: ClinicDeps, practitionerId: PractitionerId): WeeklyBlock[] {
  const central = deps.db
    .prepare(
      `SELECT weekday, start_min AS startMin, end_min AS endMin FROM practitioner_schedules
       WHERE practitioner_id = ? ORDER BY weekday, start_min`,
    )
    .all(practitionerId) as WeeklyBlock[];
  if (central.length > 0) return central;
  return DEMO_PRACTITIONERS.find((p) => p.id === practitionerId)?.schedule ?? openingHours(deps);
}

/** Wall-clock blocks of `date` as UTC ranges (a block through a DST gap starts at the first real minute). */
function rangesOn(date: string, blocks: WeeklyBlock[]): TimeRange[] {
  const weekday = isoWeekday(date);
  const out: TimeRange[] = [];
  for (const b of blocks.filter((x) => x.weekday === weekday)) {
    let start: number | null = null;
    for (let m = b.startMin; start === null && m < b.endMin; m += SLOT_STEP_MIN)
      start = localMinuteToInstant(date, m);
    const end = localMinuteToInstant(date, b.endMin);
    if (start !== null && end !== null && start < end)
      out.push({ startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString() });
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** Working hours on `date`: opening ∩ schedule. */
function workingRanges(deps: ClinicDeps, date: string, practitionerId: PractitionerId): TimeRange[] {
  const opening = openingHours(deps);
  const weekday = isoWeekday(date);
  const blocks: WeeklyBlock[] = [];
  for (const s of weeklySchedule(deps, practitionerId).filter((x) => x.weekday === weekday))
    for (const o of opening.filter((x) => x.weekday === weekday)) {
      const startMin = Math.max(s.startMin, o.startMin);
      const endMin = Math.min(s.endMin, o.endMin);
      if (startMin < endMin) blocks.push({ weekday, startMin, endMin });
    }
  return rangesOn(date, blocks);
}

/**
 * Busy intervals of practitioners in [from, to) (UTC ms): their appointments that still hold time, each
 * `[start, start + duration + buffer)` (`except`, an appointment being moved, is left out), and central's
 * time off.
 */
function busyOf(
  deps: ClinicDeps,
  practitionerIds: readonly PractitionerId[],
  from: number,
  to: number,
  bufferMin: number,
  except?: AppointmentId,
): Map<PractitionerId, Interval[]> {
  const rows = deps.db
    .prepare(
      `SELECT id, practitioner_id AS practitionerId, starts_at AS startsAt, duration_min AS durationMin
       FROM appointments WHERE starts_at >= ? AND starts_at < ?
       AND status NOT IN (${FREEING_STATUSES.map(() => '?').join(', ')})`,
    )
    .all(
      // A session that started the day before can still reach into the range.
      new Date(from - 86_400_000).toISOString(),
      new Date(to).toISOString(),
      ...FREEING_STATUSES,
    ) as { id: AppointmentId; practitionerId: PractitionerId; startsAt: string; durationMin: number }[];
  const out = new Map<PractitionerId, Interval[]>(practitionerIds.map((id) => [id, []]));
  for (const r of rows) {
    if (r.id === except) continue;
    const start = Date.parse(r.startsAt);
    out.get(r.practitionerId)?.push({ start, end: start + (r.durationMin + bufferMin) * MIN });
  }
  // Central's time off (pulled by sync) holds the practitioner's time too.
  const away = deps.db
    .prepare(
      `SELECT practitioner_id AS practitionerId, starts_at AS startsAt, ends_at AS endsAt
       FROM practitioner_time_off WHERE starts_at < ? AND ends_at > ?`,
    )
    .all(new Date(to).toISOString(), new Date(from).toISOString()) as {
    practitionerId: PractitionerId;
    startsAt: string;
    endsAt: string;
  }[];
  for (const o of away)
    out.get(o.practitionerId)?.push({ start: Date.parse(o.startsAt), end: Date.parse(o.endsAt) });
  return out;
}

/** Runs the domain's availability for one clinic day, duration and set of practitioners. */
function slotsOn(
  deps: ClinicDeps,
  date: string,
  durationMin: number,
  practitionerIds: PractitionerId[],
  except?: AppointmentId,
): Slot[] {
  const { start, end } = clinicDayBounds(date);
  const bufferMin = readSettings(deps).turnoverBufferMin;
  const busy = busyOf(deps, practitionerIds, start.getTime(), end.getTime(), bufferMin, except);
  const now = deps.now();
  return availability({
    from: date,
    days: 1,
    durationMin,
    bufferMin,
    stepMin: SLOT_STEP_MIN,
    earliestMs: now,
    latestMs: now + HORIZON_DAYS * 86_400_000,
    openingHours: openingHours(deps),
    practitioners: practitionerIds.map((id) => ({
      id,
      schedule: weeklySchedule(deps, id),
      busy: busy.get(id) ?? [],
    })),
  })[0]!.slots;
}

/** The practitioner of `id`. @throws AppError practitioner_not_found */
function practitionerOf(deps: ClinicDeps, id: PractitionerId): Practitioner {
  const p = listPractitioners(deps).find((x) => x.id === id);
  if (!p) throw new AppError('practitioner_not_found', `no practitioner ${id}`);
  return p;
}

/**
 * Whether `practitioner` does `specialtyId` (as `practitionersFor` reads it: a clinic that recorded
 * nobody for the specialty lets anyone do it).
 */
function practises(deps: ClinicDeps, practitioner: Practitioner, specialtyId: SpecialtyId): boolean {
  return practitionersFor(deps, specialtyId).some((p) => p.id === practitioner.id);
}

/**
 * A clinic day of the calendar: opening hours, and per practitioner their working hours, appointments and
 * free slots for `specialtyId`'s duration (or, without it, each one's shortest specialty).
 * @throws AppError specialty_not_found
 */
export function calendarDay(deps: ClinicDeps, date: string, specialtyId?: SpecialtyId): CalendarDay {
  const specialties = listSpecialties(deps);
  const asked = specialtyId ? getSpecialty(deps, specialtyId) : undefined;
  const { start, end } = clinicDayBounds(date);
  const views = listViewsBetween(deps, start, end);
  const columns = listPractitioners(deps).map((p): CalendarColumn => {
    const own = specialties.filter((s) => practises(deps, p, s.id));
    const durationMin =
      asked?.defaultDurationMin ??
      Math.min(...(own.length > 0 ? own : specialties).map((s) => s.defaultDurationMin), 24 * 60);
    return {
      practitioner: { id: p.id, displayName: p.displayName, specialtyIds: p.specialtyIds },
      hours: workingRanges(deps, date, p.id),
      appointments: views.filter((v) => v.practitioner.id === p.id),
      freeSlots:
        asked && !practises(deps, p, asked.id)
          ? []
          : slotsOn(deps, date, durationMin, [p.id]).map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt })),
      durationMin,
    };
  });
  return {
    date,
    now: new Date(deps.now()).toISOString(),
    specialties,
    opening: rangesOn(date, openingHours(deps)),
    columns,
  };
}

/**
 * Free starts of a clinic day for a specialty: for `practitionerId`, or for everyone who practises it.
 * With `appointmentId` (moving it), that appointment's own time counts as free and its own length is
 * used.
 * @throws AppError specialty_not_found | practitioner_not_found (also: not of that specialty) |
 *   appointment_not_found
 */
export function freeSlots(deps: ClinicDeps, q: SlotsQuery): SlotList {
  const specialty = getSpecialty(deps, q.specialtyId);
  let candidates = practitionersFor(deps, specialty.id);
  if (q.practitionerId) {
    const p = practitionerOf(deps, q.practitionerId);
    if (!practises(deps, p, specialty.id))
      throw new AppError('practitioner_not_found', `${p.displayName} does not do ${specialty.code}`);
    candidates = [p];
  }
  // A move keeps the appointment's own length (a booking may have been made longer or shorter).
  const durationMin = q.appointmentId
    ? getRow(deps, q.appointmentId).duration_min
    : specialty.defaultDurationMin;
  return {
    date: q.date,
    specialtyId: specialty.id,
    durationMin,
    slots: slotsOn(
      deps,
      q.date,
      durationMin,
      candidates.map((p) => p.id),
      q.appointmentId,
    ),
  };
}

/**
 * Checks that `practitioner` can take a `durationMin` session at `startsAt` (UTC ms) and returns it, or
 * throws why not. Call inside the write transaction.
 * @throws AppError slot_in_past (before now) | outside_hours (not a start of their working hours on the
 *   15-minute grid, or past the horizon) | slot_taken (overlaps another appointment, buffer included)
 */
function assertBookable(
  deps: ClinicDeps,
  practitioner: Practitioner,
  startsAt: number,
  durationMin: number,
  except?: AppointmentId,
): void {
  const iso = new Date(startsAt).toISOString();
  if (startsAt < deps.now()) throw new AppError('slot_in_past', `${iso} is in the past`, { startsAt: iso });
  const date = clinicDate(startsAt);
  const free = slotsOn(deps, date, durationMin, [practitioner.id], except);
  if (free.some((s) => Date.parse(s.startsAt) === startsAt)) return;
  // Not free: taken if the same start is offered once the appointments are ignored.
  const bufferMin = readSettings(deps).turnoverBufferMin;
  const busy = mergeIntervals(
    busyOf(deps, [practitioner.id], startsAt - MIN, startsAt + 86_400_000, bufferMin, except).get(
      practitioner.id,
    ) ?? [],
  );
  const blockedEnd = startsAt + (durationMin + bufferMin) * MIN;
  const clash = busy.find((b) => b.start < blockedEnd && startsAt < b.end);
  if (clash) {
    throw new AppError('slot_taken', `${practitioner.displayName} is busy at ${iso}`, {
      startsAt: iso,
      practitionerId: practitioner.id,
    });
  }
  throw new AppError('outside_hours', `${iso} is not a bookable start for ${practitioner.displayName}`, {
    startsAt: iso,
    practitionerId: practitioner.id,
  });
}

/**
 * Books an appointment at a free start (status scheduled, the practitioner's default room, the
 * specialty's duration) with its outbox row and an `appointment.create` audit row (`via: 'calendar'`),
 * in one transaction; without `practitionerId`, the first practitioner of the specialty free then.
 * @throws AppError patient_not_found | specialty_not_found | practitioner_not_found | slot_in_past |
 *   outside_hours | slot_taken
 */
export function bookAppointment(
  deps: ClinicDeps,
  input: CalendarBookingInput,
  actor: Actor,
): AppointmentView {
  const id = newId<'appointment'>();
  const startsAt = Date.parse(input.startsAt);
  deps.db.transaction(() => {
    getPatient(deps, input.patientId);
    const specialty = getSpecialty(deps, input.specialtyId);
    let practitioner: Practitioner;
    if (input.practitionerId) {
      practitioner = practitionerOf(deps, input.practitionerId);
      if (!practises(deps, practitioner, specialty.id))
        throw new AppError(
          'practitioner_not_found',
          `${practitioner.displayName} does not do ${specialty.code}`,
        );
    } else {
      const candidates = practitionersFor(deps, specialty.id);
      const slot = slotsOn(
        deps,
        clinicDate(startsAt),
        specialty.defaultDurationMin,
        candidates.map((p) => p.id),
      ).find((s) => Date.parse(s.startsAt) === startsAt);
      practitioner = candidates.find((p) => p.id === slot?.practitionerIds[0]) ?? candidates[0]!;
    }
    assertBookable(deps, practitioner, startsAt, specialty.defaultDurationMin);
    insertAppointment(deps, {
      id,
      patient_id: input.patientId,
      practitioner_id: practitioner.id,
      specialty_id: specialty.id,
      room_id: practitioner.defaultRoomId,
      starts_at: new Date(startsAt).toISOString(),
      duration_min: specialty.defaultDurationMin,
      status: 'scheduled',
      walk_in: 0,
      booking_code: newBookingCode(deps),
      ticket: null,
      check_in_method: null,
      arrived_at: null,
      called_at: null,
      session_started_at: null,
      ended_at: null,
      wait_estimate_min: null,
    });
    writeAudit(deps, actor, 'appointment.create', 'appointment', id, {
      walkIn: false,
      via: 'calendar',
      startsAt: new Date(startsAt).toISOString(),
      practitionerId: practitioner.id,
    });
  })();
  deps.events.emit('appointment', id);
  return getView(deps, id);
}

/**
 * Moves a scheduled appointment to another start (and optionally practitioner, who must do its
 * specialty; their default room goes with them), checked like a booking with its own time counted as
 * free; one version bump, one outbox row, one `appointment.reschedule` audit row (from/to).
 * @throws AppError appointment_not_found | not_reschedulable (not scheduled) | version_conflict |
 *   practitioner_not_found | slot_in_past | outside_hours | slot_taken
 */
export function rescheduleAppointment(
  deps: ClinicDeps,
  id: AppointmentId,
  input: RescheduleInput,
  actor: Actor,
): AppointmentView {
  const startsAt = Date.parse(input.startsAt);
  deps.db.transaction(() => {
    const row = getRow(deps, id);
    assertVersion(row, input.expectedVersion);
    if (row.status !== 'scheduled')
      throw new AppError('not_reschedulable', `a ${row.status} appointment cannot be moved`, {
        status: row.status,
      });
    const practitioner = practitionerOf(deps, input.practitionerId ?? row.practitioner_id);
    if (!practises(deps, practitioner, row.specialty_id))
      throw new AppError('practitioner_not_found', `${practitioner.displayName} does not do this specialty`);
    assertBookable(deps, practitioner, startsAt, row.duration_min, id);
    const moved = practitioner.id !== row.practitioner_id;
    updateAppointment(deps, id, row.version, {
      starts_at: new Date(startsAt).toISOString(),
      ...(moved ? { practitioner_id: practitioner.id, room_id: practitioner.defaultRoomId } : {}),
    });
    writeAudit(deps, actor, 'appointment.reschedule', 'appointment', id, {
      from: row.starts_at,
      to: new Date(startsAt).toISOString(),
      ...(moved ? { fromPractitionerId: row.practitioner_id, toPractitionerId: practitioner.id } : {}),
    });
  })();
  deps.events.emit('appointment', id);
  return getView(deps, id);
}

/**
 * Cancels an appointment (a legal move to 'cancelled' on the visit state machine): one version bump, one
 * outbox row, one `appointment.cancel` audit row with the previous status and the reason, if given.
 * @throws AppError appointment_not_found | version_conflict | illegal_transition (in session, done, …)
 */
export function cancelAppointment(
  deps: ClinicDeps,
  id: AppointmentId,
  input: CancelInput,
  actor: Actor,
): AppointmentView {
  deps.db.transaction(() => {
    const row = getRow(deps, id);
    assertVersion(row, input.expectedVersion);
    if (!canTransition(row.status, 'cancelled'))
      throw new AppError('illegal_transition', `cannot go from ${row.status} to cancelled`, {
        from: row.status,
        to: 'cancelled',
      });
    updateAppointment(deps, id, row.version, { status: 'cancelled' });
    writeAudit(deps, actor, 'appointment.cancel', 'appointment', id, {
      from: row.status,
      ...(input.reason ? { reason: input.reason } : {}),
    });
  })();
  deps.events.emit('appointment', id);
  return getView(deps, id);
}
