-- 0050-outbox-coalesce: the outbox keeps only the newest unacknowledged snapshot of each entity
-- (server/clinic/db/changes.ts writeOutbox deletes the older ones in the same transaction), so it needs to
-- find an entity's rows without a scan. Acknowledged rows are deleted (acknowledgeOutbox), so
-- outbox.pushed_at stays NULL; it is kept because shipped columns are not dropped. docs/sync.md.

CREATE INDEX outbox_entity ON outbox(entity, entity_id);
