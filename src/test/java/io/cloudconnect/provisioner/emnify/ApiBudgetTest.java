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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shared budget against the real database: a bucket of burst 3 refilled at 60 per 5 minutes.
 */
@Tag("platform")
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

  /** Creates leave a reserve that only the reads observing what is in flight spend. */
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

  /**
   * The reads the poller announced (finishing requests, its list pages) go before creates; the
   * announcement lapses by itself, so a poller that died holds nothing back for long.
   */
  @Test
  void createsLeaveTheAnnouncedReadsTheirTokensUntilTheAnnouncementLapses() throws Exception {
    String bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
    budget.take(bucket, 60, 6, 0, false).await().atMost(Duration.ofSeconds(5)); // 5 left
    budget.want(bucket, 3, Duration.ofSeconds(2)).await().atMost(Duration.ofSeconds(5));

    // creates (reserve 0) leave the 3 announced reads behind: two go, the third waits
    budget.take(bucket, 60, 6, 0, true).await().atMost(Duration.ofSeconds(5));
    budget.take(bucket, 60, 6, 0, true).await().atMost(Duration.ofSeconds(5));
    Throwable refused =
        catchThrowable(
            () -> budget.take(bucket, 60, 6, 0, true).await().atMost(Duration.ofSeconds(5)));
    assertThat(((UpstreamException) refused).kind()).isEqualTo(UpstreamException.Kind.THROTTLED);
    // the wait it is told counts the announced reads: about 5 s per token, 1 + 3 - 3 missing
    assertThat(((UpstreamException) refused).retryAfter().orElseThrow())
        .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
    // the reads themselves are not held back by their own announcement
    budget.take(bucket, 60, 6, 0, false).await().atMost(Duration.ofSeconds(5));

    Thread.sleep(2100); // the announcement lapses: the create takes one of the two left
    budget.take(bucket, 60, 6, 0, true).await().atMost(Duration.ofSeconds(5));
  }
}
