-- Sync (issue 9, docs/sync.md "Clinic side"): what central refused, for the desk's sync screen, and the
-- practitioners' working hours that central publishes in its feed. Forward-only.

-- Every push answer the desk must hear about: 'conflict_central_wins' (central kept its copy: an online
-- booking took the slot, the booking is central's, the visit was paid online, the patient is erased)
-- and 'rejected' (kept in the outbox and sent again; recorded once per entry). No patient data: the
-- entity, its id and central's reason only. The engine keeps the newest 200 rows.
CREATE TABLE sync_conflicts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id TEXT NOT NULL UNIQUE,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('conflict_central_wins', 'rejected')),
  reason TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;

-- A practitioner's weekly working hours as central has them (feed entity 'schedule'): ISO weekday
-- (1 = Monday), minutes after local midnight (Europe/Lisbon wall clock). Written only by the pull.
CREATE TABLE practitioner_schedules (
  id TEXT PRIMARY KEY,
  practitioner_id TEXT NOT NULL,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1440),
  end_min INTEGER NOT NULL CHECK (end_min BETWEEN 0 AND 1440),
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX practitioner_schedules_practitioner ON practitioner_schedules (practitioner_id, weekday);

-- A practitioner's time off as central has it (feed entity 'time_off'), ISO-8601 UTC. Written only by
-- the pull.
CREATE TABLE practitioner_time_off (
  id TEXT PRIMARY KEY,
  practitioner_id TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX practitioner_time_off_practitioner ON practitioner_time_off (practitioner_id, starts_at);
