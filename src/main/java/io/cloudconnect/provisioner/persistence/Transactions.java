package io.cloudconnect.provisioner.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import java.time.Duration;
import java.util.function.Supplier;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/**
 * How the use cases write: a unit of work in a transaction of its own, and the one policy for a
 * lost version race.
 *
 * <p>Every saga carries a {@code @Version}. When another transaction (the create lane, the poller,
 * an operator, another replica) changed a saga between this unit's read and its commit, the commit
 * fails and nothing of the unit stays. The unit then runs again from its start on the saga as it is
 * now, so the rules decide again on the new state and a step is never written over a state it was
 * not decided for. That happens up to {@value #ATTEMPTS} times in all, a few milliseconds apart;
 * any other failure, and a race lost every time, goes to the caller, whose own policy for an
 * unavailable database applies (intake waits, the poller tries next cycle).
 *
 * <p>A unit must start outside any session: each attempt opens its own, so that it reads the rows
 * as they are in the database rather than as an earlier attempt's session remembered them.
 */
@ApplicationScoped
public class Transactions {
  private static final Logger LOG = Logger.getLogger(Transactions.class);

  /** Attempts of one unit in all, the first included. */
  static final int ATTEMPTS = 4;

  private static final Duration FIRST_PAUSE = Duration.ofMillis(5);
  private static final Duration LONGEST_PAUSE = Duration.ofMillis(200);

  private final Counter raced;
  private final Counter lost;

  public Transactions(MeterRegistry metrics) {
    this.raced =
        Counter.builder("cloudconnect.transactions.version.conflicts")
            .description("Units of work run again because another transaction changed a row first")
            .tag("outcome", "ran_again")
            .register(metrics);
    this.lost =
        Counter.builder("cloudconnect.transactions.version.conflicts")
            .description("Units of work run again because another transaction changed a row first")
            .tag("outcome", "gave_up")
            .register(metrics);
  }

  /** Runs {@code work} in a transaction, again on the rows as they are now when a race was lost. */
  public <T> Uni<T> write(Supplier<Uni<T>> work) {
    // the count belongs to one subscription: a caller that subscribes again (its own retry after
    // a database blip) starts from the first attempt
    return Uni.createFrom().deferred(() -> attempts(work, new int[] {0}));
  }

  private <T> Uni<T> attempts(Supplier<Uni<T>> work, int[] attempt) {
    return Uni.createFrom()
        .deferred(
            () -> {
              attempt[0]++;
              return Panache.withTransaction(work);
            })
        .onFailure(Transactions::lostRace)
        .invoke(
            e -> {
              if (attempt[0] < ATTEMPTS) {
                raced.increment();
                LOG.debugf("a row changed under attempt %d; running it again", attempt[0]);
              } else {
                lost.increment();
                LOG.warnf("a row changed under each of %d attempts; giving up", ATTEMPTS);
              }
            })
        .onFailure(Transactions::lostRace)
        .retry()
        .withBackOff(FIRST_PAUSE, LONGEST_PAUSE)
        .atMost(ATTEMPTS - 1);
  }

  /** Runs {@code work} in a session of its own, for reading. */
  public <T> Uni<T> read(Supplier<Uni<T>> work) {
    return Panache.withSession(work);
  }

  /** Whether {@code failure} is a write that matched no row because its version was stale. */
  public static boolean lostRace(Throwable failure) {
    for (Throwable at = failure; at != null; at = at.getCause()) {
      if (at instanceof OptimisticLockException || at instanceof StaleStateException) {
        return true;
      }
      if (at.getCause() == at) {
        break;
      }
    }
    return false;
  }
}
