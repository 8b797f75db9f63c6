-- Issue 10: delete and adopt requests, compensation of failed creates, the one-time PSK read.
ALTER TABLE provisioning_saga
    ADD COLUMN kind              varchar(10) NOT NULL DEFAULT 'CREATE',
    ADD COLUMN target_request_id varchar(128),
    ADD COLUMN removal_purpose   varchar(12),
    ADD COLUMN compensation      varchar(12),
    ADD COLUMN compensation_note text,
    ADD COLUMN delete_sent_at    timestamptz,
    ADD COLUMN answered_at       timestamptz,
    ADD COLUMN deleted_at        timestamptz,
    ADD COLUMN psk_retrieved_at  timestamptz,
    ADD COLUMN psk_retrieved_by  varchar(128),
    DROP CONSTRAINT saga_state_known,
    ADD CONSTRAINT saga_state_known CHECK (state IN
        ('RECEIVED', 'CREATING', 'CREATE_UNKNOWN', 'PROVISIONING', 'READY', 'REMOVING',
         'AWAITING_REMOVAL', 'FAILED', 'DELETED')),
    ADD CONSTRAINT saga_kind_known CHECK (kind IN ('CREATE', 'DELETE', 'ADOPT')),
    ADD CONSTRAINT saga_delete_has_target CHECK (kind <> 'DELETE' OR target_request_id IS NOT NULL
        OR state = 'FAILED'),
    ADD CONSTRAINT saga_removing_has_purpose CHECK (state <> 'REMOVING' OR removal_purpose IS NOT NULL);

-- Requests answered before this version had their outcome event written with their last change.
UPDATE provisioning_saga SET answered_at = COALESCE(ready_at, failed_at)
    WHERE state IN ('READY', 'FAILED');

-- The poller's working set now includes attachments being removed.
DROP INDEX saga_in_flight;
CREATE INDEX saga_in_flight ON provisioning_saga (state)
    WHERE state IN ('CREATING', 'CREATE_UNKNOWN', 'PROVISIONING', 'REMOVING');
-- Delete requests waiting for a target; the attachment a delete or adopt request names.
CREATE INDEX saga_awaiting_target ON provisioning_saga (target_request_id)
    WHERE state = 'AWAITING_REMOVAL';
CREATE INDEX saga_attachment ON provisioning_saga (attachment_id) WHERE attachment_id IS NOT NULL;
-- The operator API's lists: by state and age.
CREATE INDEX saga_state_received ON provisioning_saga (state, received_at);
