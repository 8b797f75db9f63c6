package io.cloudconnect.provisioner.validation;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code emnify-regions} in the wellness group ({@code /q/health/well}): DOWN while validation runs
 * on the configured fallback list, or when emnify's last answer was empty or unreadable. Not a
 * readiness check: requests are still taken (and validated against the best list there is).
 */
@Wellness
@ApplicationScoped
class RegionsHealthCheck implements HealthCheck {
  private final EmnifyRegionCatalog catalog;

  RegionsHealthCheck(EmnifyRegionCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("emnify-regions").up();
    for (int type : EmnifyRegionCatalog.TYPES) {
      EmnifyRegionCatalog.Source source = catalog.source(type);
      String state =
          (source.fromEmnify() ? "emnify's list" : "the configured fallback list")
              + " ("
              + source.regions()
              + " regions)"
              + source.lastProblem().map(p -> "; last refresh: " + p).orElse("");
      response.withData("type " + type, state);
      if (!source.fromEmnify() || source.lastProblem().isPresent()) {
        response.down();
      }
    }
    return response.build();
  }
}
