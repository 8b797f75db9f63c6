package io.cloudconnect.provisioner.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the poller check says DOWN. */
class PollerHealthCheckTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void thePollerIsStaleOnlyWithWorkInFlightAndNoLeaseHeldForLong() {
    Duration limit = Duration.ofMinutes(2);
    assertThat(PollerHealthCheck.stale(false, Optional.empty(), NOW, limit)).isFalse();
    assertThat(PollerHealthCheck.stale(true, Optional.empty(), NOW, limit)).isTrue();
    assertThat(PollerHealthCheck.stale(true, Optional.of(NOW.plusSeconds(30)), NOW, limit))
        .isFalse();
    assertThat(PollerHealthCheck.stale(true, Optional.of(NOW.minusSeconds(60)), NOW, limit))
        .isFalse();
    assertThat(PollerHealthCheck.stale(true, Optional.of(NOW.minusSeconds(180)), NOW, limit))
        .isTrue();
  }
}
