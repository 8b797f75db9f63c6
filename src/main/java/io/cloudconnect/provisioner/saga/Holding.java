package io.cloudconnect.provisioner.saga;

/**
 * Whether a request holds an attachment at emnify, by its state: one definition for the adopt
 * request that must not take over what a live request holds, the delete that must delete what was
 * kept, and the sweep that must not call an attachment with a request behind it an orphan.
 */
public final class Holding {
  private Holding() {}

  /**
   * The request holds its attachment now: being provisioned, ready, being removed, or failed with
   * its attachment kept on purpose (the operator's to look at) or because it could not be deleted.
   */
  public static boolean holdsAttachment(SagaState state, Compensation compensation) {
    return switch (state) {
      case PROVISIONING, READY, REMOVING -> true;
      case FAILED -> keptOnPurpose(compensation);
      default -> false;
    };
  }

  /**
   * A request stands behind an attachment it holds or may be creating now: a create on its way, or
   * one whose outcome is not known yet, may have made the attachment a list already shows.
   */
  public static boolean standsBehind(SagaState state, Compensation compensation) {
    return state == SagaState.CREATING
        || state == SagaState.CREATE_UNKNOWN
        || holdsAttachment(state, compensation);
  }

  /** A failed request's attachment was left at emnify, kept or impossible to delete. */
  public static boolean keptOnPurpose(Compensation compensation) {
    return compensation == Compensation.KEPT || compensation == Compensation.IMPOSSIBLE;
  }
}
