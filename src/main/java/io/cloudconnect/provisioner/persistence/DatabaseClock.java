package io.cloudconnect.provisioner.persistence;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * PostgreSQL's clock, as every replica reads it. Leases, claims, grace periods, deadlines and the
 * shared budget are compared across replicas through the database, so they must be measured on one
 * clock: each replica measures its offset to the database's {@code clock_timestamp()} (at start,
 * then every minute; the round trip's midpoint, as NTP does) and stamps every instant as local time
 * plus that offset. Reading the clock then costs nothing, and a replica whose own clock is off by
 * seconds still agrees with the others to within the round trip.
 */
@ApplicationScoped
public class DatabaseClock {
  private static final Logger LOG = Logger.getLogger(DatabaseClock.class);
  private static final Duration NOTEWORTHY = Duration.ofSeconds(1);

  private final Pool pool;
  private final Clock local;
  private volatile long offsetMillis;

  DatabaseClock(Pool pool, MeterRegistry metrics, ProvisionerConfig config) {
    this.pool = pool;
    this.local = Clock.offset(Clock.tickMillis(ZoneOffset.UTC), config.clock().drillSkew());
    metrics.gauge("cloudconnect_clock_offset_seconds", this, c -> c.offsetMillis / 1000.0);
  }

  /**
   * The one clock for every timestamp the service records and compares, at millisecond precision:
   * local time corrected by the last measured offset to PostgreSQL's clock.
   */
  @Produces
  @ApplicationScoped
  Clock clock() {
    return new Corrected();
  }

  /** Measured before anything is claimed; a database not reachable yet leaves the offset at 0. */
  void atStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 20) StartupEvent event) {
    try {
      VertxContextSupport.subscribeAndAwait(
          () -> synchronise().ifNoItem().after(Duration.ofSeconds(10)).fail());
    } catch (Throwable e) {
      LOG.warnf("database clock not measured at start (%s); measured again in a minute", e);
    }
  }

  /** Measures the offset again: the database's time at the midpoint of the round trip. */
  public Uni<Void> synchronise() {
    Instant sent = local.instant();
    return pool.query("select clock_timestamp() as now")
        .execute()
        .invoke(
            rows -> {
              Instant received = local.instant();
              Instant database = rows.iterator().next().getOffsetDateTime("now").toInstant();
              Instant midpoint = sent.plus(Duration.between(sent, received).dividedBy(2));
              long offset = Duration.between(midpoint, database).toMillis();
              if (Math.abs(offset - offsetMillis) >= NOTEWORTHY.toMillis()) {
                LOG.infof(
                    "this replica's clock is %d ms %s PostgreSQL's; leases and deadlines use"
                        + " PostgreSQL's",
                    Math.abs(offset), offset > 0 ? "behind" : "ahead of");
              }
              offsetMillis = offset;
            })
        .replaceWithVoid();
  }

  /** The corrected clock; reads only a volatile field, never the database. */
  private final class Corrected extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the service keeps every instant in UTC");
    }

    @Override
    public Instant instant() {
      return local.instant().plusMillis(offsetMillis);
    }

    @Override
    public long millis() {
      return instant().toEpochMilli();
    }
  }
}
