package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared budget against the real database: a bucket of burst 3 refilled at 60 per 5 minutes.
 */
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class ApiBudgetTest {
  @Inject ApiBudget budget;

  @Test
  void burstIsSpentThenCallsAreRefusedWithTheWaitUntilTheNextToken() {
    String bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 3; i++) {
      budget.take(bucket, 60, 3).await().atMost(Duration.ofSeconds(5));
    }
    Throwable refused =
        catchThrowable(() -> budget.take(bucket, 60, 3).await().atMost(Duration.ofSeconds(5)));

    assertThat(refused).isInstanceOf(UpstreamException.class);
    UpstreamException throttled = (UpstreamException) refused;
    assertThat(throttled.kind()).isEqualTo(UpstreamException.Kind.THROTTLED);
    // 60 per 300 s is one token every 5 s
    assertThat(throttled.retryAfter().orElseThrow())
        .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
  }

  @Test
  void pauseAfter429HoldsEveryCallerUntilItEnds() {
    String bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
    budget.take(bucket, 6000, 100).await().atMost(Duration.ofSeconds(5));
    budget.pause(bucket, Duration.ofSeconds(30)).await().atMost(Duration.ofSeconds(5));

    Throwable refused =
        catchThrowable(() -> budget.take(bucket, 6000, 100).await().atMost(Duration.ofSeconds(5)));
    assertThat(((UpstreamException) refused).retryAfter().orElseThrow())
        .isBetween(Duration.ofSeconds(28), Duration.ofSeconds(30));
  }

  /** Issue 9: creates leave a reserve that only the reads observing what is in flight spend. */
  @Test
  void createsLeaveTheReserveToReads() {
    String bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
    // burst 5, reserve 2: three creates, then only reads
    for (int i = 0; i < 3; i++) {
      budget.take(bucket, 60, 5, 2).await().atMost(Duration.ofSeconds(5));
    }
    Throwable refused =
        catchThrowable(() -> budget.take(bucket, 60, 5, 2).await().atMost(Duration.ofSeconds(5)));
    assertThat(((UpstreamException) refused).kind()).isEqualTo(UpstreamException.Kind.THROTTLED);
    budget.take(bucket, 60, 5, 0).await().atMost(Duration.ofSeconds(5));
    budget.take(bucket, 60, 5, 0).await().atMost(Duration.ofSeconds(5));
    assertThat(
            catchThrowable(
                () -> budget.take(bucket, 60, 5, 0).await().atMost(Duration.ofSeconds(5))))
        .isInstanceOf(UpstreamException.class);
  }
}
