package io.cloudconnect.provisioner.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.metrics.Deferrals;
import io.cloudconnect.provisioner.outbox.OutboxWriter;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.Cancellation;
import io.cloudconnect.provisioner.saga.Compensation;
import io.cloudconnect.provisioner.saga.Compensations;
import io.cloudconnect.provisioner.saga.CreateOutcome;
import io.cloudconnect.provisioner.saga.CreationRules;
import io.cloudconnect.provisioner.saga.DeleteOutcome;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.Holding;
import io.cloudconnect.provisioner.saga.Idempotency;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProgressRules;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RemovalPurpose;
import io.cloudconnect.provisioner.saga.RemovalRules;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.saga.Step;
import io.cloudconnect.provisioner.validation.ErrorCode;
import io.cloudconnect.provisioner.validation.ValidationResult;
import io.cloudconnect.provisioner.validation.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The application service: the only place that changes a saga, each change in its own transaction
 * together with the result event it causes. The rules ({@link CreationRules}, {@link
 * ProgressRules}) decide; this class loads, asks them, and carries the step out. Workers call it
 * before and after their emnify calls and never hold a transaction across one.
 */
@ApplicationScoped
public class ProvisioningSteps {
  private static final Logger LOG = Logger.getLogger(ProvisioningSteps.class);

  private final SagaRepository sagas;
  private final OutboxWriter outbox;
  private final ObjectMapper json;
  private final ProvisionerConfig config;
  private final CreationRules creation;
  private final DeleteRequests deletes;
  private final Clock clock;
  private final Deferrals deferrals;

  ProvisioningSteps(
      SagaRepository sagas,
      OutboxWriter outbox,
      DeleteRequests deletes,
      ObjectMapper json,
      ProvisionerConfig config,
      Clock clock,
      Deferrals deferrals) {
    this.deferrals = deferrals;
    this.sagas = sagas;
    this.deletes = deletes;
    this.outbox = outbox;
    this.json = json;
    this.config = config;
    this.clock = clock;
    this.creation =
        new CreationRules(
            new CreationRules.Policy(
                config.creation().maxSubmitAge(),
                config.creation().retryBackoff(),
                config.creation().maxRetryBackoff(),
                config.creation().unauthorizedAfter()),
            RandomGenerator.getDefault());
  }

  // --- intake ---------------------------------------------------------------------------------

  /** Records a valid request, waiting for its create call; false when the request_id is known. */
  @WithTransaction
  public Uni<Boolean> accept(String requestId, AttachmentSpec spec, String pskSealed) {
    return recordAll(List.of(new Arrival.Valid(requestId, spec, pskSealed)))
        .map(recorded -> recorded.get(0) != Arrival.Recorded.DUPLICATE);
  }

  /** Records a refused request and its failed event; false when the request_id is known. */
  @WithTransaction
  public Uni<Boolean> refuse(String requestId, List<Violation> violations) {
    return recordAll(List.of(new Arrival.Invalid(requestId, violations)))
        .map(recorded -> recorded.get(0) != Arrival.Recorded.DUPLICATE);
  }

  /**
   * Records a batch of arrivals in one transaction (intake's batches: one commit for hundreds of
   * records), each as {@link #accept} or {@link #refuse} would; what became of each, in order. A
   * request_id known before, or earlier in the batch, is a duplicate: the first delivery wins.
   */
  @WithTransaction
  public Uni<List<Arrival.Recorded>> recordAll(List<Arrival> arrivals) {
    return store(arrivals, java.util.Collections.nCopies(arrivals.size(), null));
  }

  /**
   * As above, each arrival with the fingerprint of what it asked ({@code fingerprints}, same order,
   * null where none): a known request_id arriving with other parameters is a {@link
   * Arrival.Recorded#CONFLICT}, not a redelivery ({@link Idempotency}).
   */
  @WithTransaction
  public Uni<List<Arrival.Recorded>> recordAll(List<Arrival> arrivals, List<String> fingerprints) {
    return store(arrivals, fingerprints);
  }

