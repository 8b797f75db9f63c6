package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.config.ProvisionerConfig.Budget.Bucket;
import io.cloudconnect.provisioner.persistence.ApiBudgetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shared bucket as the overview and the gauges show it: refilled, capped, paused, wanted. */
class BudgetSnapshotTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);

  /** 1,960 per 5 minutes (6.53 a second), burst 40. */
  private static final Bucket SETTINGS =
      new Bucket() {
        @Override
        public int perWindow() {
          return 1960;
        }

        @Override
        public int burst() {
          return 40;
        }

        @Override
        public int reserve() {
          return 10;
        }
      };

  private static ApiBudgetStore.Bucket stored(
      double tokens, Duration ago, Instant blockedUntil, double wanted, Instant wantedUntil) {
    return new ApiBudgetStore.Bucket(
        tokens,
        NOW.minus(ago),
        Optional.ofNullable(blockedUntil),
        wanted,
        Optional.ofNullable(wantedUntil));
  }

  @Test
  void aBucketNeverTakenFromIsFull() {
    ApiBudget.Snapshot snapshot = ApiBudget.Snapshot.of(Optional.empty(), NOW, SETTINGS, WINDOW);

    assertThat(snapshot.tokens()).isEqualTo(40);
    assertThat(snapshot.burst()).isEqualTo(40);
    assertThat(snapshot.perWindow()).isEqualTo(1960);
    assertThat(snapshot.windowSeconds()).isEqualTo(300);
    assertThat(snapshot.wanted()).isZero();
    assertThat(snapshot.pausedUntil()).isNull();
  }

  @Test
  void tokensRefillAtThePerSecondRateUpToTheBurst() {
    // 2 s after 3 tokens were left: 3 + 2 × 1960 / 300
    ApiBudget.Snapshot two =
        ApiBudget.Snapshot.of(
            Optional.of(stored(3, Duration.ofSeconds(2), null, 0, null)), NOW, SETTINGS, WINDOW);
    ApiBudget.Snapshot aMinute =
        ApiBudget.Snapshot.of(
            Optional.of(stored(3, Duration.ofMinutes(1), null, 0, null)), NOW, SETTINGS, WINDOW);

    assertThat(two.tokens())
        .isCloseTo(3 + 2 * 1960 / 300.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(aMinute.tokens()).isEqualTo(40);
  }

  @Test
  void aRunningPauseAndLiveWantsShowAndLapsedOnesDoNot() {
    Instant later = NOW.plusSeconds(30);
    Instant earlier = NOW.minusSeconds(1);

    ApiBudget.Snapshot live =
        ApiBudget.Snapshot.of(
            Optional.of(stored(0, Duration.ZERO, later, 12, later)), NOW, SETTINGS, WINDOW);
    ApiBudget.Snapshot lapsed =
        ApiBudget.Snapshot.of(
            Optional.of(stored(0, Duration.ZERO, earlier, 12, earlier)), NOW, SETTINGS, WINDOW);

    assertThat(live.pausedUntil()).isEqualTo(later);
    assertThat(live.wanted()).isEqualTo(12);
    assertThat(lapsed.pausedUntil()).isNull();
    assertThat(lapsed.wanted()).isZero();
  }
}
