package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.outbox.OutboxWriter;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.AdoptionRules;
import io.cloudconnect.provisioner.saga.Compensation;
import io.cloudconnect.provisioner.saga.DeleteRules;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RemovalPurpose;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.validation.ErrorCode;
import io.cloudconnect.provisioner.validation.Violation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Delete requests, inside the application service's transactions ({@link Arrivals} and {@link
 * StepApplier} call in): what a delete does to its target on arrival, and how it is answered once
 * the target's attachment is gone, could not be deleted, or its deadline passed. A delete never
 * deletes by itself: its target's saga removes its own attachment ({@code REMOVING}), since only it
 * knows whether a create may still be answered and which marker to look for.
 */
@ApplicationScoped
class DeleteRequests {
  private static final Logger LOG = Logger.getLogger(DeleteRequests.class);

  private final SagaRepository sagas;
  private final OutboxWriter outbox;
  private final ProvisionerConfig config;

  DeleteRequests(SagaRepository sagas, OutboxWriter outbox, ProvisionerConfig config) {
    this.sagas = sagas;
    this.outbox = outbox;
    this.config = config;
  }

  /** The delete request's own saga, in the trace of the record that brought it. */
  private static ProvisioningSaga deleteRequest(
      Arrival.Delete delete, ProvisioningSaga target, Instant now, Instant deadline) {
    return ProvisioningSaga.deleteReceived(delete.requestId(), target, now, deadline)
        .tracedBy(delete.traceParent());
  }

  /** Records a delete request and sets its target on the way out; the violation if refused. */
  Uni<List<Violation>> receive(Arrival.Delete delete, Instant now) {
    return target(delete)
        .chain(
            target -> {
              List<Violation> refusal = refusal(delete, target);
              return refusal.isEmpty()
                  ? onTarget(delete, target, now).replaceWith(List.<Violation>of())
                  : Uni.createFrom().item(refusal);
            });
  }

  private Uni<ProvisioningSaga> target(Arrival.Delete delete) {
    if (delete.targetRequestId() != null) {
      return sagas.findById(delete.targetRequestId());
    }
    return sagas
        .holdersOf(delete.targetAttachmentId())
        .map(
            holders ->
                holders.stream().filter(h -> !AdoptionRules.neverHeld(h)).findFirst().orElse(null));
  }

  private static List<Violation> refusal(Arrival.Delete delete, ProvisioningSaga target) {
    return DeleteRules.refusal(target, delete.targetRequestId() != null)
        .map(why -> List.of(violation(why, delete, target)))
        .orElse(List.of());
  }

  private static Violation violation(
      DeleteRules.NotDeletable why, Arrival.Delete delete, ProvisioningSaga target) {
    return switch (why) {
      case UNKNOWN_REQUEST ->
          new Violation(
              "target.request_id",
              ErrorCode.UNKNOWN_REQUEST,
              "no request " + delete.targetRequestId() + " is recorded here");
      case UNKNOWN_ATTACHMENT ->
          new Violation(
              "target.attachment_id",
              ErrorCode.UNKNOWN_ATTACHMENT,
              "no request of this deployment holds attachment "
                  + delete.targetAttachmentId()
                  + " (adopt it first to delete it through the service)");
      case A_DELETE_REQUEST ->
          notDeletable(target, "is a delete request; name the request that created it");
      case NEVER_ADOPTED -> notDeletable(target, "was not adopted; it holds nothing");
      case REFUSED_REQUEST -> notDeletable(target, "was refused; it created nothing");
    };
  }

  private static Violation notDeletable(ProvisioningSaga target, String why) {
    return new Violation(
        "target.request_id", ErrorCode.NOT_DELETABLE, target.requestId() + " " + why);
  }

