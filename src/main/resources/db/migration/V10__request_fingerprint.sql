-- Issue 19: what each request_id asked for, as a keyed fingerprint (never the parameters or the
-- pre-shared key themselves), so that a reused request_id with other parameters is told from a
-- redelivery. Deleted with its request.
CREATE TABLE request_fingerprint (
    request_id  varchar(128) PRIMARY KEY
                REFERENCES provisioning_saga (request_id) ON DELETE CASCADE
                DEFERRABLE INITIALLY DEFERRED,
    fingerprint varchar(100) NOT NULL
);
