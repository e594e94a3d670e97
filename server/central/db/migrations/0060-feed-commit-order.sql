-- The pull cursor follows COMMIT order, not insert order (docs/sync.md "Pull").
-- `changes.seq` is drawn when a row is inserted. On PostgreSQL two transactions can commit in the other
-- order than they drew their seq (A draws 100, B draws 101, B commits, a clinic pulls 101 and moves its
-- cursor to 101, then A commits 100: skipped for ever). PGlite, with one connection, never interleaves,
-- so this can only happen on PostgreSQL (tested in features/sync/pull.test.ts).
-- Fix: `commit_seq`, drawn by a deferred constraint trigger, i.e. while the transaction commits, under a
-- transaction-level advisory lock that is released only after the commit is visible. So a transaction
-- that draws a higher commit_seq becomes visible after every one with a lower commit_seq: a reader that
-- sees commit_seq n sees every committed row below n. The lock is taken at commit time, after every other
-- lock of the transaction, so it cannot take part in a deadlock; it serialises the commits of
-- transactions that write the feed (they queue for one fsync each).
-- `seq` stays the row's id (sync_echoes and NOTIFY refer to it). Existing rows keep commit_seq = seq, so
-- the cursors clinics hold stay valid. Forward-only.
ALTER TABLE changes ADD COLUMN commit_seq bigint;
UPDATE changes SET commit_seq = seq;
CREATE SEQUENCE changes_commit_seq;
SELECT setval('changes_commit_seq', COALESCE((SELECT max(seq) FROM changes), 0) + 1, false);
CREATE UNIQUE INDEX changes_commit_seq_unique ON changes (commit_seq);
CREATE INDEX changes_clinic_commit_seq ON changes (clinic_id, commit_seq);

CREATE FUNCTION changes_draw_commit_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- 'cfd-feed' in ASCII: one key for the whole feed, so there is one lock and no lock order to get wrong.
  PERFORM pg_advisory_xact_lock(7162522403533579620);
  UPDATE changes SET commit_seq = nextval('changes_commit_seq') WHERE seq = NEW.seq;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER changes_commit_seq AFTER INSERT ON changes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_draw_commit_seq();
