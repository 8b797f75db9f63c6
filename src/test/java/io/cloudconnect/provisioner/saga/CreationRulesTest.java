package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.saga.CreateOutcome.Created;
import io.cloudconnect.provisioner.saga.CreateOutcome.CreatedWithoutId;
import io.cloudconnect.provisioner.saga.CreateOutcome.NotTaken;
import io.cloudconnect.provisioner.saga.CreateOutcome.PskUnreadable;
import io.cloudconnect.provisioner.saga.CreateOutcome.Refused;
import io.cloudconnect.provisioner.saga.CreateOutcome.Unauthorized;
import io.cloudconnect.provisioner.saga.CreateOutcome.Unknown;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When a create is sent and what its outcome means, without Quarkus or a database. */
class CreationRulesTest {
  static final Instant T0 = ProvisioningSagaTest.T0;
  static final Duration MAX_SUBMIT_AGE = Duration.ofMinutes(10);
  static final Duration BACKOFF = Duration.ofSeconds(5);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  static final Duration UNAUTHORIZED_AFTER = Duration.ofMinutes(15);
  static final CreationRules.Policy POLICY =
      new CreationRules.Policy(MAX_SUBMIT_AGE, BACKOFF, MAX_BACKOFF, UNAUTHORIZED_AFTER);

  /** No jitter: the back-off is exactly its base value. */
  static final CreationRules RULES = new CreationRules(POLICY, fixedRandom(0));

  static ProvisioningSaga creating(int attempts) {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    for (int i = 1; i < attempts; i++) {
      saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
      saga.createDeferred("connection refused", T0, T0);
    }
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    return saga;
  }

