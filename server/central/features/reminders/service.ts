/**
 * Appointment reminders (payments issue, part 8): scheduled in the outbox when an appointment is booked
 * or moved, at the clinic's offsets (default 24 h and 2 h before) outside its quiet hours
 * (domain/reminders.ts), by email (verified address) and SMS (mobile on the account). Each carries the
 * booking code and links to confirm attendance or cancel without logging in (a capability link to
 * `/r/{token}`, expiring at the start). Durable and sent once: outbox rows with dedupe keys
 * `reminder:{appointmentId}:{hours}h:{channel}`; a cancelled or moved appointment's reminders are
 * cancelled, and the renderer drops any that no longer match the appointment.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { writeAudit } from '../../db/changes.ts';
import type { CentralTx } from '../../db/database.ts';
import { accounts, appointmentLinks, appointments, clinics, practitioners } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import { enqueue } from '../../outbox/outbox.ts';
import { reminderTimes } from '../../../domain/reminders.ts';
import { AppError } from '../../../domain/errors.ts';
import { hashToken } from '../../http/auth.ts';
import { newLinkToken } from '../payments/orders.ts';

/** The public address of an appointment link, with the action the page offers first. */
export function appointmentLinkUrl(publicUrl: string, token: string, action: 'confirm' | 'cancel'): string {
  return `${publicUrl}/r/${token}?do=${action}`;
}

/**
 * Schedules an appointment's reminders (in the booking transaction). Nothing for an appointment without
 * an account, or whose reminder times have all passed.
 * @returns how many messages were queued
 */
export async function scheduleReminders(
  tx: CentralTx,
  deps: Pick<CentralDeps, 'now' | 'config'>,
  a: typeof appointments.$inferSelect,
): Promise<number> {
  if (!a.accountId) return 0;
  const [clinic] = await tx.select().from(clinics).where(eq(clinics.id, a.clinicId));
  const [acc] = await tx
    .select({ email: accounts.email, verified: accounts.emailVerifiedAt, phone: accounts.phone })
    .from(accounts)
    .where(and(eq(accounts.id, a.accountId), sql`${accounts.deletedAt} IS NULL`));
  if (!clinic || !acc) return 0;
  const times = reminderTimes(
    a.startsAt,
    clinic.reminderHours,
    { startMin: clinic.quietStartMin, endMin: clinic.quietEndMin },
    deps.now(),
    clinic.timeZone,
  );
  if (times.length === 0) return 0;
  const token = newLinkToken();
  await tx.insert(appointmentLinks).values({
    tokenHash: hashToken(token),
    appointmentId: a.id,
    createdAt: new Date(deps.now()),
    expiresAt: a.startsAt,
  });
  const payloadBase = {
    appointmentId: a.id,
    startsAt: a.startsAt.toISOString(),
    confirmUrl: appointmentLinkUrl(deps.config.publicUrl, token, 'confirm'),
    cancelUrl: appointmentLinkUrl(deps.config.publicUrl, token, 'cancel'),
  };
  let n = 0;
  for (const t of times) {
    const channels: ['sms' | 'email', string][] = [];
    if (acc.phone) channels.push(['sms', acc.phone]);
    if (acc.email && acc.verified) channels.push(['email', acc.email]);
    for (const [channel, recipient] of channels) {
      const queued = await enqueue(tx, deps.now(), {
        clinicId: a.clinicId,
        accountId: a.accountId,
        appointmentId: a.id,
        channel,
        kind: 'reminder',
        recipient,
        dedupeKey: `reminder:${a.id}:${t.hours}h:${channel}`,
        payload: { ...payloadBase, hours: t.hours },
        sendAfter: t.at,
      });
      if (queued) n++;
    }
  }
  return n;
}

/**
 * The appointment a reminder link opens, with what the page shows (clinic name and address, the
 * practitioner's display name).
 * @throws AppError appointment_not_found (unknown or expired link)
 */
export async function appointmentOfLink(deps: CentralDeps, token: string) {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw new AppError('appointment_not_found', 'no such link');
  const [row] = await deps.db
    .select({
      a: appointments,
      linkExpiresAt: appointmentLinks.expiresAt,
      clinicName: clinics.name,
      clinicAddress: clinics.address,
      practitionerName: practitioners.displayName,
    })
    .from(appointmentLinks)
    .innerJoin(appointments, eq(appointments.id, appointmentLinks.appointmentId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .innerJoin(practitioners, eq(practitioners.id, appointments.practitionerId))
    .where(eq(appointmentLinks.tokenHash, hashToken(token)));
  if (!row || row.linkExpiresAt.getTime() <= deps.now()) {
    throw new AppError('appointment_not_found', 'this link is no longer valid');
  }
  return {
    ...row.a,
    clinicName: row.clinicName,
    clinicAddress: row.clinicAddress,
    practitionerName: row.practitionerName,
  };
}

/**
 * Records the patient's "I'll be there" (idempotent) on a live appointment.
 * @throws AppError illegal_transition (the appointment is no longer live: cancelled, expired…)
 */
export async function confirmAttendance(
  deps: CentralDeps,
  appointmentId: string,
  ip: string | null,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [a] = await tx
      .update(appointments)
      .set({ patientConfirmedAt: new Date(deps.now()) })
      .where(
        and(
          eq(appointments.id, appointmentId),
          inArray(appointments.status, ['confirmed', 'awaiting_payment']),
          sql`${appointments.patientConfirmedAt} IS NULL`,
        ),
      )
      .returning();
    if (!a) {
      const [cur] = await tx
        .select({ status: appointments.status })
        .from(appointments)
        .where(eq(appointments.id, appointmentId));
      if (cur && cur.status !== 'confirmed' && cur.status !== 'awaiting_payment') {
        throw new AppError('illegal_transition', `an appointment that is ${cur.status} cannot be confirmed`);
      }
    }
    if (a) {
      await writeAudit(tx, deps.now(), {
        actor: `account:${a.accountId}`,
        action: 'booking.patient_confirmed',
        entity: 'appointment',
        entityId: a.id,
        clinicId: a.clinicId,
        ip,
        details: { via: 'reminder_link' },
      });
    }
  });
}
