/** Routes of the patient register at the desk: search, create and the patient card. Mounted under /api. */
import { Hono } from 'hono';
import { idParam, patientInput, patientQuery } from '../../../domain/schemas.ts';
import { writeAudit } from '../../db/changes.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { patientCard } from './card.ts';
import { createPatient, searchPatients } from './repo.ts';

/**
 * `GET /patients?q=` (audited: who searched and how many matched, never the query), `POST /patients`,
 * `GET /patients/:id` → PatientCard (card.ts; 404 patient_not_found), audited as `patient.view` in the
 * same transaction as the read.
 */
export function patientRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/patients', validate('query', patientQuery), (c) => {
      const found = searchPatients(deps, c.req.valid('query').q);
      writeAudit(deps, c.var.actor, 'patient.search', 'patient', null, { results: found.length });
      return c.json(found);
    })
    .post('/patients', validate('json', patientInput), (c) =>
      c.json(createPatient(deps, c.req.valid('json'), c.var.actor), 201),
    )
    .get('/patients/:id', validate('param', idParam<'patient'>()), (c) => {
      const id = c.req.valid('param').id;
      const card = deps.db.transaction(() => {
        const read = patientCard(deps, id);
        writeAudit(deps, c.var.actor, 'patient.view', 'patient', id);
        return read;
      })();
      return c.json(card);
    });
}
