package io.cloudconnect.provisioner.polling;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ReplicaId;
import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.UpstreamException;
import io.cloudconnect.provisioner.emnify.UpstreamFailures;
import io.cloudconnect.provisioner.outbox.OutcomeRecorder;
import io.cloudconnect.provisioner.persistence.JobLeases;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProgressRules;
import io.cloudconnect.provisioner.saga.ProgressRules.Step;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.scheduling.RepeatingJobs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Observes every in-flight attachment with one list call per cycle (all pages), and asks for a
 * single attachment only when it turned Active (for its tunnel information) or vanished from the
 * list. Only the replica holding the poller lease polls, so replicas do not multiply the quota
 * spent. Each saga's step is applied in its own short transaction; no transaction spans a call.
 */
@ApplicationScoped
public class StatusPoller {
  private static final Logger LOG = Logger.getLogger(StatusPoller.class);
  static final String JOB = "status-poller";

  private final SagaRepository sagas;
  private final AttachmentLister lister;
  private final EmnifyClient emnify;
  private final OutcomeRecorder outcomes;
  private final JobLeases leases;
  private final ProvisionerConfig config;
  private final ReplicaId replica;
  private final Clock clock;

  StatusPoller(
      SagaRepository sagas,
      AttachmentLister lister,
      EmnifyClient emnify,
      OutcomeRecorder outcomes,
      JobLeases leases,
      ProvisionerConfig config,
      ReplicaId replica,
      Clock clock) {
    this.sagas = sagas;
    this.lister = lister;
    this.emnify = emnify;
    this.outcomes = outcomes;
    this.leases = leases;
    this.config = config;
    this.replica = replica;
    this.clock = clock;
  }

  void start(@Observes StartupEvent event, RepeatingJobs jobs) {
    jobs.every(JOB, config.pollInterval(), this::poll);
  }