  private Uni<List<Arrival.Recorded>> store(List<Arrival> arrivals, List<String> fingerprints) {
    List<String> ids = arrivals.stream().map(Arrival::requestId).distinct().toList();
    return sagas
        .fingerprintsOf(ids)
        .chain(
            known -> {
              Set<String> taken = new HashSet<>(known.keySet());
              // what each request_id asked first: recorded before, or earlier in this batch
              Map<String, String> first = new HashMap<>(known);
              Map<String, String> remember = new HashMap<>();
              Instant now = clock.instant();
              Arrival.Recorded[] recorded = new Arrival.Recorded[arrivals.size()];
              List<ProvisioningSaga> received = new ArrayList<>();
              // deletes, adopts and refusals look at or write other rows: one after the other,
              // after this batch's creates are in the session (a delete may name one of them)
              Uni<Void> others = Uni.createFrom().voidItem();
              for (int i = 0; i < arrivals.size(); i++) {
                Arrival arrival = arrivals.get(i);
                int at = i;
                String fingerprint = fingerprints.get(i);
                if (!taken.add(arrival.requestId())) {
                  if (Idempotency.conflicts(first.get(arrival.requestId()), fingerprint)) {
                    LOG.warnf(
                        "request %s was recorded before with other parameters: the first stands,"
                            + " this one is refused",
                        arrival.requestId());
                    recorded[at] = Arrival.Recorded.CONFLICT;
                  } else {
                    LOG.debugf(
                        "request %s already recorded; redelivery ignored", arrival.requestId());
                    recorded[at] = Arrival.Recorded.DUPLICATE;
                  }
                  continue;
                }
                if (fingerprint != null) {
                  first.put(arrival.requestId(), fingerprint);
                  remember.put(arrival.requestId(), fingerprint);
                }
                if (arrival instanceof Arrival.Valid valid) {
                  received.add(received(valid, now));
                  recorded[at] = Arrival.Recorded.ACCEPTED;
                } else {
                  others =
                      others
                          .chain(() -> other(arrival, now))
                          .invoke(r -> recorded[at] = r)
                          .replaceWithVoid();
                }
              }
              Uni<Void> rest = others;
              Uni<Void> receiving = sagas.insertAll(received);
              if (!received.isEmpty()) {
                LOG.infof(
                    "%d request(s) accepted in one batch (the first: %s)",
                    received.size(), received.get(0).requestId());
              }
              return receiving
                  .chain(() -> rest)
                  .chain(() -> sagas.rememberFingerprints(remember))
                  .map(nothing -> List.of(recorded));
            });
  }

  /** A delete, adopt or refused arrival: recorded with whatever it changes. */
  private Uni<Arrival.Recorded> other(Arrival arrival, Instant now) {
    if (arrival instanceof Arrival.Delete delete) {
      return deletes
          .receive(delete, now)
          .chain(
              refusal ->
                  refusal.isEmpty()
                      ? Uni.createFrom().item(Arrival.Recorded.ACCEPTED)
                      : refused(
                              new Arrival.Invalid(
                                  delete.requestId(),
                                  RequestKind.DELETE,
                                  refusal,
                                  delete.traceParent()),
                              now)
                          .replaceWith(Arrival.Recorded.REFUSED));
    }
    if (arrival instanceof Arrival.Adopt adopt) {
      return adopt(adopt, now);
    }
    return refused((Arrival.Invalid) arrival, now).replaceWith(Arrival.Recorded.REFUSED);
  }

  /**
   * An adopt request: refused when a live request already holds the attachment (it would be managed
   * twice); otherwise watched like an accepted attachment until it is Active. That it exists at all
   * is emnify's to say: a 404 fails it like a vanished attachment.
   */
  private Uni<Arrival.Recorded> adopt(Arrival.Adopt adopt, Instant now) {
    return sagas
        .holdersOf(adopt.attachmentId())
        .chain(
            holders -> {
              Optional<ProvisioningSaga> holder =
                  holders.stream()
                      .filter(h -> Holding.holdsAttachment(h.state(), h.compensation()))
                      .findFirst();
              if (holder.isPresent()) {
                Violation taken =
                    new Violation(
                        "target.attachment_id",
                        ErrorCode.ALREADY_MANAGED,
                        "attachment "
                            + adopt.attachmentId()
                            + " is already managed by another request");
                return refused(
                        new Arrival.Invalid(
                            adopt.requestId(),
                            RequestKind.ADOPT,
                            List.of(taken),
                            adopt.traceParent()),
                        now)
                    .replaceWith(Arrival.Recorded.REFUSED);
              }
              LOG.infof(
                  "request %s: adopting attachment %d", adopt.requestId(), adopt.attachmentId());
              return sagas
                  .persist(
                      ProvisioningSaga.adoptionReceived(
                              adopt.requestId(),
                              adopt.attachmentId(),
                              config.deployment().namespace(),
                              new ProvisioningSaga.Adoption(
                                  config.adoption().unmarked(), config.adoption().pskReadable()),
                              now,
                              config.provisioningTimeout())
                          .tracedBy(adopt.traceParent()))
                  .replaceWith(Arrival.Recorded.ACCEPTED);
            });
  }

