package io.cloudconnect.provisioner.retention;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.persistence.RetentionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the database from growing without bound: sent result events after {@code
 * cloudconnect.outbox.retention}, failed requests (their events included) after {@code
 * cloudconnect.retention.failed-requests}. Ready requests stay: each is the record of a live
 * attachment, and a redelivery of its request must still find it. Batches of {@link #BATCH} rows,
 * at most {@link #MAX_BATCHES} per pass, so that a backlog is worked off over passes.
 */
@ApplicationScoped
public class RetentionPurge {
  private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
  static final int BATCH = 1000;
  static final int MAX_BATCHES = 50;

  private final RetentionStore store;
  private final ProvisionerConfig config;
  private final Clock clock;

  RetentionPurge(RetentionStore store, ProvisionerConfig config, Clock clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
  }

  /** One pass: sent events first (a failed request goes only once its event has been sent). */
  public Uni<Void> purge() {
    Instant now = clock.instant();
    Instant events = now.minus(config.outbox().retention());
    Instant failed = now.minus(config.retention().failedRequests());
    return drain(() -> store.purgeSentEvents(events, BATCH), "sent events", 0, 0)
        .chain(
            () -> drain(() -> store.purgeFailedRequests(failed, BATCH), "failed requests", 0, 0));
  }

  private static Uni<Void> drain(
      Supplier<Uni<Integer>> batch, String what, int batches, long deleted) {
    return batch
        .get()
        .chain(
            n -> {
              long total = deleted + n;
              if (n == BATCH && batches + 1 < MAX_BATCHES) {
                return drain(batch, what, batches + 1, total);
              }
              if (total > 0) {
                LOG.infof("purged %d %s past their retention", total, what);
              }
              return Uni.createFrom().voidItem();
            });
  }
}