  /** On SIGTERM the poller lease is given up, so another replica polls at once. */
  void stop(@Observes ShutdownEvent event, Pool pool) {
    try {
      pool.preparedQuery("delete from job_lease where name = $1 and owner = $2")
          .execute(Tuple.of(JOB, replica.value()))
          .await()
          .atMost(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warnf("poller lease not released (%s); it expires by itself", e.toString());
    }
  }

  Uni<Void> poll() {
    return Panache.withTransaction(
            () ->
                leases.tryAcquire(
                    JOB, replica.value(), clock.instant(), config.leases().duration()))
        .chain(held -> held ? cycle() : Uni.createFrom().voidItem());
  }

  Uni<Void> cycle() {
    return Panache.withSession(() -> sagas.inFlight(clock.instant()))
        .chain(inFlight -> inFlight.isEmpty() ? Uni.createFrom().voidItem() : observe(inFlight));
  }

  private Uni<Void> observe(List<ProvisioningSaga> inFlight) {
    Instant listedAt = clock.instant();
    return lister
        .listAll(commonType(inFlight))
        .map(attachments -> new AttachmentSnapshot(attachments, listedAt))
        .onFailure()
        .recoverWithItem(
            e -> {
              // without a list the deadlines still hold: an empty snapshot only times out or waits
              LOG.warnf(
                  "list call failed, statuses not refreshed this cycle: %s",
                  UpstreamFailures.classify(e, "list attachments").getMessage());
              return null;
            })
        .chain(
            snapshot ->
                Multi.createFrom()
                    .iterable(inFlight)
                    .onItem()
                    .transformToUniAndConcatenate(saga -> advance(saga, snapshot))
                    .collect()
                    .last()
                    .replaceWithVoid());
  }

  private Uni<Void> advance(ProvisioningSaga saga, AttachmentSnapshot snapshot) {
    Instant now = clock.instant();
    if (snapshot == null) {
      return saga.isPastDeadline(now)
          ? fail(
              saga.requestId(),
              FailureReason.TIMED_OUT,
              "not Active before the provisioning deadline; emnify could not be asked")
          : Uni.createFrom().voidItem();
    }
    Optional<Observation> observed = snapshot.observe(saga);
    Step step =
        ProgressRules.decide(
            saga, observed, now, snapshot.listedAt(), config.creation().ambiguousGrace());
    if (step instanceof ProgressRules.FetchAndReady ready) {
      return emnify
          .get(ready.attachmentId())
          .chain(attachment -> apply(saga.requestId(), observed, snapshot.listedAt(), attachment))
          .onFailure()
          .invoke(
              e ->
                  LOG.warnf(
                      "request %s: Active, but details not fetched yet: %s",
                      saga.requestId(), e.getMessage()))
          .onFailure()
          .recoverWithNull()
          .replaceWithVoid();
    }
    if (step instanceof ProgressRules.LookUp lookUp) {
      return lookUp(saga, lookUp.attachmentId(), snapshot.listedAt());
    }
    if (step instanceof ProgressRules.Wait) {
      return Uni.createFrom().voidItem();
    }
    return apply(saga.requestId(), observed, snapshot.listedAt(), null);
  }

  /** Accepted but not listed: emnify's answer by id decides whether it is late or gone. */
  private Uni<Void> lookUp(ProvisioningSaga saga, long attachmentId, Instant listedAt) {
    return emnify
        .get(attachmentId)
        .map(attachment -> Optional.of(AttachmentSnapshot.toObservation(attachment)))
        .chain(found -> apply(saga.requestId(), found, listedAt, null))
        .onFailure(
            e -> UpstreamFailures.classify(e, "get").kind() == UpstreamException.Kind.NOT_FOUND)
        .recoverWithUni(
            () ->
                fail(
                    saga.requestId(),
                    FailureReason.DELETED_UPSTREAM,
                    "attachment " + attachmentId + " no longer exists at emnify"))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /**
   * Re-reads the saga in a transaction and applies the step decided from the same observation, so a
   * saga that changed meanwhile (another replica, the create worker) is judged on its new state.
   */
  private Uni<Void> apply(
      String requestId, Optional<Observation> observed, Instant listedAt, Attachment details) {
    return Panache.withTransaction(
        () ->
            sagas
                .findById(requestId)
                .chain(
                    saga -> {
                      if (saga == null || saga.state().isTerminal()) {
                        return Uni.createFrom().voidItem();
                      }
                      Instant now = clock.instant();
                      Step step =
                          ProgressRules.decide(
                              saga, observed, now, listedAt, config.creation().ambiguousGrace());
                      return applyStep(saga, step, details, now);
                    }));
  }

  private Uni<Void> applyStep(ProvisioningSaga saga, Step step, Attachment details, Instant now) {
    if (step instanceof ProgressRules.FetchAndReady && details != null) {
      LOG.infof("request %s: attachment %d is Active", saga.requestId(), details.id());
      return outcomes.ready(saga, details, now);
    }
    if (step instanceof ProgressRules.Fail fail) {
      LOG.infof("request %s failed: %s (%s)", saga.requestId(), fail.reason(), fail.message());
      return outcomes.failed(saga, fail.reason(), fail.message(), now);
    }
    if (step instanceof ProgressRules.Progressing progressing) {
      Observation o = progressing.observation();
      saga.statusObserved(o.statusId(), o.statusDescription(), now);
    } else if (step instanceof ProgressRules.Adopt adopt) {
      LOG.infof(
          "request %s: found attachment %d by its marker; adopted",
          saga.requestId(), adopt.attachmentId());
      saga.attachmentCreated(adopt.attachmentId(), now);
    } else if (step instanceof ProgressRules.CreateAgain again) {
      LOG.infof("request %s: %s; creating again", saga.requestId(), again.why());
      saga.createDeferred(again.why(), now, now);
    } else if (step instanceof ProgressRules.MarkUnknown unknown) {
      saga.createOutcomeUnknown(unknown.why(), now);
    }
    return Uni.createFrom().voidItem();
  }

  private Uni<Void> fail(String requestId, FailureReason reason, String message) {
    return Panache.withTransaction(
        () ->
            sagas
                .findById(requestId)
                .chain(
                    saga ->
                        saga == null || saga.state().isTerminal()
                            ? Uni.createFrom().voidItem()
                            : outcomes.failed(saga, reason, message, clock.instant())));
  }

  private static Integer commonType(List<ProvisioningSaga> inFlight) {
    int first = inFlight.get(0).attachmentType();
    return inFlight.stream().allMatch(s -> s.attachmentType() == first) ? first : null;
  }
}
