package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.saga.Compensations.Mode;
import io.cloudconnect.provisioner.saga.Step.FoundForRemoval;
import io.cloudconnect.provisioner.saga.Step.LookUp;
import io.cloudconnect.provisioner.saga.Step.RemovalOverdue;
import io.cloudconnect.provisioner.saga.Step.RemovalProgressing;
import io.cloudconnect.provisioner.saga.Step.Removed;
import io.cloudconnect.provisioner.saga.Step.SendDelete;
import io.cloudconnect.provisioner.saga.Step.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Removing an attachment (REMOVING), and what a failure does to what it left. */
class RemovalRulesTest {
  static final Instant T0 = ProvisioningSagaTest.T0;
  static final Duration GRACE = Duration.ofMinutes(2);
  static final Duration TIMEOUT = Duration.ofMinutes(30);
  static final Instant SOON = T0.plusSeconds(30);

  /** A request whose attachment 42 is being removed because it timed out. */
  static ProvisioningSaga compensating() {
    ProvisioningSaga saga = ProgressRulesTest.provisioning();
    saga.startRemoval(
        RemovalPurpose.COMPENSATE, FailureReason.TIMED_OUT, "not Active", T0, TIMEOUT);
    return saga;
  }

  static Step decide(ProvisioningSaga saga, Optional<Observation> seen, Instant now) {
    return RemovalRules.decide(saga, seen, now, now, true, GRACE);
  }

  @Test
  void aDeletableAttachmentIsDeletedAndDeletedAgainOnlyAfterAGraceWithoutProgress() {
    ProvisioningSaga saga = compensating();
    for (int status = 1; status <= 5; status++) {
      assertThat(decide(saga, ProgressRulesTest.seen(status), SOON)).isEqualTo(new SendDelete(42));
    }
    saga.deleteSent(SOON);
    assertThat(decide(saga, ProgressRulesTest.seen(2), SOON.plusSeconds(10)))
        .isInstanceOf(RemovalProgressing.class);
    assertThat(decide(saga, ProgressRulesTest.seen(2), SOON.plus(GRACE)))
        .isEqualTo(new SendDelete(42));
  }

  /** What a delete call came to, for the saga as it is when the answer is recorded. */
  @Test
  void aDeleteAnswerIsAStepForTheAttachmentBeingRemovedAndNothingForAnyOther() {
    ProvisioningSaga saga = compensating();
    assertThat(RemovalRules.deleteAnswered(saga, 42, new DeleteOutcome.Accepted()))
        .isEqualTo(new Step.DeleteAccepted(42));
    assertThat(RemovalRules.deleteAnswered(saga, 42, new DeleteOutcome.Gone()))
        .isEqualTo(
            new Removed(Compensation.NOT_NEEDED, "attachment 42 no longer exists at emnify"));
    assertThat(RemovalRules.deleteAnswered(saga, 42, new DeleteOutcome.Refused("Classic")))
        .isEqualTo(new Step.RemovalRefused("emnify refused to delete attachment 42: Classic"));
    assertThat(RemovalRules.deleteAnswered(saga, 42, new DeleteOutcome.NotNow("409")))
        .isEqualTo(new Wait());
    // the answer for another attachment, or after the removal ended, changes nothing
    assertThat(RemovalRules.deleteAnswered(saga, 43, new DeleteOutcome.Accepted()))
        .isEqualTo(new Wait());
    saga.deleteSent(SOON);
    assertThat(RemovalRules.deleteAnswered(saga, 42, new DeleteOutcome.Gone()))
        .isEqualTo(new Removed(Compensation.DELETED, "attachment 42 deleted"));
    saga.removed(Compensation.DELETED, "gone", SOON);
    assertThat(RemovalRules.deleteAnswered(saga, 42, new DeleteOutcome.Refused("late")))
        .isEqualTo(new Wait());
  }

  /** OpenAPI, delete: refused in 7 and 8. 8 waits for the status that follows; 6 is on its way. */
  @Test
  void rollingBackAndDeactivationPendingWaitWithoutADeleteCall() {
    ProvisioningSaga saga = compensating();
    assertThat(decide(saga, ProgressRulesTest.seen(8), SOON))
        .isEqualTo(new RemovalProgressing(ProgressRulesTest.seen(8).get()));
    assertThat(decide(saga, ProgressRulesTest.seen(6), SOON))
        .isEqualTo(new RemovalProgressing(ProgressRulesTest.seen(6).get()));
  }

