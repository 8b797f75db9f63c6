package io.cloudconnect.provisioner.scheduling;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code jobs} in the wellness group: DOWN when a background job of this replica has not ended a
 * pass within three of its intervals (at least a minute). A pass that fails because emnify or the
 * database is down still ends: this check sees a job that stopped, not an outage. Each job's time
 * since its last pass is in the data, and in {@code cloudconnect_job_since_last_pass_seconds}.
 */
@Wellness
@ApplicationScoped
class JobsHealthCheck implements HealthCheck {
  static final int INTERVALS = 3;
  static final Duration FLOOR = Duration.ofMinutes(1);

  private final JobPulses pulses;

  JobsHealthCheck(JobPulses pulses) {
    this.pulses = pulses;
  }

  @Override
  public HealthCheckResponse call() {
    List<JobPulses.Seen> jobs = pulses.all();
    List<String> silent = silent(jobs, INTERVALS, FLOOR);
    var response = HealthCheckResponse.named("jobs").status(silent.isEmpty());
    if (!silent.isEmpty()) {
      response.withData("silent", String.join(",", silent));
    }
    jobs.forEach(
        job -> response.withData(job.job(), job.sinceLastPass().toMillis() / 1000 + "s ago"));
    return response.build();
  }

  /**
   * The repeating jobs whose last pass ended longer ago than {@code intervals} of their intervals,
   * and never less than {@code floor} (a relay running every 500 ms is not silent after 1.5 s of a
   * garbage collection).
   */
  static List<String> silent(List<JobPulses.Seen> jobs, int intervals, Duration floor) {
    return jobs.stream()
        .filter(JobPulses.Seen::repeating)
        .filter(
            job -> {
              Duration limit = job.interval().multipliedBy(intervals);
              return job.sinceLastPass().compareTo(limit.compareTo(floor) > 0 ? limit : floor) > 0;
            })
        .map(JobPulses.Seen::job)
        .toList();
  }
}
