package io.cloudconnect.provisioner.polling;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ProvisionerConfig.Polling.Strategy;
import io.cloudconnect.provisioner.emnify.ApiBudget;
import io.cloudconnect.provisioner.metrics.Deferrals;
import io.cloudconnect.provisioner.provisioning.Creations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long the poller waits after a cycle, so that looking keeps within its share of the budget's
 * refill, a small one while requests wait for their create: then each call spent on looking is a
 * create fewer. The pause follows the calls the cycle really made and is bounded ({@code
 * cloudconnect.polling.max-pause}, by default half the lease); the budget, not this pause, keeps
 * the quota. A pause longer than the poll interval is said ({@link Deferrals}) and shown ({@code
 * cloudconnect_poller_pause_seconds}). The reference strategy (per-resource) polls at its interval
 * whatever it costs, as Terraform's waiter does.
 */
@ApplicationScoped
class PollPacing {
  private final ProvisionerConfig config;
  private final Creations creations;
  private final ApiBudget budget;
  private final Deferrals deferrals;
  private final Clock clock;

  /** Not before this may the next cycle run. */
  private volatile Instant notBefore = Instant.MIN;

  /** The calls to emnify this replica's current cycle made so far. */
  private final AtomicInteger spent = new AtomicInteger();

  PollPacing(
      ProvisionerConfig config,
      Creations creations,
      ApiBudget budget,
      Deferrals deferrals,
      Clock clock,
      MeterRegistry metrics) {
    this.config = config;
    this.creations = creations;
    this.budget = budget;
    this.deferrals = deferrals;
    this.clock = clock;
    Gauge.builder("cloudconnect.poller.pause", this, PollPacing::pauseLeftSeconds)
        .description("seconds until this replica's poller looks again after a costly cycle")
        .baseUnit("seconds")
        .register(metrics);
  }

  /**
   * A pause longer than half a lease would let the lease lapse between two cycles of the replica
   * that holds it: refused at start, naming the setting.
   */
  void check(@Observes StartupEvent event) {
    Duration max = maxPause();
    Duration halfLease = config.leases().duration().dividedBy(2);
    if (max.isNegative() || max.compareTo(halfLease) > 0) {
      throw new ConfigurationException(
          "CLOUDCONNECT_POLLING_MAX_PAUSE (cloudconnect.polling.max-pause) is "
              + max
              + ": it must be between 0 and half the lease (cloudconnect.leases.duration / 2 = "
              + halfLease
              + ")");
    }
  }

  /** Whether the pause after the last cycle still holds. */
  boolean paused() {
    return clock.instant().isBefore(notBefore);
  }

  /** The current cycle made {@code calls} more calls to emnify. */
  void spent(int calls) {
    spent.addAndGet(calls);
  }

  /** The pause after the cycle that started at {@code started}, from the calls it made. */
  Uni<Void> after(Instant started) {
    int calls = spent.getAndSet(0);
    ProvisionerConfig.Polling polling = config.polling();
    if (calls == 0 || polling.strategy() == Strategy.PER_RESOURCE) {
      return Uni.createFrom().voidItem();
    }
    return creations
        .anyWaitingForCreate()
        .onFailure()
        .recoverWithItem(false)
        .invoke(
            busy -> {
              double perSecond = budget.perSecond();
              double share = busy ? polling.busyBudgetShare() : polling.budgetShare();
              Duration pause = ObservationPlan.pause(calls, perSecond, share, maxPause());
              notBefore = started.plus(pause);
              if (pause.compareTo(config.pollInterval()) > 0) {
                deferrals.deferred(
                    StatusPoller.JOB,
                    "budget-share",
                    String.format(
                        "next poll cycle in %s: this one made %d calls, looking may spend %.0f %%"
                            + " of the budget%s",
                        pause, calls, share * 100, busy ? " while creates are waiting" : ""));
              }
            })
        .replaceWithVoid();
  }

  /** The longest pause between two cycles: as configured, or half the poller lease. */
  private Duration maxPause() {
    return config.polling().maxPause().orElse(config.leases().duration().dividedBy(2));
  }

  private double pauseLeftSeconds() {
    Duration left = Duration.between(clock.instant(), notBefore);
    return left.isNegative() ? 0 : left.toMillis() / 1000.0;
  }
}
