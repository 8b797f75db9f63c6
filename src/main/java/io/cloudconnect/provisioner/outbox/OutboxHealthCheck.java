package io.cloudconnect.provisioner.outbox;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.persistence.HealthQueries;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code outbox} in the wellness group: DOWN when the oldest result event not yet published has
 * waited longer than {@code cloudconnect.operator.outbox-behind-after} (Kafka refuses the events,
 * or no replica relays); data: unsent events and the oldest one's age.
 */
@Wellness
@ApplicationScoped
class OutboxHealthCheck implements AsyncHealthCheck {
  private final HealthQueries queries;
  private final ProvisionerConfig config;
  private final Clock clock;

  OutboxHealthCheck(HealthQueries queries, ProvisionerConfig config, Clock clock) {
    this.queries = queries;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    Instant now = clock.instant();
    return queries
        .outboxBacklog()
        .map(
            backlog -> {
              var response =
                  HealthCheckResponse.named("outbox")
                      .status(!behind(backlog.oldest(), now, config.operator().outboxBehindAfter()))
                      .withData("unsent_events", backlog.events());
              backlog
                  .oldest()
                  .ifPresent(
                      o ->
                          response.withData(
                              "oldest_unsent_seconds", Duration.between(o, now).toSeconds()));
              return response.build();
            });
  }

  /** The outbox is behind when its oldest unsent event has waited longer than {@code limit}. */
  static boolean behind(Optional<Instant> oldest, Instant now, Duration limit) {
    return oldest.filter(o -> Duration.between(o, now).compareTo(limit) > 0).isPresent();
  }
}
