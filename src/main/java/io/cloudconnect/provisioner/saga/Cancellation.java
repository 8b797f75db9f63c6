package io.cloudconnect.provisioner.saga;

/**
 * What cancelling a request in flight does, whether an operator cancels it or a delete request
 * names it: a request whose create was never sent simply fails, one that may have created something
 * has that removed first and then fails CANCELLED, one that has an outcome already cannot be
 * cancelled.
 */
public final class Cancellation {
  private Cancellation() {}

  /** The three ways a cancellation can go. */
  public enum Effect {
    /** No create was sent: it fails CANCELLED at once, nothing to remove. */
    NOTHING_SENT,
    /** A create was or may have been sent: what it created is removed, then it fails CANCELLED. */
    REMOVE_WHAT_IT_CREATED,
    /** It has its outcome (or is being removed already): nothing to cancel. */
    TOO_LATE
  }

  public static Effect of(SagaState state, CreateEvidence evidence) {
    return switch (state) {
      case RECEIVED ->
          evidence == CreateEvidence.NONE ? Effect.NOTHING_SENT : Effect.REMOVE_WHAT_IT_CREATED;
      case CREATING, CREATE_UNKNOWN, PROVISIONING -> Effect.REMOVE_WHAT_IT_CREATED;
      default -> Effect.TOO_LATE;
    };
  }
}
