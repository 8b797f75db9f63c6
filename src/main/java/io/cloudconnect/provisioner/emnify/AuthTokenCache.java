package io.cloudconnect.provisioner.emnify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.EmnifyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * One auth token for every call of this replica, obtained once and renewed shortly before the
 * JWT's {@code exp}. Concurrent callers share a single in-flight authentication. A refused
 * application token is remembered for a while, so the service does not walk into emnify's
 * lock-out by asking again on every call.
 */
@ApplicationScoped
public class AuthTokenCache {
  private static final Logger LOG = Logger.getLogger(AuthTokenCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FALLBACK_LIFETIME = Duration.ofHours(1);
  private static final Duration FAULT_BACKOFF = Duration.ofSeconds(5);

  private final EmnifyConfig config;
  private final Clock clock;
  private final Uni<String> shared;
  private volatile State state = new State(null, Instant.MIN, false);

  AuthTokenCache(Authenticator authenticator, EmnifyConfig config) {
    this.config = config;
    this.clock = Clock.systemUTC();
    this.shared =
        Uni.createFrom()
            .deferred(authenticator::authenticate)
            .invoke(this::remember)
            .onFailure()
            .invoke(this::rememberFailure)
            .memoize()
            .until(() -> state.stale(clock.instant()));
  }

  /** The current auth token, authenticating only when there is none or it is about to expire. */
  public Uni<String> token() {
    return shared;
  }

  /** Drops the token after emnify refused it (401), unless it was already replaced. */
  public void invalidate(String refused) {
    State current = state;
    if (refused != null && refused.equals(current.token)) {
      state = new State(null, Instant.MIN, false);
    }
  }

  private void remember(String token) {
    Instant expiry = expiryOf(token).orElse(clock.instant().plus(FALLBACK_LIFETIME));
    Instant renewAt = expiry.minus(config.tokenRenewBefore());
    state = new State(token, renewAt, false);
    LOG.debugf("authenticated with emnify; token renews at %s", renewAt);
  }

  private void rememberFailure(Throwable failure) {
    UpstreamException classified = UpstreamFailures.classify(failure, "authenticate");
    Duration backoff =
        switch (classified.kind()) {
          case UNAUTHORIZED -> config.authFailureBackoff();
          case THROTTLED -> classified.retryAfter().orElse(config.authFailureBackoff());
          default -> FAULT_BACKOFF;
        };
    state = new State(null, clock.instant().plus(backoff), true);
    LOG.warnf("emnify authentication failed (%s); next attempt in %s", classified.getMessage(), backoff);
  }

  private static java.util.Optional<Instant> expiryOf(String jwt) {
    try {
      String[] parts = jwt.split("\\.");
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims.hasNonNull("exp")
          ? java.util.Optional.of(Instant.ofEpochSecond(claims.get("exp").asLong()))
          : java.util.Optional.empty();
    } catch (Exception e) {
      return java.util.Optional.empty();
    }
  }

  /** token == null and !failed: nothing yet. failed: a failure cached until {@code until}. */
  private record State(String token, Instant until, boolean failed) {
    boolean stale(Instant now) {
      if (token == null && !failed) {
        return true;
      }
      return !now.isBefore(until);
    }
  }
}
