package io.cloudconnect.provisioner.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.saga.TunnelInformation;
import io.cloudconnect.provisioner.validation.Violation;
import java.time.Instant;
import java.util.List;

/** The payloads of the two result events (docs/CONTRACT.md, "Result events"). */
public final class ResultEvents {
  public static final String READY = "cloudconnect.attachment.ready";
  public static final String FAILED = "cloudconnect.attachment.failed";
  public static final String DELETED = "cloudconnect.attachment.deleted";

  private ResultEvents() {}

  public record Ready(
      @JsonProperty("request_id") String requestId,
      String action,
      @JsonProperty("attachment_id") long attachmentId,
      String name,
      int type,
      String region,
      Status status,
      @JsonProperty("tunnel_information") TunnelInformation tunnelInformation,
      @JsonProperty("requested_at") Instant requestedAt,
      @JsonProperty("ready_at") Instant readyAt) {}

  public record Status(int id, String description) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Failed(
      @JsonProperty("request_id") String requestId,
      String action,
      String reason,
      String message,
      List<Violation> errors,
      @JsonProperty("attachment_id") Long attachmentId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("target_request_id")
          String targetRequestId,
      @JsonInclude(JsonInclude.Include.NON_NULL) CompensationReport compensation,
      boolean retryable) {}

  /**
   * What became of a failed request's attachment: deleted, pending, kept, not_needed, impossible.
   */
  public record CompensationReport(String status, String detail) {}

  /**
   * A delete request's outcome. {@code outcome}: {@code deleted} (the service deleted it), {@code
   * already_gone} (nothing of the target was left), {@code cancelled} (the target was still in
   * flight: it failed CANCELLED, and what it had created was deleted).
   */
  public record Deleted(
      @JsonProperty("request_id") String requestId,
      String action,
      @JsonProperty("target_request_id") String targetRequestId,
      @JsonProperty("attachment_id") Long attachmentId,
      String outcome,
      @JsonProperty("requested_at") Instant requestedAt,
      @JsonProperty("deleted_at") Instant deletedAt) {}
}