  @Test
  void deactivatedOrGoneEndsTheRemovalSayingWhetherWeDeletedIt() {
    ProvisioningSaga untouched = compensating();
    assertThat(decide(untouched, ProgressRulesTest.seen(7), SOON))
        .isEqualTo(new Removed(Compensation.NOT_NEEDED, "attachment 42 is Deactivated (status 7)"));
    assertThat(decide(untouched, Optional.empty(), SOON))
        .isEqualTo(
            new Removed(Compensation.NOT_NEEDED, "attachment 42 no longer exists at emnify"));

    ProvisioningSaga deleted = compensating();
    deleted.deleteSent(SOON);
    assertThat(decide(deleted, Optional.empty(), SOON.plusSeconds(5)))
        .isEqualTo(new Removed(Compensation.DELETED, "attachment 42 deleted"));
    assertThat(RemovalRules.vanished(deleted, 42))
        .isEqualTo(new Removed(Compensation.DELETED, "attachment 42 deleted"));
    assertThat(RemovalRules.vanished(deleted, 43)).isEqualTo(new Wait());
  }

  @Test
  void anIncompleteListThatLacksItAsksByIdInsteadOfConcludingItIsGone() {
    assertThat(RemovalRules.decide(compensating(), Optional.empty(), SOON, SOON, false, GRACE))
        .isEqualTo(new LookUp(42));
  }

  @Test
  void pastTheDeadlineTheRequestIsAnsweredPendingOnceAndTheRemovalGoesOn() {
    ProvisioningSaga saga = compensating();
    Instant late = T0.plus(TIMEOUT).plusSeconds(1);
    Step step = decide(saga, ProgressRulesTest.seen(8), late);
    assertThat(step).isInstanceOf(RemovalOverdue.class);
    assertThat(((RemovalOverdue) step).note()).contains("attachment 42 is not confirmed deleted");

    saga.answeredWhileRemoving(((RemovalOverdue) step).note(), late);
    assertThat(saga.compensation()).isEqualTo(Compensation.PENDING);
    assertThat(saga.state()).isEqualTo(SagaState.REMOVING);
    assertThat(decide(saga, ProgressRulesTest.seen(2), late)).isEqualTo(new SendDelete(42));

    saga.deleteSent(late);
    saga.removed(Compensation.DELETED, "attachment 42 deleted", late.plusSeconds(9));
    assertThat(saga.state()).isEqualTo(SagaState.FAILED);
    assertThat(saga.compensation()).isEqualTo(Compensation.DELETED);
    assertThat(saga.answeredAt()).isEqualTo(late); // not answered twice
  }

  /** The create was cancelled while its outcome was unknown: looked for by marker first. */
  @Test
  void anAttachmentOfUnknownIdIsFoundByMarkerOrTakenAsNeverCreatedAfterAGrace() {
    ProvisioningSaga saga = ProgressRulesTest.unknown(T0);
    saga.startRemoval(RemovalPurpose.CANCEL, FailureReason.CANCELLED, "by del-1", T0, TIMEOUT);
    Optional<Observation> found = Optional.of(new Observation(77, 2, "Pending AWS Activation"));

    assertThat(decide(saga, found, SOON)).isEqualTo(new FoundForRemoval(77));
    assertThat(decide(saga, Optional.empty(), SOON)).isEqualTo(new Wait());
    assertThat(
            RemovalRules.decide(
                saga, Optional.empty(), T0.plus(GRACE), T0.plus(GRACE), false, GRACE))
        .isEqualTo(new Wait()); // an incomplete list proves nothing
    Step after = decide(saga, Optional.empty(), T0.plus(GRACE).plusSeconds(1));
    assertThat(after).isInstanceOf(Removed.class);
    assertThat(((Removed) after).outcome()).isEqualTo(Compensation.NOT_NEEDED);
  }

  @Test
  void aLiveCreateClaimIsWaitedForBeforeConcludingNothingWasCreated() {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    saga.claimForCreate("worker", T0, Duration.ofMinutes(10), TIMEOUT);
    saga.startRemoval(RemovalPurpose.CANCEL, FailureReason.CANCELLED, "by del-1", T0, TIMEOUT);
    assertThat(saga.lease().owner()).isEqualTo("worker");
    assertThat(decide(saga, Optional.empty(), T0.plus(GRACE).plusSeconds(1))).isEqualTo(new Wait());

    saga.removalFound(99, T0.plusSeconds(5)); // the worker's answer: created 99
    assertThat(saga.lease().owner()).isNull();
    assertThat(decide(saga, Optional.of(new Observation(99, 2, "p")), SOON))
        .isEqualTo(new SendDelete(99));
  }

  @Test
  void aDeleteRequestEmnifyRefusesPutsAReadyAttachmentBackAsItWas() {
    ProvisioningSaga saga = ProgressRulesTest.provisioning();
    saga.becameReady(5, "Active", 2, T0);
    saga.startRemoval(RemovalPurpose.DELETE, null, null, SOON, TIMEOUT);
    assertThat(saga.owesAnswer()).isFalse(); // its ready event was its answer
    assertThat(decide(saga, ProgressRulesTest.seen(5), SOON.plus(TIMEOUT).plusSeconds(1)))
        .isEqualTo(new SendDelete(42));

    saga.removalImpossible("403 Forbidden", SOON.plusSeconds(1));
    assertThat(saga.state()).isEqualTo(SagaState.READY);
    assertThat(saga.failureReason()).isNull();
  }

