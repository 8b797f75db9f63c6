package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.outbox.OutboxWriter;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.persistence.Transactions;
import io.cloudconnect.provisioner.saga.DeleteOutcome;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProgressRules;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RemovalRules;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.saga.Step;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What the poller learned, applied: each observation decided again by the rules on the saga as it
 * is now (another replica or the create worker may have moved it), in its own transaction; the
 * answers to delete calls; delete requests past their deadline.
 */
@ApplicationScoped
public class Observations {
  private static final Logger LOG = Logger.getLogger(Observations.class);

  private final SagaRepository sagas;
  private final Transactions tx;
  private final OutboxWriter outbox;
  private final ProvisionerConfig config;
  private final DeleteRequests deletes;
  private final Clock clock;
  private final StepApplier steps;

  Observations(
      SagaRepository sagas,
      Transactions tx,
      StepApplier steps,
      OutboxWriter outbox,
      DeleteRequests deletes,
      ProvisionerConfig config,
      Clock clock) {
    this.sagas = sagas;
    this.tx = tx;
    this.steps = steps;
    this.outbox = outbox;
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
   * Applies what a list call (started at {@code listedAt}) showed for the saga, decided again on
   * the saga as it is now, so a saga that changed meanwhile (another replica, the create worker) is
   * judged on its new state. {@code details} is the attachment read by id when it is Active.
   */
  public Uni<Void> observe(
      String requestId,
      Optional<Observation> observed,
      Instant listedAt,
      boolean complete,
      Observation details) {
    return decided(
        requestId,
        details,
        (saga, now, grace) -> ProgressRules.decide(saga, observed, now, listedAt, complete, grace));
  }

  /** The list call failed: only the deadline can still decide. */
  public Uni<Void> observeWithoutList(String requestId) {
    return decided(requestId, null, ProgressRules::withoutList);
  }

  /** emnify answered 404 for the saga's accepted attachment. */
  public Uni<Void> vanished(String requestId, long attachmentId) {
    return decided(
        requestId,
        null,
        (saga, now, grace) -> ProgressRules.vanished(saga, attachmentId, now, grace));
  }

  /** A progress rule: the saga as it is now, the time, the grace of an ambiguous create. */
  @FunctionalInterface
  private interface ProgressRule {
    Step decide(ProvisioningSaga saga, Instant now, java.time.Duration grace);
  }

  /** Decides on the saga as it is now, in a unit of work of its own, and applies the step. */
  private Uni<Void> decided(String requestId, Observation details, ProgressRule rule) {
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
                saga -> {
                  if (saga.state() != SagaState.REMOVING
                      || saga.attachmentId() == null
                      || saga.attachmentId() != attachmentId) {
                    return Uni.createFrom().voidItem();
                  }
                  Instant now = clock.instant();
                  if (outcome instanceof DeleteOutcome.Accepted) {
                    LOG.infof(
                        "request %s: delete of attachment %d accepted", requestId, attachmentId);
                    saga.deleteSent(now);
                    return Uni.createFrom().voidItem();
                  }
                  if (outcome instanceof DeleteOutcome.Gone) {
                    return steps.apply(saga, RemovalRules.vanished(saga, attachmentId), null, now);
                  }
                  if (outcome instanceof DeleteOutcome.Refused refused) {
                    boolean answers = saga.owesAnswer() && saga.removalPurpose().failsTheRequest();
                    LOG.warnf(
                        "request %s: emnify refused to delete attachment %d: %s",
                        requestId, attachmentId, refused.message());
                    saga.removalImpossible(
                        "emnify refused to delete attachment "
                            + attachmentId
                            + ": "
                            + refused.message(),
                        now);
                    return (answers ? outbox.failed(saga) : Uni.createFrom().voidItem())
                        .chain(() -> deletes.settleWaiting(saga, now));
                  }
                  LOG.debugf(
                      "request %s: delete of attachment %d not now: %s",
                      requestId, attachmentId, ((DeleteOutcome.NotNow) outcome).message());
                  return Uni.createFrom().voidItem();
                }));
  }

  /** Delete requests past their deadline are answered (the removal itself goes on). */
  public Uni<Integer> expireOverdueDeletes() {
    return tx.write(() -> deletes.expireOverdue(clock.instant()));
  }
}
