package io.cloudconnect.provisioner.validation;

import io.cloudconnect.provisioner.secrets.Secret;
import java.util.List;

/** A request that passed every rule; the PSK (if any) stays wrapped. */
public record AttachmentRequest(
    int type,
    String name,
    String description,
    String region,
    String publicIp,
    List<String> onPremCidr,
    Secret psk,
    Long asn,
    List<String> insideCidr) {}
