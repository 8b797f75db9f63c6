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
   */
  public record Policy(Duration maxSubmitAge, Duration retryBackoff, Duration maxRetryBackoff) {}

  private final Policy policy;
  private final RandomGenerator random;

  public CreationRules(Policy policy, RandomGenerator random) {
    this.policy = policy;
    this.random = random;
  }

  /** A due saga at claim time: send its create, or fail it for time. */
  public Step atClaim(ProvisioningSaga saga, Instant now) {
    if (Deadline.passed(saga, now)) {
      return Deadline.timedOut(saga, Deadline.lastErrorOf(saga));
    }
    if (saga.createAttempts() > 0 && saga.receivedAt().plus(policy.maxSubmitAge()).isBefore(now)) {
      return new Step.Fail(
          FailureReason.UPSTREAM_UNAVAILABLE,
          "could not be submitted to emnify within "
              + policy.maxSubmitAge()
              + ": "
              + Deadline.lastErrorOf(saga));
    }
    return new Step.Send();
  }

  /** What follows a create call's outcome. */
  public Step afterCreate(ProvisioningSaga saga, CreateOutcome outcome, Instant now) {
    if (outcome instanceof CreateOutcome.Created created) {
      return new Step.Created(created.attachmentId());
    }
    if (outcome instanceof CreateOutcome.Refused refused) {
      return new Step.Fail(FailureReason.REJECTED_BY_API, refused.message());
    }
    if (outcome instanceof CreateOutcome.Unauthorized unauthorized) {
      return new Step.Fail(FailureReason.UNAUTHORIZED, unauthorized.message());
    }
    if (outcome instanceof CreateOutcome.NotTaken notTaken) {
      Duration wait = notTaken.retryAfter().orElseGet(() -> backoff(saga.createAttempts()));
      return new Step.CreateAgain(notTaken.message(), now.plus(wait));
    }
    if (outcome instanceof CreateOutcome.Unknown unknown) {
      return new Step.MarkUnknown(unknown.message());
    }
    CreateOutcome.PskUnreadable psk = (CreateOutcome.PskUnreadable) outcome;
    return new Step.Fail(FailureReason.PSK_UNREADABLE, psk.message());
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
