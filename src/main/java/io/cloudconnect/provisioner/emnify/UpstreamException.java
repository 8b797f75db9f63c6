package io.cloudconnect.provisioner.emnify;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A call to emnify that did not succeed, already classified. Messages carry emnify's error text and
 * never a token or PSK.
 */
public abstract sealed class UpstreamException extends RuntimeException
    permits UpstreamException.Answer, UpstreamException.Fault {

  /** What the failure means for the caller. */
  public enum Kind {
    /** 400/403/409/422: emnify refused the request itself; retrying will not help. */
    REJECTED,
    /** 404 on an id we know. */
    NOT_FOUND,
    /** The application token is refused (or an auth token twice in a row). */
    UNAUTHORIZED,
    /** 429: over the rate limit; the call did not take effect. */
    THROTTLED,
    /** The request never reached emnify (connection refused, circuit open, no token yet). */
    NOT_SENT,
    /** Sent, but the answer is unknown or a 5xx: it may or may not have taken effect. */
    AMBIGUOUS,
    /**
     * A create answered 2xx without a usable {@code Location}: it took effect, but the new id is
     * unknown. Proof of creation, never a reason to create again.
     */
    CREATED_ID_UNKNOWN
  }

  private final Kind kind;
  private final int status;
  private final transient Duration retryAfter;
  private final transient Instant refusedSince;

  private UpstreamException(
      Kind kind,
      int status,
      String message,
      Duration retryAfter,
      Instant refusedSince,
      Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
    this.refusedSince = refusedSince;
  }

  public Kind kind() {
    return kind;
  }

  /** HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * For UNAUTHORIZED: since when emnify has refused authentication without a success in between, as
   * all replicas saw it.
   */
  public Optional<Instant> refusedSince() {
    return Optional.ofNullable(refusedSince);
  }

  /** emnify answered, and the answer is final for this call: not retried, not counted as outage. */
  public static final class Answer extends UpstreamException {
    public Answer(Kind kind, int status, String message, Duration retryAfter) {
      super(kind, status, message, retryAfter, null, null);
    }

    /** Authentication refused, since {@code refusedSince}; tried again after {@code retryAfter}. */
    public static Answer authenticationRefused(
        int status, String message, Duration retryAfter, Instant refusedSince) {
      return new Answer(Kind.UNAUTHORIZED, status, message, retryAfter, refusedSince);
    }

    private Answer(
        Kind kind, int status, String message, Duration retryAfter, Instant refusedSince) {
      super(kind, status, message, retryAfter, refusedSince, null);
    }
  }

  /** emnify could not be reached or failed: retried where safe, counted by circuit breakers. */
  public static final class Fault extends UpstreamException {
    public Fault(Kind kind, int status, String message, Throwable cause) {
      super(kind, status, message, null, null, cause);
    }
  }
}
