-- Issue 10, the operator console: how long a request has been in emnify's current status, and
-- whether emnify generated its pre-shared key (only such a key can be read through the operator
-- API, once).
ALTER TABLE provisioning_saga
    ADD COLUMN emnify_status_since timestamptz,
    ADD COLUMN psk_by_emnify       boolean NOT NULL DEFAULT false;

-- The console's recent failures.
CREATE INDEX saga_failed_recent ON provisioning_saga (failed_at DESC) WHERE state = 'FAILED';
