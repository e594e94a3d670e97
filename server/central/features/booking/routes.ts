/**
 * Booking routes (logged-in patients): hold a slot, release or confirm the hold, and "my appointments"
 * (list, one, QR, .ics, cancel, reschedule, live events over SSE). Another patient's ids answer 404,
 * never 403, so ids cannot be probed.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import QRCode from 'qrcode';
import { appointmentDto, holdDto, holdInput, idParam, rescheduleInput } from '../../../domain/booking.ts';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../../domain/specialties.ts';
import { ChangeFanout } from '../../db/fanout.ts';
import type { CentralDeps } from '../../deps.ts';
import { requireCaller } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import { errors, json, jsonBody, newRouter } from '../../http/router.ts';
import { appointmentIcs } from './ics.ts';
import { sendBookingMail } from './mails.ts';
import * as repo from './repo.ts';
import * as service from './service.ts';

const tags = ['booking'];
const security = [{ cookieAuth: [] }];
const appointmentBody = z.object({ appointment: appointmentDto });

/** Builds the route definitions (they carry the auth middleware, which needs deps). */
function defineRoutes(deps: CentralDeps) {
  const middleware = requireCaller(deps);
  const common = { tags, security, middleware };
  return {
    hold: createRoute({
      ...common,
      method: 'post',
      path: '/holds',
      summary: 'Hold a start for 7.5 minutes while the patient confirms',
      description:
        "A new hold releases the caller's previous one. Without practitionerId, any free practitioner. " +
        "A time overlapping another of the caller's appointments is refused (409 appointment_overlap) " +
        'unless that appointment is `replaces`, the one being rescheduled.',
      request: { body: jsonBody(holdInput) },
      responses: {
        201: json(z.object({ hold: holdDto }), 'held'),
        ...errors(
          'validation_failed',
          'unauthorized',
          'clinic_not_found',
          'specialty_not_found',
          'practitioner_not_found',
          'slot_unavailable',
          'appointment_overlap',
        ),
      },
    }),
    release: createRoute({
      ...common,
      method: 'delete',
      path: '/holds/{id}',
      summary: 'Release a hold',
      request: { params: idParam },
      responses: {
        204: { description: 'released' },
        ...errors('validation_failed', 'unauthorized', 'hold_not_found'),
      },
    }),
    confirm: createRoute({
      ...common,
      method: 'post',
      path: '/holds/{id}/confirm',
      summary: 'Confirm a hold into an appointment (awaiting payment or pay at the clinic, per clinic)',
      request: { params: idParam },
      responses: {
        201: json(appointmentBody, 'booked (200 when it was already confirmed)'),
        200: json(appointmentBody, 'already confirmed'),
        ...errors(
          'validation_failed',
          'unauthorized',
          'hold_not_found',
          'hold_expired',
          'appointment_overlap',
        ),
      },
    }),
    list: createRoute({
      ...common,
      method: 'get',
      path: '/me/appointments',
      summary: "The caller's appointments, upcoming and past",
      responses: {
        200: json(
          z.object({ upcoming: z.array(appointmentDto), past: z.array(appointmentDto) }),
          'appointments',
        ),
        ...errors('unauthorized'),
      },
    }),
    one: createRoute({
      ...common,
      method: 'get',
      path: '/me/appointments/{id}',
      summary: "One of the caller's appointments",
      request: { params: idParam },
      responses: {
        200: json(appointmentBody, 'the appointment'),
        ...errors('validation_failed', 'unauthorized', 'appointment_not_found'),
      },
    }),
    qr: createRoute({
      ...common,
      method: 'get',
      path: '/me/appointments/{id}/qr.svg',
      summary: 'QR code of the booking code, for the clinic kiosk',
      request: { params: idParam },
      responses: {
        200: { description: 'image/svg+xml', content: { 'image/svg+xml': { schema: z.string() } } },
        ...errors('validation_failed', 'unauthorized', 'appointment_not_found'),
      },
    }),
    ics: createRoute({
      ...common,
      method: 'get',
      path: '/me/appointments/{id}/calendar.ics',
      summary: 'The appointment as an iCalendar file',
      request: { params: idParam },
      responses: {
        200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } },
        ...errors('validation_failed', 'unauthorized', 'appointment_not_found'),
      },
    }),
    cancel: createRoute({
      ...common,
      method: 'post',
      path: '/me/appointments/{id}/cancel',
      summary: "Cancel within the clinic's policy (free until cancelNoticeHours before)",
      request: { params: idParam },
      responses: {
        200: json(appointmentBody, 'cancelled'),
        ...errors(
          'validation_failed',
          'unauthorized',
          'appointment_not_found',
          'illegal_transition',
          'outside_policy',
        ),
      },
    }),
    reschedule: createRoute({
      ...common,
      method: 'post',
      path: '/me/appointments/{id}/reschedule',
      summary:
        'Move to the slot of a hold the caller holds (the new slot is taken before the old is released)',
      request: { params: idParam, body: jsonBody(rescheduleInput) },
      responses: {
        200: json(appointmentBody, 'the new appointment'),
        ...errors(
          'validation_failed',
          'unauthorized',
          'appointment_not_found',
          'illegal_transition',
          'outside_policy',
          'hold_not_found',
          'hold_expired',
          'appointment_overlap',
        ),
      },
    }),
    events: createRoute({
      ...common,
      method: 'get',
      path: '/me/events',
      summary:
        "Server-sent events: `appointment` with `{ appointment }` whenever one of the caller's changes",
      responses: {
        200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...errors('unauthorized'),
      },
    }),
  };
}

