/**
 * The clinic server's route inventory for the fuzzer: every route of the access matrix
 * (server/clinic/http/access.ts ROUTE_ACCESS) with the zod schemas its handlers validate with
 * (`validate('param' | 'query' | 'json', schema)`), listed by hand from the feature routes. The fuzz test
 * fails when ROUTE_ACCESS gains a route this list does not name, so a new route cannot skip fuzzing.
 * `REFUSAL_WRITES` names the refusals that write by design (failed-attempt counters).
 * Three schemas are private to their route files and copied here (staff and device id parameters, the
 * sync pairing body); a route that reads a raw body (kiosk frames, practitioner photos) lists none and
 * gets the fuzzer's raw bodies.
 */
import { z, type ZodType } from 'zod';
import {
  analyticsQuery,
  appointmentInput,
  auditQuery,
  bookingCodeInput,
  calendarBookingInput,
  calendarQuery,
  callInput,
  callNextInput,
  cancelInput,
  confirmInput,
  dateQuery,
  enrolInput,
  idParam,
  kioskWithdrawInput,
  moveInput,
  patientInput,
  patientQuery,
  photoCheckInput,
  recallInput,
  rescheduleInput,
  slotsQuery,
  statusInput,
  undoInput,
  walkInInput,
} from '../../../server/domain/schemas.ts';
import { settingsSchema } from '../../../server/domain/settings.ts';
import {
  clinicInput,
  openingHoursInput,
  practitionerCreateInput,
  practitionerPatchInput,
  roomCreateInput,
  roomPatchInput,
  specialtyCreateInput,
  specialtyPatchInput,
} from '../../../server/domain/setup.ts';
import {
  changeStaffPasswordInput,
  firstAdminInput,
  newStaffInput,
  pairingCodeInput,
  pairInput,
  setPinInput,
  staffLoginInput,
  staffPatchInput,
  unlockInput,
} from '../../../server/domain/staff.ts';
import { mergeInput, portalInviteInput } from '../../../server/clinic/features/patients/routes.ts';
import { exitCheckInput } from '../../../server/clinic/features/kiosk/exit.ts';
import { paymentInput, voidInput } from '../../../server/clinic/features/payments/service.ts';
import type { JsonSchema } from './arbitrary.ts';
import type { RouteSpec } from './requests.ts';

/** The schemas of one clinic route. */
export interface ClinicRouteSchemas {
  params?: ZodType;
  query?: ZodType;
  json?: ZodType;
}

/** Copy of server/clinic/features/staff/routes.ts `staffIdParam` and the devices' revoke parameter. */
const shortIdParam = z.object({ id: z.string().min(1).max(64) });
/** Copy of server/clinic/sync/routes.ts `pairBody`. */
const syncPairBody = z.object({
  centralUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'http or https')
    .optional(),
  code: z.string().min(1).max(40),
});

const patientId = idParam<'patient'>();
const appointmentId = idParam<'appointment'>();

