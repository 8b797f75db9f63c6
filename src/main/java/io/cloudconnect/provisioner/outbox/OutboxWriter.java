package io.cloudconnect.provisioner.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.persistence.OutboxEvent;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.saga.Compensation;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.validation.Violation;
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

  OutboxWriter(OutboxRepository outbox, ObjectMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  /** The ready event of a saga that became READY, with what emnify reported of the attachment. */
  public Uni<Void> ready(ProvisioningSaga saga, Observation details) {
    ResultEvents.Ready payload =
        new ResultEvents.Ready(
            saga.requestId(),
            action(saga),
            details.attachmentId(),
            saga.name(),
            saga.attachmentType(),
            details.region() != null ? details.region() : saga.region(),
            new ResultEvents.Status(details.statusId(), details.statusDescription()),
            details.tunnel(),
            saga.receivedAt(),
            saga.readyAt());
    return append(saga, ResultEvents.READY, payload, saga.readyAt());
  }

  /** The failed event of a saga that became FAILED. */
  public Uni<Void> failed(ProvisioningSaga saga) {
    return failed(saga, List.of());
  }

  /** The failed event of a request our validation refused, with every violation. */
  public Uni<Void> failed(ProvisioningSaga saga, List<Violation> violations) {
    FailureReason reason = saga.failureReason();
    Compensation compensation = saga.compensation();
    ResultEvents.CompensationReport report =
        compensation == null
            ? null
            : new ResultEvents.CompensationReport(compensation.wireName(), saga.compensationNote());
    ResultEvents.Failed payload =
        new ResultEvents.Failed(
            saga.requestId(),
            action(saga),
            reason.name(),
            saga.failureMessage(),
            violations,
            saga.attachmentId(),
            saga.targetRequestId(),
            report,
            reason.retryable() && (compensation == null || compensation.nothingLeft()));
    return append(saga, ResultEvents.FAILED, payload, saga.failedAt());
  }

  /** The deleted event of a delete request whose target's attachment is gone. */
  public Uni<Void> deleted(ProvisioningSaga request, String outcome) {
    ResultEvents.Deleted payload =
        new ResultEvents.Deleted(
            request.requestId(),
            action(request),
            request.targetRequestId(),
            request.attachmentId(),
            outcome,
            request.receivedAt(),
            request.deletedAt());
    return append(request, ResultEvents.DELETED, payload, request.deletedAt());
  }

  private static String action(ProvisioningSaga saga) {
    return saga.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The event, in the saga's trace (the relay publishes it there). */
  private Uni<Void> append(ProvisioningSaga saga, String type, Object payload, Instant occurredAt) {
    String requestId = saga.requestId();
    String body;
    try {
      body = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      return Uni.createFrom()
          .failure(
              new IllegalStateException("result event for " + requestId + " cannot be written", e));
    }
    OutboxEvent event =
        new OutboxEvent(UUID.randomUUID().toString(), requestId, type, body, occurredAt)
            .tracedBy(saga.traceParent());
    return outbox.persist(event).replaceWithVoid();
  }
}
