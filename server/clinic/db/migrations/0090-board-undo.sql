-- 0090-board-undo: the desk board's one-minute undo (issue 10). Each board action on an appointment
-- (check-in, call, recall, start, done, no-show, cancel, move) replaces that appointment's row here, in the
-- same transaction: who did it, when, the appointment's version after it, and the columns it changed as
-- they were before (JSON). POST /api/board/undo restores them while the version is still the same and the
-- minute has not passed, then deletes the row. Local only (never synced): the restored appointment itself
-- travels through the outbox like any change.
CREATE TABLE board_undo (
  appointment_id TEXT PRIMARY KEY REFERENCES appointments(id) ON DELETE CASCADE,
  action TEXT NOT NULL,              -- 'check-in', 'call', 'recall', 'start', 'done', 'no-show', 'move', …
  actor TEXT NOT NULL,
  at TEXT NOT NULL,                  -- ISO-8601 UTC, the clinic clock
  version INTEGER NOT NULL,          -- appointments.version right after the action
  before TEXT NOT NULL               -- JSON: the restorable columns as they were before the action
) STRICT;
CREATE INDEX board_undo_at ON board_undo(at);
