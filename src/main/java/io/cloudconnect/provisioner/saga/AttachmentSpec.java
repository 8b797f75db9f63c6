package io.cloudconnect.provisioner.saga;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The attachment as the saga stores it (JSON in {@code spec_json}); the PSK is kept apart, sealed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttachmentSpec(
    int type,
    String name,
    String description,
    String region,
    @JsonProperty("public_ip") String publicIp,
    @JsonProperty("on_prem_cidr") List<String> onPremCidr,
    Long asn,
    @JsonProperty("inside_cidr") List<String> insideCidr) {}
