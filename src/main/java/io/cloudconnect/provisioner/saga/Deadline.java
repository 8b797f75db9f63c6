package io.cloudconnect.provisioner.saga;

import java.time.Instant;

/**
 * The provisioning deadline, in one place: every rule that fails a request for time asks here, so
 * the condition and the message are the same wherever the request happens to be.
 */
public final class Deadline {
  private Deadline() {}

  public static boolean passed(ProvisioningSaga saga, Instant now) {
    return saga.isPastDeadline(now);
  }

  /** The failure of a saga past its deadline; {@code lastKnown} says what was last seen of it. */
  public static Step.Fail timedOut(ProvisioningSaga saga, String lastKnown) {
    if (saga.createAttempts() == 0 && saga.state() == SagaState.RECEIVED) {
      return new Step.Fail(
          FailureReason.TIMED_OUT,
          "its turn for a create call did not come within the wait allowed (nothing was created): "
              + lastKnown);
    }
    String what = saga.attachmentId() == null ? "not created" : "not Active";
    return new Step.Fail(
        FailureReason.TIMED_OUT, what + " before the provisioning deadline: " + lastKnown);
  }

  /** The last error recorded, or that emnify never answered. */
  static String lastErrorOf(ProvisioningSaga saga) {
    return saga.lastError() == null ? "no answer from emnify" : saga.lastError();
  }
}
