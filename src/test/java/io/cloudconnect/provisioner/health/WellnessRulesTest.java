package io.cloudconnect.provisioner.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 11, point 4: when each wellness check says DOWN. */
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
}
