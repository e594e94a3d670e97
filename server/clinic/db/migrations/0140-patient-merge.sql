-- 0140-patient-merge: the same-patient merge (issue 9; docs/sync.md "Same-patient merge").
-- portal_account_id: the patient portal account this clinic patient is (a patient pulled with an online
-- booking has its own id there; a walk-in gets one when they link their account, or when staff merge
-- them with a pulled row). One local patient per account. merged_into: set on a row merged into another
-- (the survivor's id); such a row is emptied and deleted, and resolving an account follows it.
ALTER TABLE patients ADD COLUMN portal_account_id TEXT;
ALTER TABLE patients ADD COLUMN merged_into TEXT REFERENCES patients(id);
CREATE UNIQUE INDEX patients_portal_account ON patients(portal_account_id) WHERE portal_account_id IS NOT NULL;
CREATE INDEX patients_merged_into ON patients(merged_into) WHERE merged_into IS NOT NULL;

-- Patients already pulled from central (their id is the account's id): audited when inserted by a pull.
UPDATE patients SET portal_account_id = id
  WHERE deleted_at IS NULL
    AND id IN (SELECT entity_id FROM audit_log WHERE action = 'sync.patient_pulled' AND entity = 'patient');