/** Booking routes, mounted under /api. */
export function bookingRoutes(deps: CentralDeps) {
  const r = defineRoutes(deps);
  // "My appointments" streams: every change of the caller's account.
  const fanout = new ChangeFanout(deps.database, (n) => n.accountId);
  const view = async (caller: { accountId: string; sessionId: string }, id: string) =>
    service.toAppointmentDto(await service.myAppointment(deps, caller, id), deps.now());
  return newRouter()
    .openapi(r.hold, async (c) => {
      const hold = await service.hold(deps, c.var.caller, c.req.valid('json'), clientIp(c));
      return c.json({ hold }, 201);
    })
    .openapi(r.release, async (c) => {
      await service.releaseHold(deps, c.var.caller, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(r.confirm, async (c) => {
      const { appointment, created } = await service.confirmHold(
        deps,
        c.var.caller,
        c.req.valid('param').id,
        clientIp(c),
      );
      const full = await service.myAppointment(deps, c.var.caller, appointment.id);
      if (created) await sendBookingMail(deps, 'confirmed', full);
      return c.json({ appointment: service.toAppointmentDto(full, deps.now()) }, created ? 201 : 200);
    })
    .openapi(r.list, async (c) => c.json(await service.myAppointments(deps, c.var.caller, clientIp(c)), 200))
    .openapi(r.one, async (c) =>
      c.json({ appointment: await view(c.var.caller, c.req.valid('param').id) }, 200),
    )
    .openapi(r.qr, async (c) => {
      const a = await service.myAppointment(deps, c.var.caller, c.req.valid('param').id);
      const svg = await QRCode.toString(a.bookingCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return c.body(svg, 200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'cache-control': 'private, no-store',
      });
    })
    .openapi(r.ics, async (c) => {
      const a = await service.myAppointment(deps, c.var.caller, c.req.valid('param').id);
      const names = SPECIALTY_DEFAULTS[a.specialty as SpecialtyCode];
      const ics = appointmentIcs({
        uid: `${a.id}@clinic-front-desk`,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        stampedAt: new Date(deps.now()),
        summary: `${names.namePt} — ${a.clinicName}`,
        location: a.clinicAddress,
        description: `${a.practitionerName}. Código / code: ${a.bookingCode}`,
        cancelled: a.status === 'cancelled',
      });
      return c.body(ics, 200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `attachment; filename="consulta-${a.bookingCode}.ics"`,
        'cache-control': 'private, no-store',
      });
    })
    .openapi(r.cancel, async (c) => {
      const row = await service.cancel(deps, c.var.caller, c.req.valid('param').id, clientIp(c));
      const full = await service.myAppointment(deps, c.var.caller, row.id);
      await sendBookingMail(deps, 'cancelled', full);
      return c.json({ appointment: service.toAppointmentDto(full, deps.now()) }, 200);
    })
    .openapi(r.reschedule, async (c) => {
      const row = await service.reschedule(
        deps,
        c.var.caller,
        c.req.valid('param').id,
        c.req.valid('json').holdId,
        clientIp(c),
      );
      const full = await service.myAppointment(deps, c.var.caller, row.id);
      await sendBookingMail(deps, 'rescheduled', full);
      return c.json({ appointment: service.toAppointmentDto(full, deps.now()) }, 200);
    })
    .openapi(r.events, (c) => {
      const caller = c.var.caller;
      return streamSSE(c, async (stream) => {
        const queue: string[] = [];
        let wake: (() => void) | null = null;
        const unsubscribe = await fanout.subscribe(caller.accountId, (n) => {
          if (n.entity !== 'appointment') return;
          queue.push(n.entityId);
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        await stream.writeSSE({ event: 'ready', data: '{}' });
        while (!stream.aborted) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 25_000); // heartbeat: keeps proxies from closing an idle stream
            });
            wake = null;
            if (queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
            continue;
          }
          const id = queue.shift()!;
          const row = await repo.findOwnView(deps.db, id, caller.accountId);
          if (row && row.holdExpiresAt === null) {
            await stream.writeSSE({
              event: 'appointment',
              data: JSON.stringify({ appointment: service.toAppointmentDto(row, deps.now()) }),
            });
          }
        }
        unsubscribe();
      });
    });
}
