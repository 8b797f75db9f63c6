package io.cloudconnect.provisioner.polling;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ReplicaId;
import io.cloudconnect.provisioner.emnify.ApiBudget;
import io.cloudconnect.provisioner.emnify.AttachmentLister;
import io.cloudconnect.provisioner.emnify.DeleteCall;
import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.cloudconnect.provisioner.emnify.UpstreamException;
import io.cloudconnect.provisioner.emnify.UpstreamFailures;
import io.cloudconnect.provisioner.metrics.Deferrals;
import io.cloudconnect.provisioner.persistence.JobLeases;
import io.cloudconnect.provisioner.provisioning.Creations;
import io.cloudconnect.provisioner.provisioning.Observations;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProgressRule;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.saga.Step;
import io.cloudconnect.provisioner.tracing.RequestTraces;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Observes what is in flight the cheapest way each cycle ({@link ObservationPlan}: lists or reads
 * by id), decides every saga once on what it read ({@link CycleSteps}: snapshot in, steps out),
 * then runs the steps: reads an attachment by id when it turned Active (for its tunnel information)
 * or is absent from the list, sends the delete call for an attachment being removed, and hands each
 * step to {@link Observations}, which decides again only for a saga that moved meanwhile. The calls
 * a cycle is about to make are announced to the shared budget so that creates leave them their
 * tokens, and looking is held to a share of the budget. Only the replica holding the poller lease
 * polls, so replicas do not multiply the quota spent.
 */
@ApplicationScoped
public class StatusPoller {
  private static final Logger LOG = Logger.getLogger(StatusPoller.class);
  static final String JOB = "status-poller";

  private final Observations steps;
  private final Creations creations;
  private final AttachmentLister lister;
  private final EmnifyClient emnify;
  private final DeleteCall deletes;
  private final ApiBudget budget;
  private final JobLeases leases;
  private final ProvisionerConfig config;
  private final String owner;
  private final Clock clock;
  private final RequestTraces traces;
  private final PollPacing pacing;
  private final Deferrals deferrals;

  StatusPoller(
      Observations steps,
      Creations creations,
      AttachmentLister lister,
      EmnifyClient emnify,
      DeleteCall deletes,
      ApiBudget budget,
      JobLeases leases,
      ProvisionerConfig config,
      ReplicaId replica,
      Clock clock,
      RequestTraces traces,
      PollPacing pacing,
      Deferrals deferrals) {
    this.deferrals = deferrals;
    this.traces = traces;
    this.pacing = pacing;
    this.steps = steps;
    this.creations = creations;
    this.lister = lister;
    this.emnify = emnify;
    this.deletes = deletes;
    this.budget = budget;
    this.leases = leases;
    this.config = config;
    this.owner = replica.value();
    this.clock = clock;
  }

  /** One cycle, if this replica holds (or takes) the poller lease and its pause is over. */
  public Uni<Void> poll() {
    if (stopping || pacing.paused()) {
      return Uni.createFrom().voidItem();
    }
    PollerLease lease = new PollerLease();
    return lease.renew().chain(held -> held ? cycle(lease) : Uni.createFrom().voidItem());
  }

  Uni<Void> cycle() {
    return cycle(new PollerLease());
  }

  /**
   * An operator's "re-check now": an accepted attachment is read by id and the answer applied at
   * once; a request waiting for its create is made due; anything else waits for the next cycle,
   * which looks for it by marker. Spends its call from the same budget as every other.
   */
  public Uni<Void> recheck(ProvisioningSaga saga) {
    if (saga.attachmentId() != null && saga.state().isObserved()) {
      return lookUp(saga, saga.attachmentId(), clock.instant());
    }
    if (saga.state() == SagaState.RECEIVED) {
      return creations.dueNow(saga.requestId()).replaceWithVoid();
    }
    return Uni.createFrom().voidItem();
  }

