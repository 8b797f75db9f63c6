package io.cloudconnect.provisioner.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A progress rule bound to what a poll cycle learned about one saga. The poller decides with it
 * once, on the saga as it read it; the application decides with it again only if the saga moved
 * meanwhile (its version changed), so a step is never applied to a state it was not decided on.
 */
@FunctionalInterface
public interface ProgressRule {

  Step decide(ProvisioningSaga saga, Instant now, Duration grace);

  /** What a list call started at {@code listedAt} showed ({@link ProgressRules#decide}). */
  static ProgressRule listed(Optional<Observation> observed, Instant listedAt, boolean complete) {
    return (saga, now, grace) ->
        ProgressRules.decide(saga, observed, now, listedAt, complete, grace);
  }

  /** What a read by id answered: complete by definition, as of the read. */
  static ProgressRule read(Observation found, Instant readAt) {
    return listed(Optional.of(found), readAt, true);
  }

  /** Nothing was learned: only the deadline decides ({@link ProgressRules#withoutList}). */
  static ProgressRule nothingLearned() {
    return ProgressRules::withoutList;
  }

  /** emnify answered 404 for the attachment ({@link ProgressRules#vanished}). */
  static ProgressRule vanished(long attachmentId) {
    return (saga, now, grace) -> ProgressRules.vanished(saga, attachmentId, now, grace);
  }
}