  static Stream<Arguments> everyOutcome() {
    Instant now = T0.plusSeconds(1);
    return Stream.of(
        Arguments.of(new Created(4711), new Step.Created(4711)),
        Arguments.of(
            new Refused("create answered 422"),
            new Step.Fail(
                FailureReason.REJECTED_BY_API,
                "create answered 422",
                Step.Leftover.NONE_FROM_THIS_CALL)),
        Arguments.of(
            new Unauthorized("authenticate answered 401", null, Optional.of(Duration.ofMinutes(2))),
            new Step.CreateAgain(
                "waiting for authentication: authenticate answered 401", now.plusSeconds(120))),
        Arguments.of(
            new CreatedWithoutId("create answered 201 without a usable Location header"),
            new Step.MarkUnknown(
                "create answered 201 without a usable Location header;"
                    + " created, looking for it by marker",
                true)),
        Arguments.of(
            new NotTaken("create answered 429", Optional.of(Duration.ofSeconds(17))),
            new Step.CreateAgain("create answered 429", now.plusSeconds(17))),
        Arguments.of(
            new NotTaken("create could not connect", Optional.empty()),
            new Step.CreateAgain("create could not connect", now.plus(BACKOFF))),
        Arguments.of(
            new CreateOutcome.NotOurTurn(Optional.of(Duration.ofMillis(150))),
            new Step.HandBack(now.plusMillis(150))),
        Arguments.of(new Unknown("create timed out"), new Step.MarkUnknown("create timed out")),
        Arguments.of(
            new PskUnreadable("sealed with key 0a1b2c3d"),
            new Step.Fail(
                FailureReason.PSK_UNREADABLE,
                "sealed with key 0a1b2c3d",
                Step.Leftover.NONE_FROM_THIS_CALL)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyOutcome")
  void everyCreateOutcomeLeadsToItsStep(CreateOutcome outcome, Step expected) {
    assertThat(RULES.afterCreate(creating(1), CreateEvidence.NONE, outcome, T0.plusSeconds(1)))
        .isEqualTo(expected);
  }

  @Test
  void everyKindOfOutcomeIsCoveredByTheTable() {
    List<Class<?>> covered =
        everyOutcome().<Class<?>>map(a -> a.get()[0].getClass()).distinct().toList();
    assertThat(covered).containsExactlyInAnyOrder(CreateOutcome.class.getPermittedSubclasses());
  }

  @Test
  void throttledCreateWithRetryAfterIsDeferredByExactlyThat() {
    Step step =
        RULES.afterCreate(
            creating(3),
            CreateEvidence.NONE,
            new NotTaken("create answered 429", Optional.of(Duration.ofSeconds(17))),
            T0);
    assertThat(step).isEqualTo(new Step.CreateAgain("create answered 429", T0.plusSeconds(17)));
  }

  @Test
  void ambiguousCreateIsReconciledNotRetried() {
    assertThat(
            RULES.afterCreate(
                creating(1), CreateEvidence.NONE, new Unknown("create answered 502"), T0))
        .isInstanceOf(Step.MarkUnknown.class);
  }

  @Test
  void backoffDoublesPerAttemptUpToItsMaximum() {
    assertThat(RULES.backoff(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RULES.backoff(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RULES.backoff(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(RULES.backoff(7)).isEqualTo(MAX_BACKOFF);
    assertThat(RULES.backoff(60)).isEqualTo(MAX_BACKOFF);
  }

  @Test
  void jitterAddsAtMostAQuarter() {
    CreationRules highest = new CreationRules(POLICY, fixedRandom(Long.MAX_VALUE));
    assertThat(highest.backoff(1)).isEqualTo(Duration.ofMillis(5000 + 1250));
  }

  @Test
  void dueRequestInTimeIsSent() {
    assertThat(RULES.atClaim(ProvisioningSagaTest.received(), T0.plusSeconds(1)))
        .isEqualTo(new Step.Send());
  }

  @Test
  void dueRequestPastTheDeadlineTimesOutWithTheLastError() {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.createDeferred("create answered 429", T0, T0);
    assertThat(RULES.atClaim(saga, T0.plus(Duration.ofMinutes(31))))
        .isEqualTo(
            new Step.Fail(
                FailureReason.TIMED_OUT,
                "not created before the provisioning deadline: create answered 429"));
  }

  @Test
  void requestWhoseTurnNeverCameTimesOutUncreated() {
    ProvisioningSaga waiting = ProvisioningSagaTest.received();
    Step step = RULES.atClaim(waiting, waiting.deadlineAt().plusMillis(1));
    assertThat(step)
        .isEqualTo(
            new Step.Fail(
                FailureReason.TIMED_OUT,
                "its turn for a create call did not come within the wait allowed (nothing was"
                    + " created): no answer from emnify"));
  }

  /**
   * No token in the service's own budget is the quota at work, not emnify failing: the request goes
   * back to wait for its turn, however long it has waited, and never fails UPSTREAM_UNAVAILABLE.
   */
  @Test
  void createHeldBackByOurOwnBudgetGoesBackToWaitForItsTurn() {
    Instant late = T0.plus(MAX_SUBMIT_AGE).plusSeconds(1);
    assertThat(
            RULES.afterCreate(
                creating(1),
                CreateEvidence.NONE,
                new CreateOutcome.NotOurTurn(Optional.of(Duration.ofMillis(150))),
                late))
        .isEqualTo(new Step.HandBack(late.plusMillis(150)));
    assertThat(
            RULES.afterCreate(
                creating(1),
                CreateEvidence.NONE,
                new CreateOutcome.NotOurTurn(Optional.empty()),
                T0))
        .isEqualTo(new Step.HandBack(T0.plusSeconds(1)));
  }

  @Test
  void requestNotTakenPastTheMaximumAgeIsUpstreamUnavailable() {
    NotTaken refused = new NotTaken("create not sent: circuit breaker open", Optional.empty());
    Instant late = T0.plus(MAX_SUBMIT_AGE).plusSeconds(1);
    assertThat(RULES.afterCreate(creating(2), CreateEvidence.NONE, refused, late))
        .isEqualTo(
            new Step.Fail(
                FailureReason.UPSTREAM_UNAVAILABLE,
                "could not be submitted to emnify within PT10M:"
                    + " create not sent: circuit breaker open",
                Step.Leftover.NONE_FROM_THIS_CALL));
    // a due request is always tried once more, however long emnify was unavailable before
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.createDeferred("create not sent: circuit breaker open", T0, T0);
    assertThat(RULES.atClaim(saga, late)).isEqualTo(new Step.Send());
  }

  @Test
  void refusedCreateIsFinalWhenNoEarlierAttemptMayHaveCreatedIt() {
    assertThat(
            RULES.afterCreate(
                creating(2), CreateEvidence.NONE, new Refused("create answered 422"), T0))
        .isEqualTo(
            new Step.Fail(
                FailureReason.REJECTED_BY_API,
                "create answered 422",
                Step.Leftover.NONE_FROM_THIS_CALL));
  }

  /** The re-create may be refused because the first one exists. */
  @Test
  void refusedReCreateAfterAnAmbiguousAttemptLooksForTheMarkerInstead() {
    Step step =
        RULES.afterCreate(
            creating(2),
            CreateEvidence.MAYBE,
            new Refused("create answered 409: public IP already in use"),
            T0);
    assertThat(step)
        .isEqualTo(
            new Step.MarkUnknown(
                "the re-create was refused (create answered 409: public IP already in use) after"
                    + " an earlier attempt that may have created it; looking for its marker",
                true));
  }

  @Test
  void createWaitsWhileAuthenticationIsRefusedAndFailsOnlyAfterTheConfiguredPeriod() {
    Instant since = T0;
    Unauthorized refused =
        new Unauthorized("authenticate answered 401", since, Optional.of(Duration.ofMinutes(5)));
    Instant justBefore = since.plus(UNAUTHORIZED_AFTER).minusSeconds(1);
    assertThat(RULES.afterCreate(creating(1), CreateEvidence.NONE, refused, justBefore))
        .isEqualTo(
            new Step.CreateAgain(
                "waiting for authentication: authenticate answered 401",
                justBefore.plus(Duration.ofMinutes(5))));
    Instant then = since.plus(UNAUTHORIZED_AFTER);
    assertThat(RULES.afterCreate(creating(1), CreateEvidence.NONE, refused, then))
        .isEqualTo(
            new Step.Fail(
                FailureReason.UNAUTHORIZED,
                "emnify has refused authentication since "
                    + since
                    + " (more than PT15M): authenticate answered 401",
                Step.Leftover.NONE_FROM_THIS_CALL));
  }

  /** A generator whose bounded draws are always {@code value} capped to the bound. */
  static RandomGenerator fixedRandom(long value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return value;
      }

      @Override
      public long nextLong(long bound) {
        return Math.min(value, bound - 1);
      }
    };
  }

  /** A create's answer is recorded only while it still belongs to the attempt that was claimed. */
  @Test
  void anAnswerBelongsToTheClaimedAttemptOnly() {
    Created created = new Created(7);
    Unknown unknown = new Unknown("timed out");

    ProvisioningSaga claimed = creating(2);
    assertThat(CreationRules.answersThisAttempt(claimed, 2, "a", created)).isTrue();
    assertThat(CreationRules.answersThisAttempt(claimed, 2, "b", created)).isFalse();
    assertThat(CreationRules.answersThisAttempt(claimed, 1, "a", created)).isFalse();

    // marked unknown by the poller once the lease ran out: a definite answer still counts
    ProvisioningSaga unknownOutcome = creating(1);
    unknownOutcome.createOutcomeUnknown("claim expired", false, T0);
    assertThat(CreationRules.answersThisAttempt(unknownOutcome, 1, "b", created)).isTrue();
    assertThat(CreationRules.answersThisAttempt(unknownOutcome, 1, "a", unknown)).isFalse();

    // cancelled while the call was out: the answer tells the removal what to delete, once
    ProvisioningSaga cancelled = creating(1);
    cancelled.startRemoval(
        RemovalPurpose.CANCEL, FailureReason.CANCELLED, "cancelled", T0, Duration.ofMinutes(30));
    assertThat(CreationRules.answersThisAttempt(cancelled, 1, "a", created)).isTrue();
    assertThat(RULES.afterCreate(cancelled, CreateEvidence.NONE, created, T0))
        .isEqualTo(new Step.FoundForRemoval(7));
    assertThat(RULES.afterCreate(cancelled, CreateEvidence.NONE, unknown, T0))
        .isEqualTo(new Step.ClaimOver());
    cancelled.removalFound(7, T0);
    assertThat(CreationRules.answersThisAttempt(cancelled, 1, "a", created)).isFalse();

    ProvisioningSaga accepted = creating(1);
    accepted.attachmentCreated(7, T0);
    assertThat(CreationRules.answersThisAttempt(accepted, 1, "a", created)).isFalse();
  }
}
