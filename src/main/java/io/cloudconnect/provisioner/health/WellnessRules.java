package io.cloudconnect.provisioner.health;

import io.cloudconnect.provisioner.scheduling.JobPulses;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When the wellness checks say DOWN. Pure, so each threshold is tested without infrastructure; the
 * checks themselves only read and report. Wellness, not liveness or readiness: none of these is
 * fixed by restarting the pod or taking it out of traffic, and requests are still taken.
 */
final class WellnessRules {
  private WellnessRules() {}

  /** The breakers that are open (or half-open: still testing emnify). */
  static List<String> openBreakers(Map<String, String> states) {
    return states.entrySet().stream()
        .filter(e -> !"CLOSED".equals(e.getValue()))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** The outbox is behind when its oldest unsent event has waited longer than {@code limit}. */
  static boolean outboxBehind(Optional<Instant> oldest, Instant now, Duration limit) {
    return oldest.filter(o -> Duration.between(o, now).compareTo(limit) > 0).isPresent();
  }

  /**
   * The poller is stale when something is in flight and no replica has held its lease for longer
   * than {@code limit} (every replica is failing to poll, or none runs the jobs).
   */
  static boolean pollerStale(
      boolean inFlight, Optional<Instant> leaseUntil, Instant now, Duration limit) {
    if (!inFlight) {
      return false;
    }
    return leaseUntil.map(until -> Duration.between(until, now).compareTo(limit) > 0).orElse(true);
  }

  /**
   * The repeating jobs whose last pass ended longer ago than {@code intervals} of their intervals,
   * and never less than {@code floor} (a relay running every 500 ms is not silent after 1.5 s of a
   * garbage collection).
   */
  static List<String> silentJobs(List<JobPulses.Seen> jobs, int intervals, Duration floor) {
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

  /** The job runner is wedged when its timer or an event loop of its jobs has not beaten. */
  static boolean runnerWedged(Optional<Duration> silence, Duration limit) {
    return silence.filter(s -> s.compareTo(limit) > 0).isPresent();
  }
}
