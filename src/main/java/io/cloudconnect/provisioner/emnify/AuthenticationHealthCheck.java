package io.cloudconnect.provisioner.emnify;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code emnify-authentication} in the wellness group ({@code /q/health/well}): DOWN while emnify
 * refuses the application token, with since when, how often in a row, until when every replica
 * holds back and emnify's last answer. Not liveness or readiness: restarting or unreadying the
 * service cannot fix a refused token, and requests are still taken (their creates wait).
 */
@Wellness
@ApplicationScoped
class AuthenticationHealthCheck implements AsyncHealthCheck {
  private final AuthenticationRefusals refusals;

  AuthenticationHealthCheck(AuthenticationRefusals refusals) {
    this.refusals = refusals;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return refusals
        .current()
        .map(
            refusal -> {
              HealthCheckResponseBuilder response =
                  HealthCheckResponse.named("emnify-authentication").up();
              refusal.ifPresent(
                  r -> {
                    response
                        .down()
                        .withData("refused_since", r.refusedSince().toString())
                        .withData("refusals_in_a_row", r.refusals())
                        .withData("last_answer", String.valueOf(r.lastProblem()));
                    r.heldUntil()
                        .ifPresent(h -> response.withData("held_back_until", h.toString()));
                  });
              return response.build();
            });
  }
}
