package io.cloudconnect.provisioner.saga;

import io.cloudconnect.provisioner.saga.Step.Adopt;
import io.cloudconnect.provisioner.saga.Step.CreateAgain;
import io.cloudconnect.provisioner.saga.Step.Fail;
import io.cloudconnect.provisioner.saga.Step.FetchAndReady;
import io.cloudconnect.provisioner.saga.Step.LookUp;
import io.cloudconnect.provisioner.saga.Step.MarkUnknown;
import io.cloudconnect.provisioner.saga.Step.Progressing;
import io.cloudconnect.provisioner.saga.Step.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an in-flight saga should do next, given what emnify reports. Pure: no I/O, no clock of its
 * own, so every branch is tested without infrastructure. The order of checks matters: an Active
 * attachment wins over a deadline that passed while we were looking.
 */
public final class ProgressRules {
  private ProgressRules() {}

  /**
   * @param observed what the list showed for this saga, if anything
   * @param now the current time (deadlines)
   * @param listedAt when the list call that produced {@code observed} was started: an attachment
   *     created after that moment cannot be in it, however late the answer came
   * @param complete whether the list is known to hold every attachment (page count known, as many
   *     distinct attachments as emnify counted): only a complete list proves an absence
   */
  public static Step decide(
      ProvisioningSaga saga,
      Optional<Observation> observed,
      Instant now,
      Instant listedAt,
      boolean complete,
      Duration grace) {
    return switch (saga.state()) {
      case CREATING -> claimed(saga, observed, now);
      case CREATE_UNKNOWN ->
          observed.isEmpty() && !complete
              ? withoutList(saga, now, grace)
              : afterAmbiguousCreate(saga, observed, listedAt, grace);
      case PROVISIONING -> provisioning(saga, observed, now, grace);
      case REMOVING -> RemovalRules.decide(saga, observed, now, listedAt, complete, grace);
      default -> new Wait();
    };
  }

  /**
   * The list call failed or was incomplete: nothing is learned. The deadline still holds, but an
   * ambiguous create is not failed before it could be reconciled: it gets one grace period past the
   * deadline for a list that settles whether it exists.
   */
  public static Step withoutList(ProvisioningSaga saga, Instant now, Duration grace) {
    if (saga.state() == SagaState.REMOVING) {
      return RemovalRules.withoutObservation(saga, now);
    }
    if (saga.state() == SagaState.CREATE_UNKNOWN) {
      return saga.deadlineAt() != null && now.isAfter(saga.deadlineAt().plus(grace))
          ? Deadline.timedOut(saga, "emnify's list could not be read to look for " + saga.marker())
          : new Wait();
    }
    return Deadline.passed(saga, now)
        ? Deadline.timedOut(saga, "emnify could not be asked")
        : new Wait();
  }

  /**
   * Claimed by a create worker. While its lease holds, its call may still be answered: only the
   * worker decides (a stale observer must not take a live claim over).
   */
  private static Step claimed(ProvisioningSaga saga, Optional<Observation> observed, Instant now) {
    if (observed.isPresent()) {
      return new Adopt(observed.get().attachmentId());
    }
    return saga.claimHeldAt(now)
        ? new Wait()
        : new MarkUnknown("the create worker's claim expired before it recorded an answer");
  }

  /**
   * emnify answered 404 for the accepted attachment it no longer lists. Right after the 201, before
   * emnify ever showed the attachment, its reads may simply lag (as its list does): the 404 counts
   * only once the attachment was seen, or a grace period after it was accepted.
   */
  public static Step vanished(
      ProvisioningSaga saga, long attachmentId, Instant now, Duration grace) {
    if (saga.state() == SagaState.REMOVING) {
      return RemovalRules.vanished(saga, attachmentId);
    }
    if (saga.state() != SagaState.PROVISIONING
        || saga.attachmentId() == null
        || saga.attachmentId() != attachmentId) {
      return new Wait();
    }
    boolean seen = saga.emnifyView().statusId() != null;
    if (!seen && saga.provisioningAt() != null && !now.isAfter(saga.provisioningAt().plus(grace))) {
      return new Wait();
    }
    return new Fail(
        FailureReason.DELETED_UPSTREAM,
        "attachment " + attachmentId + " no longer exists at emnify",
        Step.Leftover.NONE);
  }

  private static boolean activeOverdue(ProvisioningSaga saga, Instant now, Duration grace) {
    return saga.deadlineAt() != null && now.isAfter(saga.deadlineAt().plus(grace));
  }

  /**
   * An ambiguous create, seen through a complete list. Found: adopted. Not found: failed if the
   * list began after the deadline (so the request was reconciled before it failed); created again
   * once a list begun a full grace period after the outcome became unknown lacks it, unless an
   * attachment very likely exists ({@link CreateEvidence#SEARCH_ONLY}).
   */
  private static Step afterAmbiguousCreate(
      ProvisioningSaga saga, Optional<Observation> observed, Instant listedAt, Duration grace) {
    if (observed.isPresent()) {
      return new Adopt(observed.get().attachmentId());
    }
    if (Deadline.passed(saga, listedAt)) {
      return Deadline.timedOut(
          saga,
          "no attachment carrying " + saga.marker() + " found: " + Deadline.lastErrorOf(saga));
    }
    if (saga.createEvidence() == CreateEvidence.SEARCH_ONLY) {
      return new Wait();
    }
    Instant since = saga.updatedAt() != null ? saga.updatedAt() : saga.creatingAt();
    if (since != null && listedAt.isAfter(since.plus(grace))) {
      return new CreateAgain(
          "no attachment carrying " + saga.marker() + " appeared within " + grace, listedAt);
    }
    return new Wait();
  }

  private static Step provisioning(
      ProvisioningSaga saga, Optional<Observation> observed, Instant now, Duration grace) {
    if (observed.isEmpty()) {
      // not listed: asked for by id, but not forever (the detail read may keep failing)
      return activeOverdue(saga, now, grace)
          ? Deadline.timedOut(saga, "not listed by emnify, and not readable by id")
          : new LookUp(saga.attachmentId());
    }
    Observation o = observed.get();
    Optional<Step> notOurs = AdoptionRules.refusal(saga, o).map(Step.class::cast);
    if (notOurs.isPresent()) {
      return notOurs.get();
    }
    if (o.statusId() == Observation.ACTIVE) {
      // Active wins over a deadline that passed while we looked, for one grace period: a detail
      // read that keeps failing must still end the request
      return activeOverdue(saga, now, grace)
          ? new Fail(
              FailureReason.TIMED_OUT,
              "Active, but its details could not be read before the provisioning deadline")
          : new FetchAndReady(o.attachmentId());
    }
    if (o.statusId() == Observation.ROLLING_BACK) {
      return new Fail(
          FailureReason.ROLLED_BACK, "emnify is rolling the attachment back (status 8)");
    }
    if (o.statusId() == Observation.DEACTIVATION_PENDING) {
      // someone is deleting it: it will not become Active, so do not wait for the deadline
      return new Fail(FailureReason.DEACTIVATED, "the attachment is being deactivated (status 6)");
    }
    if (o.statusId() == Observation.DEACTIVATED) {
      return new Fail(
          FailureReason.DEACTIVATED,
          "the attachment was deactivated (status 7)",
          Step.Leftover.NONE);
    }
    if (Deadline.passed(saga, now)) {
      return Deadline.timedOut(saga, "last status " + o.statusId() + " " + o.statusDescription());
    }
    return new Progressing(o);
  }
}