  /** What the delete does to its target (DeleteRules). */
  private Uni<Void> onTarget(Arrival.Delete delete, ProvisioningSaga target, Instant now) {
    String why = "delete request " + delete.requestId();
    return switch (DeleteRules.onArrival(
        target.state(), target.createEvidence(), target.attachmentId(), target.compensation())) {
      case CANCEL_UNSENT -> {
        target.fail(
            FailureReason.CANCELLED,
            "cancelled by " + why + " before its create call",
            Compensation.NOT_NEEDED,
            "nothing was created",
            now);
        ProvisioningSaga request = deleteRequest(delete, target, now, now);
        request.deleteConfirmed(null, now);
        LOG.infof(
            "request %s cancelled by %s before anything was created", target.requestId(), why);
        yield sagas
            .persist(request)
            .chain(() -> outbox.failed(target))
            .chain(() -> outbox.deleted(request, "cancelled"));
      }
      case CANCEL -> cancel(delete, target, why, now);
      case DELETE -> {
        String whose = target.state() == SagaState.FAILED ? "its kept" : "its";
        target.startRemoval(
            RemovalPurpose.DELETE, null, null, now, config.compensation().timeout());
        LOG.infof(
            "request %s: deleting %s attachment %d (%s)",
            target.requestId(), whose, target.attachmentId(), why);
        yield awaitTarget(delete, target, now);
      }
      case AWAIT_REMOVAL -> awaitTarget(delete, target, now);
      case ALREADY_GONE -> alreadyGone(delete, target, now);
    };
  }

  private Uni<Void> cancel(
      Arrival.Delete delete, ProvisioningSaga target, String why, Instant now) {
    target.startRemoval(
        RemovalPurpose.CANCEL,
        FailureReason.CANCELLED,
        "cancelled by " + why,
        now,
        config.compensation().timeout());
    LOG.infof("request %s cancelled by %s; removing what it created", target.requestId(), why);
    return awaitTarget(delete, target, now);
  }

  private Uni<Void> awaitTarget(Arrival.Delete delete, ProvisioningSaga target, Instant now) {
    Instant deadline = now.plus(config.compensation().timeout());
    return sagas.persist(deleteRequest(delete, target, now, deadline)).replaceWithVoid();
  }

  private Uni<Void> alreadyGone(Arrival.Delete delete, ProvisioningSaga target, Instant now) {
    ProvisioningSaga request = deleteRequest(delete, target, now, now);
    request.deleteConfirmed(null, now);
    LOG.infof("delete request %s: nothing of %s is left", delete.requestId(), target.requestId());
    return sagas.persist(request).chain(() -> outbox.deleted(request, "already_gone"));
  }

  /**
   * Answers the delete requests waiting for {@code target}, if its removal is over: deleted when
   * its attachment is gone (or never existed), failed when emnify refused the deletion.
   */
  Uni<Void> settleWaiting(ProvisioningSaga target, Instant now) {
    DeleteRules.Answer answer = DeleteRules.answerFor(target);
    if (answer == DeleteRules.Answer.NOT_YET) {
      return Uni.createFrom().voidItem();
    }
    return sagas
        .awaiting(target.requestId())
        .chain(
            waiting ->
                each(
                    waiting,
                    request -> {
                      if (answer != DeleteRules.Answer.REFUSED) {
                        request.deleteConfirmed(target.attachmentId(), now);
                        LOG.infof(
                            "delete request %s: %s (%s)",
                            request.requestId(), answer.wireName(), target.requestId());
                        return outbox.deleted(request, answer.wireName());
                      }
                      LOG.warnf(
                          "delete request %s: emnify refused the deletion (%s)",
                          request.requestId(), target.requestId());
                      request.deleteFailed(
                          FailureReason.DELETE_REFUSED,
                          "emnify refused to delete attachment "
                              + target.attachmentId()
                              + ": "
                              + target.compensationNote(),
                          now);
                      return outbox.failed(request);
                    }));
  }

  /** Delete requests past their deadline are answered TIMED_OUT; the removal goes on. */
  Uni<Integer> expireOverdue(Instant now) {
    return sagas
        .overdueDeletes(now, 100)
        .chain(
            overdue ->
                each(
                        overdue,
                        request -> {
                          LOG.warnf(
                              "delete request %s: not confirmed by its deadline; answered"
                                  + " TIMED_OUT, the removal of %s goes on",
                              request.requestId(), request.targetRequestId());
                          request.deleteFailed(
                              FailureReason.TIMED_OUT,
                              "the attachment of "
                                  + request.targetRequestId()
                                  + " was not confirmed deleted by the deadline; the service"
                                  + " keeps removing it",
                              now);
                          return outbox.failed(request);
                        })
                    .replaceWith(overdue.size()));
  }

  private static Uni<Void> each(
      List<ProvisioningSaga> requests,
      java.util.function.Function<ProvisioningSaga, Uni<Void>> work) {
    if (requests.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Multi.createFrom()
        .iterable(requests)
        .onItem()
        .transformToUniAndConcatenate(work::apply)
        .collect()
        .last()
        .replaceWithVoid();
  }
}
