package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the breakers check says DOWN. */
class BreakerStatesTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void anOpenOrHalfOpenBreakerIsReported() {
    assertThat(BreakerStates.openOf(Map.of("a", "CLOSED", "b", "CLOSED"))).isEmpty();
    assertThat(BreakerStates.openOf(Map.of("a", "OPEN", "b", "CLOSED", "c", "HALF_OPEN")))
        .containsExactly("a", "c");
  }
}
