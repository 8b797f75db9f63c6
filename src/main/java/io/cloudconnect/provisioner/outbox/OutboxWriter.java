package io.cloudconnect.provisioner.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.persistence.OutboxEvent;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.validation.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Appends a saga's result event to the outbox in the caller's transaction, so that the outcome and
 * the event that announces it are committed together or not at all (transactional outbox). It
 * changes no saga: the application service has already made the terminal transition.
 */
@ApplicationScoped
public class OutboxWriter {
  private final OutboxRepository outbox;
  private final ObjectMapper json;
  private final MeterRegistry metrics;

  OutboxWriter(OutboxRepository outbox, ObjectMapper json, MeterRegistry metrics) {
    this.outbox = outbox;
    this.json = json;
    this.metrics = metrics;
  }

  /** The ready event of a saga that became READY, with what emnify reported of the attachment. */
  public Uni<Void> ready(ProvisioningSaga saga, Observation details) {
    ResultEvents.Ready payload =
        new ResultEvents.Ready(
            saga.requestId(),
            details.attachmentId(),
            saga.name(),
            saga.attachmentType(),
            details.region() != null ? details.region() : saga.region(),
            new ResultEvents.Status(details.statusId(), details.statusDescription()),
            details.tunnel(),
            saga.receivedAt(),
            saga.readyAt());
    return append(saga.requestId(), ResultEvents.READY, payload, "NONE", saga.readyAt());
  }

  /** The failed event of a saga that became FAILED. */
  public Uni<Void> failed(ProvisioningSaga saga) {
    return failed(saga, List.of());
  }

  /** The failed event of a request our validation refused, with every violation. */
  public Uni<Void> failed(ProvisioningSaga saga, List<Violation> violations) {
    FailureReason reason = saga.failureReason();
    ResultEvents.Failed payload =
        new ResultEvents.Failed(
            saga.requestId(),
            reason.name(),
            saga.failureMessage(),
            violations,
            saga.attachmentId(),
            reason.retryable());
    return append(saga.requestId(), ResultEvents.FAILED, payload, reason.name(), saga.failedAt());
  }

  private Uni<Void> append(
      String requestId, String type, Object payload, String reason, Instant occurredAt) {
    String body;
    try {
      body = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      return Uni.createFrom()
          .failure(
              new IllegalStateException("result event for " + requestId + " cannot be written", e));
    }
    OutboxEvent event =
        new OutboxEvent(UUID.randomUUID().toString(), requestId, type, body, occurredAt);
    metrics.counter("cloudconnect.outcomes", "type", type, "reason", reason).increment();
    return outbox.persist(event).replaceWithVoid();
  }
}
