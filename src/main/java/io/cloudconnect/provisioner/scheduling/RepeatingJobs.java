package io.cloudconnect.provisioner.scheduling;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
  private final Duration passTimeout;

  RepeatingJobs(ProvisionerConfig config) {
    this.passTimeout = config.jobs().passTimeout();
  }

  /** Runs {@code pass} every {@code interval}, first after {@code interval}. */
  void every(String name, Duration interval, Supplier<Uni<Void>> pass) {
    long millis = Math.max(1, interval.toMillis());
    run(name, millis, () -> pass.get().replaceWith(false), millis);
  }

  /** Runs {@code pass} once after {@code delay}. */
  void once(String name, Duration delay, Supplier<Uni<Void>> pass) {
    run(name, Math.max(1, delay.toMillis()), () -> pass.get().replaceWith(false), -1);
  }

  /**
   * Runs {@code count} lanes of {@code pass}, each on its own: a lane whose pass found work goes on
   * at once, an idle one waits (the first {@code idleInterval}, the others {@code count} times as
   * long). A slow pass holds up only its own lane.
   */
  void lanes(String name, int count, Duration idleInterval, Supplier<Uni<Boolean>> pass) {
    long millis = Math.max(1, idleInterval.toMillis());
    for (int lane = 1; lane <= count; lane++) {
      // an idle service should not ask the database N times a second: the first lane looks every
      // interval, the others, when idle, every interval x N (a burst is picked up at once by the
      // first lane and by the others within N intervals; busy lanes go on without a pause)
      long idle = lane == 1 ? millis : millis * count;
      run(name + "-" + lane, millis * lane, pass, idle);
    }
  }

  /** {@code repeatMillis}: the delay after an idle pass, or -1 to run once. */
  private void run(String name, long delayMillis, Supplier<Uni<Boolean>> pass, long repeatMillis) {
    if (stopping) {
      return;
    }
    try {
      timer.schedule(
          () ->
              runPass(
                  name,
                  pass,
                  busy -> {
                    if (repeatMillis > 0) {
                      run(name, busy ? 0 : repeatMillis, pass, repeatMillis);
                    }
                  }),
          delayMillis,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: the timer is already shut down
    }
  }

  /**
   * One pass on a new duplicated context. A pass that does not finish within the pass timeout is
   * given up and the next one scheduled: a hung call or a half-open database connection must not
   * stop its job for good (RELIABILITY review R16).
   */
  private void runPass(String name, Supplier<Uni<Boolean>> pass, Consumer<Boolean> next) {
    VertxContextSupport.<Boolean>subscribe(
        () ->
            Uni.createFrom()
                .<Boolean>deferred(pass::get)
                .onItem()
                .ifNull()
                .continueWith(false)
                .ifNoItem()
                .after(passTimeout)
                .failWith(() -> new PassTimedOut(name, passTimeout))
                .toMulti(),
        subscription ->
            subscription.with(
                busy -> next.accept(Boolean.TRUE.equals(busy)),
                failure -> {
                  logFailure(name, failure);
                  next.accept(false);
                },
                () -> {}));
  }

  /**
   * Logs a failed pass: at once when its failure is new, otherwise at most once a minute per job (a
   * database outage fails every lane's pass every second; one line a minute says as much).
   */
  private void logFailure(String name, Throwable failure) {
    if (stopping) { // during shutdown the pool closes under running passes: expected, not news
      return;
    }
    String what = failure.toString();
    long now = System.nanoTime();
    Logged last = lastLogged.get(name);
    if (last == null || !last.what().equals(what) || now - last.at() > REPEAT_LOG_NANOS) {
      lastLogged.put(name, new Logged(what, now));
      LOG.warnf("%s pass failed, next pass as scheduled: %s", name, what);
    }
  }

  private record Logged(String what, long at) {}

  private static final long REPEAT_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);
  private final Map<String, Logged> lastLogged = new ConcurrentHashMap<>();

  /** A pass that ran longer than the pass timeout; it is abandoned, the job goes on. */
  static final class PassTimedOut extends RuntimeException {
    PassTimedOut(String name, Duration timeout) {
      super(name + " pass did not finish within " + timeout + "; abandoned", null, false, false);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    timer.shutdownNow();
  }
}
