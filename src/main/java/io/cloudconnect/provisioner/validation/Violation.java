package io.cloudconnect.provisioner.validation;

/**
 * One broken rule: the field as a JSON path ({@code attachment.inside_cidr[1]}), a stable
 * machine-readable code, and a message saying what is allowed. Messages never quote a PSK.
 */
public record Violation(String field, ErrorCode code, String message) {}