  private Uni<Void> cycle(PollerLease lease) {
    Instant started = clock.instant();
    CycleLists lists = new CycleLists();
    return steps
        .expireOverdueDeletes()
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("overdue delete requests not answered this cycle: %s", e.toString());
              return 0;
            })
        .chain(() -> observeFrom(null, lease, lists))
        .onFailure(LeaseLost.class)
        .recoverWithUni(
            lost -> {
              LOG.warnf(
                  "poller lease lost mid-cycle; the rest of this cycle is left to its holder");
              return Uni.createFrom().voidItem();
            })
        .eventually(() -> pacing.after(started));
  }

  /**
   * The requests in flight a page at a time (memory stays bounded however many there are), each
   * page planned and observed on its own; a list read for one page serves the later pages of the
   * same cycle.
   */
  private Uni<Void> observeFrom(ProvisioningSaga after, PollerLease lease, CycleLists lists) {
    int pageSize = config.polling().inFlightPage();
    return steps
        .inFlight(after, pageSize)
        .chain(
            page -> {
              if (page.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              ProvisioningSaga last = page.get(page.size() - 1);
              boolean more = page.size() == pageSize;
              return observe(page, lease, lists)
                  .chain(
                      () -> more ? observeFrom(last, lease, lists) : Uni.createFrom().voidItem());
            });
  }

  /** The list reads of one cycle, each made once and shared by the cycle's pages. */
  private static final class CycleLists {
    private final java.util.Map<String, Uni<Optional<AttachmentSnapshot>>> read =
        new java.util.HashMap<>();

    Uni<Optional<AttachmentSnapshot>> get(
        String key, Supplier<Uni<Optional<AttachmentSnapshot>>> reading) {
      return read.computeIfAbsent(key, k -> reading.get().memoize().indefinitely());
    }
  }

  /** Set on SIGTERM: no cycle starts and no lease is taken or renewed any more. */
  private volatile boolean stopping;

  /**
   * On SIGTERM the poller lease is given up, so another replica polls at once; a cycle still
   * running stops at its next lease check instead of taking the lease back.
   */
  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    try {
      VertxContextSupport.subscribeAndAwait(
          () -> leases.release(JOB, owner).ifNoItem().after(Duration.ofSeconds(5)).fail());
    } catch (Throwable e) {
      LOG.warnf("poller lease not released (%s); it expires by itself", e.toString());
    }
  }

  private Uni<Void> observe(List<ProvisioningSaga> inFlight, PollerLease lease, CycleLists lists) {
    return lister
        .fullListPages(commonType(inFlight), JOB)
        .chain(pages -> observe(inFlight, lease, pages, lists));
  }

  private Uni<Void> observe(
      List<ProvisioningSaga> inFlight, PollerLease lease, int fullPages, CycleLists lists) {
    Instant listedAt = clock.instant();
    ProvisionerConfig.Polling polling = config.polling();
    ObservationPlan.Plan plan =
        ObservationPlan.of(
            polling.strategy(),
            inFlight,
            listedAt,
            polling.firstLookAfter(),
            emnify.pageSize(),
            fullPages);
    Uni<Optional<AttachmentSnapshot>> snapshot =
        switch (plan.way()) {
          case NONE, BY_ID -> Uni.createFrom().item(Optional.empty());
          case FULL_LIST ->
              lists.get(
                  "all/" + commonType(inFlight),
                  () -> snapshot(lister.listAll(commonType(inFlight)), listedAt));
          case PENDING_LISTS ->
              lists.get(
                  "pending/" + commonType(inFlight),
                  () ->
                      snapshot(
                          lister.listStatuses(ObservationPlan.PENDING, commonType(inFlight)),
                          listedAt));
        };
    boolean looks = plan.announces() && plan.calls() > 0;
    // the looking itself (its share held by PollPacing) goes before creates too, or a burst of
    // creates would take every token the moment it refills and the list would never be read;
    // a cycle with nothing announced writes nothing to the budget
    return (looks ? announce(plan.calls()) : Uni.createFrom().voidItem())
        .chain(() -> snapshot)
        .chain(
            seen -> {
              List<CycleSteps.Planned> steps =
                  CycleSteps.plan(plan, seen, clock.instant(), config.creation().ambiguousGrace());
              // the reads that finish requests (and the deletes) go before creating more
              int reads = plan.announces() ? CycleSteps.calls(steps) : 0;
              boolean announced = looks || reads > 0;
              return (announced ? announce(reads) : Uni.createFrom().voidItem())
                  .chain(() -> run(steps, lease, listedAt))
                  .eventually(
                      () ->
                          announced ? budget.want(0, Duration.ZERO) : Uni.createFrom().voidItem());
            });
  }

  /** Creates leave {@code calls} tokens to this cycle, for at most a lease (should it die). */
  private Uni<Void> announce(int calls) {
    return budget.want(calls, config.leases().duration());
  }

  /** The cycle's steps one after the other, each after checking the lease is still this one's. */
  private Uni<Void> run(List<CycleSteps.Planned> steps, PollerLease lease, Instant listedAt) {
    return Multi.createFrom()
        .iterable(steps)
        .filter(planned -> !planned.idle())
        .onItem()
        .transformToUniAndConcatenate(
            planned ->
                lease
                    .check()
                    .chain(
                        () ->
                            run(planned, null, listedAt)
                                .onFailure()
                                .recoverWithUni(e -> notNow(planned.saga().requestId(), e))))
        .collect()
        .last()
        .replaceWithVoid();
  }

  /**
   * Makes the call a step needs and hands the step to the application. {@code known}: the
   * attachment as a read by id just showed it, so an Active one is not read a second time.
   */
  private Uni<Void> run(CycleSteps.Planned planned, Observation known, Instant listedAt) {
    ProvisioningSaga saga = planned.saga();
    Step step = planned.step();
    if (step instanceof Step.FetchAndReady ready && known == null) {
      return traced(
          saga,
          "read attachment",
          () ->
              read(ready.attachmentId())
                  .chain(details -> steps.apply(saga, step, planned.rule(), details)));
    }
    if (step instanceof Step.LookUp lookUp && known == null) {
      return traced(
          saga, "look up attachment", () -> lookUp(saga, lookUp.attachmentId(), listedAt));
    }
    if (step instanceof Step.SendDelete delete) {
      return traced(
          saga,
          "delete attachment",
          () ->
              Uni.createFrom()
                  .deferred(() -> deletes.send(delete.attachmentId()))
                  .onTermination()
                  .invoke(() -> pacing.spent(1))
                  .chain(
                      outcome ->
                          steps.deleteAnswered(saga.requestId(), delete.attachmentId(), outcome)));
    }
    if (planned.idle()) {
      return Uni.createFrom().voidItem();
    }
    return traced(saga, "record observation", () -> steps.apply(saga, step, planned.rule(), known));
  }

  /** A list read as a snapshot; a failed read is an empty one (only the deadline decides then). */
  private Uni<Optional<AttachmentSnapshot>> snapshot(
      Uni<AttachmentLister.Listing> listing, Instant listedAt) {
    return listing
        .invoke(l -> pacing.spent(l.calls()))
        .map(l -> Optional.of(new AttachmentSnapshot(l.attachments(), listedAt, l.complete())))
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(
                  "list call failed, statuses not refreshed this cycle: %s",
                  UpstreamFailures.classify(e, "list attachments").getMessage());
              return Optional.empty();
            });
  }

  /**
   * What the poller does about one request, in that request's trace. Only steps that act get a
   * span: a request still in the status it was seen in costs no span each cycle.
   */
  private Uni<Void> traced(ProvisioningSaga saga, String name, Supplier<Uni<Void>> work) {
    return traces.step(name, saga.traceParent(), saga.requestId(), saga.attachmentId(), work);
  }

  /** One attachment read by id, counted as spent by this cycle. */
  private Uni<Observation> read(long attachmentId) {
    return Uni.createFrom()
        .deferred(() -> emnify.get(attachmentId))
        .onTermination()
        .invoke(() -> pacing.spent(1))
        .map(AttachmentSnapshot::toObservation);
  }

  /**
   * Read by id: what emnify answers is decided on (an Active attachment becomes ready from this
   * read, an attachment being removed may need its delete call); a 404 says whether it is late or
   * gone; a read that fails leaves only the deadline to decide.
   */
  private Uni<Void> lookUp(ProvisioningSaga saga, long attachmentId, Instant listedAt) {
    String requestId = saga.requestId();
    Duration grace = config.creation().ambiguousGrace();
    return read(attachmentId)
        .onItemOrFailure()
        .transformToUni(
            (found, failure) -> {
              if (failure == null) {
                ProgressRule rule = ProgressRule.read(found, listedAt);
                return run(CycleSteps.of(saga, rule, clock.instant(), grace), found, listedAt);
              }
              if (UpstreamFailures.classify(failure, "get").kind()
                  == UpstreamException.Kind.NOT_FOUND) {
                return steps.learned(requestId, ProgressRule.vanished(attachmentId), null);
              }
              deferrals.deferred(
                  JOB,
                  "read-failed",
                  String.format(
                      "request %s: attachment %d not readable by id (%s); only its deadline"
                          + " decides this cycle",
                      requestId,
                      attachmentId,
                      UpstreamFailures.classify(failure, "get attachment").getMessage()));
              CycleSteps.Planned deadline =
                  CycleSteps.of(saga, ProgressRule.nothingLearned(), clock.instant(), grace);
              return run(deadline, null, listedAt);
            });
  }

  /** One saga's trouble (a failed call, a lost version race) must not stop the cycle. */
  private static Uni<Void> notNow(String requestId, Throwable failure) {
    LOG.warnf("request %s: not advanced this cycle: %s", requestId, failure.getMessage());
    return Uni.createFrom().voidItem();
  }

  /**
   * The poller lease as this cycle holds it. Checked before each decision, renewed once half of it
   * has passed: a cycle that outlasts its lease stops instead of deciding on a stale snapshot next
   * to the replica that took over.
   */
  private final class PollerLease {
    private Instant heldUntil = Instant.MIN;

    Uni<Boolean> renew() {
      if (stopping) {
        return Uni.createFrom().item(false);
      }
      Instant now = clock.instant();
      Duration duration = config.leases().duration();
      return leases
          .tryAcquire(JOB, owner, now, duration)
          .invoke(held -> heldUntil = held ? now.plus(duration) : Instant.MIN);
    }

    /** Fails with {@link LeaseLost} when the lease is no longer this replica's. */
    Uni<Void> check() {
      Duration half = config.leases().duration().dividedBy(2);
      if (clock.instant().isBefore(heldUntil.minus(half))) {
        return Uni.createFrom().voidItem();
      }
      return renew()
          .chain(
              held ->
                  held ? Uni.createFrom().voidItem() : Uni.createFrom().failure(new LeaseLost()));
    }
  }

  private static final class LeaseLost extends RuntimeException {
    LeaseLost() {
      super("poller lease lost", null, false, false);
    }
  }

  private static Integer commonType(List<ProvisioningSaga> inFlight) {
    int first = inFlight.get(0).attachmentType();
    return inFlight.stream().allMatch(s -> s.attachmentType() == first) ? first : null;
  }
}
