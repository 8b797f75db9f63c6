package io.cloudconnect.provisioner.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The outbox table: appended to in the saga's transaction, drained by the relay. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, String> {

  // one statement for the whole claim (updates are not batched: see SagaRepository.insertAll)
  private static final String CLAIM_UNSENT =
      "update outbox_event set claimed_until = ?3, attempts = attempts + 1 where id in (select id"
          + " from outbox_event where sent_at is null and (claimed_until is null or claimed_until"
          + " < ?1) order by occurred_at limit ?2 for update skip locked) returning *";

  /**
   * Unsent events not claimed by a live relay, oldest first, claimed for {@code lease} (rows
   * another replica holds are skipped).
   */
  @WithTransaction
  public Uni<List<OutboxEvent>> claimUnsent(Instant now, int limit, Duration lease) {
    return getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(CLAIM_UNSENT, OutboxEvent.class)
                    .setParameter(1, now)
                    .setParameter(2, limit)
                    .setParameter(3, now.plus(lease))
                    .getResultList())
        .map(
            batch -> batch.stream().sorted(Comparator.comparing(OutboxEvent::occurredAt)).toList());
  }

  /**
   * The request's outcome event is published again, under the same id (so the same {@code ce_id}:
   * consumers that deduplicate by it see a redelivery); false when it has none.
   */
  @WithTransaction
  public Uni<Boolean> republish(String requestId) {
    return update(
            "sentAt = null, claimedUntil = null, attempts = 0 where requestId = ?1", requestId)
        .map(updated -> updated > 0);
  }

  /** The relay still waits for Kafka's answer on these events: its claim goes on until then. */
  @WithTransaction
  public Uni<Integer> extendClaims(List<String> ids, Instant until) {
    return update("claimedUntil = ?1 where id in ?2 and sentAt is null", until, ids);
  }

  /** Kafka refused these events: the next pass, on any replica, tries them again. */
  @WithTransaction
  public Uni<Integer> releaseClaims(List<String> ids) {
    return update("claimedUntil = null where id in ?1 and sentAt is null", ids);
  }

  /** Kafka acknowledged these events. */
  @WithTransaction
  public Uni<Void> markSent(List<String> ids, Instant now) {
    return update("sentAt = ?1, claimedUntil = null where id in ?2", now, ids).replaceWithVoid();
  }
}
