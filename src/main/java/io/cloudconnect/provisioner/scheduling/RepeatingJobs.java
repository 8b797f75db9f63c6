package io.cloudconnect.provisioner.scheduling;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs the service's background passes (create, poll, relay) on Vert.x timers. Each pass starts on
 * a fresh duplicated context (Hibernate Reactive keeps its session there) and the next pass is
 * scheduled only when the previous one finished, so passes of one job never overlap. Unlike {@code
 * quarkus-scheduler}, intervals may be milliseconds, which tests rely on.
 */
@ApplicationScoped
public class RepeatingJobs {
  private static final Logger LOG = Logger.getLogger(RepeatingJobs.class);

  private final Vertx vertx;
  private volatile boolean stopping;

  RepeatingJobs(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code pass} every {@code interval}, first after {@code interval}. */
  public void every(String name, Duration interval, Supplier<Uni<Void>> pass) {
    run(name, Math.max(1, interval.toMillis()), pass, true);
  }

  /** Runs {@code pass} once after {@code delay}. */
  public void once(String name, Duration delay, Supplier<Uni<Void>> pass) {
    run(name, Math.max(1, delay.toMillis()), pass, false);
  }

  private void run(String name, long delayMillis, Supplier<Uni<Void>> pass, boolean repeat) {
    if (stopping) {
      return;
    }
    vertx.setTimer(
        delayMillis,
        timer -> {
          Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
          context.runOnContext(
              v -> {
                // a fresh sub-context per pass, flagged safe for Hibernate Reactive's session
                VertxContextSafetyToggle.setCurrentContextSafe(true);
                Uni.createFrom()
                    .deferred(pass::get)
                    .onFailure()
                    .invoke(e -> logFailure(name, e))
                    .onFailure()
                    .recoverWithNull()
                    .subscribe()
                    .with(
                        done -> {
                          if (repeat) {
                            run(name, delayMillis, pass, true);
                          }
                        });
              });
        });
  }

  private void logFailure(String name, Throwable failure) {
    if (!stopping) { // during shutdown the pool closes under running passes: expected, not news
      LOG.warnf("%s pass failed, next pass as scheduled: %s", name, failure.toString());
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
  }
}
