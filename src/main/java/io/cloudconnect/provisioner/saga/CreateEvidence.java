package io.cloudconnect.provisioner.saga;

/**
 * What earlier create attempts of a saga may have left at emnify. It decides whether creating again
 * is safe: emnify has no idempotency key, so a second create after one that took effect is a
 * second, billed attachment.
 */
public enum CreateEvidence {
  /** No attempt may have taken effect (none sent, or every one certainly refused or not taken). */
  NONE,
  /**
   * An attempt's outcome was unknown (timeout, 5xx, lost claim). Absent from a complete list a
   * grace period later, it is taken as not created, and the request may be created again.
   */
  MAYBE,
  /**
   * An attachment exists, or very likely does, but its id is unknown: emnify answered 2xx without a
   * usable Location, or refused a re-create after an ambiguous attempt (e.g. the public IP is taken
   * by that first attachment). Never created again: only looked for by marker until the deadline.
   */
  SEARCH_ONLY
}
