package io.cloudconnect.provisioner.saga;

import io.cloudconnect.provisioner.saga.Step.DeleteAccepted;
import io.cloudconnect.provisioner.saga.Step.FoundForRemoval;
import io.cloudconnect.provisioner.saga.Step.LookUp;
import io.cloudconnect.provisioner.saga.Step.RemovalOverdue;
import io.cloudconnect.provisioner.saga.Step.RemovalProgressing;
import io.cloudconnect.provisioner.saga.Step.RemovalRefused;
import io.cloudconnect.provisioner.saga.Step.Removed;
import io.cloudconnect.provisioner.saga.Step.SendDelete;
import io.cloudconnect.provisioner.saga.Step.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a saga in {@link SagaState#REMOVING} does next, given what emnify reports. Pure. emnify's
 * rules (OpenAPI, delete operation): an attachment cannot be deleted in status 7 (Deactivated) or 8
 * (Rolling Back); a deleted attachment is left out of the list, and status 6 (Deactivation Pending)
 * is the way there. So: 1-5 delete (again after {@code grace} without progress), 6 and 8 wait, 7 or
 * gone is done. An attachment whose id is unknown (the create's outcome was, or may still be,
 * unknown) is looked for by marker first, and taken as never created once a complete list begun a
 * grace period after the removal started lacks it.
 */
public final class RemovalRules {
  private RemovalRules() {}

  public static Step decide(
      ProvisioningSaga saga,
      Optional<Observation> observed,
      Instant now,
      Instant listedAt,
      boolean complete,
      Duration grace) {
    Long id = saga.attachmentId();
    if (id == null) {
      return byMarker(saga, observed, now, listedAt, complete, grace);
    }
    if (observed.isEmpty()) {
      return complete ? gone(saga, id) : overdueOr(saga, now, new LookUp(id));
    }
    Observation o = observed.get();
    if (o.statusId() == Observation.DEACTIVATED) {
      return new Removed(
          saga.deleteSentAt() != null ? Compensation.DELETED : Compensation.NOT_NEEDED,
          "attachment " + id + " is Deactivated (status 7)");
    }
    Step next;
    if (o.statusId() == Observation.DEACTIVATION_PENDING
        || o.statusId() == Observation.ROLLING_BACK) {
      // 6: on its way out; 8: emnify refuses deletes while rolling back, wait for it to settle
      next = new RemovalProgressing(o);
    } else if (saga.deleteSentAt() == null || !now.isBefore(saga.deleteSentAt().plus(grace))) {
      next = new SendDelete(id);
    } else {
      next = new RemovalProgressing(o);
    }
    return overdueOr(saga, now, next);
  }

  /**
   * What one delete call for {@code attachmentId} came to, for the saga as it is now: accepted (the
   * next observations confirm it), gone (the removal is over), refused for good (the removal is
   * impossible), or not now (sent again later). An answer for another attachment, or one that came
   * after the removal ended, changes nothing.
   */
  public static Step deleteAnswered(
      ProvisioningSaga saga, long attachmentId, DeleteOutcome outcome) {
    if (saga.state() != SagaState.REMOVING
        || saga.attachmentId() == null
        || saga.attachmentId() != attachmentId) {
      return new Wait();
    }
    if (outcome instanceof DeleteOutcome.Accepted) {
      return new DeleteAccepted(attachmentId);
    }
    if (outcome instanceof DeleteOutcome.Gone) {
      return gone(saga, attachmentId);
    }
    if (outcome instanceof DeleteOutcome.Refused refused) {
      return new RemovalRefused(
          "emnify refused to delete attachment " + attachmentId + ": " + refused.message());
    }
    return new Wait();
  }

  /**
   * The create call of a request cancelled while it was out came back: the attachment it made, if
   * the answer names one, is what the removal deletes; without one the claim is over, and the
   * marker search may conclude.
   */
  public static Step createAnswered(CreateOutcome outcome) {
    return outcome instanceof CreateOutcome.Created created
        ? new FoundForRemoval(created.attachmentId())
        : new Step.ClaimOver();
  }

  /** Nothing was learned this cycle (the list or the read failed). */
  public static Step withoutObservation(ProvisioningSaga saga, Instant now) {
    return overdueOr(saga, now, new Wait());
  }

  /** emnify answered 404 for the attachment being removed: it is gone. */
  public static Step vanished(ProvisioningSaga saga, long attachmentId) {
    if (saga.state() != SagaState.REMOVING
        || saga.attachmentId() == null
        || saga.attachmentId() != attachmentId) {
      return new Wait();
    }
    return gone(saga, attachmentId);
  }

  private static Step gone(ProvisioningSaga saga, long id) {
    return saga.deleteSentAt() != null
        ? new Removed(Compensation.DELETED, "attachment " + id + " deleted")
        : new Removed(Compensation.NOT_NEEDED, "attachment " + id + " no longer exists at emnify");
  }

  private static Step byMarker(
      ProvisioningSaga saga,
      Optional<Observation> observed,
      Instant now,
      Instant listedAt,
      boolean complete,
      Duration grace) {
    if (observed.isPresent()) {
      return new FoundForRemoval(observed.get().attachmentId());
    }
    boolean claimLive = saga.lease().liveAt(now);
    Instant since = saga.updatedAt();
    if (!claimLive && complete && since != null && listedAt.isAfter(since.plus(grace))) {
      return new Removed(
          Compensation.NOT_NEEDED,
          "no attachment carrying " + saga.marker() + " appeared within " + grace);
    }
    return overdueOr(saga, now, new Wait());
  }

  private static Step overdueOr(ProvisioningSaga saga, Instant now, Step otherwise) {
    if (saga.owesAnswer() && Deadline.passed(saga, now)) {
      String what =
          saga.attachmentId() == null
              ? "an attachment carrying " + saga.marker() + " may exist"
              : "attachment " + saga.attachmentId() + " is not confirmed deleted";
      return new RemovalOverdue(what + " by the deadline; the service keeps removing it");
    }
    return otherwise;
  }
}
