package io.cloudconnect.provisioner.scheduling;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs background passes. Each job has a Vert.x event-loop context of its own (assigned round-robin
 * over the event loops, so jobs do not all share one thread: CPU work in one pass delays only the
 * jobs on its loop), and each pass runs on a new safe duplicate of it, where Hibernate Reactive
 * keeps its session. A timer thread of its own (not an event loop) schedules them; the next pass is
 * scheduled only when the previous one ended, so passes of one job never overlap. A pass that does
 * not end within its job's pass timeout is cut off and the next one scheduled. Every pass's end is
 * recorded in {@link JobPulses}; the timer and the event loops beat there every second, so that
 * liveness fails for a wedged runner and for nothing else. Unlike {@code quarkus-scheduler},
 * intervals may be milliseconds, which tests rely on.
 */
@ApplicationScoped
class RepeatingJobs {
  private static final Logger LOG = Logger.getLogger(RepeatingJobs.class);
  private static final long BEAT_MILLIS = 1000;

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "background-jobs-timer");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean stopping;
  private final Duration passTimeout;
  private final Vertx vertx;
  private final JobPulses pulses;
  private final Set<ContextInternal> homes = ConcurrentHashMap.newKeySet();
  private volatile boolean beating;

  @Inject
  RepeatingJobs(ProvisionerConfig config, Vertx vertx, JobPulses pulses) {
    this(config.jobs().passTimeout(), vertx, pulses);
  }

  RepeatingJobs(Duration passTimeout, Vertx vertx, JobPulses pulses) {
    this.passTimeout = passTimeout;
    this.vertx = vertx;
    this.pulses = pulses;
  }

  /** Runs {@code pass} every {@code interval}, first after {@code interval}. */
  void every(String name, Duration interval, Supplier<Uni<Void>> pass) {
    every(name, interval, passTimeout, pass);
  }

  /** As above, with a pass timeout of its own (a pass bounded by a longer lease). */
  void every(String name, Duration interval, Duration timeout, Supplier<Uni<Void>> pass) {
    long millis = Math.max(1, interval.toMillis());
    Job job = job(name, interval, timeout, true);
    run(job, millis, () -> pass.get().replaceWith(false), millis);
  }

  /** Runs {@code pass} once after {@code delay}. */
  void once(String name, Duration delay, Supplier<Uni<Void>> pass) {
    Job job = job(name, delay, passTimeout, false);
    run(job, Math.max(1, delay.toMillis()), () -> pass.get().replaceWith(false), -1);
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
      Job job = job(name + "-" + lane, Duration.ofMillis(idle), passTimeout, true);
      run(job, millis * lane, pass, idle);
    }
  }

  /** A job: its name, its own event-loop context, its pass timeout and its pulse. */
  private record Job(String name, ContextInternal home, Duration timeout, JobPulses.Pulse pulse) {}

  private Job job(String name, Duration interval, Duration timeout, boolean repeating) {
    ContextInternal home = ((VertxInternal) vertx).createEventLoopContext();
    homes.add(home);
    pulses.loopBeat(home.nettyEventLoop());
    startBeating();
    return new Job(name, home, timeout, pulses.register(name, interval, repeating));
  }

  /** {@code repeatMillis}: the delay after an idle pass, or -1 to run once. */
  private void run(Job job, long delayMillis, Supplier<Uni<Boolean>> pass, long repeatMillis) {
    if (stopping) {
      return;
    }
    try {
      timer.schedule(
          () ->
              runPass(
                  job,
                  pass,
                  busy -> {
                    if (repeatMillis > 0) {
                      run(job, busy ? 0 : repeatMillis, pass, repeatMillis);
                    }
                  }),
          delayMillis,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: the timer is already shut down
    }
  }

  /**
   * One pass on a new safe duplicate of the job's context. A pass that does not finish within its
   * timeout is given up and the next one scheduled: a hung call or a half-open database connection
   * must not stop its job for good.
   */
  private void runPass(Job job, Supplier<Uni<Boolean>> pass, Consumer<Boolean> next) {
    Context duplicate = VertxContext.createNewDuplicatedContext(job.home());
    VertxContextSafetyToggle.setContextSafe(duplicate, true);
    long started = System.nanoTime();
    duplicate.runOnContext(
        ignored ->
            Uni.createFrom()
                .<Boolean>deferred(pass::get)
                .onItem()
                .ifNull()
                .continueWith(false)
                .ifNoItem()
                .after(job.timeout())
                .failWith(() -> new PassTimedOut(job.name(), job.timeout()))
                .subscribe()
                .with(
                    busy -> {
                      job.pulse().ended(JobPulses.Outcome.COMPLETED, started);
                      next.accept(Boolean.TRUE.equals(busy));
                    },
                    failure -> {
                      job.pulse()
                          .ended(
                              failure instanceof PassTimedOut
                                  ? JobPulses.Outcome.TIMED_OUT
                                  : JobPulses.Outcome.FAILED,
                              started);
                      logFailure(job.name(), failure);
                      next.accept(false);
                    }));
  }

  /**
   * Every second the timer thread beats, and posts a beat to each job's event loop: liveness sees a
   * wedged timer or a blocked loop, whatever the passes themselves are doing.
   */
  private void startBeating() {
    if (beating) {
      return;
    }
    beating = true;
    try {
      timer.scheduleWithFixedDelay(
          () -> {
            pulses.timerBeat();
            for (ContextInternal home : homes) {
              home.runOnContext(v -> pulses.loopBeat(home.nettyEventLoop()));
            }
          },
          0,
          BEAT_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping
    }
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
