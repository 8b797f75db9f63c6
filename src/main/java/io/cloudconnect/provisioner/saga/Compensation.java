package io.cloudconnect.provisioner.saga;

/**
 * What became of the attachment of a request that failed: {@code compensation.status} in the failed
 * event (docs/CONTRACT.md). Only {@link #DELETED} and {@link #NOT_NEEDED} leave nothing behind that
 * a retry would duplicate, so only they let the event say {@code retryable: true}.
 */
public enum Compensation {
  /** Nothing was created (or emnify itself deactivated or removed it). */
  NOT_NEEDED(true),
  /** The service deleted the attachment emnify had created for the request. */
  DELETED(true),
  /** Deletion is under way but not confirmed yet; the service keeps at it. */
  PENDING(false),
  /** Left in place: {@code cloudconnect.compensation.mode=keep}, or the attachment was adopted. */
  KEPT(false),
  /** emnify refused the deletion for good (e.g. a Classic attachment, no permission). */
  IMPOSSIBLE(false);

  private final boolean nothingLeft;

  Compensation(boolean nothingLeft) {
    this.nothingLeft = nothingLeft;
  }

  /** Whether nothing of the request is left at emnify (or will be, as far as emnify says). */
  public boolean nothingLeft() {
    return nothingLeft;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
