-- 0020-practitioner-specialties: which specialties each practitioner practises (walk-ins for "any
-- practitioner" of a specialty go to the one of them free first), and an index for the finished
-- sessions the wait estimator learns durations from.

CREATE TABLE practitioner_specialties (
  practitioner_id TEXT NOT NULL REFERENCES practitioners(id),
  specialty_id TEXT NOT NULL REFERENCES specialties(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (practitioner_id, specialty_id)
) STRICT;

CREATE INDEX appointments_ended_at ON appointments(ended_at) WHERE ended_at IS NOT NULL;
