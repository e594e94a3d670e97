/**
 * Contracts of the portal link (issue 9, same-patient merge; docs/sync.md "Same-patient merge"): a clinic
 * invites one of its patients to link their portal account to the clinic's record of them. The clinic's
 * server asks central (`POST /api/sync/patient-links`, sync-authenticated) for a one-time link sent by
 * e-mail and/or SMS; the patient opens `/link/<token>` in the portal, logs in or signs up, and confirms
 * (`POST /api/patient-links/{token}/accept`); central then puts a `patient_link` change in that clinic's
 * feed, which the clinic applies (server/clinic/sync/patient-links.ts). Pure zod, shared by both servers
 * and the portal.
 */
import { z } from 'zod';

/** Days an invitation link stays usable. */
export const PATIENT_LINK_TTL_DAYS = 14;

/** The portal's path of a link (`/link/<token>`), where the e-mail and SMS point. */
export const PATIENT_LINK_PATH = '/link/';

/** The feed entity of an accepted link (pulled by the clinic). */
export const PATIENT_LINK_ENTITY = 'patient_link';

/**
 * `POST /api/sync/patient-links` body: the clinic's patient (its local id) and where to send the link.
 * At least one of `email` and `phone` (a mobile; E.164 or a PT mobile as typed). `locale` of the text.
 */
export const patientLinkInviteInput = z
  .object({
    clinicPatientId: z.uuid(),
    email: z.string().trim().toLowerCase().max(254).pipe(z.email()).nullable().optional(),
    phone: z.string().trim().max(32).nullable().optional(),
    locale: z.enum(['pt', 'en']).default('pt'),
  })
  .refine((v) => Boolean(v.email) || Boolean(v.phone), { message: 'email or phone required' });
/** The invite body as sent. */
export type PatientLinkInviteInput = z.input<typeof patientLinkInviteInput>;

/** `POST /api/sync/patient-links` → 201: when the link expires (ISO-8601 UTC) and where it went. */
export const patientLinkInviteDto = z.object({
  expiresAt: z.string(),
  sent: z.object({ email: z.boolean(), sms: z.boolean() }),
});
/** The invite's answer. */
export type PatientLinkInviteDto = z.infer<typeof patientLinkInviteDto>;

/** `GET /api/patient-links/{token}` → 200: which clinic invites, until when (ISO-8601 UTC). */
export const patientLinkInfoDto = z.object({ clinicName: z.string(), expiresAt: z.string() });
/** What the portal page shows before the patient confirms. */
export type PatientLinkInfoDto = z.infer<typeof patientLinkInfoDto>;

/** `POST /api/patient-links/{token}/accept` → 200: the clinic now links this account (ISO-8601 UTC). */
export const patientLinkAcceptDto = z.object({ clinicName: z.string(), linkedAt: z.string() });
/** The accept's answer. */
export type PatientLinkAcceptDto = z.infer<typeof patientLinkAcceptDto>;

/** The payload of a `patient_link` feed change: the clinic's patient and the account it now is. */
export const patientLinkChange = z.object({
  clinicPatientId: z.string().min(1),
  accountId: z.string().min(1),
});
/** A `patient_link` change's payload. */
export type PatientLinkChange = z.infer<typeof patientLinkChange>;
