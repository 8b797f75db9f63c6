package io.cloudconnect.provisioner.saga;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tunnel facts of an Active attachment, as emnify reports them and as the ready event passes
 * them on. emnify also returns the tunnel's PSK here: it is deliberately not mapped (unknown
 * properties are ignored), so the service never holds it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TunnelInformation(
    @JsonProperty("public_ip") String publicIp,
    @JsonProperty("outside_address") JsonNode outsideAddress,
    @JsonProperty("inside_cidr") JsonNode insideCidr,
    Long asn) {}
