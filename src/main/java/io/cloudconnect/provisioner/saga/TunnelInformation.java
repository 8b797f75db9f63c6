package io.cloudconnect.provisioner.saga;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tunnel facts of an Active attachment, as emnify reports them and as the ready event passes
 * them on. emnify also returns the tunnel's PSK here: it is deliberately not mapped (unknown
 * properties are ignored), so the service never holds it. The addresses are kept as text only
 * (emnify documents strings; a list of them, or of objects naming one, is read too): whatever else
 * a future answer nests there, a per-tunnel key included, never reaches an event.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TunnelInformation(
    @JsonProperty("public_ip") String publicIp,
    @JsonProperty("outside_address") JsonNode outsideAddress,
    @JsonProperty("inside_cidr") JsonNode insideCidr,
    Long asn) {

  public TunnelInformation {
    outsideAddress = addressesOnly(outsideAddress);
    insideCidr = addressesOnly(insideCidr);
  }

  /** Fields of an object element that name an address. */
  private static final java.util.List<String> ADDRESS_FIELDS =
      java.util.List.of("ip", "address", "outside_address", "inside_cidr", "cidr");

  /**
   * A string stays; a list keeps its strings and, of each object in it, the one field that names an
   * address; an object becomes that field; anything else (numbers, nested keys) is dropped.
   */
  static JsonNode addressesOnly(JsonNode value) {
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isTextual()) {
      return value;
    }
    if (value.isObject()) {
      return addressOf(value).map(json::textNode).orElse(null);
    }
    if (value.isArray()) {
      var addresses = json.arrayNode();
      for (JsonNode element : value) {
        if (element.isTextual()) {
          addresses.add(element);
        } else if (element.isObject()) {
          addressOf(element).ifPresent(addresses::add);
        }
      }
      return addresses;
    }
    return null;
  }

  private static java.util.Optional<String> addressOf(JsonNode object) {
    for (String field : ADDRESS_FIELDS) {
      JsonNode address = object.get(field);
      if (address != null && address.isTextual()) {
        return java.util.Optional.of(address.textValue());
      }
    }
    return java.util.Optional.empty();
  }
}
