package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.CreateEvidence;

/**
 * A claimed create, with what its call needs, read while the row was locked. {@code attempt}
 * identifies this call among the request's attempts (its answer is recorded only if no later
 * attempt started); {@code evidence} is what earlier attempts may have left, as it was before this
 * one, so that a late answer is judged as it would have been on time. {@code traceParent}: the
 * request's trace, which its create call continues.
 */
public record CreateClaim(
    String requestId,
    String marker,
    int attempt,
    CreateEvidence evidence,
    AttachmentSpec spec,
    String pskSealed,
    String traceParent) {}
