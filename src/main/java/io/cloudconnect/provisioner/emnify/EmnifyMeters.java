package io.cloudconnect.provisioner.emnify;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emnify client's meters to alert on: the tokens left in the shared API budget (refreshed from
 * PostgreSQL: every replica shows the same figure), each circuit breaker (1 while open or
 * half-open, read from this replica), and the throttling and authentication-refusal counters, which
 * exist from the start at zero so that alerts can rate() over them before their first event.
 */
@Startup
@ApplicationScoped
public class EmnifyMeters {
  private final ApiBudget budget;
  private final Clock clock;
  private final AtomicReference<Double> budgetTokens = new AtomicReference<>(0.0);

  EmnifyMeters(
      ApiBudget budget, Clock clock, MeterRegistry metrics, CircuitBreakerMaintenance breakers) {
    this.budget = budget;
    this.clock = clock;
    Gauge.builder("cloudconnect.emnify.budget.tokens", budgetTokens, AtomicReference::get)
        .description("tokens left in the shared emnify API budget (all replicas)")
        .register(metrics);
    for (String call :
        List.of(
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

  /** The budget's tokens as the database holds them now. */
  public Uni<Void> refresh() {
    return budget
        .snapshot(clock.instant())
        .invoke(snapshot -> budgetTokens.set(snapshot.tokens()))
        .replaceWithVoid();
  }
}
