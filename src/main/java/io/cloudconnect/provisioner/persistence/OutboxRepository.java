package io.cloudconnect.provisioner.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The outbox table: appended to in the saga's transaction, drained by the relay. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, String> {

  private static final String UNSENT =
      "select * from outbox_event where sent_at is null and (claimed_until is null or claimed_until < ?1)"
          + " order by occurred_at limit ?2 for update skip locked";

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
                    .createNativeQuery(UNSENT, OutboxEvent.class)
                    .setParameter(1, now)
                    .setParameter(2, limit)
                    .getResultList())
        .invoke(batch -> batch.forEach(event -> event.claim(now, lease)));
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
    return list("id in ?1", ids)
        .invoke(rows -> rows.forEach(row -> row.sent(now)))
        .replaceWithVoid();
  }
}
