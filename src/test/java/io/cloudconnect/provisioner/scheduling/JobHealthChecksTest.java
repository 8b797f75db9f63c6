package io.cloudconnect.provisioner.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the jobs and job-runner checks say DOWN. */
class JobHealthChecksTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  /** A job is silent past three of its intervals, never before a minute; a one-off never is. */
  @Test
  void aRepeatingJobIsSilentAfterThreeIntervalsAndNeverBeforeAMinute() {
    Duration floor = Duration.ofMinutes(1);
    record Row(Duration interval, Duration since, boolean silent) {}
    List<Row> table =
        List.of(
            new Row(Duration.ofMillis(500), Duration.ofSeconds(2), false),
            new Row(Duration.ofMillis(500), Duration.ofSeconds(59), false),
            new Row(Duration.ofMillis(500), Duration.ofSeconds(61), true),
            new Row(Duration.ofSeconds(15), Duration.ofSeconds(44), false),
            new Row(Duration.ofSeconds(15), Duration.ofSeconds(61), true),
            new Row(Duration.ofHours(1), Duration.ofMinutes(179), false),
            new Row(Duration.ofHours(1), Duration.ofMinutes(181), true),
            new Row(null, Duration.ofDays(3), false));
    for (Row row : table) {
      var seen = new JobPulses.Seen("job", row.interval(), row.since());
      assertThat(JobsHealthCheck.silent(List.of(seen), 3, floor))
          .as("every %s, last pass %s ago", row.interval(), row.since())
          .isEqualTo(row.silent() ? List.of("job") : List.of());
    }
  }

  @Test
  void theRunnerIsWedgedOnlyWhenItHasNotBeatenForTheLimit() {
    Duration limit = Duration.ofSeconds(30);
    assertThat(JobRunnerLivenessCheck.wedged(Optional.empty(), limit)).isFalse();
    assertThat(JobRunnerLivenessCheck.wedged(Optional.of(Duration.ofSeconds(2)), limit)).isFalse();
    assertThat(JobRunnerLivenessCheck.wedged(Optional.of(Duration.ofSeconds(31)), limit)).isTrue();
  }
}
