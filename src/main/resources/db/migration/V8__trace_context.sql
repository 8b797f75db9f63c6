-- Issue 11, traces: the W3C trace context (traceparent) of the span that recorded a request, so
-- that the timer-driven passes (create lanes, the poller, the outbox relay) continue its trace
-- instead of each starting a new one; copied to its result event, which carries it on.
ALTER TABLE provisioning_saga ADD COLUMN trace_parent text;
ALTER TABLE outbox_event ADD COLUMN trace_parent text;
