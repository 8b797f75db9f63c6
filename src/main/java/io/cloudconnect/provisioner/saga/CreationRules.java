package io.cloudconnect.provisioner.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a create call may be sent, and what its outcome means for the saga. Pure: no I/O, no clock
 * of its own, so every branch is tested without infrastructure ({@code CreationRulesTest}).
 *
 * <p>Throttling and outages only delay a request; it fails for them only once it could not be
 * submitted for {@code maxSubmitAge}. An answer that leaves the effect unknown is never retried
 * blindly: emnify has no idempotency key, so it goes to reconciliation by marker ({@link
 * ProgressRules}).
 */
public final class CreationRules {

  /**
   * @param maxSubmitAge a request not submitted this long after it was received fails with
   *     UPSTREAM_UNAVAILABLE
   * @param retryBackoff first delay before a create that certainly did not take effect is tried
   *     again; doubles per attempt
   * @param maxRetryBackoff upper bound of that delay
   * @param unauthorizedAfter a request fails UNAUTHORIZED only once authentication has been refused
   *     this long without a success in between; until then its create waits
   */
  public record Policy(
      Duration maxSubmitAge,
      Duration retryBackoff,
      Duration maxRetryBackoff,
      Duration unauthorizedAfter) {}

  private final Policy policy;
  private final RandomGenerator random;

  public CreationRules(Policy policy, RandomGenerator random) {
    this.policy = policy;
    this.random = random;
  }

  /**
   * A due saga at claim time: send its create, or fail it for time. A request that is due is always
   * tried once more, however long emnify was unavailable before: only an attempt that fails again
   * can end it for that ({@link #afterCreate}).
   */
  public Step atClaim(ProvisioningSaga saga, Instant now) {
    if (Deadline.passed(saga, now)) {
      return Deadline.timedOut(saga, Deadline.lastErrorOf(saga));
    }
    return new Step.Send();
  }

  /**
   * Whether a create call's answer still belongs to the request: it is still the attempt {@code
   * attempt} claimed by {@code owner} (even if the lease ran out meanwhile, nobody else acted), or
   * the poller marked it unknown after the lease ran out and it was not tried again since. A
   * definite answer that arrives late is the best evidence there is.
   */
  public static boolean answersThisAttempt(
      ProvisioningSaga saga, int attempt, String owner, CreateOutcome outcome) {
    if (saga.createAttempts() != attempt) {
      return false;
    }
    if (saga.state() == SagaState.REMOVING) {
      return saga.attachmentId() == null && saga.lease().heldBy(owner);
    }
    if (saga.state() == SagaState.CREATING) {
      return saga.lease().heldBy(owner);
    }
    // the poller marked it unknown when the lease ran out; an unknown answer adds nothing to that
    return saga.state() == SagaState.CREATE_UNKNOWN && !(outcome instanceof CreateOutcome.Unknown);
  }

  /**
   * What follows a create call's outcome; {@code evidence}: what earlier attempts may have left, as
   * it was when this attempt was claimed. A request cancelled while its call was out is being
   * removed: the answer only tells the removal what to delete ({@link
   * RemovalRules#createAnswered}).
   */
  public Step afterCreate(
      ProvisioningSaga saga, CreateEvidence evidence, CreateOutcome outcome, Instant now) {
    if (saga.state() == SagaState.REMOVING) {
      return RemovalRules.createAnswered(outcome);
    }
    if (outcome instanceof CreateOutcome.Created created) {
      return new Step.Created(created.attachmentId());
    }
    if (outcome instanceof CreateOutcome.CreatedWithoutId proof) {
      return new Step.MarkUnknown(proof.message() + "; created, looking for it by marker", true);
    }
    if (outcome instanceof CreateOutcome.Refused refused) {
      return refused(evidence, refused);
    }
    if (outcome instanceof CreateOutcome.Unauthorized unauthorized) {
      return unauthorized(saga, unauthorized, now);
    }
    if (outcome instanceof CreateOutcome.NotOurTurn notOurTurn) {
      return new Step.HandBack(now.plus(notOurTurn.retryAfter().orElse(Duration.ofSeconds(1))));
    }
    if (outcome instanceof CreateOutcome.NotTaken notTaken) {
      if (saga.receivedAt().plus(policy.maxSubmitAge()).isBefore(now)) {
        return new Step.Fail(
            FailureReason.UPSTREAM_UNAVAILABLE,
            "could not be submitted to emnify within "
                + policy.maxSubmitAge()
                + ": "
                + notTaken.message(),
            Step.Leftover.NONE_FROM_THIS_CALL);
      }
      Duration wait = notTaken.retryAfter().orElseGet(() -> backoff(saga.createAttempts()));
      return new Step.CreateAgain(notTaken.message(), now.plus(wait));
    }
    if (outcome instanceof CreateOutcome.Unknown unknown) {
      return new Step.MarkUnknown(unknown.message());
    }
    CreateOutcome.PskUnreadable psk = (CreateOutcome.PskUnreadable) outcome;
    return new Step.Fail(
        FailureReason.PSK_UNREADABLE, psk.message(), Step.Leftover.NONE_FROM_THIS_CALL);
  }

  /**
   * A refusal is final, unless an earlier attempt may have created the attachment: emnify may be
   * refusing the second one because of the first (its public IP is taken), and failing now would
   * leave that first one behind. Then the marker is looked for instead, and nothing is created
   * again.
   */
  private static Step refused(CreateEvidence evidence, CreateOutcome.Refused refused) {
    if (evidence == CreateEvidence.NONE) {
      return new Step.Fail(
          FailureReason.REJECTED_BY_API, refused.message(), Step.Leftover.NONE_FROM_THIS_CALL);
    }
    return new Step.MarkUnknown(
        "the re-create was refused ("
            + refused.message()
            + ") after an earlier attempt that may have created it; looking for its marker",
        true);
  }

  /**
   * Nothing was created: the create waits while authentication is refused, and fails only once it
   * has been refused for {@code unauthorizedAfter} without a success in between (a revoked token is
   * an operator's problem to fix, a lock-out or a blip is not the request's).
   */
  private Step unauthorized(
      ProvisioningSaga saga, CreateOutcome.Unauthorized unauthorized, Instant now) {
    Instant since = unauthorized.refusedSince() == null ? now : unauthorized.refusedSince();
    if (!since.plus(policy.unauthorizedAfter()).isAfter(now)) {
      return new Step.Fail(
          FailureReason.UNAUTHORIZED,
          "emnify has refused authentication since "
              + since
              + " (more than "
              + policy.unauthorizedAfter()
              + "): "
              + unauthorized.message(),
          Step.Leftover.NONE_FROM_THIS_CALL);
    }
    Duration wait = unauthorized.retryAfter().orElseGet(() -> backoff(saga.createAttempts()));
    return new Step.CreateAgain(
        "waiting for authentication: " + unauthorized.message(), now.plus(wait));
  }

  /**
   * Exponential back-off from {@code retryBackoff}, doubling per attempt up to {@code
   * maxRetryBackoff}, plus up to a quarter of jitter so that replicas do not retry in step.
   */
  public Duration backoff(int attempts) {
    long base = policy.retryBackoff().toMillis();
    long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
    long millis = Math.min(policy.maxRetryBackoff().toMillis(), base * factor);
    long jitter = random.nextLong(Math.max(1, millis / 4) + 1);
    return Duration.ofMillis(millis + jitter);
  }
}
