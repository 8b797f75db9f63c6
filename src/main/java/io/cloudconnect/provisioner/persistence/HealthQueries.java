package io.cloudconnect.provisioner.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** What the wellness checks read: one small statement each, no Hibernate session. */
@ApplicationScoped
public class HealthQueries {
  private static final String OUTBOX =
      "select count(*), min(occurred_at) from outbox_event where sent_at is null";
  private static final String POLLER = "select lease_until from job_lease where name = $1";
  private static final String IN_FLIGHT =
      "select exists (select 1 from provisioning_saga where state in"
          + " ('CREATING', 'CREATE_UNKNOWN', 'PROVISIONING', 'REMOVING'))";

  /** Unsent result events: how many, and since when the oldest waits. */
  public record Backlog(long events, Optional<Instant> oldest) {}

  private final Pool pool;

  HealthQueries(Pool pool) {
    this.pool = pool;
  }

  public Uni<Backlog> outboxBacklog() {
    return pool.query(OUTBOX)
        .execute()
        .map(
            rows -> {
              Row row = rows.iterator().next();
              OffsetDateTime oldest = row.getOffsetDateTime(1);
              return new Backlog(
                  row.getLong(0), Optional.ofNullable(oldest).map(OffsetDateTime::toInstant));
            });
  }

  /** When the job's lease ends (or ended); empty when no replica ever held it. */
  public Uni<Optional<Instant>> leaseUntil(String job) {
    return pool.preparedQuery(POLLER)
        .execute(Tuple.of(job))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Instant>empty()
                    : Optional.of(
                        rows.iterator()
                            .next()
                            .getOffsetDateTime(0)
                            .withOffsetSameInstant(ZoneOffset.UTC)
                            .toInstant()));
  }

  /** Whether anything waits for the poller. */
  public Uni<Boolean> anythingInFlight() {
    return pool.query(IN_FLIGHT).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }
}
