/**
 * Online booking: hold a slot (7.5 minutes), confirm it into an appointment, cancel or reschedule within
 * the clinic's policy, and list a patient's appointments.
 *
 * No double booking, by construction (booking.md): every hold and appointment is a row of one table whose
 * exclusion constraint forbids two live rows of one practitioner from overlapping; writers for one
 * practitioner queue on a transaction-level advisory lock in front of it, so concurrent attempts neither
 * deadlock nor race; a violation (SQLSTATE 23P01, or 40P01 should a deadlock still happen) is answered
 * 409 `slot_unavailable`. Expired holds are released by status inside the same locked transaction.
 *
 * No patient in two places at once: a patient's booked appointments (any clinic, any practitioner) never
 * overlap. Hold, confirm and reschedule take the account's advisory lock first (then the practitioner's,
 * then rows: one order, no deadlock) and refuse an overlapping time with 409 `appointment_overlap`.
 */
import { cancelAppointmentMessages } from '../../outbox/outbox.ts';
import { createOrder } from '../payments/orders.ts';
import { scheduleReminders } from '../reminders/service.ts';
import { AppError } from '../../../domain/errors.ts';
import { HOLD_MS, type AppointmentDto, type HoldDto, type HoldInput } from '../../../domain/booking.ts';
import type { SpecialtyCode } from '../../../domain/specialties.ts';
import { clinicDate } from '../../../domain/time.ts';
import { v7 as uuidv7 } from 'uuid';
import { recordChange, writeAudit } from '../../db/changes.ts';
import { sqlState } from '../../db/sql-state.ts';
import type { CentralTx } from '../../db/database.ts';
import type { CentralDeps } from '../../deps.ts';
import type { Caller } from '../../http/context.ts';
import { availabilityWithRows, requireClinic } from '../catalog/service.ts';
import * as repo from './repo.ts';
import type { AppointmentRow, AppointmentView } from './repo.ts';

/** SQLSTATEs that mean "someone else has this time": exclusion violation, deadlock. */
const CONFLICT_CODES = new Set(['23P01', '40P01']);

/** Who did it, for the audit log. */
const actorOf = (caller: Caller) => `account:${caller.accountId}`;

/**
 * The row's payload in the change feed (what sync carries to the clinic: docs/sync.md "Pull"); times
 * ISO-8601 UTC. Every writer of an appointment change uses it (the booking service, the demo seed).
 */
export function changePayload(a: AppointmentRow): Record<string, unknown> {
  return {
    id: a.id,
    practitionerId: a.practitionerId,
    accountId: a.accountId,
    specialty: a.specialty,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    status: a.status,
    bookingCode: a.bookingCode,
    rescheduledFrom: a.rescheduledFrom,
    version: a.version,
  };
}

async function changed(tx: CentralTx, deps: CentralDeps, a: AppointmentRow, op: 'insert' | 'update') {
  await recordChange(tx, deps.now(), {
    clinicId: a.clinicId,
    entity: 'appointment',
    entityId: a.id,
    op,
    version: a.version,
    accountId: a.accountId,
    payload: changePayload(a),
  });
}

/**
 * Holds `startsAt` for the caller. The start must be one the availability offers now (schedule, opening
 * hours, notice, horizon, grid); with no practitioner given, the free practitioners are tried in turn.
 * A new hold releases the caller's previous one. The time must not overlap another of the caller's
 * booked appointments, other than `input.replaces` (the one a reschedule moves).
 * @throws AppError clinic_not_found, specialty_not_found, practitioner_not_found, slot_unavailable (409),
 *   appointment_overlap (409)
 */
