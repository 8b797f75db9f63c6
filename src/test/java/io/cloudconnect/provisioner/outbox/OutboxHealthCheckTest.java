package io.cloudconnect.provisioner.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the outbox check says DOWN. */
class OutboxHealthCheckTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void theOutboxIsBehindOnlyOnceItsOldestEventWaitedPastTheLimit() {
    Duration limit = Duration.ofMinutes(2);
    assertThat(OutboxHealthCheck.behind(Optional.empty(), NOW, limit)).isFalse();
    assertThat(OutboxHealthCheck.behind(Optional.of(NOW.minusSeconds(119)), NOW, limit)).isFalse();
    assertThat(OutboxHealthCheck.behind(Optional.of(NOW.minusSeconds(121)), NOW, limit)).isTrue();
  }
}
