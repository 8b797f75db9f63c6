package io.cloudconnect.provisioner.polling;

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
 * {@code poller} in the wellness group: DOWN when requests are in flight and no replica has held
 * the status poller's lease for more than two lease durations (every replica fails to poll, or none
 * runs the background jobs): nothing would become ready or be cleaned up.
 */
@Wellness
@ApplicationScoped
class PollerHealthCheck implements AsyncHealthCheck {
  private final HealthQueries queries;
  private final ProvisionerConfig config;
  private final Clock clock;

  PollerHealthCheck(HealthQueries queries, ProvisionerConfig config, Clock clock) {
    this.queries = queries;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    Instant now = clock.instant();
    return queries
        .anythingInFlight()
        .chain(
            inFlight ->
                queries
                    .leaseUntil(StatusPoller.JOB)
                    .map(
                        until -> {
                          boolean stale =
                              stale(
                                  inFlight, until, now, config.leases().duration().multipliedBy(2));
                          var response =
                              HealthCheckResponse.named("poller")
                                  .status(!stale)
                                  .withData("in_flight", inFlight);
                          until.ifPresent(u -> response.withData("lease_until", u.toString()));
                          return response.build();
                        }));
  }

  /**
   * The poller is stale when something is in flight and no replica has held its lease for longer
   * than {@code limit} (every replica is failing to poll, or none runs the jobs).
   */
  static boolean stale(
      boolean inFlight, Optional<Instant> leaseUntil, Instant now, Duration limit) {
    if (!inFlight) {
      return false;
    }
    return leaseUntil.map(until -> Duration.between(until, now).compareTo(limit) > 0).orElse(true);
  }
}
