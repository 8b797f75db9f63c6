package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.config.EmnifyConfig;
import io.cloudconnect.provisioner.emnify.UpstreamException.Answer;
import io.cloudconnect.provisioner.persistence.AuthenticationStore;
import io.cloudconnect.provisioner.persistence.AuthenticationStore.Refusal;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * emnify's refusals of the application token, shared by all replicas. After a refusal nobody
 * authenticates for {@code emnify.auth-failure-backoff}; after emnify's lock-out answer (401 {@code
 * TooManyRequests}: three failures in a row lock the account for 5 minutes) nobody does for {@code
 * emnify.auth-lockout}, so our own attempts never prolong it. The streak's start tells the create
 * rules how long authentication has been refused; creates wait meanwhile and fail UNAUTHORIZED only
 * after {@code cloudconnect.creation.unauthorized-after}.
 */
@ApplicationScoped
public class AuthenticationRefusals {
  private static final Logger LOG = Logger.getLogger(AuthenticationRefusals.class);

  private final AuthenticationStore store;
  private final EmnifyConfig config;
  private final Clock clock;
  private final MeterRegistry metrics;

  AuthenticationRefusals(
      AuthenticationStore store, EmnifyConfig config, Clock clock, MeterRegistry metrics) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Passes when authentication may be tried; fails with an UNAUTHORIZED answer (nothing sent) while
   * a refusal holds every replica back. A database that cannot be read holds nobody back.
   */
  Uni<Void> mayAuthenticate() {
    return current()
        .chain(
            refusal -> {
              Instant now = clock.instant();
              if (refusal.isEmpty()
                  || refusal.get().heldUntil().isEmpty()
                  || !refusal.get().heldUntil().get().isAfter(now)) {
                return Uni.createFrom().voidItem();
              }
              Refusal held = refusal.get();
              return Uni.createFrom()
                  .failure(
                      Answer.authenticationRefused(
                          0,
                          "authentication held back until "
                              + held.heldUntil().get()
                              + " after emnify refused it: "
                              + held.lastProblem(),
                          Duration.between(now, held.heldUntil().get()),
                          held.refusedSince()));
            });
  }

  /** The refusal streak in force, if any (for health; empty when the database cannot be read). */
  public Uni<Optional<Refusal>> current() {
    return store
        .current()
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.debugf("authentication state unreadable: %s", e.toString());
              return Optional.empty();
            });
  }

  /** Authentication worked: the streak, if any, ends. */
  Uni<Void> succeeded() {
    return store.succeeded().onFailure().recoverWithNull();
  }

  /**
   * emnify refused the application token ({@code lockedOut}: with its lock-out answer). Records it
   * for every replica and returns the answer to fail the call with.
   */
  Uni<Answer> refused(int status, String problem, boolean lockedOut) {
    Instant now = clock.instant();
    Duration hold = lockedOut ? config.authLockout() : config.authFailureBackoff();
    Instant until = now.plus(hold);
    metrics
        .counter("cloudconnect_authentication_refusals_total", "lockout", "" + lockedOut)
        .increment();
    return store
        .refused(now, until, problem)
        .onFailure()
        .recoverWithItem(
            e -> new Refusal(now, 1, Optional.of(until), problem)) // this replica holds back alone
        .map(
            streak -> {
              LOG.warnf(
                  "emnify refused authentication%s (%d in a row since %s): %s; no replica"
                      + " authenticates before %s",
                  lockedOut ? " and locked the account" : "",
                  streak.refusals(),
                  streak.refusedSince(),
                  problem,
                  until);
              return Answer.authenticationRefused(status, problem, hold, streak.refusedSince());
            });
  }
}
