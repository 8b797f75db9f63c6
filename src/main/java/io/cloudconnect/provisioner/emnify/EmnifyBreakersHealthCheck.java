package io.cloudconnect.provisioner.emnify;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code emnify-breakers} in the wellness group: DOWN while any of the emnify client's circuit
 * breakers is open or half-open (emnify failing, or answering slower than the timeouts), with each
 * breaker's state.
 */
@Wellness
@ApplicationScoped
class EmnifyBreakersHealthCheck implements HealthCheck {
  private final CircuitBreakerMaintenance breakers;

  EmnifyBreakersHealthCheck(CircuitBreakerMaintenance breakers) {
    this.breakers = breakers;
  }

  @Override
  public HealthCheckResponse call() {
    Map<String, String> states = BreakerStates.of(breakers);
    states.replaceAll((name, state) -> "UNKNOWN".equals(state) ? "CLOSED" : state);
    List<String> open = BreakerStates.openOf(states);
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("emnify-breakers").status(open.isEmpty());
    states.forEach(response::withData);
    return response.build();
  }
}
