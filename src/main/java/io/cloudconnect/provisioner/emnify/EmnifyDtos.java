package io.cloudconnect.provisioner.emnify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.TunnelInformation;
import io.cloudconnect.provisioner.secrets.Secret;
import java.util.List;

/** The emnify Cloud Connect API's JSON shapes, as far as the service reads or writes them. */
public final class EmnifyDtos {
  private EmnifyDtos() {}

  public record AuthRequest(@JsonProperty("application_token") String applicationToken) {
    @Override
    public String toString() {
      return "AuthRequest[<redacted>]";
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AuthResponse(@JsonProperty("auth_token") String authToken) {
    @Override
    public String toString() {
      return "AuthResponse[<redacted>]";
    }
  }

  public record IdRef(int id) {}

  /** Body of {@code POST /api/v1/cnc/breakout/vpn}; {@code type} is emnify's object form. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CreateVpnBody(
      IdRef type,
      String name,
      String description,
      String region,
      @JsonProperty("public_ip") String publicIp,
      @JsonProperty("on_prem_cidr") List<String> onPremCidr,
      String psk,
      Long asn,
      @JsonProperty("inside_cidr") List<String> insideCidr) {
    /**
     * The one mapping from the attachment as requested to emnify's create body; {@code description}
     * carries the service's marker, {@code psk} is null when emnify generates one.
     */
    public static CreateVpnBody of(AttachmentSpec spec, String description, Secret psk) {
      return new CreateVpnBody(
          new IdRef(spec.type()),
          spec.name(),
          description,
          spec.region(),
          spec.publicIp(),
          spec.onPremCidr(),
          psk == null ? null : psk.reveal(),
          spec.asn(),
          spec.insideCidr());
    }

    @Override
    public String toString() {
      return "CreateVpnBody[type=" + type + ", name=" + name + ", psk=<redacted>]";
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record IdDescription(int id, String description) {}

  /**
   * A listed or fetched attachment. The tunnel's PSK, which emnify includes for Active VPN
   * attachments, is deliberately not mapped (see {@link TunnelInformation}).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Attachment(
      long id,
      String name,
      String description,
      IdDescription status,
      IdDescription type,
      String region,
      @JsonProperty("tunnel_information") TunnelInformation tunnelInformation) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ErrorBody(
      @JsonProperty("error_code") Integer errorCode,
      @JsonProperty("error_token") String errorToken,
      String message,
      List<JsonNode> errors) {}

  /**
   * One page of the list call, with what emnify reported in its paging headers ({@code
   * X-Total-Pages}, {@code X-Total-Count}); null where a header was missing or unreadable.
   */
  public record Page(List<Attachment> items, int page, Integer totalPages, Integer totalCount) {}
}
