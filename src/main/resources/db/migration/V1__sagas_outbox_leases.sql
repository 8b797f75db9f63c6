-- One row per provisioning request; request_id is the idempotency key.
CREATE TABLE provisioning_saga (
    request_id       varchar(128) PRIMARY KEY,
    version          bigint       NOT NULL DEFAULT 0,
    state            varchar(20)  NOT NULL,
    failure_reason   varchar(40),
    failure_message  text,
    attachment_type  integer      NOT NULL DEFAULT 0,
    name             text,
    region           varchar(40),
    spec_json        text,
    psk_sealed       text,
    marker           varchar(140),
    attachment_id    bigint,
    emnify_status_id integer,
    emnify_status    varchar(80),
    create_attempts  integer      NOT NULL DEFAULT 0,
    last_error       text,
    received_at      timestamptz  NOT NULL,
    creating_at      timestamptz,
    provisioning_at  timestamptz,
    ready_at         timestamptz,
    failed_at        timestamptz,
    updated_at       timestamptz  NOT NULL,
    deadline_at      timestamptz,
    next_attempt_at  timestamptz,
    lease_owner      varchar(80),
    lease_until      timestamptz,
    CONSTRAINT saga_state_known CHECK (state IN
        ('RECEIVED', 'CREATING', 'CREATE_UNKNOWN', 'PROVISIONING', 'READY', 'FAILED')),
    CONSTRAINT saga_failed_has_reason CHECK (state <> 'FAILED' OR failure_reason IS NOT NULL)
);

-- The create worker's queue: RECEIVED rows due for their create call.
CREATE INDEX saga_due_for_create ON provisioning_saga (next_attempt_at) WHERE state = 'RECEIVED';
-- The poller's working set: everything between the create call and an outcome.
CREATE INDEX saga_in_flight ON provisioning_saga (state)
    WHERE state IN ('CREATING', 'CREATE_UNKNOWN', 'PROVISIONING');

-- Result events, written in the same transaction as the terminal state change (transactional outbox).
CREATE TABLE outbox_event (
    id            varchar(64)  PRIMARY KEY,       -- the CloudEvent id, stable across re-publishing
    request_id    varchar(128) NOT NULL REFERENCES provisioning_saga (request_id),
    type          varchar(80)  NOT NULL,
    payload       text         NOT NULL,
    occurred_at   timestamptz  NOT NULL,
    sent_at       timestamptz,
    claimed_until timestamptz,
    attempts      integer      NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX outbox_one_outcome_per_request ON outbox_event (request_id);
CREATE INDEX outbox_unsent ON outbox_event (occurred_at) WHERE sent_at IS NULL;

-- Singleton jobs (the poller) held by one replica at a time.
CREATE TABLE job_lease (
    name        varchar(40) PRIMARY KEY,
    owner       varchar(80) NOT NULL,
    lease_until timestamptz NOT NULL
);
