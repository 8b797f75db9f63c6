package io.cloudconnect.provisioner.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudconnect.provisioner.validation.Violation;
import java.time.Instant;
import java.util.List;

/** The payloads of the two result events (CONTRACT.md section 2.2). */
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
      @JsonProperty("tunnel_information") Tunnel tunnelInformation,
      @JsonProperty("requested_at") Instant requestedAt,
      @JsonProperty("ready_at") Instant readyAt) {}

  public record Status(int id, String description) {}

  /** Tunnel facts for the producer; the PSK is never part of it. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Tunnel(
      @JsonProperty("public_ip") String publicIp,
      @JsonProperty("outside_address") JsonNode outsideAddress,
      @JsonProperty("inside_cidr") JsonNode insideCidr,
      Long asn) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Failed(
      @JsonProperty("request_id") String requestId,
      String reason,
      String message,
      List<Violation> errors,
      @JsonProperty("attachment_id") Long attachmentId,
      boolean retryable) {}
}
