-- Sync with the central API (issue 9, docs/sync.md "Clinic side"): the pull cursor, one row. It is
-- written in the same transaction as the pulled page it follows, so a crash replays a page (applied
-- idempotently by version) and never skips one.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pull_cursor INTEGER NOT NULL CHECK (pull_cursor >= 0),
  updated_at TEXT NOT NULL
) STRICT;
