/**
 * The day's state of an appointment at the clinic (arrived / called / in room …, room, estimated wait),
 * as the clinic reports it. The clinic wins for these fields (sync's conflict rule for the day's visit
 * states); the change goes to the feed and so, live, to the patient's "my appointments" page. The sync
 * issue calls this when it applies a clinic's pushed visit changes.
 */
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors.ts';
import { recordChange } from '../../db/changes.ts';
import { appointments } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import { updateAppointment } from './repo.ts';

/** What the clinic reports about a visit: status (clinic's visit state), room name, wait in minutes. */
export interface VisitUpdate {
  status: string;
  room: string | null;
  waitMin: number | null;
}

/**
 * Records the clinic's visit state on an appointment of that clinic.
 * @throws AppError appointment_not_found (unknown, or another clinic's: a clinic never writes another's rows)
 */
export async function applyVisitUpdate(
  deps: CentralDeps,
  clinicId: string,
  appointmentId: string,
  visit: VisitUpdate,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: appointments.id })
      .from(appointments)
      .where(and(eq(appointments.id, appointmentId), eq(appointments.clinicId, clinicId)))
      .for('update');
    if (!row) throw new AppError('appointment_not_found', `no appointment ${appointmentId} at this clinic`);
    const updated = await updateAppointment(tx, appointmentId, {
      visitStatus: visit.status,
      visitRoom: visit.room,
      waitMin: visit.waitMin,
      updatedAt: new Date(deps.now()),
    });
    await recordChange(tx, deps.now(), {
      clinicId,
      entity: 'appointment',
      entityId: appointmentId,
      op: 'update',
      version: updated.version,
      accountId: updated.accountId,
      payload: {
        id: appointmentId,
        visitStatus: visit.status,
        visitRoom: visit.room,
        waitMin: visit.waitMin,
      },
    });
  });
}
