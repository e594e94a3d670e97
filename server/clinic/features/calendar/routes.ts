/**
 * Routes of the desk's calendar: a day per practitioner with free slots, the free starts for a specialty,
 * booking at a start, moving and cancelling. Mounted under /api; every change is audited with
 * `c.var.actor` and queued for sync (service.ts).
 */
import { Hono } from 'hono';
import {
  calendarBookingInput,
  calendarQuery,
  cancelInput,
  idParam,
  rescheduleInput,
  slotsQuery,
} from '../../../domain/schemas.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { idempotent } from '../../http/idempotency.ts';
import { getView } from '../appointments/repo.ts';
import type { AppointmentId } from '../../../domain/ids.ts';
import {
  bookAppointment,
  calendarDay,
  cancelAppointment,
  freeSlots,
  rescheduleAppointment,
} from './service.ts';

/**
 * - `GET /calendar?date=YYYY-MM-DD[&specialtyId=]` → CalendarDay (service.ts).
 * - `GET /calendar/slots?date&specialtyId[&practitionerId][&appointmentId]` → SlotList.
 * - `POST /calendar/appointments` (calendarBookingInput) → 201 AppointmentView; 409 slot_taken, 422
 *   slot_in_past | outside_hours, 404 patient/specialty/practitioner_not_found.
 * - `POST /appointments/:id/reschedule` (rescheduleInput `{ startsAt, practitionerId?, expectedVersion }`)
 *   → AppointmentView; the same errors, plus 409 not_reschedulable (not scheduled) | version_conflict.
 * - `POST /appointments/:id/cancel` (cancelInput `{ reason?, expectedVersion }`) → AppointmentView;
 *   409 illegal_transition (in session, done, already cancelled) | version_conflict.
 */
export function calendarRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/calendar', validate('query', calendarQuery), (c) => {
      const q = c.req.valid('query');
      return c.json(calendarDay(deps, q.date, q.specialtyId));
    })
    .get('/calendar/slots', validate('query', slotsQuery), (c) =>
      c.json(freeSlots(deps, c.req.valid('query'))),
    )
    .post('/calendar/appointments', validate('json', calendarBookingInput), (c) => {
      const input = c.req.valid('json');
      return c.json(
        idempotent(
          deps,
          c,
          input,
          () => bookAppointment(deps, input, c.var.actor),
          (id) => getView(deps, id as AppointmentId),
        ),
        201,
      );
    })
    .post(
      '/appointments/:id/reschedule',
      validate('param', idParam<'appointment'>()),
      validate('json', rescheduleInput),
      (c) => c.json(rescheduleAppointment(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor)),
    )
    .post(
      '/appointments/:id/cancel',
      validate('param', idParam<'appointment'>()),
      validate('json', cancelInput),
      (c) => c.json(cancelAppointment(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor)),
    );
}
