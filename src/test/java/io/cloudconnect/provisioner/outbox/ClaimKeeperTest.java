package io.cloudconnect.provisioner.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pass's claims are renewed while it waits, and not after it ended. */
class ClaimKeeperTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void claimsAreRenewedEveryThirdOfAClaimUntilThePassEnds() throws Exception {
    AtomicInteger renewals = new AtomicInteger();
    CompletableFuture<ClaimKeeper> keeper = new CompletableFuture<>();
    vertx.runOnContext(
        v ->
            keeper.complete(
                ClaimKeeper.start(
                    List.of("e1", "e2"),
                    Duration.ofMillis(300),
                    claimed -> {
                      assertThat(claimed.ids()).containsExactly("e1", "e2");
                      renewals.incrementAndGet();
                      return Uni.createFrom().item(2);
                    })));
    // a send that takes three claims' time: renewed about nine times, never lapsing
    await().atMost(Duration.ofSeconds(5)).until(() -> renewals.get() >= 8);
    keeper.get(1, TimeUnit.SECONDS).stop();
    int atStop = renewals.get();
    // no renewal after the pass ended (one already under way may still count), for a claim's time
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> renewals.get() <= atStop + 1);
  }

  @Test
  void aSlowRenewalIsNotOverlappedByTheNext() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger renewals = new AtomicInteger();
    CompletableFuture<ClaimKeeper> keeper = new CompletableFuture<>();
    vertx.runOnContext(
        v ->
            keeper.complete(
                ClaimKeeper.start(
                    List.of("e1"),
                    Duration.ofMillis(150),
                    claimed -> {
                      most.accumulateAndGet(running.incrementAndGet(), Math::max);
                      renewals.incrementAndGet();
                      // a database answering in four renewal periods
                      return Uni.createFrom()
                          .item(1)
                          .onItem()
                          .delayIt()
                          .by(Duration.ofMillis(200))
                          .invoke(running::decrementAndGet);
                    })));
    await().atMost(Duration.ofSeconds(5)).until(() -> renewals.get() >= 3);
    keeper.get(1, TimeUnit.SECONDS).stop();
    assertThat(most.get()).isEqualTo(1);
  }
}
