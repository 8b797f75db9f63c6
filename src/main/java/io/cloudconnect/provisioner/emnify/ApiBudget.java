package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ProvisionerConfig.Budget.Bucket;
import io.cloudconnect.provisioner.emnify.UpstreamException.Answer;
import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import io.cloudconnect.provisioner.persistence.ApiBudgetStore;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
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

  /** How long a read waits at most for the refill, each time, and how often it tries. */
  private static final Duration READ_WAIT = Duration.ofSeconds(2);

  private static final int READ_ATTEMPTS = 5;

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
   * observing, and as many more as the poller wants for the reads that finish requests ({@link
   * #want}): finishing what was created goes before creating more, so a burst of creates never
   * starves those reads, and observing, whose looking is held to a share of the budget, cannot
   * starve the creates. Never waits: it is taken inside a call's timeout, where waiting would count
   * as emnify being slow ({@link #briefWaits} waits outside).
   */
  public Uni<Void> take(String bucketName, boolean create) {
    if (!config.enabled()) {
      return Uni.createFrom().voidItem();
    }
    Bucket bucket = AUTHENTICATION.equals(bucketName) ? config.authentication() : config.api();
    boolean yields = create && API.equals(bucketName);
    return take(
        bucketName, bucket.perWindow(), bucket.burst(), yields ? bucket.reserve() : 0, yields);
  }

  /** This replica's own refusal for want of a token (emnify's 429 has its status). */
  static boolean isRefusal(Throwable failure) {
    return failure instanceof Answer answer
        && answer.kind() == Kind.THROTTLED
        && answer.status() == 0;
  }

  /**
   * {@code call}, made again when the budget refused it for a moment (creates spent the last token)
   * rather than failing: the poller's list and detail reads run one after another, and a read given
   * up would cost its whole cycle. Waits at most {@value #READ_ATTEMPTS} times, each no longer than
   * 2 s, and not during a pause after a 429. Around a call, never inside its timeout.
   */
  public <T> Uni<T> briefWaits(Supplier<Uni<T>> call) {
    return briefWaits(call, READ_ATTEMPTS);
  }

  private static <T> Uni<T> briefWaits(Supplier<Uni<T>> call, int attempts) {
    return Uni.createFrom()
        .<T>deferred(call::get)
        .onFailure(ApiBudget::isRefusal)
        .recoverWithUni(
            e -> {
              Optional<Duration> wait = ((Answer) e).retryAfter();
              if (attempts <= 1 || wait.isEmpty() || wait.get().compareTo(READ_WAIT) > 0) {
                return Uni.createFrom().failure(e);
              }
              return onThisContextAfter(wait.get()).chain(() -> briefWaits(call, attempts - 1));
            });
  }

  /**
   * A pause that resumes on the caller's Vert.x context (its session and transaction live there).
   */
  private static Uni<Void> onThisContextAfter(Duration wait) {
    long millis = Math.max(1, wait.toMillis());
    return Uni.createFrom()
        .deferred(
            () -> {
              Context context = Vertx.currentContext();
              if (context == null) {
                return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis));
              }
              return Uni.createFrom()
                  .emitter(
                      emitter -> context.owner().setTimer(millis, id -> emitter.complete(null)));
            });
  }

  Uni<Void> take(String bucketName, int perWindow, int burst) {
    return take(bucketName, perWindow, burst, 0, false);
  }

  Uni<Void> take(String bucketName, int perWindow, int burst, int reserve) {
    return take(bucketName, perWindow, burst, reserve, false);
  }

  /**
   * The poller is about to make {@code reads} calls that finish requests: until they are made (or
   * {@code within} has passed, should the poller die), creates leave that many tokens behind.
   */
  public Uni<Void> want(int reads, Duration within) {
    return config.enabled() ? want(API, reads, within) : Uni.createFrom().voidItem();
  }

  Uni<Void> want(String bucketName, int reads, Duration within) {
    Instant now = clock.instant();
    return store
        .want(bucketName, reads, now, now.plus(within))
        .onFailure()
        .invoke(e -> LOG.debugf("finishing reads not announced to the budget: %s", e.toString()))
        .onFailure()
        .recoverWithNull();
  }

  /** How fast the API bucket refills: its calls per window, per second. */
  public double perSecond() {
    return perSecond(config.api().perWindow());
  }

  private double perSecond(int perWindow) {
    return perSecond(perWindow, config.window());
  }

  private static double perSecond(int perWindow, Duration window) {
    return perWindow / (double) window.toSeconds();
  }

  /**
   * The API bucket as every replica shares it, at {@code now}: the tokens left (refilled since its
   * last take), its settings, the reads observation wants and a pause after a 429 still running.
   */
  public record Snapshot(
      double tokens,
      int burst,
      int perWindow,
      long windowSeconds,
      double wanted,
      Instant pausedUntil) {

    /** A bucket as stored (none yet: full), seen at {@code now} with its settings. */
    static Snapshot of(
        Optional<ApiBudgetStore.Bucket> stored, Instant now, Bucket settings, Duration window) {
      double perSecond = perSecond(settings.perWindow(), window);
      return new Snapshot(
          stored
              .map(b -> b.tokensAt(now, perSecond, settings.burst()))
              .orElse((double) settings.burst()),
          settings.burst(),
          settings.perWindow(),
          window.toSeconds(),
          stored.map(b -> b.wantedAt(now)).orElse(0.0),
          stored.flatMap(ApiBudgetStore.Bucket::blockedUntil).filter(now::isBefore).orElse(null));
    }
  }

  /** The API bucket now, read from the database (for the operator's overview and the gauges). */
  public Uni<Snapshot> snapshot(Instant now) {
    return store.read(API).map(stored -> Snapshot.of(stored, now, config.api(), config.window()));
  }

  Uni<Void> take(String bucketName, int perWindow, int burst, int reserve, boolean yields) {
    double perSecond = perSecond(perWindow);
    return store
        .take(bucketName, burst, perSecond, reserve, yields, clock.instant())
        .onFailure()
        .transform(
            e ->
                new Answer(
                    Kind.THROTTLED,
                    0,
                    "API budget unavailable: " + e.getClass().getSimpleName(),
                    UNAVAILABLE_BACKOFF))
        .chain(
            taken ->
                taken
                    ? Uni.createFrom().voidItem()
                    : refuse(bucketName, perSecond, reserve, yields));
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

  private Uni<Void> refuse(String bucketName, double perSecond, int reserve, boolean yields) {
    return store
        .read(bucketName)
        .map(bucket -> retryAfter(bucket, perSecond, reserve, yields))
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
      Optional<ApiBudgetStore.Bucket> stored, double perSecond, int reserve, boolean yields) {
    Instant now = clock.instant();
    if (stored.isEmpty()) {
      return Duration.ofSeconds(1);
    }
    ApiBudgetStore.Bucket bucket = stored.get();
    if (bucket.blockedUntil().isPresent() && bucket.blockedUntil().get().isAfter(now)) {
      return Duration.between(now, bucket.blockedUntil().get());
    }
    double elapsed = Math.max(0, Duration.between(bucket.refilledAt(), now).toMillis() / 1000.0);
    double behind = reserve + (yields ? bucket.wantedAt(now) : 0);
    double missing = Math.max(0, 1 + behind - (bucket.tokens() + elapsed * perSecond));
    return Duration.ofMillis(Math.max(10, (long) Math.ceil(missing / perSecond * 1000)));
  }
}
