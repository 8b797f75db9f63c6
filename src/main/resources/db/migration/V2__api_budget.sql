-- Token buckets shared by all replicas: the emnify quota is per IP (and per organisation), not per JVM.
CREATE TABLE api_budget (
    name          varchar(40)      PRIMARY KEY,
    tokens        double precision NOT NULL,
    refilled_at   timestamptz      NOT NULL,
    blocked_until timestamptz
);
