-- What earlier create attempts may have left at emnify (saga/CreateEvidence): decides whether
-- creating again is safe after an ambiguous attempt.
ALTER TABLE provisioning_saga
    ADD COLUMN create_evidence varchar(12) NOT NULL DEFAULT 'NONE',
    ADD CONSTRAINT saga_create_evidence_known CHECK (create_evidence IN ('NONE', 'MAYBE', 'SEARCH_ONLY'));

-- emnify's status descriptions have no documented length: one longer than 80 characters made
-- every later update of the saga fail (RELIABILITY review R7)
ALTER TABLE provisioning_saga ALTER COLUMN emnify_status TYPE text;
