package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

class ProgressRulesTest {
  static final Instant T0 = ProvisioningSagaTest.T0;
  static final Duration GRACE = Duration.ofMinutes(2);
  static final Instant BEFORE_DEADLINE = T0.plusSeconds(60);
  static final Instant AFTER_DEADLINE = T0.plus(Duration.ofMinutes(31));

  static ProvisioningSaga provisioning() {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.attachmentCreated(42, T0);
    return saga;
  }

  static ProvisioningSaga unknown(Instant at) {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    saga.claimForCreate("a", at, Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.createOutcomeUnknown("timed out", false, at);
    return saga;
  }

  static Optional<Observation> seen(int status) {
    return Optional.of(new Observation(42, status, "status " + status));
  }

  @Test
  void activeAttachmentIsFetchedForReadyEvenPastTheDeadline() {
    assertThat(
            ProgressRules.decide(
                provisioning(), seen(5), AFTER_DEADLINE, AFTER_DEADLINE, true, GRACE))
        .isEqualTo(new FetchAndReady(42));
  }

  @Test
  void rollingBackFailsAsRolledBack() {
    Step step =
        ProgressRules.decide(
            provisioning(), seen(8), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE);
    assertThat(step).isInstanceOf(Fail.class);
    assertThat(((Fail) step).reason()).isEqualTo(FailureReason.ROLLED_BACK);
  }

  @Test
  void deactivationPendingEndsTheRequestAtOnce() {
    Step step =
        ProgressRules.decide(
            provisioning(), seen(6), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE);
    assertThat(step)
        .isEqualTo(
            new Fail(FailureReason.DEACTIVATED, "the attachment is being deactivated (status 6)"));
  }

  @Test
  void deactivatedFailsAsDeactivated() {
    Step step =
        ProgressRules.decide(
            provisioning(), seen(7), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE);
    assertThat(((Fail) step).reason()).isEqualTo(FailureReason.DEACTIVATED);
  }

  @Test
  void pendingBeforeDeadlineIsProgress() {
    assertThat(
            ProgressRules.decide(
                provisioning(), seen(3), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE))
        .isEqualTo(new Progressing(seen(3).get()));
  }

  @Test
  void pendingAfterDeadlineTimesOutNamingTheLastStatus() {
    Step step =
        ProgressRules.decide(provisioning(), seen(2), AFTER_DEADLINE, AFTER_DEADLINE, true, GRACE);
    assertThat(((Fail) step).reason()).isEqualTo(FailureReason.TIMED_OUT);
    assertThat(((Fail) step).message()).contains("last status 2");
  }

  @Test
  void acceptedAttachmentMissingFromTheListIsLookedUpById() {
    assertThat(
            ProgressRules.decide(
                provisioning(), Optional.empty(), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE))
        .isEqualTo(new LookUp(42));
  }

  @Test
  void ambiguousCreateFoundByMarkerIsAdopted() {
    assertThat(
            ProgressRules.decide(
                unknown(T0), seen(2), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE))
        .isEqualTo(new Adopt(42));
  }

  @Test
  void ambiguousCreateNotFoundWaitsWithinGraceAndCreatesAgainAfter() {
    assertThat(
            ProgressRules.decide(
                unknown(T0),
                Optional.empty(),
                T0.plusSeconds(119),
                T0.plusSeconds(119),
                true,
                GRACE))
        .isEqualTo(new Wait());
    assertThat(
            ProgressRules.decide(
                unknown(T0),
                Optional.empty(),
                T0.plusSeconds(121),
                T0.plusSeconds(121),
                true,
                GRACE))
        .isInstanceOf(CreateAgain.class);
  }

  @Test
  void absenceCountsOnlyInAListStartedAfterTheGrace() {
    // the answer came late, but the list was requested before the grace was over
    Step step =
        ProgressRules.decide(
            unknown(T0), Optional.empty(), T0.plusSeconds(300), T0.plusSeconds(100), true, GRACE);
    assertThat(step).isEqualTo(new Wait());
  }

  @Test
  void ambiguousCreateNotFoundPastDeadlineTimesOut() {
    Step step =
        ProgressRules.decide(
            unknown(T0), Optional.empty(), AFTER_DEADLINE, AFTER_DEADLINE, true, GRACE);
    assertThat(((Fail) step).reason()).isEqualTo(FailureReason.TIMED_OUT);
  }

  @Test
  void expiredCreateClaimBecomesUnknownOrIsAdopted() {
    ProvisioningSaga creating = ProvisioningSagaTest.received();
    creating.claimForCreate("dead-replica", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    assertThat(
            ProgressRules.decide(
                creating, Optional.empty(), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE))
        .isInstanceOf(MarkUnknown.class);
    assertThat(
            ProgressRules.decide(creating, seen(2), BEFORE_DEADLINE, BEFORE_DEADLINE, true, GRACE))
        .isEqualTo(new Adopt(42));
  }

  @Test
  void terminalAndReceivedSagasAreLeftAlone() {
    assertThat(
            ProgressRules.decide(
                ProvisioningSagaTest.received(),
                seen(5),
                BEFORE_DEADLINE,
                BEFORE_DEADLINE,
                true,
                GRACE))
        .isEqualTo(new Wait());
  }

  @Test
  void failedListFailsTheSagaOnlyPastTheDeadline() {
    assertThat(ProgressRules.withoutList(provisioning(), BEFORE_DEADLINE, GRACE))
        .isEqualTo(new Wait());
    assertThat(ProgressRules.withoutList(provisioning(), AFTER_DEADLINE, GRACE))
        .isEqualTo(
            new Fail(
                FailureReason.TIMED_OUT,
                "not Active before the provisioning deadline: emnify could not be asked"));
    // an ambiguous create is not failed before a list could settle whether it exists
    Instant deadline = unknown(T0).deadlineAt();
    assertThat(ProgressRules.withoutList(unknown(T0), deadline.plus(GRACE), GRACE))
        .isEqualTo(new Wait());
    assertThat(ProgressRules.withoutList(unknown(T0), deadline.plus(GRACE).plusMillis(1), GRACE))
        .isEqualTo(
            new Fail(
                FailureReason.TIMED_OUT,
                "not created before the provisioning deadline: emnify's list could not be read"
                    + " to look for [ccp:test/req-1]"));
  }

  @Test
  void notFoundByIdFailsOnlyTheAttachmentItWasAskedAbout() {
    Instant later = T0.plus(GRACE).plusSeconds(1);
    assertThat(ProgressRules.vanished(provisioning(), 42, later, GRACE))
        .isEqualTo(
            new Fail(
                FailureReason.DELETED_UPSTREAM,
                "attachment 42 no longer exists at emnify",
                Step.Leftover.NONE));
    assertThat(ProgressRules.vanished(provisioning(), 43, later, GRACE)).isEqualTo(new Wait());
    assertThat(ProgressRules.vanished(unknown(T0), 42, later, GRACE)).isEqualTo(new Wait());
  }

  @Test
  void notFoundRightAfterTheCreateIsToleratedForAGraceUnlessItWasSeen() {
    ProvisioningSaga justCreated = provisioning(); // accepted at T0, never seen since
    assertThat(ProgressRules.vanished(justCreated, 42, T0.plusSeconds(30), GRACE))
        .isEqualTo(new Wait());
    ProvisioningSaga seen = provisioning();
    seen.statusObserved(2, "Pending AWS Activation", T0.plusSeconds(10));
    assertThat(ProgressRules.vanished(seen, 42, T0.plusSeconds(30), GRACE))
        .isInstanceOf(Fail.class);
  }

  @Test
  void activeAttachmentWhoseDetailsCannotBeReadEndsOneGraceAfterTheDeadline() {
    Instant deadline = provisioning().deadlineAt();
    assertThat(ProgressRules.decide(provisioning(), seen(5), deadline.plus(GRACE), T0, true, GRACE))
        .isEqualTo(new FetchAndReady(42));
    assertThat(
            ProgressRules.decide(
                provisioning(), seen(5), deadline.plus(GRACE).plusMillis(1), T0, true, GRACE))
        .isEqualTo(
            new Fail(
                FailureReason.TIMED_OUT,
                "Active, but its details could not be read before the provisioning deadline"));
  }

  @Test
  void attachmentNeitherListedNorReadableEndsOneGraceAfterTheDeadline() {
    Instant deadline = provisioning().deadlineAt();
    assertThat(
            ProgressRules.decide(
                provisioning(), Optional.empty(), deadline.plus(GRACE), T0, true, GRACE))
        .isEqualTo(new LookUp(42));
    assertThat(
            ProgressRules.decide(
                provisioning(),
                Optional.empty(),
                deadline.plus(GRACE).plusMillis(1),
                T0,
                true,
                GRACE))
        .isEqualTo(
            new Fail(
                FailureReason.TIMED_OUT,
                "not Active before the provisioning deadline:"
                    + " not listed by emnify, and not readable by id"));
  }

  /** A stale observer must not take over a live claim. */
  @Test
  void liveCreateClaimIsLeftToItsWorker() {
    ProvisioningSaga creating = ProvisioningSagaTest.received();
    creating.claimForCreate("replica-a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    assertThat(
            ProgressRules.decide(creating, Optional.empty(), T0.plusSeconds(59), T0, true, GRACE))
        .isEqualTo(new Wait());
    assertThat(
            ProgressRules.decide(creating, Optional.empty(), T0.plusSeconds(60), T0, true, GRACE))
        .isInstanceOf(MarkUnknown.class);
  }

  /** Only a complete list proves an absence. */
  @Test
  void incompleteListNeverLeadsToACreateAgain() {
    Instant late = T0.plusSeconds(300);
    assertThat(ProgressRules.decide(unknown(T0), Optional.empty(), late, late, false, GRACE))
        .isEqualTo(new Wait());
    assertThat(ProgressRules.decide(unknown(T0), Optional.empty(), late, late, true, GRACE))
        .isInstanceOf(CreateAgain.class);
    // what an incomplete list does show still counts
    assertThat(ProgressRules.decide(unknown(T0), seen(2), late, late, false, GRACE))
        .isEqualTo(new Adopt(42));
  }

  /** Proof of creation is never followed by a second create. */
  @Test
  void createdWithoutIdIsOnlyLookedForUntilTheDeadline() {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.createOutcomeUnknown("create answered 201 without a usable Location header", true, T0);
    Instant late = T0.plusSeconds(600);
    assertThat(ProgressRules.decide(saga, Optional.empty(), late, late, true, GRACE))
        .isEqualTo(new Wait());
    assertThat(ProgressRules.decide(saga, seen(2), late, late, true, GRACE))
        .isEqualTo(new Adopt(42));
    Step end =
        ProgressRules.decide(saga, Optional.empty(), AFTER_DEADLINE, AFTER_DEADLINE, true, GRACE);
    assertThat(((Fail) end).reason()).isEqualTo(FailureReason.TIMED_OUT);
    assertThat(((Fail) end).message()).contains("no attachment carrying [ccp:test/req-1] found");
  }

  @Test
  void ambiguousCreateFailsAtTheDeadlineOnlyAfterAListBegunPastIt() {
    // the list began before the deadline: one more cycle looks for the marker
    assertThat(
            ProgressRules.decide(
                unknown(T0), Optional.empty(), AFTER_DEADLINE, BEFORE_DEADLINE, true, GRACE))
        .isNotInstanceOf(Fail.class);
  }
}
