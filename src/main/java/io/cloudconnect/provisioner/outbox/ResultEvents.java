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

  private ResultEvents() {}

  public record Ready(
      @JsonProperty("request_id") String requestId,
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
      String reason,
      String message,
      List<Violation> errors,
      @JsonProperty("attachment_id") Long attachmentId,
      boolean retryable) {}
}