export async function hold(
  deps: CentralDeps,
  caller: Caller,
  input: HoldInput,
  ip: string | null,
): Promise<HoldDto> {
  const start = Date.parse(input.startsAt);
  const {
    result: offered,
    clinic,
    specialty,
    names,
  } = await availabilityWithRows(deps, {
    clinicId: input.clinicId,
    specialty: input.specialty,
    ...(input.practitionerId ? { practitionerId: input.practitionerId } : {}),
    from: clinicDate(start),
    days: 1,
  });
  const slot = offered.days[0]?.slots.find((s) => Date.parse(s.startsAt) === start);
  if (!slot) throw new AppError('slot_unavailable', 'that time is no longer available');
  const durationMs = specialty.durationMin * 60_000;
  for (const practitionerId of slot.practitionerIds) {
    try {
      const row = await deps.db.transaction(async (tx) => {
        const now = new Date(deps.now());
        await repo.lockAccount(tx, caller.accountId);
        await refuseOverlap(
          tx,
          caller.accountId,
          { startsAt: new Date(start), endsAt: new Date(start + durationMs) },
          input.replaces ?? null,
        );
        await repo.lockPractitioner(tx, practitionerId);
        await repo.releaseExpiredHolds(tx, practitionerId, now);
        await repo.releaseAccountHolds(tx, caller.accountId, now);
        const inserted = await repo.insertHold(tx, {
          id: uuidv7(),
          clinicId: clinic.id,
          practitionerId,
          accountId: caller.accountId,
          specialty: input.specialty,
          startsAt: new Date(start),
          endsAt: new Date(start + durationMs),
          blockedUntil: new Date(start + durationMs + clinic.bufferMin * 60_000),
          status: 'held',
          holdExpiresAt: new Date(now.getTime() + HOLD_MS),
          priceCents: specialty.priceCents,
          paymentMode: clinic.paymentMode,
          createdAt: now,
          updatedAt: now,
        });
        await writeAudit(tx, deps.now(), {
          actor: actorOf(caller),
          action: 'booking.hold',
          entity: 'appointment',
          entityId: inserted.id,
          clinicId: clinic.id,
          ip,
        });
        return inserted;
      });
      return {
        id: row.id,
        expiresAt: row.holdExpiresAt!.toISOString(),
        startsAt: row.startsAt.toISOString(),
        endsAt: row.endsAt.toISOString(),
        practitionerId,
        practitionerName: names.get(practitionerId) ?? '',
        specialty: input.specialty,
        priceCents: row.priceCents,
      };
    } catch (err) {
      if (CONFLICT_CODES.has(sqlState(err) ?? '')) continue;
      throw err;
    }
  }
  throw new AppError('slot_unavailable', 'that time was just taken');
}

/**
 * Refuses a time that overlaps another of the account's booked appointments (not `exceptId`).
 * @throws AppError appointment_overlap (409), naming the clashing appointment in `details`
 */
async function refuseOverlap(
  tx: CentralTx,
  accountId: string,
  range: { startsAt: Date; endsAt: Date },
  exceptId: string | null,
): Promise<void> {
  const clash = await repo.findAccountOverlap(tx, accountId, range, exceptId);
  if (clash) {
    throw new AppError('appointment_overlap', 'you already have an appointment at that time', {
      appointmentId: clash.id,
      startsAt: clash.startsAt.toISOString(),
    });
  }
}

/**
 * Releases the caller's hold (going back in the booking flow).
 * @throws AppError hold_not_found
 */
export async function releaseHold(deps: CentralDeps, caller: Caller, holdId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await repo.findOwnForUpdate(tx, holdId, caller.accountId);
    if (!row || row.status !== 'held') throw new AppError('hold_not_found', `no hold ${holdId}`);
    await repo.updateAppointment(tx, row.id, { status: 'expired', updatedAt: new Date(deps.now()) });
  });
}

/**
 * Turns the caller's hold into an appointment: 'awaiting_payment' when the clinic takes payment online,
 * else 'confirmed'; creates its order; records the change. Confirming twice answers the same appointment.
 * A hold whose time now overlaps another of the caller's booked appointments is refused (it stays held).
 * @throws AppError hold_not_found (not theirs, or never a hold), hold_expired (410), appointment_overlap (409)
 */
