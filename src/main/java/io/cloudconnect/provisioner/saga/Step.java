package io.cloudconnect.provisioner.saga;

import java.time.Instant;

/**
 * What a saga should do next, as {@link CreationRules} and {@link ProgressRules} decide it. The
 * rules only decide; the application service (provisioning/ProvisioningSteps) carries a step out.
 */
public sealed interface Step {

  /** Due and in time: claim it and send the create call. */
  record Send() implements Step {}

  /** emnify answered the create call with the new attachment's id. */
  record Created(long attachmentId) implements Step {}

  /** An ambiguous create turned out to have worked: continue with the attachment found. */
  record Adopt(long attachmentId) implements Step {}

  record Fail(FailureReason reason, String message) implements Step {}

  /** The create certainly did not take effect: create again, not before {@code at}. */
  record CreateAgain(String why, Instant at) implements Step {}

  /**
   * The create was never sent (no token in the service's own budget): the claim goes back as if
   * never taken, not an attempt, due again at {@code at}.
   */
  record HandBack(Instant at) implements Step {}

  /**
   * The create call may or may not have taken effect upstream; {@code searchOnly}: it very likely
   * did, so never create again, only look for the marker (see {@link CreateEvidence}).
   */
  record MarkUnknown(String why, boolean searchOnly) implements Step {
    public MarkUnknown(String why) {
      this(why, false);
    }
  }

  /** Still on its way; record the status if it changed. */
  record Progressing(Observation observation) implements Step {}

  /** Active: fetch its tunnel information and publish ready. */
  record FetchAndReady(long attachmentId) implements Step {}

  /** Accepted, but absent from the list: ask for it by id. */
  record LookUp(long attachmentId) implements Step {}

  record Wait() implements Step {}
}
