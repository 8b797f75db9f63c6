package io.cloudconnect.provisioner.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.metrics.Deferrals;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.persistence.Transactions;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.CreateOutcome;
import io.cloudconnect.provisioner.saga.CreationRules;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.saga.Step;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * The create lane's transactions: claiming due creates right before their call, and recording what
 * the call came to. Workers call in before and after the call and never hold a transaction across
 * it.
 */
@ApplicationScoped
public class Creations {
  private static final Logger LOG = Logger.getLogger(Creations.class);

  private final SagaRepository sagas;
  private final Transactions tx;
  private final ObjectMapper json;
  private final ProvisionerConfig config;
  private final CreationRules creation;
  private final Clock clock;
  private final Deferrals deferrals;
  private final StepApplier steps;

  Creations(
      SagaRepository sagas,
      Transactions tx,
      StepApplier steps,
      ObjectMapper json,
      ProvisionerConfig config,
      Clock clock,
      Deferrals deferrals) {
    this.sagas = sagas;
    this.tx = tx;
    this.steps = steps;
    this.json = json;
    this.config = config;
    this.clock = clock;
    this.deferrals = deferrals;
    this.creation =
        new CreationRules(
            new CreationRules.Policy(
                config.creation().maxSubmitAge(),
                config.creation().retryBackoff(),
                config.creation().maxRetryBackoff(),
                config.creation().unauthorizedAfter()),
            RandomGenerator.getDefault());
  }

  /**
   * Claims up to {@code limit} due creates for {@code owner} (state CREATING, attempt counted,
   * lease for the whole call), and fails those that ran out of time. The claim commits right before
   * the call is sent, so a crash mid-call leaves a durable trace that the poller resolves by
   * reconciliation.
   */
  public Uni<List<CreateClaim>> claimDueCreates(String owner, int limit) {
    List<String> locked = new CopyOnWriteArrayList<>();
    return tx.write(
            () -> {
              locked.clear(); // a lost race runs this again: only the last attempt's locks count
              Instant now = clock.instant();
              return sagas
                  .lockDueForCreate(now, limit)
                  .invoke(due -> due.forEach(saga -> locked.add(saga.requestId())))
                  .chain(due -> claimEach(due, owner, now));
            })
        .onFailure(e -> !locked.isEmpty())
        .recoverWithUni(e -> holdBack(locked, e).replaceWith(List.<CreateClaim>of()));
  }

  /** How long requests whose claim failed are held back, so that the others are claimed. */
  static final Duration UNCLAIMABLE_BACKOFF = Duration.ofMinutes(1);

  /**
   * The claim of {@code requestIds} failed (a saga the rules cannot decide on, a write refused):
   * they are due again only after a backoff, so that the oldest due request, if it is the one that
   * fails, does not come back first every time and hold up every create.
   */
  private Uni<Void> holdBack(List<String> requestIds, Throwable failure) {
    Instant until = clock.instant().plus(UNCLAIMABLE_BACKOFF);
    deferrals.deferred(
        "create-lane",
        "claim-failed",
        String.format(
            "request(s) %s could not be claimed (%s); due again at %s",
            requestIds, failure.getClass().getSimpleName(), until));
    return tx.write(
            () ->
                sagas.update(
                    "nextAttemptAt = ?1 where requestId in ?2 and state = ?3",
                    until,
                    requestIds,
                    SagaState.RECEIVED))
        .replaceWithVoid();
  }

  private Uni<List<CreateClaim>> claimEach(List<ProvisioningSaga> due, String owner, Instant now) {
    List<CreateClaim> claims = new ArrayList<>();
    Uni<Void> failures = Uni.createFrom().voidItem();
    for (ProvisioningSaga saga : due) {
      Step step = creation.atClaim(saga, now);
      if (step instanceof Step.Send) {
        saga.claimForCreate(owner, now, config.leases().duration(), config.provisioningTimeout());
        claims.add(
            new CreateClaim(
                saga.requestId(),
                saga.marker(),
                saga.createAttempts(),
                saga.createEvidence(),
                spec(saga),
                saga.psk().sealed(),
                saga.traceParent()));
      } else {
        failures = failures.chain(() -> steps.apply(saga, step, null, now));
      }
    }
    return failures.replaceWith(claims);
  }

  /** What the create call came to, recorded while the answer still belongs to the request. */
  public Uni<Void> recordCreateOutcome(CreateClaim claim, String owner, CreateOutcome outcome) {
    return tx.write(
        () ->
            sagas
                .findById(claim.requestId())
                .chain(
                    saga -> {
                      if (saga == null
                          || !CreationRules.answersThisAttempt(
                              saga, claim.attempt(), owner, outcome)) {
                        LOG.warnf(
                            "request %s: create answered (%s) after the request moved on; not"
                                + " recorded",
                            claim.requestId(), outcome.getClass().getSimpleName());
                        return Uni.createFrom().voidItem();
                      }
                      Instant now = clock.instant();
                      Step step = creation.afterCreate(saga, claim.evidence(), outcome, now);
                      return steps.apply(saga, step, null, now);
                    }));
  }

  /** Claims whose call was never sent go back at once (SIGTERM); returns how many did. */
  public Uni<Integer> handBackUnsentClaims(String owner, Collection<String> requestIds) {
    return tx.write(
        () -> {
          Instant now = clock.instant();
          return sagas
              .findAllById(requestIds)
              .map(
                  claimed ->
                      (int)
                          claimed.stream()
                              .filter(
                                  s ->
                                      s.handBackUnsentClaim(
                                          owner, now, config.creation().maxWaitForTurn()))
                              .count());
        });
  }

  /** A request waiting for its create call is due now (an operator's re-check). */
  public Uni<Boolean> dueNow(String requestId) {
    return tx.write(
        () ->
            sagas
                .findById(requestId)
                .map(
                    saga -> {
                      if (saga == null || saga.state() != SagaState.RECEIVED) {
                        return false;
                      }
                      saga.dueAt(clock.instant());
                      return true;
                    }));
  }

  /** Whether any request waits for its create call now: then the quota is contended (read only). */
  public Uni<Boolean> anyWaitingForCreate() {
    return tx.read(() -> sagas.anyDueForCreate(clock.instant()));
  }

  private AttachmentSpec spec(ProvisioningSaga saga) {
    try {
      return json.readValue(saga.specJson(), AttachmentSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request " + saga.requestId() + " has an unreadable spec", e);
    }
  }
}
