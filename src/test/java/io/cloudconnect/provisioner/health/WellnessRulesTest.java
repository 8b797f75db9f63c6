package io.cloudconnect.provisioner.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When each wellness check says DOWN. */
class WellnessRulesTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void anOpenOrHalfOpenBreakerIsReported() {
    assertThat(WellnessRules.openBreakers(Map.of("a", "CLOSED", "b", "CLOSED"))).isEmpty();
    assertThat(WellnessRules.openBreakers(Map.of("a", "OPEN", "b", "CLOSED", "c", "HALF_OPEN")))
        .containsExactly("a", "c");
  }

  @Test
  void theOutboxIsBehindOnlyOnceItsOldestEventWaitedPastTheLimit() {
    Duration limit = Duration.ofMinutes(2);
    assertThat(WellnessRules.outboxBehind(Optional.empty(), NOW, limit)).isFalse();
    assertThat(WellnessRules.outboxBehind(Optional.of(NOW.minusSeconds(119)), NOW, limit))
        .isFalse();
    assertThat(WellnessRules.outboxBehind(Optional.of(NOW.minusSeconds(121)), NOW, limit)).isTrue();
  }

  @Test
  void thePollerIsStaleOnlyWithWorkInFlightAndNoLeaseHeldForLong() {
    Duration limit = Duration.ofMinutes(2);
    assertThat(WellnessRules.pollerStale(false, Optional.empty(), NOW, limit)).isFalse();
    assertThat(WellnessRules.pollerStale(true, Optional.empty(), NOW, limit)).isTrue();
    assertThat(WellnessRules.pollerStale(true, Optional.of(NOW.plusSeconds(30)), NOW, limit))
        .isFalse();
    assertThat(WellnessRules.pollerStale(true, Optional.of(NOW.minusSeconds(60)), NOW, limit))
        .isFalse();
    assertThat(WellnessRules.pollerStale(true, Optional.of(NOW.minusSeconds(180)), NOW, limit))
        .isTrue();
  }

  /** A job is silent past three of its intervals, never before a minute; a one-off never is. */
  @Test
  void aRepeatingJobIsSilentAfterThreeIntervalsAndNeverBeforeAMinute() {
    Duration floor = Duration.ofMinutes(1);
    record Row(Duration interval, Duration since, boolean silent) {}
    java.util.List<Row> table =
        java.util.List.of(
            new Row(Duration.ofMillis(500), Duration.ofSeconds(2), false),
            new Row(Duration.ofMillis(500), Duration.ofSeconds(59), false),
            new Row(Duration.ofMillis(500), Duration.ofSeconds(61), true),
            new Row(Duration.ofSeconds(15), Duration.ofSeconds(44), false),
            new Row(Duration.ofSeconds(15), Duration.ofSeconds(61), true),
            new Row(Duration.ofHours(1), Duration.ofMinutes(179), false),
            new Row(Duration.ofHours(1), Duration.ofMinutes(181), true),
            new Row(null, Duration.ofDays(3), false));
    for (Row row : table) {
      var seen =
          new io.cloudconnect.provisioner.scheduling.JobPulses.Seen(
              "job", row.interval(), row.since());
      assertThat(WellnessRules.silentJobs(java.util.List.of(seen), 3, floor))
          .as("every %s, last pass %s ago", row.interval(), row.since())
          .isEqualTo(row.silent() ? java.util.List.of("job") : java.util.List.of());
    }
  }

  @Test
  void theRunnerIsWedgedOnlyWhenItHasNotBeatenForTheLimit() {
    Duration limit = Duration.ofSeconds(30);
    assertThat(WellnessRules.runnerWedged(Optional.empty(), limit)).isFalse();
    assertThat(WellnessRules.runnerWedged(Optional.of(Duration.ofSeconds(2)), limit)).isFalse();
    assertThat(WellnessRules.runnerWedged(Optional.of(Duration.ofSeconds(31)), limit)).isTrue();
  }
}
