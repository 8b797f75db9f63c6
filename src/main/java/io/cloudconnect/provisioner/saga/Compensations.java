package io.cloudconnect.provisioner.saga;

/**
 * What happens to the attachment of a request that fails: deleted (through {@link
 * SagaState#REMOVING}), kept, or nothing to do. Pure, like the other rules.
 */
public final class Compensations {

  /** {@code cloudconnect.compensation.mode}. */
  public enum Mode {
    /** Delete what a failed request left at emnify (the default). */
    DELETE,
    /** Leave it for inspection; the failed event says so and is not retryable. */
    KEEP
  }

  /** The decision: settle at once with {@code compensation}, or remove first ({@code remove}). */
  public record Decision(boolean remove, Compensation compensation, String note) {
    static Decision settle(Compensation compensation, String note) {
      return new Decision(false, compensation, note);
    }

    static Decision removeFirst() {
      return new Decision(true, null, null);
    }
  }

  private Compensations() {}

  public static Decision atFailure(ProvisioningSaga saga, Step.Fail fail, Mode mode) {
    Long id = saga.attachmentId();
    if (fail.reason() == FailureReason.NOT_ADOPTABLE) {
      // never held: a later delete by its id must not find it held by this request
      return Decision.settle(
          Compensation.NOT_NEEDED, "attachment " + id + " was not adopted: left as it is");
    }
    if (saga.kind() == RequestKind.ADOPT) {
      return Decision.settle(
          Compensation.KEPT, "adopted attachment " + id + ": not created here, not deleted here");
    }
    if (fail.leftover() == Step.Leftover.NONE) {
      return Decision.settle(
          Compensation.NOT_NEEDED, "emnify removed or deactivated attachment " + id + " itself");
    }
    boolean exists = id != null;
    // a create whose outcome nobody learned (a claim that ran out, an unknown answer) may have
    // made one; the create's own definite answer made none, only earlier attempts may have
    boolean uncertainCall =
        fail.leftover() == Step.Leftover.AS_RECORDED
            && (saga.state() == SagaState.CREATING || saga.state() == SagaState.CREATE_UNKNOWN);
    boolean maybe = !exists && (saga.createEvidence() != CreateEvidence.NONE || uncertainCall);
    if (!exists && !maybe) {
      return Decision.settle(Compensation.NOT_NEEDED, "nothing was created");
    }
    if (mode == Mode.KEEP) {
      return Decision.settle(
          Compensation.KEPT,
          (exists
                  ? "attachment " + id
                  : "an attachment carrying " + saga.marker() + " may exist; it is")
              + " kept for inspection (cloudconnect.compensation.mode=keep)");
    }
    return Decision.removeFirst();
  }
}
