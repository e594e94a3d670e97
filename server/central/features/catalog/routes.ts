/**
 * Public catalogue routes (no login needed to browse): clinics, their specialties and practitioners,
 * a practitioner's photo, and live availability.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  availabilityDto,
  availabilityQuery,
  clinicDto,
  clinicIdParam,
  practitionerDto,
  practitionersQuery,
  specialtyDto,
} from '../../../domain/booking.ts';
import type { CentralDeps } from '../../deps.ts';
import { errors, json, newRouter } from '../../http/router.ts';
import * as service from './service.ts';

const tags = ['catalogue'];

const clinicsRoute = createRoute({
  method: 'get',
  path: '/clinics',
  tags,
  summary: 'Clinics that take online bookings',
  responses: { 200: json(z.object({ clinics: z.array(clinicDto) }), 'every clinic, by name') },
});

const specialtiesRoute = createRoute({
  method: 'get',
  path: '/clinics/{clinicId}/specialties',
  tags,
  summary: "A clinic's specialties with session length (minutes) and price (integer cents)",
  request: { params: clinicIdParam },
  responses: {
    200: json(z.object({ specialties: z.array(specialtyDto) }), 'the specialties'),
    ...errors('validation_failed', 'clinic_not_found'),
  },
});

const practitionersRoute = createRoute({
  method: 'get',
  path: '/clinics/{clinicId}/practitioners',
  tags,
  summary: 'Practitioners, optionally filtered by specialty and language, with their next free start',
  request: { params: clinicIdParam, query: practitionersQuery },
  responses: {
    200: json(z.object({ practitioners: z.array(practitionerDto) }), 'the practitioners'),
    ...errors('validation_failed', 'clinic_not_found'),
  },
});

const photoRoute = createRoute({
  method: 'get',
  path: '/practitioners/{id}/photo.svg',
  tags,
  summary: "A practitioner's photo (SVG avatar)",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'image/svg+xml', content: { 'image/svg+xml': { schema: z.string() } } },
    ...errors('validation_failed', 'practitioner_not_found'),
  },
});

const availabilityRoute = createRoute({
  method: 'get',
  path: '/clinics/{clinicId}/availability',
  tags,
  summary: 'Bookable starts per local day (Europe/Lisbon) for a specialty, one practitioner or any',
  description:
    'Computed live from opening hours, weekly schedules, time off, appointments and unexpired holds, ' +
    "the specialty's duration, the clinic's buffer, slot step, minimum notice and horizon. Up to 28 days.",
  request: { params: clinicIdParam, query: availabilityQuery },
  responses: {
    200: json(availabilityDto, 'slots per day'),
    ...errors('validation_failed', 'clinic_not_found', 'specialty_not_found', 'practitioner_not_found'),
  },
});

/** Catalogue routes, mounted under /api. */
export function catalogRoutes(deps: CentralDeps) {
  return newRouter()
    .openapi(clinicsRoute, async (c) => c.json({ clinics: await service.clinicsList(deps) }, 200))
    .openapi(specialtiesRoute, async (c) =>
      c.json({ specialties: await service.specialtiesOf(deps, c.req.valid('param').clinicId) }, 200),
    )
    .openapi(practitionersRoute, async (c) =>
      c.json(
        {
          practitioners: await service.practitionersOf(
            deps,
            c.req.valid('param').clinicId,
            c.req.valid('query'),
          ),
        },
        200,
      ),
    )
    .openapi(photoRoute, async (c) => {
      const svg = await service.practitionerPhoto(deps, c.req.valid('param').id);
      return c.body(svg, 200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'cache-control': 'public, max-age=3600',
      });
    })
    .openapi(availabilityRoute, async (c) => {
      const { clinicId } = c.req.valid('param');
      const q = c.req.valid('query');
      const result = await service.availabilityOf(deps, { clinicId, ...q });
      c.header('cache-control', 'no-store');
      return c.json(result, 200);
    });
}
