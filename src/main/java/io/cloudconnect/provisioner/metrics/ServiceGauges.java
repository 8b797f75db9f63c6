package io.cloudconnect.provisioner.metrics;

import io.cloudconnect.provisioner.emnify.ApiBudget;
import io.cloudconnect.provisioner.health.BreakerStates;
import io.cloudconnect.provisioner.persistence.GaugeQueries;
import io.cloudconnect.provisioner.persistence.HealthQueries;
import io.cloudconnect.provisioner.removal.OrphanSweep;
import io.cloudconnect.provisioner.saga.SagaState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges to alert on, refreshed from PostgreSQL by a background pass (every replica shows the same
 * figures: they are the database's, not the replica's): requests by state, the age of the oldest
 * open request, the outbox backlog and its oldest event's age; and each emnify circuit breaker (1
 * while open or half-open), read from this replica.
 */
@Startup
@ApplicationScoped
public class ServiceGauges {
  private final GaugeQueries gauges;
  private final HealthQueries health;
  private final Clock clock;
  private final Map<SagaState, AtomicLong> byState = new EnumMap<>(SagaState.class);
  private final AtomicLong oldestOpenSeconds = new AtomicLong();
  private final AtomicLong unsent = new AtomicLong();
  private final AtomicLong oldestUnsentSeconds = new AtomicLong();
  private final AtomicReference<Double> budgetTokens = new AtomicReference<>(0.0);
  private final ApiBudget budget;

  ServiceGauges(
      GaugeQueries gauges,
      HealthQueries health,
      ApiBudget budget,
      Clock clock,
      MeterRegistry metrics,
      CircuitBreakerMaintenance breakers,
      OrphanSweep sweep) {
    this.gauges = gauges;
    this.health = health;
    this.budget = budget;
    this.clock = clock;
    Gauge.builder("cloudconnect.emnify.budget.tokens", budgetTokens, AtomicReference::get)
        .description("tokens left in the shared emnify API budget (all replicas)")
        .register(metrics);
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
    Gauge.builder("cloudconnect.outbox.unsent", unsent, AtomicLong::get)
        .description("result events written but not yet published")
        .register(metrics);
    Gauge.builder("cloudconnect.outbox.oldest.unsent.seconds", oldestUnsentSeconds, AtomicLong::get)
        .description("how long the oldest unpublished result event has waited")
        .register(metrics);
    Gauge.builder("cloudconnect.orphans", sweep, OrphanSweep::orphansLeft)
        .description("orphans the last sweep on this replica reported and did not delete")
        .register(metrics);
    // counters that alerts rate() over exist from the start, at zero, not from their first event
    for (String call :
        java.util.List.of(
            "create",
            "get attachment",
            "list attachments",
            "delete attachment",
            "my organisation",
            "available regions")) {
      metrics.counter("cloudconnect.emnify.throttled", "call", call);
    }
    metrics.counter("cloudconnect_authentication_refusals_total", "lockout", "false");
    metrics.counter("cloudconnect_authentication_refusals_total", "lockout", "true");
    for (String name : BreakerStates.NAMES) {
      Gauge.builder(
              "cloudconnect.emnify.breaker.open",
              breakers,
              b -> BreakerStates.holdsBack(BreakerStates.stateOf(b, name)) ? 1 : 0)
          .description("1 while the emnify client's circuit breaker is open or half-open")
          .tag("breaker", name)
          .register(metrics);
    }
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
        .chain(health::outboxBacklog)
        .invoke(
            backlog -> {
              unsent.set(backlog.events());
              oldestUnsentSeconds.set(
                  backlog.oldest().map(o -> Duration.between(o, now).toSeconds()).orElse(0L));
            })
        .chain(() -> budget.snapshot(now))
        .invoke(snapshot -> budgetTokens.set(snapshot.tokens()))
        .replaceWithVoid();
  }
}
