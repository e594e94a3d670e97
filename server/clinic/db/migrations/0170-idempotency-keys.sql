-- Idempotency keys of the clinic's creating writes (server/clinic/http/idempotency.ts): a client that
-- lost the answer to a POST sends it again with the same Idempotency-Key and gets the same entity, not a
-- second one. Only the entity's id is kept (no personal data); rows older than 24 h are deleted.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created_at ON idempotency_keys(created_at);
