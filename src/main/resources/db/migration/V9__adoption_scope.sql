-- Issue 19: an adopt request records whether it may take over an attachment without this
-- deployment's marker (cloudconnect.adoption.unmarked when it arrived). Adopt requests still in
-- flight when this runs get the secure default: they are judged like new ones.
ALTER TABLE provisioning_saga
    ADD COLUMN adopt_unmarked boolean NOT NULL DEFAULT false;
