/**
 * Drizzle tables of the portal links (migration 0050-patient-links.sql): one-time invitations
 * (`patient_link_invites`, only the token's SHA-256 kept) and the links themselves (`patient_links`).
 * Kept beside the feature rather than in db/schema.ts: nothing else reads them.
 */
import { index, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts, clinics } from '../../db/schema.ts';

/** An invitation: a clinic patient, the token's hash, valid until `expiresAt`, used once. */
export const patientLinkInvites = pgTable(
  'patient_link_invites',
  {
    tokenHash: text('token_hash').primaryKey(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    clinicPatientId: text('clinic_patient_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: uuid('used_by').references(() => accounts.id),
  },
  (t) => [index('patient_link_invites_patient').on(t.clinicId, t.clinicPatientId)],
);

/** A link: the clinic's patient `clinicPatientId` is the portal account `accountId`. */
export const patientLinks = pgTable(
  'patient_links',
  {
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    clinicPatientId: text('clinic_patient_id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.clinicPatientId] }),
    unique().on(t.clinicId, t.accountId),
    index('patient_links_account').on(t.accountId),
  ],
);
