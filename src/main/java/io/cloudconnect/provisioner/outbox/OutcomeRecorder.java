package io.cloudconnect.provisioner.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.TunnelInformation;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.validation.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Ends a saga and writes its result event in the caller's transaction, so that the outcome and the
 * event that announces it are committed together or not at all (transactional outbox).
 */
@ApplicationScoped
public class OutcomeRecorder {
  private final OutboxRepository outbox;
  private final ObjectMapper json;
  private final MeterRegistry metrics;

  OutcomeRecorder(OutboxRepository outbox, ObjectMapper json, MeterRegistry metrics) {
    this.outbox = outbox;
    this.json = json;
    this.metrics = metrics;
  }

  public Uni<Void> ready(ProvisioningSaga saga, Attachment attachment, Instant now) {
    saga.becameReady(attachment.status().id(), attachment.status().description(), now);
    TunnelInformation tunnel = attachment.tunnelInformation();
    ResultEvents.Ready payload =
        new ResultEvents.Ready(
            saga.requestId(),
            attachment.id(),
            saga.name(),
            saga.attachmentType(),
            attachment.region() != null ? attachment.region() : saga.region(),
            new ResultEvents.Status(attachment.status().id(), attachment.status().description()),
            tunnel == null
                ? null
                : new ResultEvents.Tunnel(
                    tunnel.publicIp(), tunnel.outsideAddress(), tunnel.insideCidr(), tunnel.asn()),
            saga.receivedAt(),
            now);
    return append(saga.requestId(), ResultEvents.READY, payload, now);
  }

  public Uni<Void> failed(
      ProvisioningSaga saga, FailureReason reason, String message, Instant now) {
    saga.fail(reason, message, now);
    return append(
        saga.requestId(),
        ResultEvents.FAILED,
        failure(saga.requestId(), reason, message, List.of(), saga.attachmentId()),
        now);
  }

  /** The answer to a request our validation refused; the saga row is new (caller persists it). */
  public Uni<Void> refused(ProvisioningSaga saga, List<Violation> violations, Instant now) {
    return append(
        saga.requestId(),
        ResultEvents.FAILED,
        failure(
            saga.requestId(),
            FailureReason.VALIDATION_FAILED,
            saga.failureMessage(),
            violations,
            null),
        now);
  }

  private static ResultEvents.Failed failure(
      String requestId,
      FailureReason reason,
      String message,
      List<Violation> errors,
      Long attachmentId) {
    return new ResultEvents.Failed(
        requestId, reason.name(), message, errors, attachmentId, reason.retryable());
  }

  private Uni<Void> append(String requestId, String type, Object payload, Instant now) {
    String body;
    try {
      body = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      return Uni.createFrom()
          .failure(
              new IllegalStateException("result event for " + requestId + " cannot be written", e));
    }
    OutboxEvent event = new OutboxEvent(UUID.randomUUID().toString(), requestId, type, body, now);
    String reason = payload instanceof ResultEvents.Failed failed ? failed.reason() : "NONE";
    metrics.counter("cloudconnect.outcomes", "type", type, "reason", reason).increment();
    return outbox.persist(event).replaceWithVoid();
  }
}
