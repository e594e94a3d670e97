-- 0080-staff-and-devices: staff accounts with sessions, and paired devices (issue 10: any screen's token
-- could do everything and every action was recorded as "desk"). None of these rows is synced: passwords,
-- PINs, sessions and device tokens never leave the clinic, so nothing here writes the outbox.

-- A staff account. `role` decides what it may call (server/clinic/http/access.ts); a practitioner's
-- account names the practitioner whose queue it works. Hashes are Argon2id PHC strings.
CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'receptionist', 'practitioner')),
  practitioner_id TEXT REFERENCES practitioners(id),
  password_hash TEXT NOT NULL,
  pin_hash TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (role <> 'practitioner' OR practitioner_id IS NOT NULL)
);

-- One login = one session = one refresh-token family (rotation; a reused token revokes the family).
-- `last_used_at` moves at each refresh (idle timeout), `expires_at` is the absolute end; a locked
-- session refuses every call but unlock until the PIN or the password is given.
CREATE TABLE staff_sessions (
  id TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  locked_at TEXT,
  pin_failures INTEGER NOT NULL DEFAULT 0,
  revoked_at TEXT,
  revoked_reason TEXT,
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id) WHERE revoked_at IS NULL;

-- Refresh tokens, by SHA-256 (hex) only.
CREATE TABLE staff_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES staff_sessions(id),
  created_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX staff_refresh_tokens_session ON staff_refresh_tokens (session_id);

-- Login throttling (server/domain/throttle.ts): one counter per key ('acct:<username>', 'ip:<addr>');
-- times in ms since epoch.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_started_at INTEGER NOT NULL,
  locked_until INTEGER
);

-- A paired kiosk or display: its durable token, by SHA-256 (hex) only.
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display')),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT,
  revoked_at TEXT,
  revoked_by TEXT
);

-- One-time pairing codes made at the desk (short, expiring, by SHA-256 only).
CREATE TABLE pairing_codes (
  code_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display')),
  name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  device_id TEXT REFERENCES devices(id)
);
