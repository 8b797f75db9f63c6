package io.cloudconnect.provisioner.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The job runner on a real Vert.x with four event loops, as Quarkus runs it on two cores: jobs do
 * not share one thread, a pass that never ends is cut off and its job goes on, and every pass's end
 * (completed, failed, timed out) is in the job's pulse.
 */
class RepeatingJobsTest {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final JobPulses pulses = new JobPulses(metrics);
  private final RepeatingJobs jobs = new RepeatingJobs(Duration.ofMillis(300), vertx, pulses);

  @AfterEach
  void stop() {
    jobs.stop(null);
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private double passes(String job, String outcome) {
    return metrics
        .get("cloudconnect.job.passes")
        .tags("job_name", job, "outcome", outcome)
        .counter()
        .count();
  }

  private static void spin(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  /**
   * A pass that spins on the CPU for {@code millis} the first time it runs, then returns at once.
   */
  private static java.util.function.Supplier<Uni<Void>> firstPassSpins(long millis) {
    AtomicInteger passes = new AtomicInteger();
    return () ->
        Uni.createFrom()
            .voidItem()
            .invoke(
                () -> {
                  if (passes.getAndIncrement() == 0) {
                    spin(Duration.ofMillis(millis));
                  }
                });
  }

  /** A pass busy on the CPU for 2 s does not hold up the other jobs. */
  @Test
  void jobsRunOnEventLoopsOfTheirOwnSoABusyPassHoldsUpOnlyItsOwn() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger busyPasses = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean spinning =
        new java.util.concurrent.atomic.AtomicBoolean();
    AtomicInteger duringSpin = new AtomicInteger();
    jobs.every(
        "busy",
        Duration.ofMillis(50),
        Duration.ofSeconds(10),
        () ->
            Uni.createFrom()
                .voidItem()
                .invoke(
                    () -> {
                      threads.add(Thread.currentThread().getName());
                      if (busyPasses.getAndIncrement() == 0) {
                        spinning.set(true);
                        spin(Duration.ofSeconds(2));
                        spinning.set(false);
                      }
                    }));
    jobs.every(
        "light",
        Duration.ofMillis(50),
        () ->
            Uni.createFrom()
                .voidItem()
                .invoke(
                    () -> {
                      threads.add(Thread.currentThread().getName());
                      if (spinning.get()) {
                        duringSpin.incrementAndGet();
                      }
                    }));

    await().atMost(Duration.ofSeconds(10)).until(() -> passes("busy", "completed") >= 3);

    assertThat(threads).hasSizeGreaterThanOrEqualTo(2).allMatch(t -> t.contains("eventloop"));
    assertThat(duringSpin.get()).as("light passes while busy spun 2 s").isGreaterThan(10);
  }

  @Test
  void aPassThatNeverEndsIsCutOffAndTheJobGoesOn() {
    AtomicInteger started = new AtomicInteger();
    jobs.every(
        "hangs-once",
        Duration.ofMillis(20),
        () ->
            started.incrementAndGet() == 1
                ? Uni.createFrom().nothing()
                : Uni.createFrom().voidItem());

    await().atMost(Duration.ofSeconds(5)).until(() -> passes("hangs-once", "completed") >= 3);

    assertThat(passes("hangs-once", "timed_out")).isEqualTo(1);
    JobPulses.Seen seen = pulses.all().get(0);
    assertThat(seen.job()).isEqualTo("hangs-once");
    assertThat(seen.sinceLastPass()).isLessThan(Duration.ofSeconds(1));
    assertThat(seen.interval()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void aFailingPassStillEndsAndIsCountedAsFailed() {
    jobs.every(
        "fails",
        Duration.ofMillis(20),
        () -> Uni.createFrom().failure(new IllegalStateException("database down")));

    await().atMost(Duration.ofSeconds(5)).until(() -> passes("fails", "failed") >= 3);

    assertThat(passes("fails", "completed")).isZero();
    assertThat(pulses.all().get(0).sinceLastPass()).isLessThan(Duration.ofSeconds(1));
  }

  /** A job run once and repeated under one name shares one pulse; only the repetition is timed. */
  @Test
  void aFirstPassAfterStartSharesItsJobsPulse() {
    AtomicInteger runs = new AtomicInteger();
    jobs.every("purge", Duration.ofHours(1), () -> Uni.createFrom().voidItem());
    jobs.once(
        "purge",
        Duration.ofMillis(1),
        () -> Uni.createFrom().voidItem().invoke(runs::incrementAndGet));
    jobs.once("at-start", Duration.ofMillis(1), () -> Uni.createFrom().voidItem());

    await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);

    assertThat(pulses.all())
        .extracting(JobPulses.Seen::job, JobPulses.Seen::repeating)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("at-start", false),
            org.assertj.core.groups.Tuple.tuple("purge", true));
    assertThat(metrics.find("cloudconnect.job.interval").tag("job_name", "at-start").gauge())
        .isNull();
  }

  /** Liveness sees a blocked event loop of the jobs, and its recovery. */
  @Test
  void aBlockedEventLoopShowsInTheRunnersSilence() {
    jobs.every("watched", Duration.ofMillis(50), () -> Uni.createFrom().voidItem());
    await().atMost(Duration.ofSeconds(5)).until(() -> pulses.runnerSilence().isPresent());
    jobs.every("blocks", Duration.ofMillis(50), Duration.ofSeconds(10), firstPassSpins(3500));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> pulses.runnerSilence().get().compareTo(Duration.ofMillis(2500)) > 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pulses.runnerSilence().get().compareTo(Duration.ofMillis(1500)) < 0);
  }
}