  private ProvisioningSaga received(Arrival.Valid valid, Instant now) {
    AttachmentSpec spec = valid.spec();
    // one line per request at DEBUG, one per batch at INFO: a burst of 10,000 is not 10,000 lines
    LOG.debugf("request %s accepted (type %d)", valid.requestId(), spec.type());
    return ProvisioningSaga.received(
            valid.requestId(),
            spec,
            specJson(valid.requestId(), spec),
            valid.pskSealed(),
            now,
            config.creation().maxWaitForTurn(),
            config.deployment().namespace())
        .tracedBy(valid.traceParent());
  }

  private Uni<Void> refused(Arrival.Invalid invalid, Instant now) {
    List<Violation> violations = invalid.violations();
    String summary = ValidationResult.summaryOf(violations);
    ProvisioningSaga refused =
        ProvisioningSaga.refused(invalid.requestId(), invalid.kind(), summary, now)
            .tracedBy(invalid.traceParent());
    LOG.infof("request %s refused: %s (%s)", invalid.requestId(), summary, codes(violations));
    return sagas.persist(refused).chain(() -> outbox.failed(refused, violations));
  }

  // --- creation -------------------------------------------------------------------------------

  /**
   * Claims up to {@code limit} due creates for {@code owner} (state CREATING, attempt counted,
   * lease for the whole call), and fails those that ran out of time. The claim commits right before
   * the call is sent, so a crash mid-call leaves a durable trace that the poller resolves by
   * reconciliation.
   */
  public Uni<List<CreateClaim>> claimDueCreates(String owner, int limit) {
    List<String> locked = new CopyOnWriteArrayList<>();
    return Panache.withTransaction(
            () -> {
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
    return Panache.withTransaction(
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
                saga.pskSealed(),
                saga.traceParent()));
      } else {
        failures = failures.chain(() -> apply(saga, step, null, now));
      }
    }
    return failures.replaceWith(claims);
  }

  /**
   * What the create call came to. Recorded while the request is still this attempt's: claimed by
   * {@code owner} (even if the lease ran out meanwhile, nobody else acted), or marked unknown by
   * the poller after the lease ran out and not tried again since. A definite answer that arrives
   * late is the best evidence there is.
   */
  @WithTransaction
  public Uni<Void> recordCreateOutcome(CreateClaim claim, String owner, CreateOutcome outcome) {
    String requestId = claim.requestId();
    return sagas
        .findById(requestId)
        .chain(
            saga -> {
              if (saga == null || !stillThisAttempt(saga, claim, owner, outcome)) {
                LOG.warnf(
                    "request %s: create answered (%s) after the request moved on; not recorded",
                    requestId, outcome.getClass().getSimpleName());
                return Uni.createFrom().voidItem();
              }
              Instant now = clock.instant();
              if (saga.state() == SagaState.REMOVING) {
                return createAnsweredWhileRemoving(saga, outcome, now);
              }
              Step step = creation.afterCreate(saga, claim.evidence(), outcome, now);
              return apply(saga, step, null, now);
            });
  }

  /**
   * The request was cancelled while its create call was out: the answer's id (if any) is what the
   * removal deletes; without one, the removal looks for the marker.
   */
  private Uni<Void> createAnsweredWhileRemoving(
      ProvisioningSaga saga, CreateOutcome outcome, Instant now) {
    if (outcome instanceof CreateOutcome.Created created) {
      LOG.infof(
          "request %s: its cancelled create made attachment %d; deleting it",
          saga.requestId(), created.attachmentId());
      saga.removalFound(created.attachmentId(), now);
    } else {
      saga.createAnsweredWhileRemoving(now);
    }
    return Uni.createFrom().voidItem();
  }

  private static boolean stillThisAttempt(
      ProvisioningSaga saga, CreateClaim claim, String owner, CreateOutcome outcome) {
    if (saga.createAttempts() != claim.attempt()) {
      return false;
    }
    if (saga.state() == SagaState.REMOVING) {
      return saga.attachmentId() == null && owner.equals(saga.leaseOwner());
    }
    if (saga.state() == SagaState.CREATING) {
      return owner.equals(saga.leaseOwner());
    }
    // the poller marked it unknown when the lease ran out; an unknown answer adds nothing to that
    return saga.state() == SagaState.CREATE_UNKNOWN && !(outcome instanceof CreateOutcome.Unknown);
  }

  /** Claims whose call was never sent go back at once (SIGTERM); returns how many did. */
  @WithTransaction
  public Uni<Integer> handBackUnsentClaims(String owner, Collection<String> requestIds) {
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
  }

  // --- polling --------------------------------------------------------------------------------

  /**
   * Everything between the create call and an outcome (read only), {@code limit} at a time in the
   * order they were received: the first page after {@code after} null, the next after the last saga
   * of the page before.
   */
  @WithSession
  public Uni<List<ProvisioningSaga>> inFlight(ProvisioningSaga after, int limit) {
    return sagas.inFlight(
        clock.instant(),
        after == null ? Instant.EPOCH : after.receivedAt(),
        after == null ? "" : after.requestId(),
        limit);
  }

  /** Whether any request waits for its create call now: then the quota is contended (read only). */
  @WithSession
  public Uni<Boolean> anyWaitingForCreate() {
    return sagas.anyDueForCreate(clock.instant());
  }

  /**
   * Applies what a list call (started at {@code listedAt}) showed for the saga, decided again on
   * the saga as it is now, so a saga that changed meanwhile (another replica, the create worker) is
   * judged on its new state. {@code details} is the attachment read by id when it is Active.
   */
  @WithTransaction
  public Uni<Void> observe(
      String requestId,
      Optional<Observation> observed,
      Instant listedAt,
      boolean complete,
      Observation details) {
    return onOpenSaga(
        requestId,
        saga -> {
          Instant now = clock.instant();
          Step step =
              ProgressRules.decide(
                  saga, observed, now, listedAt, complete, config.creation().ambiguousGrace());
          return apply(saga, step, details, now);
        });
  }

  /** The list call failed: only the deadline can still decide. */
  @WithTransaction
  public Uni<Void> observeWithoutList(String requestId) {
    Instant now = clock.instant();
    return onOpenSaga(
        requestId,
        saga ->
            apply(
                saga,
                ProgressRules.withoutList(saga, now, config.creation().ambiguousGrace()),
                null,
                now));
  }

  /** emnify answered 404 for the saga's accepted attachment. */
  @WithTransaction
  public Uni<Void> vanished(String requestId, long attachmentId) {
    Instant now = clock.instant();
    return onOpenSaga(
        requestId,
        saga ->
            apply(
                saga,
                ProgressRules.vanished(saga, attachmentId, now, config.creation().ambiguousGrace()),
                null,
                now));
  }

  // --- carrying a step out --------------------------------------------------------------------

  private Uni<Void> apply(ProvisioningSaga saga, Step step, Observation details, Instant now) {
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
    if (step instanceof Step.FoundForRemoval found) {
      LOG.infof(
          "request %s: found attachment %d by its marker; deleting it", id, found.attachmentId());
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

  /** What a delete call for the saga's attachment came to (the poller sent it). */
  @WithTransaction
  public Uni<Void> deleteAnswered(String requestId, long attachmentId, DeleteOutcome outcome) {
    return onOpenSaga(
        requestId,
        saga -> {
          if (saga.state() != SagaState.REMOVING
              || saga.attachmentId() == null
              || saga.attachmentId() != attachmentId) {
            return Uni.createFrom().voidItem();
          }
          Instant now = clock.instant();
          if (outcome instanceof DeleteOutcome.Accepted) {
            LOG.infof("request %s: delete of attachment %d accepted", requestId, attachmentId);
            saga.deleteSent(now);
            return Uni.createFrom().voidItem();
          }
          if (outcome instanceof DeleteOutcome.Gone) {
            return apply(saga, RemovalRules.vanished(saga, attachmentId), null, now);
          }
          if (outcome instanceof DeleteOutcome.Refused refused) {
            boolean answers = saga.owesAnswer() && saga.removalPurpose().failsTheRequest();
            LOG.warnf(
                "request %s: emnify refused to delete attachment %d: %s",
                requestId, attachmentId, refused.message());
            saga.removalImpossible(
                "emnify refused to delete attachment " + attachmentId + ": " + refused.message(),
                now);
            return (answers ? outbox.failed(saga) : Uni.createFrom().voidItem())
                .chain(() -> deletes.settleWaiting(saga, now));
          }
          LOG.debugf(
              "request %s: delete of attachment %d not now: %s",
              requestId, attachmentId, ((DeleteOutcome.NotNow) outcome).message());
          return Uni.createFrom().voidItem();
        });
  }

  // --- operator actions ------------------------------------------------------------------------

  /** One request as it is now (read only); null when unknown. */
  @WithSession
  public Uni<ProvisioningSaga> find(String requestId) {
    return sagas.findById(requestId);
  }

  /**
   * An operator cancels an in-flight request: like a delete request naming it, what it created is
   * deleted and it fails CANCELLED with its compensation. Empty when done, otherwise why not.
   */
  @WithTransaction
  public Uni<Optional<String>> cancel(String requestId, String why) {
    return sagas
        .findById(requestId)
        .chain(
            saga -> {
              if (saga == null) {
                return Uni.createFrom().item(Optional.of("no request " + requestId));
              }
              Instant now = clock.instant();
              return switch (Cancellation.of(saga.state(), saga.createEvidence())) {
                case NOTHING_SENT -> {
                  saga.fail(
                      FailureReason.CANCELLED,
                      "cancelled by " + why + " before its create call",
                      Compensation.NOT_NEEDED,
                      "nothing was created",
                      now);
                  yield outbox.failed(saga).replaceWith(Optional.<String>empty());
                }
                case REMOVE_WHAT_IT_CREATED -> {
                  saga.startRemoval(
                      RemovalPurpose.CANCEL,
                      FailureReason.CANCELLED,
                      "cancelled by " + why,
                      now,
                      config.compensation().timeout());
                  yield Uni.createFrom().item(Optional.<String>empty());
                }
                case TOO_LATE ->
                    Uni.createFrom()
                        .item(
                            Optional.of(
                                requestId
                                    + " is "
                                    + saga.state()
                                    + ", not in flight: only a request still being created can"
                                    + " be cancelled (a delete request removes a ready one)"));
              };
            });
  }

  /** A request waiting for its create call is due now (an operator's re-check). */
  @WithTransaction
  public Uni<Boolean> dueNow(String requestId) {
    return sagas
        .findById(requestId)
        .map(
            saga -> {
              if (saga == null || saga.state() != SagaState.RECEIVED) {
                return false;
              }
              saga.dueAt(clock.instant());
              return true;
            });
  }

  /**
   * Records the one-time read of the PSK emnify generated; false when it was read before (or the
   * request changed meanwhile).
   */
  @WithTransaction
  public Uni<Boolean> pskRetrieved(String requestId, String by) {
    return sagas
        .findById(requestId)
        .map(saga -> saga != null && saga.pskRetrieved(by, clock.instant()));
  }

  /** Delete requests past their deadline are answered (the removal itself goes on). */
  @WithTransaction
  public Uni<Integer> expireOverdueDeletes() {
    return deletes.expireOverdue(clock.instant());
  }

  /** Loads the saga and runs {@code work} on it, unless it is gone or has nothing left to do. */
  private Uni<Void> onOpenSaga(String requestId, Function<ProvisioningSaga, Uni<Void>> work) {
    return sagas
        .findById(requestId)
        .chain(
            saga ->
                saga == null || !saga.state().isObserved()
                    ? Uni.createFrom().voidItem()
                    : work.apply(saga));
  }

  private String specJson(String requestId, AttachmentSpec spec) {
    try {
      return json.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request " + requestId + " cannot be stored", e);
    }
  }

  private AttachmentSpec spec(ProvisioningSaga saga) {
    try {
      return json.readValue(saga.specJson(), AttachmentSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request " + saga.requestId() + " has an unreadable spec", e);
    }
  }

  private static String codes(List<Violation> violations) {
    return violations.stream()
        .map(v -> v.code().name())
        .distinct()
        .collect(Collectors.joining(","));
  }
}
