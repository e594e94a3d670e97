/** Routes of the patient register at the desk: search and create. Mounted under /api. */
import { Hono } from 'hono';
import { patientInput, patientQuery } from '../../../domain/schemas.ts';
import { writeAudit } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { createPatient, searchPatients } from './repo.ts';

/** `GET /patients?q=` (audited: who searched and how many matched, never the query), `POST /patients`. */
export function patientRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/patients', validate('query', patientQuery), (c) => {
      const found = searchPatients(deps, c.req.valid('query').q);
      writeAudit(deps, c.var.actor, 'patient.search', 'patient', null, { results: found.length });
      return c.json(found);
    })
    .post('/patients', validate('json', patientInput), (c) =>
      c.json(createPatient(deps, c.req.valid('json'), c.var.actor), 201),
    );
}
