package io.cloudconnect.provisioner.scheduling;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs background passes. A timer thread of its own (not a Vert.x event loop) starts each pass on a
 * new safe duplicated Vert.x context, where Hibernate Reactive keeps its session ({@link
 * VertxContextSupport} makes one, and refuses to be called from an event loop); the next pass is
 * scheduled only when the previous one finished, so passes of one job never overlap. Unlike {@code
 * quarkus-scheduler}, intervals may be milliseconds, which tests rely on.
 */
@ApplicationScoped
class RepeatingJobs {
  private static final Logger LOG = Logger.getLogger(RepeatingJobs.class);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "background-jobs-timer");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean stopping;

  /** Runs {@code pass} every {@code interval}, first after {@code interval}. */
  void every(String name, Duration interval, Supplier<Uni<Void>> pass) {
    run(name, Math.max(1, interval.toMillis()), pass, true);
  }

  /** Runs {@code pass} once after {@code delay}. */
  void once(String name, Duration delay, Supplier<Uni<Void>> pass) {
    run(name, Math.max(1, delay.toMillis()), pass, false);
  }

  private void run(String name, long delayMillis, Supplier<Uni<Void>> pass, boolean repeat) {
    if (stopping) {
      return;
    }
    Runnable next = repeat ? () -> run(name, delayMillis, pass, true) : () -> {};
    try {
      timer.schedule(() -> runPass(name, pass, next), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: the timer is already shut down
    }
  }

  private void runPass(String name, Supplier<Uni<Void>> pass, Runnable next) {
    VertxContextSupport.<Void>subscribe(
        () -> Uni.createFrom().deferred(pass::get).toMulti(),
        subscription ->
            subscription.with(
                ignored -> {},
                failure -> {
                  logFailure(name, failure);
                  next.run();
                },
                next));
  }

  private void logFailure(String name, Throwable failure) {
    if (!stopping) { // during shutdown the pool closes under running passes: expected, not news
      LOG.warnf("%s pass failed, next pass as scheduled: %s", name, failure.toString());
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    timer.shutdownNow();
  }
}
