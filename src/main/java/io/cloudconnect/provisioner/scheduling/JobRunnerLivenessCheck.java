package io.cloudconnect.provisioner.scheduling;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code job-runner} in the liveness group: DOWN only when the background jobs' runner itself is
 * wedged, its timer thread or an event loop its jobs run on has not run a task for 30 s, which a
 * restart cures. Never for an emnify or database outage: passes that fail still let the runner
 * beat, and are seen in the wellness check {@code jobs} and the job metrics.
 */
@Liveness
@ApplicationScoped
class JobRunnerLivenessCheck implements HealthCheck {
  static final Duration LIMIT = Duration.ofSeconds(30);

  private final JobPulses pulses;

  JobRunnerLivenessCheck(JobPulses pulses) {
    this.pulses = pulses;
  }

  @Override
  public HealthCheckResponse call() {
    var silence = pulses.runnerSilence();
    var response = HealthCheckResponse.named("job-runner").status(!wedged(silence, LIMIT));
    silence.ifPresent(s -> response.withData("last_beat_ms_ago", s.toMillis()));
    return response.build();
  }

  /** The job runner is wedged when its timer or an event loop of its jobs has not beaten. */
  static boolean wedged(Optional<Duration> silence, Duration limit) {
    return silence.filter(s -> s.compareTo(limit) > 0).isPresent();
  }
}
