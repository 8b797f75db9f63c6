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

  /** Why a delete request cannot be taken. */
  public enum NotDeletable {
    /** It names a request_id recorded nowhere here. */
    UNKNOWN_REQUEST,
    /** It names an attachment no request of this deployment holds. */
    UNKNOWN_ATTACHMENT,
    /** It names a delete request, which holds no attachment of its own. */
    A_DELETE_REQUEST,
    /** It names an adopt request that never took its attachment over. */
    NEVER_ADOPTED,
    /** It names a refused request, which created nothing. */
    REFUSED_REQUEST
  }

  /**
   * Whether the request a delete names ({@code target}, null when none was found; {@code
   * byRequest}: named by request_id, not by attachment id) can be deleted; empty when it can.
   */
  public static java.util.Optional<NotDeletable> refusal(
      ProvisioningSaga target, boolean byRequest) {
    NotDeletable why = null;
    if (target == null) {
      why = byRequest ? NotDeletable.UNKNOWN_REQUEST : NotDeletable.UNKNOWN_ATTACHMENT;
    } else if (!target.kind().holdsAttachment()) {
      why = NotDeletable.A_DELETE_REQUEST;
    } else if (AdoptionRules.neverHeld(target)) {
      why = NotDeletable.NEVER_ADOPTED;
    } else if (target.state() == SagaState.FAILED
        && target.failureReason() == FailureReason.VALIDATION_FAILED) {
      why = NotDeletable.REFUSED_REQUEST;
    }
    return java.util.Optional.ofNullable(why);
  }

  /** How the delete requests waiting for a target are answered once its removal is over. */
  public enum Answer {
    /** Still being removed: not yet. */
    NOT_YET,
    /** Its attachment is gone, deleted on request. */
    DELETED,
    /** Its create was cancelled, and what it made removed. */
    CANCELLED,
    /** Nothing of it was left to delete. */
    ALREADY_GONE,
    /** emnify refused the deletion for good. */
    REFUSED;

    /** The wire name of the deleted event's outcome. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What the delete requests waiting for {@code target} are answered, as it is now. */
  public static Answer answerFor(ProvisioningSaga target) {
    if (target.state() == SagaState.REMOVING) {
      return Answer.NOT_YET;
    }
    boolean gone =
        target.state() == SagaState.DELETED
            || (target.state() == SagaState.FAILED
                && target.compensation() != null
                && target.compensation().nothingLeft());
    if (!gone) {
      return Answer.REFUSED;
    }
    if (target.removalPurpose() == RemovalPurpose.CANCEL) {
      return Answer.CANCELLED;
    }
    return target.compensation() == Compensation.NOT_NEEDED ? Answer.ALREADY_GONE : Answer.DELETED;
  }
}
