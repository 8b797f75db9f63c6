package io.cloudconnect.provisioner.outbox;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Renews a relay pass's claims while its sends wait for Kafka: every third of the claim, the claims
 * are extended by one claim. A renewal runs on a safe duplicate of the pass's context of its own
 * (the pass's session is not shared), one at a time; a failed one is logged and the next tries
 * again. A replica that dies stops renewing, and its events are free one claim later.
 */
final class ClaimKeeper {
  private static final Logger LOG = Logger.getLogger(ClaimKeeper.class);

  /** The events a renewal extends. */
  record Claimed(List<String> ids) {}

  private final Vertx vertx;
  private final long timer;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private ClaimKeeper(Vertx vertx, long timer) {
    this.vertx = vertx;
    this.timer = timer;
  }

  static ClaimKeeper start(
      List<String> ids, Duration claim, Function<Claimed, Uni<Integer>> renew) {
    Context home = Vertx.currentContext();
    if (home == null) {
      return new ClaimKeeper(null, -1); // outside Vert.x (a unit test): nothing to keep
    }
    Context own = VertxContext.createNewDuplicatedContext(home);
    VertxContextSafetyToggle.setContextSafe(own, true);
    AtomicBoolean renewing = new AtomicBoolean();
    Claimed claimed = new Claimed(List.copyOf(ids));
    long every = Math.max(1, claim.toMillis() / 3);
    long timer =
        home.owner()
            .setPeriodic(
                every,
                id -> {
                  if (!renewing.compareAndSet(false, true)) {
                    return; // the previous renewal is still on its way
                  }
                  own.runOnContext(
                      ignored ->
                          renew
                              .apply(claimed)
                              .subscribe()
                              .with(
                                  extended -> renewing.set(false),
                                  failure -> {
                                    renewing.set(false);
                                    LOG.infof(
                                        "claims on %d events not renewed this time: %s",
                                        claimed.ids().size(), failure.toString());
                                  }));
                });
    return new ClaimKeeper(home.owner(), timer);
  }

  /** The pass is over (answered, refused or abandoned): no more renewals. */
  void stop() {
    if (vertx != null && stopped.compareAndSet(false, true)) {
      vertx.cancelTimer(timer);
    }
  }
}
