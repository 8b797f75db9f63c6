-- Reads the poller is about to make to finish requests (an Active attachment's details): while
-- wanted_until lies ahead, a create takes a token only if these many stay behind, so finishing
-- goes before creating more (issue 9). A poller that dies leaves no lasting claim: it lapses.
ALTER TABLE api_budget
    ADD COLUMN wanted       double precision NOT NULL DEFAULT 0,
    ADD COLUMN wanted_until timestamptz;
