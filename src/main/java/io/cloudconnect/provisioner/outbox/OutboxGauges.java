package io.cloudconnect.provisioner.outbox;

import io.cloudconnect.provisioner.persistence.HealthQueries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox backlog and its oldest event's age, refreshed from PostgreSQL (every replica shows the
 * same figures: they are the database's, not the replica's); {@link OutboxHealthCheck} says DOWN on
 * the same figures.
 */
@Startup
@ApplicationScoped
public class OutboxGauges {
  private final HealthQueries health;
  private final Clock clock;
  private final AtomicLong unsent = new AtomicLong();
  private final AtomicLong oldestUnsentSeconds = new AtomicLong();

  OutboxGauges(HealthQueries health, Clock clock, MeterRegistry metrics) {
    this.health = health;
    this.clock = clock;
    Gauge.builder("cloudconnect.outbox.unsent", unsent, AtomicLong::get)
        .description("result events written but not yet published")
        .register(metrics);
    Gauge.builder("cloudconnect.outbox.oldest.unsent.seconds", oldestUnsentSeconds, AtomicLong::get)
        .description("how long the oldest unpublished result event has waited")
        .register(metrics);
  }

  /** One refresh from the database. */
  public Uni<Void> refresh() {
    Instant now = clock.instant();
    return health
        .outboxBacklog()
        .invoke(
            backlog -> {
              unsent.set(backlog.events());
              oldestUnsentSeconds.set(
                  backlog.oldest().map(o -> Duration.between(o, now).toSeconds()).orElse(0L));
            })
        .replaceWithVoid();
  }
}
