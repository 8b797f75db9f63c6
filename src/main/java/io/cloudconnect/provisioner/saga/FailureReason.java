package io.cloudconnect.provisioner.saga;

/** Why a request failed; published as {@code reason} in the failed event. */
public enum FailureReason {
  /** Our validation refused the request before any API call. */
  VALIDATION_FAILED(false),
  /** emnify answered 4xx to the create call. */
  REJECTED_BY_API(false),
  /** emnify moved the attachment to status 8 (Rolling Back). */
  ROLLED_BACK(true),
  /** The attachment reached status 7 (Deactivated) without us asking. */
  DEACTIVATED(true),
  /** The attachment vanished upstream (404 on a known id) before it became Active. */
  DELETED_UPSTREAM(true),
  /** Not Active before the provisioning deadline. */
  TIMED_OUT(true),
  /**
   * The create could not even be submitted (emnify unreachable or throttling) within its maximum
   * age.
   */
  UPSTREAM_UNAVAILABLE(true),
  /** The request's sealed PSK cannot be opened (its key was rotated away); nothing was sent. */
  PSK_UNREADABLE(true),
  /** emnify refused the application token. */
  UNAUTHORIZED(true),
  /** A delete request (or an operator) cancelled the request while it was in flight. */
  CANCELLED(false),
  /** A delete request whose deletion emnify refused for good (the reason says why). */
  DELETE_REFUSED(false),
  /**
   * An adopt request for an attachment that is not this deployment's to take over: it carries
   * another deployment's marker, or none while {@code cloudconnect.adoption.unmarked} is off.
   * Nothing was changed at emnify.
   */
  NOT_ADOPTABLE(false);

  private final boolean retryable;

  FailureReason(boolean retryable) {
    this.retryable = retryable;
  }

  /**
   * Whether publishing the same request again (with a new request_id) may succeed; the failed event
   * says {@code retryable: true} only if, besides, nothing of the request is left at emnify.
   */
  public boolean retryable() {
    return retryable;
  }
}
