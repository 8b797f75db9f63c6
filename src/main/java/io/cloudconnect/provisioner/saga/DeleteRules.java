package io.cloudconnect.provisioner.saga;

/**
 * What a delete request does, on arrival, to the request it names: an in-flight request is
 * cancelled ({@link Cancellation}), a ready one has its attachment deleted, one being removed is
 * waited for, a failed one that kept its attachment has it deleted, and one that holds nothing is
 * answered at once.
 */
public final class DeleteRules {
  private DeleteRules() {}

  /** The delete's first step. */
  public enum OnArrival {
    /** The target's create was never sent: it fails CANCELLED, the delete is answered at once. */
    CANCEL_UNSENT,
    /** The target is cancelled: what it created is removed; the delete waits for that. */
    CANCEL,
    /** The target's attachment is deleted; the delete waits for that. */
    DELETE,
    /** The target is being removed already; the delete waits for that. */
    AWAIT_REMOVAL,
    /** Nothing of the target is left at emnify: the delete is answered at once. */
    ALREADY_GONE
  }

  public static OnArrival onArrival(
      SagaState state, CreateEvidence evidence, Long attachmentId, Compensation compensation) {
    switch (Cancellation.of(state, evidence)) {
      case NOTHING_SENT:
        return OnArrival.CANCEL_UNSENT;
      case REMOVE_WHAT_IT_CREATED:
        return OnArrival.CANCEL;
      case TOO_LATE:
        break;
    }
    return switch (state) {
      case READY -> OnArrival.DELETE;
      case REMOVING -> OnArrival.AWAIT_REMOVAL;
      case FAILED ->
          attachmentId != null && Holding.keptOnPurpose(compensation)
              ? OnArrival.DELETE
              : OnArrival.ALREADY_GONE;
      default -> OnArrival.ALREADY_GONE;
    };
  }
}
