package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.saga.AttachmentSpec;

/** A claimed create, with what its call needs, read while the row was locked. */
public record CreateClaim(String requestId, AttachmentSpec spec, String pskSealed) {}
