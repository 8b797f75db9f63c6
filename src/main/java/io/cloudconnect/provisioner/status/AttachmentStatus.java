package io.cloudconnect.provisioner.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import java.time.Instant;

/** What an operator or producer sees of a request. Built from the saga; never holds the PSK. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AttachmentStatus(
    @JsonProperty("request_id") String requestId,
    String action,
    @JsonProperty("target_request_id") String targetRequestId,
    String state,
    String reason,
    String message,
    @JsonProperty("attachment_id") Long attachmentId,
    @JsonProperty("emnify_status") EmnifyStatus emnifyStatus,
    Integer type,
    String name,
    String region,
    @JsonProperty("create_attempts") int createAttempts,
    @JsonProperty("last_error") String lastError,
    @JsonProperty("waiting_for") String waitingFor,
    Compensation compensation,
    Timestamps timestamps) {

  public record EmnifyStatus(int id, String description) {}

  /** What became (or is becoming) of a failed or removed request's attachment. */
  public record Compensation(String status, String detail) {}

  public record Timestamps(
      @JsonProperty("received_at") Instant receivedAt,
      @JsonProperty("creating_at") Instant creatingAt,
      @JsonProperty("provisioning_at") Instant provisioningAt,
      @JsonProperty("ready_at") Instant readyAt,
      @JsonProperty("failed_at") Instant failedAt,
      @JsonProperty("deleted_at") Instant deletedAt,
      @JsonProperty("updated_at") Instant updatedAt,
      @JsonProperty("deadline_at") Instant deadlineAt,
      @JsonProperty("next_attempt_at") Instant nextAttemptAt) {}

  /**
   * What an open request waits for, in words: its turn for a create call (a burst beyond what the
   * quota serves waits as RECEIVED, until {@code deadline_at}), a retry, a lost answer to be
   * reconciled, or emnify; null once it has ended.
   */
  static String waitingFor(ProvisioningSaga saga) {
    return switch (saga.state()) {
      case RECEIVED ->
          saga.createAttempts() == 0
              ? "its turn for a create call (until deadline_at)"
              : "a retry of the create call at next_attempt_at";
      case CREATING -> "emnify's answer to the create call";
      case CREATE_UNKNOWN -> "emnify's list, to learn whether the create took effect";
      case PROVISIONING -> "emnify to report the attachment Active";
      case REMOVING ->
          saga.attachmentId() == null
              ? "emnify's list, to find and delete what the create may have made"
              : "emnify to confirm attachment " + saga.attachmentId() + " deleted";
      case AWAITING_REMOVAL -> "the attachment of " + saga.targetRequestId() + " to be deleted";
      default -> null;
    };
  }

  public static AttachmentStatus of(ProvisioningSaga saga) {
    return new AttachmentStatus(
        saga.requestId(),
        saga.kind().name().toLowerCase(java.util.Locale.ROOT),
        saga.targetRequestId(),
        saga.state().name(),
        saga.failureReason() == null ? null : saga.failureReason().name(),
        saga.failureMessage(),
        saga.attachmentId(),
        saga.emnifyView().statusId() == null
            ? null
            : new EmnifyStatus(saga.emnifyView().statusId(), saga.emnifyView().status()),
        saga.attachmentType() == 0 ? null : saga.attachmentType(),
        saga.name(),
        saga.region(),
        saga.createAttempts(),
        saga.lastError(),
        waitingFor(saga),
        saga.compensation() == null
            ? null
            : new Compensation(saga.compensation().wireName(), saga.compensationNote()),
        new Timestamps(
            saga.receivedAt(),
            saga.creatingAt(),
            saga.provisioningAt(),
            saga.readyAt(),
            saga.failedAt(),
            saga.deletedAt(),
            saga.updatedAt(),
            saga.deadlineAt(),
            saga.state().isSettled() ? null : saga.nextAttemptAt()));
  }
}
