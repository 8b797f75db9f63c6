package io.cloudconnect.provisioner.persistence;

import io.cloudconnect.provisioner.outbox.OutboxEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, String> {

  private static final String UNSENT =
      "select * from outbox_event where sent_at is null and (claimed_until is null or claimed_until < ?1)"
          + " order by occurred_at limit ?2 for update skip locked";

  /** Unsent events not claimed by a live relay, oldest first, locked for claiming. */
  public Uni<List<OutboxEvent>> lockUnsent(Instant now, int limit) {
    return getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(UNSENT, OutboxEvent.class)
                    .setParameter(1, now)
                    .setParameter(2, limit)
                    .getResultList());
  }

  public Uni<Long> purgeSentBefore(Instant cutoff) {
    return delete("sentAt < ?1", cutoff);
  }
}
