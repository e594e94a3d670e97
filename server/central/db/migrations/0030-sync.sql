-- Clinic ↔ central sync, protocol v1 (issue 9; docs/sync.md "Protocol v1"). Forward-only.

-- One-time pairing codes an admin makes for a clinic: only a SHA-256 of the code is kept; a code is
-- used once (used_at) and only before expires_at.
CREATE TABLE sync_pairing_codes (
  code_hash text PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX sync_pairing_codes_clinic ON sync_pairing_codes (clinic_id);

-- A clinic's credentials (256-bit random secrets): only their SHA-256 is kept. A credential is live
-- while revoked_at is null; pairing again, rotation and the admin's revocation set it.
CREATE TABLE sync_credentials (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('repaired', 'rotated', 'admin'))
);
CREATE INDEX sync_credentials_clinic ON sync_credentials (clinic_id) WHERE revoked_at IS NULL;

-- The push inbox: every outbox entry a clinic delivered, by its id (the idempotency key), with the
-- answer it got. A second delivery of the same entry is answered 'duplicate' and changes nothing.
-- 'rejected' entries are not kept (the clinic does not acknowledge them and may send them again).
CREATE TABLE sync_inbox (
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  entry_id uuid NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'stale', 'conflict_central_wins')),
  reason text,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, entry_id)
);

-- The newest snapshot of every row a clinic pushed (all entities, including those central has no table
-- for yet: patients, desk payments, specialties, settings…), with the clinic's version of it: a push
-- whose version is not newer is stale. erased_at marks an erasure (at the clinic or at central): the
-- snapshot is then reduced to its id and never filled again.
CREATE TABLE sync_records (
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  entity text NOT NULL,
  entity_id text NOT NULL,
  version integer NOT NULL,
  payload jsonb NOT NULL,
  erased_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, entity, entity_id)
);
CREATE INDEX sync_records_entity ON sync_records (entity, entity_id);

-- Which change-feed rows came from a clinic's own push (echo suppression: its pull skips them).
CREATE TABLE sync_echoes (
  seq bigint PRIMARY KEY,
  clinic_id uuid NOT NULL
);
