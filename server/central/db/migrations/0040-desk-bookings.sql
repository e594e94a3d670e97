-- Desk bookings in central's appointments (docs/sync.md "Conflict rules"): a booking the clinic made at
-- its desk and pushed is inserted here too, so it blocks the same slot online (appointments_no_overlap).
-- source: who made the booking ('portal' = online, the default for every existing row; 'clinic' = the
-- desk, pushed by sync). clinic_patient_id: the clinic's patient id of a desk booking (account_id is set
-- only when that id is a portal account). Forward-only.
ALTER TABLE appointments ADD COLUMN source text NOT NULL DEFAULT 'portal' CHECK (source IN ('portal', 'clinic'));
ALTER TABLE appointments ADD COLUMN clinic_patient_id text;
