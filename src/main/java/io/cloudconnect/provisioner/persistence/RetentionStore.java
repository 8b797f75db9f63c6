package io.cloudconnect.provisioner.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Deletes what is past its retention, a bounded batch per statement so that no purge holds locks or
 * a transaction for long. Single statements on the reactive pool.
 */
@ApplicationScoped
public class RetentionStore {
  private static final String SENT_EVENTS =
      "delete from outbox_event where id in (select id from outbox_event"
          + " where sent_at < $1 limit $2)";

  /**
   * Failed and deleted requests whose outcome has been published: their sent events go with them
   * (one statement; the foreign key is checked at its end). A READY request is kept: it is the
   * record of a live, billed attachment; so is a failed one whose attachment was kept or could not
   * be deleted.
   */
  private static final String FAILED_REQUESTS =
      "with doomed as (select s.request_id from provisioning_saga s where"
          + " ((s.state = 'FAILED' and s.failed_at < $1"
          + " and coalesce(s.compensation, '') not in ('KEPT', 'IMPOSSIBLE'))"
          + " or (s.state = 'DELETED' and s.deleted_at < $1))"
          + " and not exists (select 1 from outbox_event o"
          + " where o.request_id = s.request_id and o.sent_at is null) limit $2),"
          + " events as (delete from outbox_event where request_id in (select request_id from"
          + " doomed)) delete from provisioning_saga where request_id in (select request_id from"
          + " doomed)";

  private final Pool pool;

  RetentionStore(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code limit} events sent before {@code cutoff}; how many were deleted. */
  public Uni<Integer> purgeSentEvents(Instant cutoff, int limit) {
    return pool.preparedQuery(SENT_EVENTS)
        .execute(Tuple.of(utc(cutoff), limit))
        .map(rows -> rows.rowCount());
  }

  /** Up to {@code limit} requests that failed before {@code cutoff}; how many were deleted. */
  public Uni<Integer> purgeFailedRequests(Instant cutoff, int limit) {
    return pool.preparedQuery(FAILED_REQUESTS)
        .execute(Tuple.of(utc(cutoff), limit))
        .map(rows -> rows.rowCount());
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