/** `METHOD /path` (as in ROUTE_ACCESS) → the schemas its handlers validate with. */
export const CLINIC_ROUTE_SCHEMAS: Readonly<Record<string, ClinicRouteSchemas>> = {
  'GET /api/auth/status': {},
  'POST /api/auth/setup': { json: firstAdminInput },
  'POST /api/auth/login': { json: staffLoginInput },
  'POST /api/auth/refresh': {},
  'POST /api/auth/logout': {},
  'GET /api/auth/me': {},
  'POST /api/auth/lock': {},
  'POST /api/auth/unlock': { json: unlockInput },
  'PUT /api/auth/pin': { json: setPinInput },
  'POST /api/auth/password': { json: changeStaffPasswordInput },
  'GET /api/staff': {},
  'POST /api/staff': { json: newStaffInput },
  'PATCH /api/staff/:id': { params: shortIdParam, json: staffPatchInput },

  'POST /api/devices/pairing-codes': { json: pairingCodeInput },
  'POST /api/devices/pair': { json: pairInput },
  'GET /api/devices': {},
  'POST /api/devices/:id/revoke': { params: shortIdParam },

  'GET /api/health': {},
  'GET /api/settings': {},
  'PATCH /api/settings': { json: settingsSchema.partial().strict() },

  'GET /api/board': { query: dateQuery },
  'GET /api/board/stream': {},
  'POST /api/appointments': { json: appointmentInput },
  'POST /api/walk-ins': { json: walkInInput },
  'POST /api/appointments/:id/status': { params: appointmentId, json: statusInput },
  'POST /api/queue/call-next': { json: callNextInput },
  'POST /api/appointments/:id/call': { params: appointmentId, json: callInput },
  'POST /api/appointments/:id/recall': { params: appointmentId, json: recallInput },
  'POST /api/appointments/:id/move': { params: appointmentId, json: moveInput },
  'POST /api/board/undo': { json: undoInput },

  'GET /api/display': {},
  'GET /api/display/stream': {},

  'GET /api/patients': { query: patientQuery },
  'POST /api/patients': { json: patientInput },
  'GET /api/patients/:id/same-person': { params: patientId },
  'POST /api/patients/:id/merge': { params: patientId, json: mergeInput },
  'POST /api/patients/:id/portal-invite': { params: patientId, json: portalInviteInput },
  'GET /api/patients/:id': { params: patientId },

  'GET /api/patients/:id/face': { params: patientId },
  'POST /api/patients/:id/face': { params: patientId, json: enrolInput },
  'DELETE /api/patients/:id/face': { params: patientId },
  'POST /api/face/check': { json: photoCheckInput },
  'POST /api/face/rotate-key': {},

  'GET /api/kiosk/settings': {},
  'POST /api/kiosk/frames': {},
  'POST /api/kiosk/code': { json: bookingCodeInput },
  'POST /api/kiosk/confirm': { json: confirmInput },
  'POST /api/kiosk/face/withdraw': { json: kioskWithdrawInput },
  'POST /api/kiosk/exit-check': { json: exitCheckInput },

  'GET /api/analytics': { query: analyticsQuery },
  'GET /api/analytics.csv': { query: analyticsQuery },
  'GET /api/audit': { query: auditQuery },
  'GET /api/audit.csv': { query: auditQuery },

  'GET /api/calendar': { query: calendarQuery },
  'GET /api/calendar/slots': { query: slotsQuery },
  'POST /api/calendar/appointments': { json: calendarBookingInput },
  'POST /api/appointments/:id/reschedule': { params: appointmentId, json: rescheduleInput },
  'POST /api/appointments/:id/cancel': { params: appointmentId, json: cancelInput },

  'GET /api/appointments/:id/payment': { params: appointmentId },
  'POST /api/appointments/:id/payments': { params: appointmentId, json: paymentInput },
  'POST /api/payments/:id/void': { params: idParam<'payment'>(), json: voidInput },
  'GET /receipts/:id': { params: idParam<'payment'>() },

  'GET /api/setup': {},
  'PUT /api/setup/clinic': { json: clinicInput },
  'POST /api/rooms': { json: roomCreateInput },
  'PATCH /api/rooms/:id': { params: idParam<'room'>(), json: roomPatchInput },
  'POST /api/practitioners': { json: practitionerCreateInput },
  'PATCH /api/practitioners/:id': { params: idParam<'practitioner'>(), json: practitionerPatchInput },
  'PUT /api/practitioners/:id/photo': { params: idParam<'practitioner'>() },
  'GET /api/practitioners/:id/photo': { params: idParam<'practitioner'>() },
  'POST /api/specialties': { json: specialtyCreateInput },
  'PATCH /api/specialties/:id': { params: idParam<'specialty'>(), json: specialtyPatchInput },
  'PUT /api/opening-hours': { json: openingHoursInput },

  'GET /api/sync/status': {},
  'POST /api/sync/pair': { json: syncPairBody },
  'POST /api/sync/rotate': {},
};

/**
 * Refusals that write by design, beyond the audit log and the login throttle: route → the codes whose
 * answer may write, and the tables they may write. A wrong PIN at unlock counts `staff_sessions.pin_failures`
 * and, at the limit, revokes the session (server/clinic/features/staff/service.ts unlockSession).
 */
export const REFUSAL_WRITES: Readonly<
  Record<string, { codes: readonly string[]; tables: readonly string[] }>
> = {
  'POST /api/auth/unlock': { codes: ['invalid_credentials', 'session_expired'], tables: ['staff_sessions'] },
};

/** A zod schema as the JSON Schema of its input (refinements JSON Schema cannot say are left out). */
export function jsonSchemaOf(schema: ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** The fuzzer's specs of every listed clinic route. */
export function clinicRouteSpecs(): RouteSpec[] {
  return Object.entries(CLINIC_ROUTE_SCHEMAS).map(([key, s]) => {
    const [method, path] = key.split(' ') as [string, string];
    return {
      method,
      path,
      ...(s.params ? { params: jsonSchemaOf(s.params) } : {}),
      ...(s.query ? { query: jsonSchemaOf(s.query) } : {}),
      ...(s.json ? { json: jsonSchemaOf(s.json) } : {}),
    };
  });
}
