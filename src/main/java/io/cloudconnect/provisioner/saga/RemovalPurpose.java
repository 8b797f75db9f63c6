package io.cloudconnect.provisioner.saga;

/** Why a request's attachment is being removed (state {@link SagaState#REMOVING}). */
public enum RemovalPurpose {
  /** The request failed after its attachment was or may have been created: undo it. */
  COMPENSATE,
  /** A delete request arrived while the request was still in flight: it fails CANCELLED. */
  CANCEL,
  /** A delete request names a settled (READY or kept) attachment: it ends DELETED. */
  DELETE;

  /** Whether leaving REMOVING answers the request itself with a failed event. */
  public boolean failsTheRequest() {
    return this != DELETE;
  }
}
