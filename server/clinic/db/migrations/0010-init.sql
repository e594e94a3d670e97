-- 0010-init: first schema. Forward-only; never edit a shipped migration, add 0020-… instead.
-- Conventions: ids are UUIDv7 text; times are ISO-8601 UTC text ('2026-11-21T09:30:00.000Z');
-- money is integer cents; every syncable row has created_at, updated_at and version (bumped on change),
-- and every change writes an outbox row in the same transaction (server/db/outbox.ts).

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,               -- JSON, validated by server/domain/settings.ts
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE specialties (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,         -- massage, evaluation, msk_physio, therapeutic_massage, shock_waves
  name_pt TEXT NOT NULL,
  name_en TEXT NOT NULL,
  default_duration_min INTEGER NOT NULL CHECK (default_duration_min BETWEEN 5 AND 240),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
) STRICT;

CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
) STRICT;

CREATE TABLE practitioners (
  id TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  display_name TEXT NOT NULL,        -- shown to patients, e.g. 'Dr.ª Marta Lopes'
  default_room_id TEXT REFERENCES rooms(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
) STRICT;

CREATE TABLE patients (
  id TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  nif TEXT,
  birth_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
) STRICT;

CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients(id),
  practitioner_id TEXT NOT NULL REFERENCES practitioners(id),
  specialty_id TEXT NOT NULL REFERENCES specialties(id),
  room_id TEXT REFERENCES rooms(id),
  starts_at TEXT NOT NULL,
  duration_min INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 240),
  status TEXT NOT NULL CHECK (status IN ('scheduled','arrived','called','in_session','done','no_show','cancelled')),
  walk_in INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0,1)),
  booking_code TEXT NOT NULL UNIQUE, -- 6 characters, typed at the kiosk or read from the booking QR
  ticket TEXT,                       -- assigned at check-in, e.g. 'A07'; unique per clinic day
  check_in_method TEXT CHECK (check_in_method IN ('face','code','desk')),
  arrived_at TEXT,
  called_at TEXT,
  session_started_at TEXT,
  ended_at TEXT,
  wait_estimate_min INTEGER,         -- estimate shown at check-in, kept to measure estimate error
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX appointments_starts_at ON appointments(starts_at);
CREATE INDEX appointments_patient ON appointments(patient_id);

-- Biometric templates: local to the clinic, never synced, never images. One row per patient.
CREATE TABLE face_enrolments (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
  descriptors BLOB NOT NULL,         -- AES-256-GCM(iv ‖ tag ‖ ciphertext) of n × Float32Array(128)
  sample_count INTEGER NOT NULL CHECK (sample_count BETWEEN 1 AND 10),
  model_id TEXT NOT NULL,            -- descriptor space; a model change means re-enrolment
  consent_at TEXT NOT NULL,          -- explicit opt-in (GDPR Art. 9)
  consent_by TEXT NOT NULL,          -- who recorded the consent (desk user / device)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,               -- 'desk', 'kiosk', 'system', ...
  action TEXT NOT NULL,              -- e.g. 'appointment.status', 'face.enrol', 'face.identify'
  entity TEXT,
  entity_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}'  -- JSON; never names, never biometric data
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- Changes waiting to be pushed to the central API (sync lands in a later issue).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,           -- UUIDv7, the idempotency key of the push
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert','delete')),
  version INTEGER NOT NULL,
  payload TEXT NOT NULL,             -- JSON snapshot of the row after the change
  created_at TEXT NOT NULL,
  pushed_at TEXT
) STRICT;
