package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.EmnifyConfig;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Callers that share one authentication each get the token back on their own Vert.x context, not on
 * the first caller's (where their Hibernate sessions would meet).
 */
class AuthTokenContextTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** Answers after 300 ms, on the context of whoever subscribed first (as a pooled call does). */
  private static final class SlowAuthenticator extends Authenticator {
    final AtomicInteger calls = new AtomicInteger();

    SlowAuthenticator() {
      super(null, null, null, null);
    }

    @Override
    Uni<String> authenticate() {
      calls.incrementAndGet();
      Context first = Vertx.currentContext();
      return Uni.createFrom()
          .emitter(
              emitter ->
                  first
                      .owner()
                      .setTimer(300, id -> first.runOnContext(v -> emitter.complete(JWT))));
    }
  }

  // {"exp": 4102444800} (2100-01-01): a token that stays valid for the test
  static final String JWT = "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.";

  private static EmnifyConfig config() {
    return new EmnifyConfig() {
      public String apiUrl() {
        return "http://127.0.0.1";
      }

      public boolean allowPlainHttp() {
        return true;
      }

      public Optional<String> applicationToken() {
        return Optional.of("unused");
      }

      public Duration tokenRenewBefore() {
        return Duration.ofMinutes(5);
      }

      public Duration authFailureBackoff() {
        return Duration.ofSeconds(1);
      }

      public Duration authLockout() {
        return Duration.ofSeconds(1);
      }

      public Optional<Long> organisationId() {
        return Optional.empty();
      }

      public int listPageSize() {
        return 100;
      }
    };
  }

  @Test
  void eachCallerGetsTheSharedTokenOnItsOwnContext() {
    SlowAuthenticator authenticator = new SlowAuthenticator();
    AuthTokenCache cache =
        new AuthTokenCache(authenticator, config(), new ObjectMapper(), Clock.systemUTC());
    List<Context> callers =
        List.of(
            VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()),
            VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()),
            VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()));
    Map<Context, Context> resumedOn = new ConcurrentHashMap<>();
    for (Context caller : callers) {
      caller.runOnContext(
          v ->
              cache
                  .token()
                  .subscribe()
                  .with(token -> resumedOn.put(caller, Vertx.currentContext())));
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> resumedOn.size() == callers.size());

    assertThat(authenticator.calls).hasValue(1);
    callers.forEach(caller -> assertThat(resumedOn.get(caller)).isSameAs(caller));
  }
}
