-- Central API, first schema. PostgreSQL 15+ and PGlite. Forward-only (CONVENTIONS §6).
-- Every clinic-owned row carries clinic_id. Times are timestamptz (UTC); clinic-local wall-clock
-- schedules are minutes after local midnight in the clinic's time zone (Europe/Lisbon).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE clinics (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  time_zone text NOT NULL DEFAULT 'Europe/Lisbon',
  address text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  nif text,
  -- 'pay_online': a new appointment awaits payment (payments issue); 'pay_at_clinic': confirmed at once.
  payment_mode text NOT NULL DEFAULT 'pay_at_clinic' CHECK (payment_mode IN ('pay_online', 'pay_at_clinic')),
  -- Free cancellation / rescheduling until this many hours before the start.
  cancel_notice_hours integer NOT NULL DEFAULT 24 CHECK (cancel_notice_hours BETWEEN 0 AND 336),
  buffer_min integer NOT NULL DEFAULT 0 CHECK (buffer_min BETWEEN 0 AND 120),
  slot_step_min integer NOT NULL DEFAULT 15 CHECK (slot_step_min BETWEEN 5 AND 120),
  min_notice_min integer NOT NULL DEFAULT 60 CHECK (min_notice_min BETWEEN 0 AND 10080),
  horizon_days integer NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 366),
  -- VAT in basis points (0 = exempt) and the exemption reason printed on invoices.
  vat_rate_bp integer NOT NULL DEFAULT 0 CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  vat_exemption text DEFAULT 'Isento nos termos do art. 9.º do CIVA',
  created_at timestamptz NOT NULL
);

CREATE TABLE clinic_specialties (
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  code text NOT NULL,
  duration_min integer NOT NULL CHECK (duration_min BETWEEN 5 AND 240),
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (clinic_id, code)
);

CREATE TABLE rooms (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  name text NOT NULL,
  UNIQUE (clinic_id, name)
);

CREATE TABLE practitioners (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  name text NOT NULL,
  display_name text NOT NULL,
  bio_pt text NOT NULL DEFAULT '',
  bio_en text NOT NULL DEFAULT '',
  languages text[] NOT NULL DEFAULT '{pt}',
  -- An SVG avatar made at seed time (never fetched at run time); null = initials.
  photo_svg text,
  active boolean NOT NULL DEFAULT true,
  UNIQUE (clinic_id, id)
);
CREATE INDEX practitioners_clinic ON practitioners (clinic_id);

CREATE TABLE practitioner_specialties (
  clinic_id uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  code text NOT NULL,
  PRIMARY KEY (practitioner_id, code),
  FOREIGN KEY (clinic_id, practitioner_id) REFERENCES practitioners (clinic_id, id),
  FOREIGN KEY (clinic_id, code) REFERENCES clinic_specialties (clinic_id, code)
);

-- Opening hours per ISO weekday (1 = Monday … 7 = Sunday), minutes after local midnight.
CREATE TABLE opening_hours (
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens_min integer NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
  closes_min integer NOT NULL CHECK (closes_min BETWEEN 0 AND 1440),
  CHECK (opens_min < closes_min),
  PRIMARY KEY (clinic_id, weekday, opens_min)
);

-- A practitioner's weekly working blocks, in the clinic's local time.
CREATE TABLE schedules (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_min integer NOT NULL CHECK (start_min BETWEEN 0 AND 1440),
  end_min integer NOT NULL CHECK (end_min BETWEEN 0 AND 1440),
  room_id uuid REFERENCES rooms(id),
  CHECK (start_min < end_min),
  FOREIGN KEY (clinic_id, practitioner_id) REFERENCES practitioners (clinic_id, id)
);
CREATE INDEX schedules_practitioner ON schedules (practitioner_id, weekday);

CREATE TABLE time_off (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text NOT NULL DEFAULT '',
  CHECK (starts_at < ends_at),
  FOREIGN KEY (clinic_id, practitioner_id) REFERENCES practitioners (clinic_id, id)
);
CREATE INDEX time_off_practitioner ON time_off (practitioner_id, starts_at);

