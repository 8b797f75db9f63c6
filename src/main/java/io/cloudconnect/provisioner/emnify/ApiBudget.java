package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ProvisionerConfig.Budget.Bucket;
import io.cloudconnect.provisioner.emnify.UpstreamException.Answer;
import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * The emnify quota, spent by all replicas together: token buckets in PostgreSQL (one row each,
 * refilled evenly, updated atomically), so N replicas cannot spend N times the limit. A 429 from
 * emnify pauses every replica until its Retry-After has passed. Every call takes a token before it
 * is sent; without one it fails as THROTTLED (not sent) and the caller defers its work.
 */
@ApplicationScoped
public class ApiBudget {
  private static final Logger LOG = Logger.getLogger(ApiBudget.class);
  public static final String API = "api";
  public static final String AUTHENTICATION = "authentication";

  /** Takes one token if the bucket holds one and no pause is in force; returns the row if so. */
  private static final String TAKE =
      "insert into api_budget (name, tokens, refilled_at) values ($1, $2 - 1, $4) "
          + "on conflict (name) do update set "
          + "  tokens = least($2, api_budget.tokens + extract(epoch from ($4 - api_budget.refilled_at)) * $3) - 1, "
          + "  refilled_at = $4 "
          + "where (api_budget.blocked_until is null or api_budget.blocked_until <= $4) "
          + "  and least($2, api_budget.tokens + extract(epoch from ($4 - api_budget.refilled_at)) * $3) >= 1 "
          + "returning tokens";

  private static final String WAIT =
      "select blocked_until, tokens, refilled_at from api_budget where name = $1";
  private static final String PAUSE =
      "insert into api_budget (name, tokens, refilled_at, blocked_until) values ($1, 0, $2, $3) "
          + "on conflict (name) do update set blocked_until = greatest(coalesce(api_budget.blocked_until, $3), $3)";

  private final Pool pool;
  private final ProvisionerConfig.Budget config;
  private final Clock clock;

  ApiBudget(Pool pool, ProvisionerConfig config, Clock clock) {
    this.pool = pool;
    this.config = config.budget();
    this.clock = clock;
  }

  /** One token for a call to emnify; fails with THROTTLED (and a retry-after) when none is left. */
  public Uni<Void> take(String bucketName) {
    if (!config.enabled()) {
      return Uni.createFrom().voidItem();
    }
    Bucket bucket = bucket(bucketName);
    return take(bucketName, bucket.perWindow(), bucket.burst());
  }

  Uni<Void> take(String bucketName, int perWindow, int burst) {
    double perSecond = perWindow / (double) config.window().toSeconds();
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return pool.preparedQuery(TAKE)
        .execute(Tuple.of(bucketName, (double) burst, perSecond, now))
        .onFailure()
        .transform(
            e ->
                new Answer(
                    Kind.THROTTLED,
                    0,
                    "API budget unavailable: " + e.getClass().getSimpleName(),
                    Duration.ofSeconds(5)))
        .chain(
            rows -> rows.size() == 1 ? Uni.createFrom().voidItem() : refuse(bucketName, perSecond));
  }

  /** emnify answered 429: every replica pauses this bucket. */
  public Uni<Void> pause(String bucketName, Duration retryAfter) {
    Duration pause = retryAfter == null ? config.throttledPause() : retryAfter;
    Instant now = clock.instant();
    LOG.warnf("emnify answered 429; all replicas pause %s calls for %s", bucketName, pause);
    return pool.preparedQuery(PAUSE)
        .execute(
            Tuple.of(
                bucketName,
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(now.plus(pause), ZoneOffset.UTC)))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private Uni<Void> refuse(String bucketName, double perSecond) {
    return pool.preparedQuery(WAIT)
        .execute(Tuple.of(bucketName))
        .map(rows -> retryAfter(rows, perSecond))
        .chain(
            wait ->
                Uni.createFrom()
                    .failure(
                        new Answer(
                            Kind.THROTTLED,
                            0,
                            "client-side " + bucketName + " budget spent; next call in " + wait,
                            wait)));
  }

  private Duration retryAfter(RowSet<Row> rows, double perSecond) {
    Instant now = clock.instant();
    if (rows.size() == 0) {
      return Duration.ofSeconds(1);
    }
    Row row = rows.iterator().next();
    OffsetDateTime blocked = row.getOffsetDateTime("blocked_until");
    if (blocked != null && blocked.toInstant().isAfter(now)) {
      return Duration.between(now, blocked.toInstant());
    }
    double elapsed =
        Math.max(
            0,
            Duration.between(row.getOffsetDateTime("refilled_at").toInstant(), now).toMillis()
                / 1000.0);
    double missing = Math.max(0, 1 - (row.getDouble("tokens") + elapsed * perSecond));
    return Duration.ofMillis(Math.max(10, (long) Math.ceil(missing / perSecond * 1000)));
  }

  private Bucket bucket(String name) {
    return AUTHENTICATION.equals(name) ? config.authentication() : config.api();
  }
}
