-- emnify's verdict on the application token, shared by all replicas: after a refusal nobody
-- authenticates before held_until (a lock-out is waited out, never prolonged by our own tries),
-- and refused_since tells how long authentication has been refused without a success in between.
CREATE TABLE emnify_authentication (
    name           varchar(40) PRIMARY KEY,
    refused_since  timestamptz,
    refusals       integer     NOT NULL DEFAULT 0,
    held_until     timestamptz,
    last_problem   text
);