-- Patient accounts (the portal). Erasure blanks the personal fields and sets deleted_at; the row stays
-- so that appointments keep their history, anonymised.
CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  email text,
  email_verified_at timestamptz,
  name text NOT NULL,
  phone text,
  nif text,
  birth_date date,
  password_hash text,
  locale text NOT NULL DEFAULT 'pt' CHECK (locale IN ('pt', 'en')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email)) WHERE deleted_at IS NULL;

-- Single-use links sent by email (verify, reset password, change email). Only a SHA-256 of the token
-- is stored.
CREATE TABLE email_tokens (
  token_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
  new_email text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX email_tokens_account ON email_tokens (account_id, purpose);

-- A login session = a refresh-token family. Rotation marks the old token used; presenting a used token
-- again revokes the family.
CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions(id),
  created_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Login throttling, shared by every central instance: one row per key ('acct:<email>' or 'ip:<addr>').
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);

-- Appointments booked online (and, once sync lands, at the clinic). Holds live here too (status 'held',
-- hold_expires_at) so that one exclusion constraint covers holds and bookings: no two live rows of one
-- practitioner overlap. Expired holds are released by status, never deleted.
CREATE TABLE appointments (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  account_id uuid REFERENCES accounts(id),
  specialty text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  -- ends_at plus the clinic's buffer: what the practitioner's time is blocked for.
  blocked_until timestamptz NOT NULL,
  during tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, blocked_until, '[)')) STORED,
  status text NOT NULL CHECK (status IN ('held', 'awaiting_payment', 'confirmed', 'cancelled', 'expired', 'completed', 'no_show')),
  hold_expires_at timestamptz,
  booking_code text NOT NULL UNIQUE,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  payment_mode text NOT NULL CHECK (payment_mode IN ('pay_online', 'pay_at_clinic')),
  room_id uuid REFERENCES rooms(id),
  -- The appointment this one replaced (reschedule), and who cancelled.
  rescheduled_from uuid REFERENCES appointments(id),
  cancelled_by text CHECK (cancelled_by IN ('patient', 'clinic', 'system')),
  -- The day's state at the clinic, fed by sync (clinic wins): arrived, called, in_room, done…
  visit_status text,
  visit_room text,
  wait_min integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CHECK (starts_at < ends_at AND ends_at <= blocked_until),
  FOREIGN KEY (clinic_id, practitioner_id) REFERENCES practitioners (clinic_id, id),
  CONSTRAINT appointments_no_overlap EXCLUDE USING gist (practitioner_id WITH =, during WITH &&)
    WHERE (status IN ('held', 'awaiting_payment', 'confirmed'))
);
CREATE INDEX appointments_account ON appointments (account_id, starts_at);
CREATE INDEX appointments_practitioner_day ON appointments (practitioner_id, starts_at);
CREATE INDEX appointments_clinic_day ON appointments (clinic_id, starts_at);

-- One order per appointment (payments issue): integer cents, VAT or exemption frozen at booking.
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  appointment_id uuid NOT NULL UNIQUE REFERENCES appointments(id),
  account_id uuid REFERENCES accounts(id),
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  vat_rate_bp integer NOT NULL,
  vat_exemption text,
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'cancelled', 'refunded')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1
);

-- Payment attempts against an order; at most one succeeds (partial unique index).
CREATE TABLE payments (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  order_id uuid NOT NULL REFERENCES orders(id),
  provider text NOT NULL,
  method text NOT NULL CHECK (method IN ('multibanco', 'mbway', 'link', 'desk_cash', 'desk_card')),
  provider_request_id text,
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'rejected', 'expired', 'refund_due', 'refunded')),
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (provider, provider_request_id)
);
CREATE UNIQUE INDEX payments_one_paid ON payments (order_id) WHERE status = 'paid';

-- The per-clinic change feed (sync pulls it by seq as a cursor) and the fan-out source for live pages:
-- each row is written in the transaction of its change, then NOTIFY cfd_changes carries its seq.
CREATE TABLE changes (
  seq bigserial PRIMARY KEY,
  clinic_id uuid NOT NULL,
  entity text NOT NULL,
  entity_id uuid NOT NULL,
  op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  version integer NOT NULL,
  account_id uuid,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX changes_clinic_seq ON changes (clinic_id, seq);

-- Every access to and change of patient data (who, what, when, from where).
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text,
  clinic_id uuid,
  ip text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
