package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.outbox.OutboxWriter;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.Compensations;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RemovalPurpose;
import io.cloudconnect.provisioner.saga.Step;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Carries out a step the rules decided, on a saga loaded in the caller's transaction: the saga's
 * transition, the result event it causes, and the delete requests it settles. Shared by creation,
 * observation and removal, so that a step means the same wherever it was decided.
 */
@ApplicationScoped
class StepApplier {
  private static final Logger LOG = Logger.getLogger(StepApplier.class);

  private final OutboxWriter outbox;
  private final ProvisionerConfig config;
  private final DeleteRequests deletes;
  private final SagaRepository sagas;

  StepApplier(
      SagaRepository sagas, OutboxWriter outbox, DeleteRequests deletes, ProvisionerConfig config) {
    this.sagas = sagas;
    this.outbox = outbox;
    this.deletes = deletes;
    this.config = config;
  }

  Uni<Void> apply(ProvisioningSaga saga, Step step, Observation details, Instant now) {
    String id = saga.requestId();
    if (step instanceof Step.Fail fail) {
      return failOrCompensate(saga, fail, now);
    }
    if (step instanceof Step.Removed removed) {
      return removed(saga, removed, now);
    }
    if (step instanceof Step.RemovalOverdue overdue) {
      LOG.warnf("request %s: %s", id, overdue.note());
      saga.answeredWhileRemoving(overdue.note(), now);
      return saga.removalPurpose().failsTheRequest()
          ? outbox.failed(saga)
          : Uni.createFrom().voidItem();
    }
    if (step instanceof Step.DeleteAccepted accepted) {
      LOG.infof("request %s: delete of attachment %d accepted", id, accepted.attachmentId());
      saga.deleteSent(now);
      return Uni.createFrom().voidItem();
    }
    if (step instanceof Step.RemovalRefused refused) {
      return removalRefused(saga, refused, now);
    }
    if (step instanceof Step.ClaimOver) {
      saga.createAnsweredWhileRemoving(now);
      return Uni.createFrom().voidItem();
    }
    if (step instanceof Step.FoundForRemoval found) {
      LOG.infof("request %s: attachment %d found; deleting it", id, found.attachmentId());
      saga.removalFound(found.attachmentId(), now);
      return Uni.createFrom().voidItem();
    }
    if (step instanceof Step.RemovalProgressing progressing) {
      Observation o = progressing.observation();
      saga.removalStatusObserved(o.statusId(), o.statusDescription(), now);
      return Uni.createFrom().voidItem();
    }
    if (step instanceof Step.FetchAndReady && details != null) {
      LOG.infof("request %s: attachment %d is Active", id, details.attachmentId());
      saga.becameReady(details.statusId(), details.statusDescription(), details.typeId(), now);
      return outbox.ready(saga, details);
    }
    if (step instanceof Step.Created created) {
      LOG.infof("request %s: attachment %d created", id, created.attachmentId());
      saga.attachmentCreated(created.attachmentId(), now);
    } else if (step instanceof Step.Adopt adopt) {
      LOG.infof("request %s: found attachment %d by its marker; adopted", id, adopt.attachmentId());
      saga.attachmentCreated(adopt.attachmentId(), now);
    } else if (step instanceof Step.HandBack back) {
      LOG.debugf("request %s: no token in the API budget yet; waits for its turn", id);
      saga.notSent(back.at(), now, config.creation().maxWaitForTurn());
    } else if (step instanceof Step.CreateAgain again) {
      LOG.infof("request %s: %s; creating again", id, again.why());
      saga.createDeferred(again.why(), again.at(), now);
    } else if (step instanceof Step.MarkUnknown unknown) {
      LOG.infof("request %s: create outcome unknown: %s", id, unknown.why());
      saga.createOutcomeUnknown(unknown.why(), unknown.searchOnly(), now);
    } else if (step instanceof Step.Progressing progressing) {
      Observation o = progressing.observation();
      saga.statusObserved(o.statusId(), o.statusDescription(), now);
    }
    return Uni.createFrom().voidItem();
  }

  /**
   * A request fails: settled at once when nothing is left at emnify (or it is kept), otherwise its
   * attachment is removed first and the failed event says what became of it.
   */
  private Uni<Void> failOrCompensate(ProvisioningSaga saga, Step.Fail fail, Instant now) {
    String id = saga.requestId();
    Compensations.Decision decision =
        Compensations.atFailure(saga, fail, config.compensation().mode());
    if (!decision.remove()) {
      LOG.infof(
          "request %s failed: %s (%s); compensation %s",
          id, fail.reason(), fail.message(), decision.compensation().wireName());
      saga.fail(fail.reason(), fail.message(), decision.compensation(), decision.note(), now);
      return outbox.failed(saga).chain(() -> deletes.settleWaiting(saga, now));
    }
    LOG.infof(
        "request %s failed: %s (%s); removing what it left at emnify before answering",
        id, fail.reason(), fail.message());
    saga.startRemoval(
        RemovalPurpose.COMPENSATE,
        fail.reason(),
        fail.message(),
        now,
        config.compensation().timeout());
    return Uni.createFrom().voidItem();
  }

  private Uni<Void> removed(ProvisioningSaga saga, Step.Removed removed, Instant now) {
    boolean answers = saga.owesAnswer() && saga.removalPurpose().failsTheRequest();
    LOG.infof(
        "request %s: removal over: %s (%s)",
        saga.requestId(), removed.outcome().wireName(), removed.note());
    saga.removed(removed.outcome(), removed.note(), now);
    return (answers ? outbox.failed(saga) : Uni.createFrom().voidItem())
        .chain(() -> deletes.settleWaiting(saga, now));
  }

  /**
   * emnify refused the deletion for good: a request that fails by the removal is answered with
   * compensation IMPOSSIBLE; an attachment a delete request named goes back to where it was.
   */
  private Uni<Void> removalRefused(
      ProvisioningSaga saga, Step.RemovalRefused refused, Instant now) {
    boolean answers = saga.owesAnswer() && saga.removalPurpose().failsTheRequest();
    LOG.warnf("request %s: %s", saga.requestId(), refused.why());
    saga.removalImpossible(refused.why(), now);
    return (answers ? outbox.failed(saga) : Uni.createFrom().voidItem())
        .chain(() -> deletes.settleWaiting(saga, now));
  }

  /** Loads the saga and runs {@code work} on it, unless it is gone or has nothing left to do. */
  Uni<Void> onOpenSaga(String requestId, Function<ProvisioningSaga, Uni<Void>> work) {
    return sagas
        .findById(requestId)
        .chain(
            saga ->
                saga == null || !saga.state().isObserved()
                    ? Uni.createFrom().voidItem()
                    : work.apply(saga));
  }
}
