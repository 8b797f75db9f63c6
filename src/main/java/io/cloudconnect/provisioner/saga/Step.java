package io.cloudconnect.provisioner.saga;

import java.time.Instant;

/**
 * What a saga should do next, as {@link CreationRules} and {@link ProgressRules} decide it. The
 * rules only decide; the application service (provisioning/StepApplier) carries a step out.
 */
public sealed interface Step {

  /** Due and in time: claim it and send the create call. */
  record Send() implements Step {}

  /** emnify answered the create call with the new attachment's id. */
  record Created(long attachmentId) implements Step {}

  /** An ambiguous create turned out to have worked: continue with the attachment found. */
  record Adopt(long attachmentId) implements Step {}

  /**
   * The request fails; {@link Compensations} decides what happens to what it may have left at
   * emnify, told by {@code leftover} what the failure itself proves.
   */
  record Fail(FailureReason reason, String message, Leftover leftover) implements Step {
    public Fail(FailureReason reason, String message) {
      this(reason, message, Leftover.AS_RECORDED);
    }
  }

  /** What a failure proves about the attachment it may have left. */
  enum Leftover {
    /** Nothing beyond what the saga records (its attachment id, its create evidence, its state). */
    AS_RECORDED,
    /** The create call's own definite answer: this call created nothing (earlier ones may have). */
    NONE_FROM_THIS_CALL,
    /** emnify itself removed or deactivated the attachment: nothing to compensate. */
    NONE
  }

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

  // --- removing an attachment (state REMOVING) ------------------------------------------------

  /** Send (or send again) the delete call for the attachment. */
  record SendDelete(long attachmentId) implements Step {}

  /** emnify accepted the delete call: the next observations confirm the removal. */
  record DeleteAccepted(long attachmentId) implements Step {}

  /** emnify refused the delete call for good: the removal is impossible. */
  record RemovalRefused(String why) implements Step {}

  /**
   * A cancelled create's call was answered without an attachment id: its claim is over, so the
   * marker search may conclude.
   */
  record ClaimOver() implements Step {}

  /** The attachment being removed was found (by marker, or in the create's late answer). */
  record FoundForRemoval(long attachmentId) implements Step {}

  /** Gone, Deactivated, or never created: the removal is over. */
  record Removed(Compensation outcome, String note) implements Step {}

  /** The removal's deadline passed while the request still owes its answer. */
  record RemovalOverdue(String note) implements Step {}

  /** Still being removed; record the status emnify reports. */
  record RemovalProgressing(Observation observation) implements Step {}
}
