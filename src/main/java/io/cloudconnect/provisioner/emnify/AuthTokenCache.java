package io.cloudconnect.provisioner.emnify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.EmnifyConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One auth token for every call of this replica, obtained once and renewed shortly before the JWT's
 * {@code exp}. Each authentication is a "generation" that all concurrent callers share while it is
 * in flight, so a burst of calls (or of 401s) leads to a single authenticate call. A refused
 * application token is remembered for a while, so the service does not walk into emnify's lock-out
 * by asking again on every call.
 */
@ApplicationScoped
public class AuthTokenCache {
  private static final Logger LOG = Logger.getLogger(AuthTokenCache.class);
  private static final Duration FALLBACK_LIFETIME = Duration.ofHours(1);
  private static final Duration FAULT_BACKOFF = Duration.ofSeconds(5);

  private final Authenticator authenticator;
  private final EmnifyConfig config;
  private final ObjectMapper json;
  private final Clock clock;
  private final AtomicReference<Generation> current = new AtomicReference<>(Generation.NONE);

  AuthTokenCache(Authenticator authenticator, EmnifyConfig config, ObjectMapper json, Clock clock) {
    this.authenticator = authenticator;
    this.config = config;
    this.json = json;
    this.clock = clock;
  }

  /**
   * The current auth token, authenticating only when there is none or it is about to expire. The
   * token comes back on the caller's own Vert.x context: an authentication shared by several
   * callers completes on the first one's context, and a flow resumed there would share that
   * caller's Hibernate session and transaction.
   */
  public Uni<String> token() {
    return Uni.createFrom()
        .deferred(
            () -> {
              Context caller = Vertx.currentContext();
              Uni<String> shared = usable().token;
              return caller == null ? shared : shared.emitOn(onContext(caller));
            });
  }

  /** Runs on {@code context}: at once when already there, otherwise posted to it. */
  private static Executor onContext(Context context) {
    return command -> {
      if (Vertx.currentContext() == context) {
        command.run();
      } else {
        context.runOnContext(ignored -> command.run());
      }
    };
  }

  /** Drops the token after emnify refused it (401), unless it was already replaced. */
  public void invalidate(String refused) {
    Generation generation = current.get();
    if (refused != null && refused.equals(generation.value)) {
      generation.invalidated = true;
    }
  }

  private Generation usable() {
    while (true) {
      Generation seen = current.get();
      if (!seen.stale(clock.instant())) {
        return seen;
      }
      Generation next = new Generation(null);
      next.token =
          Uni.createFrom()
              .deferred(authenticator::authenticate)
              .invoke(token -> remember(next, token))
              .onFailure()
              .invoke(failure -> rememberFailure(next, failure))
              .memoize()
              .indefinitely();
      if (current.compareAndSet(seen, next)) {
        return next;
      }
    }
  }

  private void remember(Generation generation, String token) {
    Instant expiry = expiryOf(token).orElse(clock.instant().plus(FALLBACK_LIFETIME));
    generation.value = token;
    generation.until = expiry.minus(config.tokenRenewBefore());
    generation.settled = true;
    LOG.debugf("authenticated with emnify; token renews at %s", generation.until);
  }

  private void rememberFailure(Generation generation, Throwable failure) {
    UpstreamException classified = UpstreamFailures.classify(failure, "authenticate");
    Duration backoff =
        switch (classified.kind()) {
          case UNAUTHORIZED -> classified.retryAfter().orElse(config.authFailureBackoff());
          case THROTTLED -> classified.retryAfter().orElse(config.authFailureBackoff());
          default -> FAULT_BACKOFF;
        };
    generation.until = clock.instant().plus(backoff);
    generation.settled = true;
    LOG.warnf(
        "emnify authentication failed (%s); next attempt in %s", classified.getMessage(), backoff);
  }

  private Optional<Instant> expiryOf(String jwt) {
    try {
      String[] parts = jwt.split("\\.");
      JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims.hasNonNull("exp")
          ? Optional.of(Instant.ofEpochSecond(claims.get("exp").asLong()))
          : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** One authentication and what came of it; in flight until settled. */
  private static final class Generation {
    static final Generation NONE = new Generation(null);

    volatile Uni<String> token;
    volatile String value;
    volatile Instant until = Instant.MIN;
    volatile boolean settled;
    volatile boolean invalidated;

    Generation(Uni<String> token) {
      this.token = token;
    }

    boolean stale(Instant now) {
      if (token == null || invalidated) {
        return true;
      }
      return settled && !now.isBefore(until); // in flight: share it
    }
  }
}
