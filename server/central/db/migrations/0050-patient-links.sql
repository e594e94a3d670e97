-- Portal links of clinic patients (issue 9, same-patient merge; docs/sync.md "Same-patient merge").
-- Forward-only.

-- One-time invitations a clinic asked central to send to one of its patients: only a SHA-256 of the
-- 32-byte token is kept; a token is used once (used_at, used_by) and only before expires_at (14 days).
CREATE TABLE patient_link_invites (
  token_hash text PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  clinic_patient_id text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by uuid REFERENCES accounts(id)
);
CREATE INDEX patient_link_invites_patient ON patient_link_invites (clinic_id, clinic_patient_id);

-- Which clinic patient a portal account is, per clinic: one account per clinic patient and one clinic
-- patient per account at each clinic. Ids only (no personal data); an account's erasure reaches the
-- linked clinic patients through these rows.
CREATE TABLE patient_links (
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  clinic_patient_id text NOT NULL,
  account_id uuid NOT NULL REFERENCES accounts(id),
  linked_at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, clinic_patient_id),
  UNIQUE (clinic_id, account_id)
);
CREATE INDEX patient_links_account ON patient_links (account_id);
