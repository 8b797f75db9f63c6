package io.cloudconnect.provisioner.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What became of one create call, as the saga needs to know it. The emnify adapter classifies the
 * HTTP answer into one of these; {@link CreationRules} decides what follows. Messages never carry a
 * secret (the adapter redacts them).
 */
public sealed interface CreateOutcome {

  /** 201 with the new attachment's id. */
  record Created(long attachmentId) implements CreateOutcome {}

  /**
   * emnify answered 2xx but without a usable {@code Location}: the attachment exists, its id is
   * unknown. Proof of creation, so the request is never created again.
   */
  record CreatedWithoutId(String message) implements CreateOutcome {}

  /** emnify refused the request itself (4xx): sending it again cannot help. */
  record Refused(String message) implements CreateOutcome {}

  /**
   * emnify refused the application token, so nothing was created. {@code refusedSince}: since when
   * authentication has been refused without a success in between (shared by all replicas), or null
   * when only this call was refused; {@code retryAfter}: when authentication may be tried again.
   */
  record Unauthorized(String message, Instant refusedSince, Optional<Duration> retryAfter)
      implements CreateOutcome {}

  /**
   * Certainly not taken effect: never sent (connection refused, breaker open, no token) or
   * throttled; {@code retryAfter} when emnify or the shared budget said when to come back.
   */
  record NotTaken(String message, Optional<Duration> retryAfter) implements CreateOutcome {}

  /**
   * Never sent because the service's own API budget had no token for it (the quota is spent on what
   * came before): not an attempt and not emnify's fault, so it goes back to wait for its turn
   * ({@code retryAfter}: when the budget expects a token), bounded by {@code max-wait-for-turn}.
   */
  record NotOurTurn(Optional<Duration> retryAfter) implements CreateOutcome {}

  /** Sent, but the answer is unknown (timeout, reset, 5xx): it may or may not have taken effect. */
  record Unknown(String message) implements CreateOutcome {}

  /** The request's sealed PSK cannot be opened (its key was rotated away); nothing was sent. */
  record PskUnreadable(String message) implements CreateOutcome {}
}
