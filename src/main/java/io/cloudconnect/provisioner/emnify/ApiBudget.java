package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ProvisionerConfig.Budget.Bucket;
import io.cloudconnect.provisioner.emnify.UpstreamException.Answer;
import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import io.cloudconnect.provisioner.persistence.ApiBudgetStore;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The emnify quota, spent by all replicas together: token buckets in PostgreSQL (refilled evenly,
 * updated atomically; see {@link ApiBudgetStore}), so N replicas cannot spend N times the limit. A
 * 429 from emnify pauses every replica until its Retry-After has passed. Every call takes a token
 * before it is sent; without one it fails as THROTTLED (not sent) and the caller defers its work.
 */
@ApplicationScoped
public class ApiBudget {
  private static final Logger LOG = Logger.getLogger(ApiBudget.class);
  public static final String API = "api";
  public static final String AUTHENTICATION = "authentication";

  /** How long to hold off when the budget itself cannot be read (the database is unavailable). */
  private static final Duration UNAVAILABLE_BACKOFF = Duration.ofSeconds(5);

  private final ApiBudgetStore store;
  private final ProvisionerConfig.Budget config;
  private final Clock clock;

  ApiBudget(ApiBudgetStore store, ProvisionerConfig config, Clock clock) {
    this.store = store;
    this.config = config.budget();
    this.clock = clock;
  }

  /** A reserve as large as the burst would leave creates nothing: refused at start. */
  void check(@Observes StartupEvent event) {
    if (config.enabled() && config.api().reserve() >= config.api().burst()) {
      throw new ConfigurationException(
          "CLOUDCONNECT_BUDGET_API_RESERVE (cloudconnect.budget.api.reserve) is "
              + config.api().reserve()
              + ": it must be below CLOUDCONNECT_BUDGET_API_BURST ("
              + config.api().burst()
              + "), or no create would ever get a token");
    }
  }

  /** One token for a call to emnify; fails with THROTTLED (and a retry-after) when none is left. */
  public Uni<Void> take(String bucketName) {
    return take(bucketName, false);
  }

  /**
   * As above; a {@code create} leaves {@code cloudconnect.budget.api.reserve} tokens behind for
   * observing, so that a burst of creates never starves the reads that finish the requests already
   * created (and observing, which costs calls in proportion to what is in flight, cannot starve the
   * creates).
   */
  public Uni<Void> take(String bucketName, boolean create) {
    if (!config.enabled()) {
      return Uni.createFrom().voidItem();
    }
    Bucket bucket = AUTHENTICATION.equals(bucketName) ? config.authentication() : config.api();
    int reserve = create && API.equals(bucketName) ? config.api().reserve() : 0;
    return take(bucketName, bucket.perWindow(), bucket.burst(), reserve);
  }

  Uni<Void> take(String bucketName, int perWindow, int burst) {
    return take(bucketName, perWindow, burst, 0);
  }

  Uni<Void> take(String bucketName, int perWindow, int burst, int reserve) {
    double perSecond = perWindow / (double) config.window().toSeconds();
    return store
        .take(bucketName, burst, perSecond, reserve, clock.instant())
        .onFailure()
        .transform(
            e ->
                new Answer(
                    Kind.THROTTLED,
                    0,
                    "API budget unavailable: " + e.getClass().getSimpleName(),
                    UNAVAILABLE_BACKOFF))
        .chain(
            taken -> taken ? Uni.createFrom().voidItem() : refuse(bucketName, perSecond, reserve));
  }

  /** emnify answered 429: every replica pauses this bucket. */
  public Uni<Void> pause(String bucketName, Duration retryAfter) {
    Duration pause = retryAfter == null ? config.throttledPause() : retryAfter;
    Instant now = clock.instant();
    LOG.warnf("emnify answered 429; all replicas pause %s calls for %s", bucketName, pause);
    return store
        .pause(bucketName, now, now.plus(pause))
        .onFailure()
        .invoke(
            e ->
                LOG.warnf(
                    "the pause could not be shared with other replicas (%s); each backs off alone",
                    e.toString()))
        .onFailure()
        .recoverWithNull();
  }

  private Uni<Void> refuse(String bucketName, double perSecond, int reserve) {
    return store
        .read(bucketName)
        .map(bucket -> retryAfter(bucket, perSecond, reserve))
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

  /** Until the pause ends, or until the refill brings the bucket to one whole token. */
  private Duration retryAfter(
      Optional<ApiBudgetStore.Bucket> stored, double perSecond, int reserve) {
    Instant now = clock.instant();
    if (stored.isEmpty()) {
      return Duration.ofSeconds(1);
    }
    ApiBudgetStore.Bucket bucket = stored.get();
    if (bucket.blockedUntil().isPresent() && bucket.blockedUntil().get().isAfter(now)) {
      return Duration.between(now, bucket.blockedUntil().get());
    }
    double elapsed = Math.max(0, Duration.between(bucket.refilledAt(), now).toMillis() / 1000.0);
    double missing = Math.max(0, 1 + reserve - (bucket.tokens() + elapsed * perSecond));
    return Duration.ofMillis(Math.max(10, (long) Math.ceil(missing / perSecond * 1000)));
  }
}
