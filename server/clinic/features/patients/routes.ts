/**
 * Routes of the patient register at the desk: search, create, the patient card, and the same-patient
 * merge (suggestions, the staff merge, the portal invitation). Mounted under /api.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { idParam, patientInput, patientQuery } from '../../../domain/schemas.ts';
import { idSchema, type PatientId } from '../../../domain/ids.ts';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../../domain/errors.ts';
import { normaliseAccountPhone } from '../../../domain/accounts.ts';
import { birthDateInFuture } from '../../../domain/dates.ts';
import { clinicDate } from '../../../domain/time.ts';
import { writeAudit } from '../../db/changes.ts';
import type { FaceDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { validate } from '../../../http/validate.ts';
import { eraseFromWal } from '../face/service.ts';
import { SyncRequestError } from '../../sync/client.ts';
import type { PortalInviter } from '../../sync/patient-links.ts';
import { patientCard } from './card.ts';
import { livePatientRow, mergePatients, olderPatient } from './merge.ts';
import { createPatient, getPatient, searchPatients } from './repo.ts';
import { idempotent } from '../../http/idempotency.ts';
import { samePersonSuggestions } from './same-person.ts';

/** `POST /patients/:id/merge` body: the other patient, and the version of `:id` the desk showed. */
export const mergeInput = z.object({
  otherId: idSchema<'patient'>(),
  expectedVersion: z.number().int().positive(),
});

/** `POST /patients/:id/portal-invite` body: the language of the e-mail / SMS (default PT). */
export const portalInviteInput = z.object({ locale: z.enum(['pt', 'en']).default('pt') });

/** Central's refusal as the desk's answer: its code when we know it, else 502 central_unreachable. */
function fromCentral(err: unknown): Error {
  if (!(err instanceof SyncRequestError)) return err as Error;
  if (err.code === 'sync_credential_invalid' || err.code === 'sync_protocol_mismatch')
    return new AppError('sync_not_paired', err.message, { code: err.code });
  if (err.status >= 400 && err.status < 500 && err.code in ERROR_STATUS)
    return new AppError(err.code as ErrorCode, err.message, err.details);
  return new AppError('central_unreachable', err.message, { code: err.code, status: err.status });
}

/**
 * - `GET /patients?q=` (audited: who searched and how many matched, never the query), `POST /patients`
 *   (400 validation_failed for a birth date after today in Lisbon),
 *   `GET /patients/:id` → PatientCard (card.ts; 404 patient_not_found), audited as `patient.view` in the
 *   same transaction as the read;
 * - `GET /patients/:id/same-person` → SamePersonSuggestion[] (same NIF, e-mail or phone; never by name);
 * - `POST /patients/:id/merge { otherId, expectedVersion }` → the survivor's card (the older row keeps
 *   its id; merge.ts). 409 version_conflict | both_portal_accounts | patient_merged;
 * - `POST /patients/:id/portal-invite { locale? }` → 201 `{ expiresAt, sent }`: central sends the patient
 *   a one-time link to their record (409 patient_has_portal_account, 422 contact_required, 409
 *   sync_not_paired, 502 central_unreachable). `inviter` null: 409 sync_not_paired.
 */
export function patientRoutes(deps: FaceDeps, inviter: PortalInviter | null = null) {
  return new Hono<AppEnv>()
    .get('/patients', validate('query', patientQuery), (c) => {
      const found = searchPatients(deps, c.req.valid('query').q);
      writeAudit(deps, c.var.actor, 'patient.search', 'patient', null, { results: found.length });
      return c.json(found);
    })
    .post('/patients', validate('json', patientInput), (c) => {
      const input = c.req.valid('json');
      // The schema bounds the birth date below (1900); above is today, by the injected clock.
      if (input.birthDate && birthDateInFuture(input.birthDate, clinicDate(deps.now())))
        throw new AppError('validation_failed', 'birthDate: a birth date in the future', {
          issues: [{ path: 'birthDate', message: 'a birth date in the future' }],
        });
      return c.json(
        idempotent(
          deps,
          c,
          input,
          () => createPatient(deps, input, c.var.actor),
          (id) => getPatient(deps, id as PatientId),
        ),
        201,
      );
    })
    .get('/patients/:id', validate('param', idParam<'patient'>()), (c) => {
      const id = c.req.valid('param').id;
      const card = deps.db.transaction(() => {
        const read = patientCard(deps, id);
        writeAudit(deps, c.var.actor, 'patient.view', 'patient', id);
        return read;
      })();
      return c.json(card);
    })
    .get('/patients/:id/same-person', validate('param', idParam<'patient'>()), (c) => {
      const id = c.req.valid('param').id;
      const found = deps.db.transaction(() => {
        const read = samePersonSuggestions(deps, id);
        writeAudit(deps, c.var.actor, 'patient.same_person', 'patient', id, { results: read.length });
        return read;
      })();
      return c.json(found);
    })
    .post(
      '/patients/:id/merge',
      validate('param', idParam<'patient'>()),
      validate('json', mergeInput),
      (c) => {
        const id = c.req.valid('param').id;
        const { otherId, expectedVersion } = c.req.valid('json');
        const result = deps.db.transaction(() => {
          const { survivor, other } = olderPatient(deps, id, otherId);
          return mergePatients(deps, survivor, other, c.var.actor, {
            via: 'staff',
            expected: { id, version: expectedVersion },
          });
        })();
        if (result.faceErased) {
          eraseFromWal(deps);
          deps.events.emit('face', result.survivorId);
        }
        for (const a of result.appointments) deps.events.emit('appointment', a);
        return c.json(patientCard(deps, result.survivorId));
      },
    )
    .post(
      '/patients/:id/portal-invite',
      validate('param', idParam<'patient'>()),
      validate('json', portalInviteInput),
      async (c) => {
        const id = c.req.valid('param').id;
        const row = livePatientRow(deps, id);
        if (row.portal_account_id)
          throw new AppError('patient_has_portal_account', 'this patient already has a portal account');
        const phone = row.phone ? normaliseAccountPhone(row.phone) : null;
        if (!row.email && !phone)
          throw new AppError('contact_required', 'the patient needs an e-mail or a mobile number');
        if (!inviter) throw new AppError('sync_not_paired', 'this server does not sync with the central API');
        let answer;
        try {
          answer = await inviter({
            clinicPatientId: id,
            email: row.email,
            phone,
            locale: c.req.valid('json').locale,
          });
        } catch (err) {
          throw fromCentral(err);
        }
        writeAudit(deps, c.var.actor, 'patient.portal_invite', 'patient', id, {
          email: answer.sent.email,
          sms: answer.sent.sms,
          expiresAt: answer.expiresAt,
        });
        return c.json(answer, 201);
      },
    );
}
