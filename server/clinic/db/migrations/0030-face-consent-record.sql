-- 0030-face-consent-record: what each face enrolment's consent was given to and how (issue 14 part 6),
-- and a consent history that outlives the enrolment. The consent text and its version are in
-- server/domain/consent.ts. Existing enrolments: the version was not recorded ('unrecorded'); the channel
-- is 'seed' for the demo seed's enrolments (consent_by = 'seed') and 'desk' for the rest (the desk was
-- the only way to enrol). Each gets a backfilled 'given' event at its consent time.

ALTER TABLE face_enrolments ADD COLUMN consent_version TEXT NOT NULL DEFAULT 'unrecorded';
ALTER TABLE face_enrolments ADD COLUMN consent_channel TEXT NOT NULL DEFAULT 'desk'
  CHECK (consent_channel IN ('desk', 'kiosk', 'seed'));
UPDATE face_enrolments SET consent_channel = 'seed' WHERE consent_by = 'seed';

-- Consent given / withdrawn, written in the same transaction as the enrolment or its deletion. It never
-- holds descriptors or anything derived from the face; it goes when the patient row itself is erased.
CREATE TABLE face_consent_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  event TEXT NOT NULL CHECK (event IN ('given', 'withdrawn')),
  version TEXT NOT NULL,             -- consent text version (given) or the version withdrawn from
  channel TEXT NOT NULL CHECK (channel IN ('desk', 'kiosk', 'seed')),
  actor TEXT NOT NULL,               -- desk user / device / 'seed' / kiosk device
  at TEXT NOT NULL                   -- ISO-8601 UTC
) STRICT;

CREATE INDEX face_consent_events_patient ON face_consent_events(patient_id, seq);

INSERT INTO face_consent_events (patient_id, event, version, channel, actor, at)
  SELECT patient_id, 'given', consent_version, consent_channel, consent_by, consent_at
  FROM face_enrolments ORDER BY consent_at, patient_id;
