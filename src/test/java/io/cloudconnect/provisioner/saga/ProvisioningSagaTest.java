package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The saga's intent-named transitions, without Quarkus or a database. */
class ProvisioningSagaTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(60);

  static final Duration TURN = Duration.ofHours(1);

  static ProvisioningSaga received() {
    return ProvisioningSaga.received(
        "req-1",
        new AttachmentSpec(
            2, "Berlin", null, "eu-west-1", "91.64.22.5", List.of("10.0.0.0/16"), null, null),
        "{}",
        "v1:sealed",
        T0,
        Duration.ofMinutes(30),
        "test");
  }

  @Test
  void receivedSagaWaitsForItsCreateWithDeadlineAndMarker() {
    ProvisioningSaga saga = received();
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.deadlineAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    assertThat(saga.nextAttemptAt()).isEqualTo(T0);
    assertThat(saga.marker()).isEqualTo("[ccp:test/req-1]");
    assertThat(saga.createAttempts()).isZero();
  }

  @Test
  void happyPathRecordsTimestampsAttemptsAndErasesThePsk() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("replica-a", T0.plusSeconds(1), LEASE, Duration.ofMinutes(30));
    assertThat(saga.state()).isEqualTo(SagaState.CREATING);
    assertThat(saga.createAttempts()).isEqualTo(1);
    assertThat(saga.lease().owner()).isEqualTo("replica-a");
    assertThat(saga.lease().until()).isEqualTo(T0.plusSeconds(61));

    saga.attachmentCreated(4711, T0.plusSeconds(2));
    assertThat(saga.state()).isEqualTo(SagaState.PROVISIONING);
    assertThat(saga.attachmentId()).isEqualTo(4711L);
    assertThat(saga.psk().sealed()).isNull();
    assertThat(saga.lease().owner()).isNull();

    saga.statusObserved(3, "Pending EGN Activation", T0.plusSeconds(60));
    assertThat(saga.emnifyView().statusId()).isEqualTo(3);

    saga.becameReady(5, "Active", 2, T0.plusSeconds(240));
    assertThat(saga.state()).isEqualTo(SagaState.READY);
    assertThat(saga.readyAt()).isEqualTo(T0.plusSeconds(240));
    assertThat(saga.emnifyView().status()).isEqualTo("Active");
  }

  @Test
  void sameStatusObservedTwiceDoesNotTouchTheSaga() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    saga.attachmentCreated(1, T0);
    saga.statusObserved(2, "Pending AWS Activation", T0.plusSeconds(10));
    saga.statusObserved(2, "Pending AWS Activation", T0.plusSeconds(20));
    assertThat(saga.updatedAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void deferredCreateReturnsToReceivedWithItsRetryTime() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    saga.createDeferred("429", T0.plusSeconds(30), T0.plusSeconds(1));
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.nextAttemptAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(saga.lastError()).isEqualTo("429");
    assertThat(saga.psk().sealed()).isEqualTo("v1:sealed"); // still needed for the next attempt
  }

  @Test
  void ambiguousCreateCanBeAdoptedLater() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    saga.createOutcomeUnknown("timed out", false, T0.plusSeconds(30));
    assertThat(saga.state()).isEqualTo(SagaState.CREATE_UNKNOWN);
    saga.attachmentCreated(99, T0.plusSeconds(45));
    assertThat(saga.state()).isEqualTo(SagaState.PROVISIONING);
    assertThat(saga.attachmentId()).isEqualTo(99L);
  }

  @Test
  void failingRecordsReasonAndErasesThePsk() {
    ProvisioningSaga saga = received();
    saga.fail(
        FailureReason.TIMED_OUT, "deadline", Compensation.NOT_NEEDED, "nothing", T0.plusSeconds(5));
    assertThat(saga.state()).isEqualTo(SagaState.FAILED);
    assertThat(saga.failureReason()).isEqualTo(FailureReason.TIMED_OUT);
    assertThat(saga.psk().sealed()).isNull();
  }

  @Test
  void refusedSagaIsBornFailed() {
    ProvisioningSaga saga =
        ProvisioningSaga.refused("bad-1", RequestKind.CREATE, "2 fields are invalid", T0);
    assertThat(saga.state()).isEqualTo(SagaState.FAILED);
    assertThat(saga.failureReason()).isEqualTo(FailureReason.VALIDATION_FAILED);
  }

  @Test
  void illegalTransitionsAreRefusedAndLeaveTheSagaUnchanged() {
    ProvisioningSaga saga = received();
    assertThatThrownBy(() -> saga.attachmentCreated(1, T0))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("RECEIVED -> PROVISIONING");
    assertThatThrownBy(() -> saga.becameReady(5, "Active", 2, T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> saga.statusObserved(2, "x", T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);

    saga.fail(FailureReason.TIMED_OUT, "deadline", Compensation.NOT_NEEDED, "nothing", T0);
    assertThatThrownBy(() -> saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30)))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(
            () -> saga.fail(FailureReason.ROLLED_BACK, "again", Compensation.NOT_NEEDED, "x", T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThat(saga.failureReason()).isEqualTo(FailureReason.TIMED_OUT);
  }

  @Test
  void readySagaCannotFailOrBeCreatedAgain() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    saga.attachmentCreated(1, T0);
    saga.becameReady(5, "Active", 2, T0);
    assertThatThrownBy(
            () -> saga.fail(FailureReason.DEACTIVATED, "late", Compensation.NOT_NEEDED, "x", T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> saga.createDeferred("x", T0, T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThat(saga.state()).isEqualTo(SagaState.READY);
  }

  @Test
  void deadlineIsExclusive() {
    ProvisioningSaga saga = received();
    assertThat(saga.isPastDeadline(saga.deadlineAt())).isFalse();
    assertThat(saga.isPastDeadline(saga.deadlineAt().plusMillis(1))).isTrue();
  }

  @Test
  void claimIsHeldUntilItsLeaseRunsOut() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    assertThat(saga.claimHeldAt(T0.plus(LEASE).minusMillis(1))).isTrue();
    assertThat(saga.claimHeldAt(T0.plus(LEASE))).isFalse();
    assertThat(saga.createAttempts()).isEqualTo(1);
  }

  @Test
  void evidenceOfAnEarlierCreateOnlyGrows() {
    ProvisioningSaga saga = received();
    assertThat(saga.createEvidence()).isEqualTo(CreateEvidence.NONE);
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    saga.createOutcomeUnknown("create timed out", false, T0);
    assertThat(saga.createEvidence()).isEqualTo(CreateEvidence.MAYBE);
    saga.createDeferred("not found within the grace", T0, T0);
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    saga.createOutcomeUnknown("create answered 201 without Location", true, T0);
    assertThat(saga.createEvidence()).isEqualTo(CreateEvidence.SEARCH_ONLY);
    saga.createDeferred("create answered 429", T0, T0);
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));
    saga.createOutcomeUnknown("create timed out", false, T0);
    assertThat(saga.createEvidence()).isEqualTo(CreateEvidence.SEARCH_ONLY);
  }

  @Test
  void unsentClaimHandedBackIsDueAtOnceWithoutCountingTheAttempt() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0, LEASE, Duration.ofMinutes(30));

    assertThat(saga.handBackUnsentClaim("b", T0.plusSeconds(1), TURN)).isFalse();
    assertThat(saga.state()).isEqualTo(SagaState.CREATING);

    assertThat(saga.handBackUnsentClaim("a", T0.plusSeconds(1), TURN)).isTrue();
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.createAttempts()).isZero();
    assertThat(saga.nextAttemptAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(saga.lease().owner()).isNull();
    assertThat(saga.handBackUnsentClaim("a", T0.plusSeconds(2), TURN)).isFalse();
  }

  /**
   * A create the service's own budget held back was never sent: the request waits for its turn
   * again under the wait-for-turn limit, not under the provisioning deadline its claim started; a
   * retry held back keeps the deadline of its first create.
   */
  @Test
  void createHeldBackByTheBudgetWaitsForItsTurnAgain() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0.plusSeconds(50), LEASE, Duration.ofMinutes(3));
    assertThat(saga.deadlineAt()).isEqualTo(T0.plusSeconds(50 + 180));

    saga.notSent(T0.plusSeconds(52), T0.plusSeconds(51), TURN);

    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.createAttempts()).isZero();
    assertThat(saga.deadlineAt()).isEqualTo(T0.plus(TURN));
    assertThat(saga.nextAttemptAt()).isEqualTo(T0.plusSeconds(52));

    saga.claimForCreate("a", T0.plusSeconds(60), LEASE, Duration.ofMinutes(3));
    saga.createDeferred("create answered 429", T0.plusSeconds(70), T0.plusSeconds(61));
    saga.claimForCreate("a", T0.plusSeconds(70), LEASE, Duration.ofMinutes(3));
    saga.notSent(T0.plusSeconds(75), T0.plusSeconds(71), TURN);
    assertThat(saga.createAttempts()).isEqualTo(1);
    assertThat(saga.deadlineAt()).isEqualTo(T0.plusSeconds(60 + 180));
  }

  /** The wait for a turn has its own limit; the deadline starts with the create. */
  @Test
  void provisioningDeadlineCountsFromTheFirstCreateNotFromReceipt() {
    ProvisioningSaga saga = received(); // received at T0, may wait 30 min for its turn
    assertThat(saga.deadlineAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    Instant turn = T0.plus(Duration.ofMinutes(20));
    saga.claimForCreate("a", turn, LEASE, Duration.ofMinutes(30));
    assertThat(saga.deadlineAt()).isEqualTo(turn.plus(Duration.ofMinutes(30)));
    saga.createDeferred("create answered 429", turn, turn);
    saga.claimForCreate("a", turn.plusSeconds(60), LEASE, Duration.ofMinutes(30));
    assertThat(saga.deadlineAt()).isEqualTo(turn.plus(Duration.ofMinutes(30)));
  }
}
