package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.persistence.GaugeQueries;
import io.cloudconnect.provisioner.saga.SagaState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests by state and the age of the oldest open one, refreshed from PostgreSQL (every replica
 * shows the same figures: they are the database's, not the replica's).
 */
@Startup
@ApplicationScoped
public class RequestGauges {
  private final GaugeQueries gauges;
  private final Clock clock;
  private final Map<SagaState, AtomicLong> byState = new EnumMap<>(SagaState.class);
  private final AtomicLong oldestOpenSeconds = new AtomicLong();

  RequestGauges(GaugeQueries gauges, Clock clock, MeterRegistry metrics) {
    this.gauges = gauges;
    this.clock = clock;
    for (SagaState state : SagaState.values()) {
      AtomicLong count = new AtomicLong();
      byState.put(state, count);
      Gauge.builder("cloudconnect.requests", count, AtomicLong::get)
          .description("requests in each state")
          .tag("state", state.name())
          .register(metrics);
    }
    Gauge.builder("cloudconnect.requests.oldest.open.seconds", oldestOpenSeconds, AtomicLong::get)
        .description("age of the oldest request not yet READY, FAILED or DELETED")
        .register(metrics);
  }

  /** One refresh from the database. */
  public Uni<Void> refresh() {
    Instant now = clock.instant();
    return gauges
        .read()
        .invoke(
            figures -> {
              byState.forEach(
                  (state, count) -> count.set(figures.byState().getOrDefault(state.name(), 0L)));
              oldestOpenSeconds.set(
                  figures.oldestOpen().map(o -> Duration.between(o, now).toSeconds()).orElse(0L));
            })
        .replaceWithVoid();
  }
}
