package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.persistence.Transactions;
import io.cloudconnect.provisioner.saga.DeleteOutcome;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProgressRule;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RemovalRules;
import io.cloudconnect.provisioner.saga.Step;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What the poller learned, applied, each in a unit of work of its own: the steps it decided
 * (decided again only for a saga that moved meanwhile), the answers to delete calls, delete
 * requests past their deadline.
 */
@ApplicationScoped
public class Observations {
  private final SagaRepository sagas;
  private final Transactions tx;
  private final ProvisionerConfig config;
  private final DeleteRequests deletes;
  private final Clock clock;
  private final StepApplier steps;

  Observations(
      SagaRepository sagas,
      Transactions tx,
      StepApplier steps,
      DeleteRequests deletes,
      ProvisionerConfig config,
      Clock clock) {
    this.sagas = sagas;
    this.tx = tx;
    this.steps = steps;
    this.deletes = deletes;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Everything between the create call and an outcome (read only), {@code limit} at a time in the
   * order they were received: the first page after {@code after} null, the next after the last saga
   * of the page before.
   */
  public Uni<List<ProvisioningSaga>> inFlight(ProvisioningSaga after, int limit) {
    return tx.read(
        () ->
            sagas.inFlight(
                clock.instant(),
                after == null ? Instant.EPOCH : after.receivedAt(),
                after == null ? "" : after.requestId(),
                limit));
  }

  /**
   * Applies a step the poller decided on the saga as it read it ({@code seen}): as decided when the
   * saga has not moved since (the same version), otherwise decided again by {@code rule} on the
   * saga as it is now (another replica, the create worker or an operator moved it). {@code details}
   * is the attachment read by id when it is Active.
   */
  public Uni<Void> apply(
      ProvisioningSaga seen, Step decided, ProgressRule rule, Observation details) {
    return applied(
        seen.requestId(),
        details,
        (saga, now, grace) ->
            saga.version() == seen.version() ? decided : rule.decide(saga, now, grace));
  }

  /** Something learned with no decision made on it yet, decided on the saga as it is now. */
  public Uni<Void> learned(String requestId, ProgressRule rule, Observation details) {
    return applied(requestId, details, rule);
  }

  private Uni<Void> applied(String requestId, Observation details, ProgressRule rule) {
    return tx.write(
        () ->
            steps.onOpenSaga(
                requestId,
                saga -> {
                  Instant now = clock.instant();
                  Step step = rule.decide(saga, now, config.creation().ambiguousGrace());
                  return steps.apply(saga, step, details, now);
                }));
  }

  /** What a delete call for the saga's attachment came to (the poller sent it). */
  public Uni<Void> deleteAnswered(String requestId, long attachmentId, DeleteOutcome outcome) {
    return tx.write(
        () ->
            steps.onOpenSaga(
                requestId,
                saga ->
                    steps.apply(
                        saga,
                        RemovalRules.deleteAnswered(saga, attachmentId, outcome),
                        null,
                        clock.instant())));
  }

  /** Delete requests past their deadline are answered (the removal itself goes on). */
  public Uni<Integer> expireOverdueDeletes() {
    return tx.write(() -> deletes.expireOverdue(clock.instant()));
  }
}