export async function confirmHold(
  deps: CentralDeps,
  caller: Caller,
  holdId: string,
  ip: string | null,
): Promise<{ appointment: AppointmentRow; created: boolean }> {
  const out = await deps.db.transaction(async (tx) => {
    const now = new Date(deps.now());
    await repo.lockAccount(tx, caller.accountId);
    const row = await repo.findOwnForUpdate(tx, holdId, caller.accountId);
    if (!row) throw new AppError('hold_not_found', `no hold ${holdId}`);
    if (row.holdExpiresAt === null && (row.status === 'confirmed' || row.status === 'awaiting_payment')) {
      return { appointment: row, created: false, expired: false };
    }
    if (row.status !== 'held') return { appointment: row, created: false, expired: true };
    if (row.holdExpiresAt!.getTime() <= now.getTime()) {
      await repo.updateAppointment(tx, row.id, { status: 'expired', updatedAt: now });
      return { appointment: row, created: false, expired: true };
    }
    await refuseOverlap(tx, caller.accountId, row, row.id);
    const clinic = await requireClinic(tx, row.clinicId);
    const confirmed = await repo.updateAppointment(tx, row.id, {
      status: row.paymentMode === 'pay_online' ? 'awaiting_payment' : 'confirmed',
      holdExpiresAt: null,
      updatedAt: now,
    });
    await createOrder(tx, deps, { clinic, appointment: confirmed, accountId: caller.accountId });
    await scheduleReminders(tx, deps, confirmed);
    await changed(tx, deps, confirmed, 'insert');
    await writeAudit(tx, deps.now(), {
      actor: actorOf(caller),
      action: 'booking.confirm',
      entity: 'appointment',
      entityId: row.id,
      clinicId: row.clinicId,
      ip,
    });
    return { appointment: confirmed, created: true, expired: false };
  });
  if (out.expired) throw new AppError('hold_expired', 'the hold expired; choose the time again');
  return { appointment: out.appointment, created: out.created };
}

/** True when a live appointment may still be changed for free at `nowMs`. */
export function withinPolicy(
  a: Pick<AppointmentView, 'startsAt' | 'cancelNoticeHours'>,
  nowMs: number,
): boolean {
  return nowMs <= a.startsAt.getTime() - a.cancelNoticeHours * 3_600_000;
}

async function requireChangeable(tx: CentralTx, deps: CentralDeps, caller: Caller, id: string) {
  const row = await repo.findOwnForUpdate(tx, id, caller.accountId);
  if (!row || row.holdExpiresAt !== null) throw new AppError('appointment_not_found', `no appointment ${id}`);
  if (row.status !== 'confirmed' && row.status !== 'awaiting_payment') {
    throw new AppError('illegal_transition', `an appointment that is ${row.status} cannot be changed`);
  }
  const clinic = await requireClinic(tx, row.clinicId);
  if (!withinPolicy({ startsAt: row.startsAt, cancelNoticeHours: clinic.cancelNoticeHours }, deps.now())) {
    throw new AppError('outside_policy', `changes are free until ${clinic.cancelNoticeHours} h before`, {
      cancelNoticeHours: clinic.cancelNoticeHours,
    });
  }
  return row;
}

/**
 * Cancels the caller's appointment within the clinic's policy; its pending order is cancelled.
 * @throws AppError appointment_not_found, illegal_transition, outside_policy
 */
export async function cancel(
  deps: CentralDeps,
  caller: Caller,
  id: string,
  ip: string | null,
): Promise<AppointmentRow> {
  return deps.db.transaction(async (tx) => {
    const row = await requireChangeable(tx, deps, caller, id);
    const now = new Date(deps.now());
    const cancelled = await repo.updateAppointment(tx, row.id, {
      status: 'cancelled',
      cancelledBy: 'patient',
      updatedAt: now,
    });
    await repo.cancelOrder(tx, row.id, now);
    await cancelAppointmentMessages(tx, row.id);
    await changed(tx, deps, cancelled, 'update');
    await writeAudit(tx, deps.now(), {
      actor: actorOf(caller),
      action: 'booking.cancel',
      entity: 'appointment',
      entityId: row.id,
      clinicId: row.clinicId,
      ip,
    });
    return cancelled;
  });
}

/**
 * Moves the caller's appointment to the slot of a hold they hold: the hold becomes the new appointment
 * (same status, its order moved to it) and only then is the old one cancelled, in one transaction, so
 * the patient never ends up with neither.
 * @throws AppError appointment_not_found, illegal_transition, outside_policy, hold_not_found,
 *   hold_expired, validation_failed (another clinic or specialty), appointment_overlap (the new time
 *   overlaps another of the caller's appointments)
 */