  // --- what a failure does to what it left ---------------------------------------------------

  @Test
  void aFailureWithAnAttachmentRemovesItUnlessKeptOrAlreadyGone() {
    Step.Fail timedOut = new Step.Fail(FailureReason.TIMED_OUT, "late");
    ProvisioningSaga saga = ProgressRulesTest.provisioning();
    assertThat(Compensations.atFailure(saga, timedOut, Mode.DELETE).remove()).isTrue();

    Compensations.Decision kept = Compensations.atFailure(saga, timedOut, Mode.KEEP);
    assertThat(kept.remove()).isFalse();
    assertThat(kept.compensation()).isEqualTo(Compensation.KEPT);
    assertThat(kept.note()).contains("attachment 42 kept").contains("mode=keep");

    Step.Fail deactivated =
        new Step.Fail(FailureReason.DEACTIVATED, "status 7", Step.Leftover.NONE);
    assertThat(Compensations.atFailure(saga, deactivated, Mode.DELETE).compensation())
        .isEqualTo(Compensation.NOT_NEEDED);
  }

  @Test
  void theCreatesOwnRefusalLeavesNothingButAClaimThatRanOutMayHave() {
    ProvisioningSaga claimed = ProvisioningSagaTest.received();
    claimed.claimForCreate("a", T0, Duration.ofSeconds(60), TIMEOUT);
    Step.Fail refused =
        new Step.Fail(FailureReason.REJECTED_BY_API, "400", Step.Leftover.NONE_FROM_THIS_CALL);
    assertThat(Compensations.atFailure(claimed, refused, Mode.DELETE).compensation())
        .isEqualTo(Compensation.NOT_NEEDED);
    Step.Fail timedOut = new Step.Fail(FailureReason.TIMED_OUT, "claim ran out");
    assertThat(Compensations.atFailure(claimed, timedOut, Mode.DELETE).remove()).isTrue();
  }

  /**
   * Found by the lifecycle fault scenario: a create deferred after an ambiguous attempt times out
   * at its next claim, still RECEIVED; what the first attempt may have made is removed from there.
   */
  @Test
  void aRequestWaitingToBeCreatedAgainAfterAnAmbiguousAttemptIsCompensatedFromReceived() {
    ProvisioningSaga saga = ProgressRulesTest.unknown(T0);
    saga.createDeferred("no attachment carrying the marker appeared", T0.plusSeconds(5), T0);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    Step.Fail timedOut = new Step.Fail(FailureReason.TIMED_OUT, "deadline");
    assertThat(Compensations.atFailure(saga, timedOut, Mode.DELETE).remove()).isTrue();

    saga.startRemoval(RemovalPurpose.COMPENSATE, FailureReason.TIMED_OUT, "deadline", T0, TIMEOUT);
    assertThat(saga.state()).isEqualTo(SagaState.REMOVING);
    assertThat(saga.failureReason()).isEqualTo(FailureReason.TIMED_OUT);
  }

  @Test
  void aFailureBeforeAnyCreateNeedsNothingAndAnAmbiguousOneIsLookedFor() {
    Step.Fail fail = new Step.Fail(FailureReason.UPSTREAM_UNAVAILABLE, "down");
    Compensations.Decision none =
        Compensations.atFailure(ProvisioningSagaTest.received(), fail, Mode.DELETE);
    assertThat(none.remove()).isFalse();
    assertThat(none.compensation()).isEqualTo(Compensation.NOT_NEEDED);

    assertThat(Compensations.atFailure(ProgressRulesTest.unknown(T0), fail, Mode.DELETE).remove())
        .isTrue();
  }

  @Test
  void anAdoptedAttachmentIsNeverDeletedByCompensation() {
    ProvisioningSaga adopted =
        ProvisioningSaga.adoptionReceived(
            "adopt-1", 42, "test", new ProvisioningSaga.Adoption(true, false), T0, TIMEOUT);
    Compensations.Decision decision =
        Compensations.atFailure(
            adopted, new Step.Fail(FailureReason.ROLLED_BACK, "8"), Mode.DELETE);
    assertThat(decision.remove()).isFalse();
    assertThat(decision.compensation()).isEqualTo(Compensation.KEPT);
  }

  @Test
  void onlyNothingLeftBehindLetsAFailureBeRetried() {
    assertThat(Compensation.DELETED.nothingLeft()).isTrue();
    assertThat(Compensation.NOT_NEEDED.nothingLeft()).isTrue();
    assertThat(Compensation.PENDING.nothingLeft()).isFalse();
    assertThat(Compensation.KEPT.nothingLeft()).isFalse();
    assertThat(Compensation.IMPOSSIBLE.nothingLeft()).isFalse();
  }
}
