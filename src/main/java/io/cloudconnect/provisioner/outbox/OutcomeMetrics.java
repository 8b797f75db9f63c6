package io.cloudconnect.provisioner.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.persistence.OutboxEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Outcomes counted once Kafka has acknowledged their event, long after the transaction that wrote
 * them committed (counting inside it counted outcomes a rollback then undid): {@code
 * cloudconnect_outcomes_total{type, reason}} (reason: the failure reason, the delete's outcome, or
 * NONE for ready), and for ready events {@code cloudconnect_request_duration_seconds{action,
 * type}}, request to ready, as a histogram. An event re-published by an operator is counted again.
 */
@ApplicationScoped
class OutcomeMetrics {
  private final MeterRegistry metrics;
  private final ObjectMapper json;

  OutcomeMetrics(MeterRegistry metrics, ObjectMapper json) {
    this.metrics = metrics;
    this.json = json;
  }

  void published(List<OutboxEvent> events) {
    events.forEach(this::published);
  }

  private void published(OutboxEvent event) {
    JsonNode payload;
    try {
      payload = json.readTree(event.payload());
    } catch (Exception e) {
      payload = json.createObjectNode();
    }
    String reason =
        switch (event.type()) {
          case ResultEvents.FAILED -> payload.path("reason").asText("UNKNOWN");
          case ResultEvents.DELETED -> payload.path("outcome").asText("UNKNOWN");
          default -> "NONE";
        };
    metrics.counter("cloudconnect.outcomes", "type", event.type(), "reason", reason).increment();
    if (ResultEvents.READY.equals(event.type())) {
      try {
        Instant requested = Instant.parse(payload.path("requested_at").asText());
        Instant ready = Instant.parse(payload.path("ready_at").asText());
        Timer.builder("cloudconnect.request.duration")
            .description("from a request's receipt to its attachment being ready")
            .tag("action", payload.path("action").asText("create"))
            .tag("type", payload.path("type").asText("0"))
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofSeconds(1))
            .maximumExpectedValue(Duration.ofHours(2))
            .register(metrics)
            .record(Duration.between(requested, ready));
      } catch (RuntimeException e) {
        // an event without both timestamps is counted above, not timed
      }
    }
  }
}
