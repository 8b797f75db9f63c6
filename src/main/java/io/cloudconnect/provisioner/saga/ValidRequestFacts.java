package io.cloudconnect.provisioner.saga;

/** What the saga keeps of a validated request: the spec as JSON (no PSK) and the sealed PSK. */
public record ValidRequestFacts(
    int type, String name, String region, String specJson, String pskSealed) {}