export async function reschedule(
  deps: CentralDeps,
  caller: Caller,
  id: string,
  holdId: string,
  ip: string | null,
): Promise<AppointmentRow> {
  const out = await deps.db.transaction(async (tx) => {
    await repo.lockAccount(tx, caller.accountId);
    const old = await requireChangeable(tx, deps, caller, id);
    const now = new Date(deps.now());
    const held = await repo.findOwnForUpdate(tx, holdId, caller.accountId);
    if (!held || held.status !== 'held') throw new AppError('hold_not_found', `no hold ${holdId}`);
    if (held.holdExpiresAt!.getTime() <= now.getTime()) {
      await repo.updateAppointment(tx, held.id, { status: 'expired', updatedAt: now });
      return null;
    }
    await refuseOverlap(tx, caller.accountId, held, old.id);
    if (held.clinicId !== old.clinicId || held.specialty !== old.specialty) {
      throw new AppError('validation_failed', 'a reschedule keeps the clinic and the specialty');
    }
    const moved = await repo.updateAppointment(tx, held.id, {
      status: old.status,
      holdExpiresAt: null,
      rescheduledFrom: old.id,
      priceCents: old.priceCents,
      updatedAt: now,
    });
    const cancelled = await repo.updateAppointment(tx, old.id, {
      status: 'cancelled',
      cancelledBy: 'patient',
      updatedAt: now,
    });
    await repo.moveOrder(tx, old.id, moved.id, now);
    await cancelAppointmentMessages(tx, old.id);
    await scheduleReminders(tx, deps, moved);
    await changed(tx, deps, moved, 'insert');
    await changed(tx, deps, cancelled, 'update');
    await writeAudit(tx, deps.now(), {
      actor: actorOf(caller),
      action: 'booking.reschedule',
      entity: 'appointment',
      entityId: moved.id,
      clinicId: moved.clinicId,
      ip,
      details: { from: old.id },
    });
    return moved;
  });
  if (!out) throw new AppError('hold_expired', 'the hold expired; choose the time again');
  return out;
}

/** An appointment as the patient sees it, at `nowMs`. */
export function toAppointmentDto(a: AppointmentView, nowMs: number): AppointmentDto {
  const live = a.status === 'confirmed' || a.status === 'awaiting_payment';
  const deadline = a.startsAt.getTime() - a.cancelNoticeHours * 3_600_000;
  return {
    id: a.id,
    clinicId: a.clinicId,
    clinicName: a.clinicName,
    practitionerId: a.practitionerId,
    practitionerName: a.practitionerName,
    specialty: a.specialty as SpecialtyCode,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    status: a.status === 'held' ? 'expired' : a.status,
    bookingCode: a.bookingCode,
    priceCents: a.priceCents,
    paymentMode: a.paymentMode,
    canChange: live && nowMs <= deadline,
    changeDeadline: new Date(deadline).toISOString(),
    visit: a.visitStatus ? { status: a.visitStatus, room: a.visitRoom, waitMin: a.waitMin } : null,
    payment: a.orderStatus ? { status: a.orderStatus, invoiceNumber: a.invoiceNumber } : null,
  };
}

/** The caller's appointments: upcoming (not yet ended) and past (most recent first). Audited. */
export async function myAppointments(
  deps: CentralDeps,
  caller: Caller,
  ip: string | null,
): Promise<{ upcoming: AppointmentDto[]; past: AppointmentDto[] }> {
  const now = deps.now();
  const rows = await repo.listOwn(deps.db, caller.accountId);
  await writeAudit(deps.db, now, {
    actor: actorOf(caller),
    action: 'booking.list',
    entity: 'appointment',
    ip,
  });
  const dtos = rows.map((r) => toAppointmentDto(r, now));
  return {
    upcoming: dtos.filter((d) => Date.parse(d.endsAt) > now),
    past: dtos.filter((d) => Date.parse(d.endsAt) <= now).reverse(),
  };
}

/**
 * One of the caller's appointments (with names).
 * @throws AppError appointment_not_found (also for another patient's id: no existence leak)
 */
export async function myAppointment(deps: CentralDeps, caller: Caller, id: string): Promise<AppointmentView> {
  const row = await repo.findOwnView(deps.db, id, caller.accountId);
  if (!row || row.holdExpiresAt !== null) throw new AppError('appointment_not_found', `no appointment ${id}`);
  return row;
}
