package io.cloudconnect.provisioner.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The figures the service's gauges show, read in one statement. */
@ApplicationScoped
public class GaugeQueries {
  private static final String BY_STATE =
      "select state, count(*) from provisioning_saga group by state";
  private static final String OLDEST =
      "select min(received_at) from provisioning_saga where state not in ('READY', 'FAILED', 'DELETED')";

  /** Requests by state, and when the oldest open one arrived. */
  public record Figures(Map<String, Long> byState, Optional<Instant> oldestOpen) {}

  private final Pool pool;

  GaugeQueries(Pool pool) {
    this.pool = pool;
  }

  public Uni<Figures> read() {
    return pool.query(BY_STATE)
        .execute()
        .chain(
            states ->
                pool.query(OLDEST)
                    .execute()
                    .map(
                        oldest -> {
                          Map<String, Long> byState = new HashMap<>();
                          for (Row row : states) {
                            byState.put(row.getString(0), row.getLong(1));
                          }
                          OffsetDateTime at = oldest.iterator().next().getOffsetDateTime(0);
                          return new Figures(
                              byState, Optional.ofNullable(at).map(OffsetDateTime::toInstant));
                        }));
  }
}
