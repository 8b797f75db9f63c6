package io.cloudconnect.provisioner.saga;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;

/**
 * One request (create, delete or adopt) and its progress. State changes only through the
 * intent-named methods below, each of which checks {@link SagaState#canMoveTo}; the
 * {@code @Version} column makes concurrent writers (several workers or replicas) fail instead of
 * overwriting each other.
 */
@Entity
@Table(name = "provisioning_saga")
public class ProvisioningSaga {

  @Id
  @Column(name = "request_id")
  private String requestId;

  @Version private long version;

  @Enumerated(EnumType.STRING)
  private SagaState state;

  @Enumerated(EnumType.STRING)
  private RequestKind kind = RequestKind.CREATE;

  /** A delete request's target: the create or adopt request whose attachment it removes. */
  @Column(name = "target_request_id")
  private String targetRequestId;

  @Enumerated(EnumType.STRING)
  @Column(name = "removal_purpose")
  private RemovalPurpose removalPurpose;

  /** What became of the attachment of a failed request (the failed event's compensation). */
  @Enumerated(EnumType.STRING)
  private Compensation compensation;

  @Column(name = "compensation_note", columnDefinition = "text")
  private String compensationNote;

  /** When the last delete call for its attachment was sent (REMOVING). */
  @Column(name = "delete_sent_at")
  private Instant deleteSentAt;

  /** When its one outcome event was written to the outbox; null while it owes one. */
  @Column(name = "answered_at")
  private Instant answeredAt;

  @Column(name = "deleted_at")
  private Instant deletedAt;

  @Enumerated(EnumType.STRING)
  @Column(name = "failure_reason")
  private FailureReason failureReason;

  @Column(name = "failure_message", columnDefinition = "text")
  private String failureMessage;

  @Column(name = "attachment_type")
  private int attachmentType;

  @Column(columnDefinition = "text")
  private String name;

  private String region;

  /** The attachment as requested, without the pre-shared key (JSON). */
  @Column(name = "spec_json", columnDefinition = "text")
  private String specJson;

  @Embedded private PskCustody psk = new PskCustody();

  /** Written into the attachment's description so an ambiguous create can be found again. */
  private String marker;

  @Column(name = "attachment_id")
  private Long attachmentId;

  /** What emnify last reported of the attachment; null (no columns set) before the first. */
  @Embedded private EmnifyView emnify;

  /** The W3C trace context of the span that recorded it; later passes continue that trace. */
  @Column(name = "trace_parent", columnDefinition = "text")
  private String traceParent;

  /** An adopt request that may take over an attachment without this deployment's marker. */
  @Column(name = "adopt_unmarked")
  private boolean adoptUnmarked;

  @Column(name = "create_attempts")
  private int createAttempts;

  /**
   * What earlier create attempts may have left at emnify; decides whether creating again is safe.
   */
  @Enumerated(EnumType.STRING)
  @Column(name = "create_evidence")
  private CreateEvidence createEvidence = CreateEvidence.NONE;

  @Column(name = "last_error", columnDefinition = "text")
  private String lastError;

  @Column(name = "received_at")
  private Instant receivedAt;

  @Column(name = "creating_at")
  private Instant creatingAt;

  @Column(name = "provisioning_at")
  private Instant provisioningAt;

  @Column(name = "ready_at")
  private Instant readyAt;

  @Column(name = "failed_at")
  private Instant failedAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Column(name = "deadline_at")
  private Instant deadlineAt;

  @Column(name = "next_attempt_at")
  private Instant nextAttemptAt;

  /** A create worker's claim; null (no columns set) when there is none. */
  @Embedded private Lease lease;

  protected ProvisioningSaga() {}

  /**
   * A valid request, recorded and waiting for its create call.
   *
   * @param specJson {@code spec} as stored (JSON, without the PSK)
   * @param pskSealed the pre-shared key sealed by the PSK vault, or null when emnify generates one
   * @param waitForTurn how long it may wait for its first create call (its deadline until then; the
   *     provisioning deadline starts with that call, see {@link #claimForCreate})
   * @param namespace this deployment's marker namespace ({@link Marker})
   */
  public static ProvisioningSaga received(
      String requestId,
      AttachmentSpec spec,
      String specJson,
      String pskSealed,
      Instant now,
      Duration waitForTurn,
      String namespace) {
    ProvisioningSaga saga = new ProvisioningSaga();
    saga.requestId = requestId;
    saga.state = SagaState.RECEIVED;
    saga.attachmentType = spec.type();
    saga.name = spec.name();
    saga.region = spec.region();
    saga.specJson = specJson;
    saga.psk = PskCustody.ofRequest(pskSealed);
    saga.marker = Marker.of(namespace, requestId);
    saga.receivedAt = now;
    saga.updatedAt = now;
    saga.nextAttemptAt = now;
    saga.deadlineAt = now.plus(waitForTurn);
    return saga;
  }

  /** A request our validation refused: recorded so a redelivery gets the same answer. */
  public static ProvisioningSaga refused(
      String requestId, RequestKind kind, String message, Instant now) {
    ProvisioningSaga saga = new ProvisioningSaga();
    saga.requestId = requestId;
    saga.kind = kind;
    saga.state = SagaState.FAILED;
    saga.failureReason = FailureReason.VALIDATION_FAILED;
    saga.failureMessage = message;
    saga.compensation = Compensation.NOT_NEEDED;
    saga.compensationNote = "nothing was sent to emnify";
    saga.receivedAt = now;
    saga.failedAt = now;
    saga.answeredAt = now;
    saga.updatedAt = now;
    return saga;
  }

  /**
   * What this deployment lets an adopt request take over ({@code cloudconnect.adoption.*}): {@code
   * unmarked}, attachments without its marker; {@code pskReadable}, the key emnify holds for it.
   */
  public record Adoption(boolean unmarked, boolean pskReadable) {}

  /**
   * An adopt request: the existing attachment is watched like an accepted one until it is Active,
   * and answered with a ready event; nothing is created.
   */
  public static ProvisioningSaga adoptionReceived(
      String requestId,
      long attachmentId,
      String namespace,
      Adoption allowed,
      Instant now,
      Duration timeout) {
    ProvisioningSaga saga = new ProvisioningSaga();
    saga.requestId = requestId;
    saga.kind = RequestKind.ADOPT;
    saga.state = SagaState.PROVISIONING;
    saga.attachmentId = attachmentId;
    saga.marker = Marker.of(namespace, requestId);
    saga.adoptUnmarked = allowed.unmarked();
    saga.psk = PskCustody.ofAdoption(allowed.pskReadable());
    saga.receivedAt = now;
    saga.provisioningAt = now;
    saga.updatedAt = now;
    saga.deadlineAt = now.plus(timeout);
    return saga;
  }

  /**
   * A delete request naming {@code target}: it waits until the target's attachment is gone (or its
   * deadline passes). The target's state change is the application service's to make.
   */
  public static ProvisioningSaga deleteReceived(
      String requestId, ProvisioningSaga target, Instant now, Instant deadline) {
    ProvisioningSaga saga = new ProvisioningSaga();
    saga.requestId = requestId;
    saga.kind = RequestKind.DELETE;
    saga.state = SagaState.AWAITING_REMOVAL;
    saga.targetRequestId = target.requestId;
    saga.attachmentId = target.attachmentId;
    saga.attachmentType = target.attachmentType;
    saga.name = target.name;
    saga.region = target.region;
    saga.receivedAt = now;
    saga.updatedAt = now;
    saga.deadlineAt = deadline;
    return saga;
  }

  /**
   * Taken by a worker that sends the create call right after this commits: the intent is durable
   * before the call, and the lease covers the call's whole timeout.
   */
  public void claimForCreate(
      String owner, Instant now, Duration lease, Duration provisioningTimeout) {
    moveTo(SagaState.CREATING, now);
    if (createAttempts == 0) {
      // the request's turn has come: the provisioning deadline counts from its first create
      deadlineAt = now.plus(provisioningTimeout);
    }
    createAttempts++;
    creatingAt = now;
    this.lease = Lease.of(owner, now.plus(lease));
  }

  /**
   * A claim whose call was never sent goes back at once (on SIGTERM), not after its lease: the
   * attempt is not counted and no reconciliation is needed. False when the claim is not this
   * owner's any more.
   */
  public boolean handBackUnsentClaim(String owner, Instant now, Duration waitForTurn) {
    if (state != SagaState.CREATING || !lease().heldBy(owner)) {
      return false;
    }
    notSent(now, now, waitForTurn);
    return true;
  }

  /**
   * The claimed create was never sent: back to RECEIVED as if never claimed, due at {@code dueAt}.
   * The attempt is not counted; a request that has had no create yet waits for its turn again,
   * until {@code receivedAt + waitForTurn}, not under the provisioning deadline the claim started.
   */
  public void notSent(Instant dueAt, Instant now, Duration waitForTurn) {
    moveTo(SagaState.RECEIVED, now);
    createAttempts--;
    if (createAttempts == 0) {
      deadlineAt = receivedAt.plus(waitForTurn);
    }
    nextAttemptAt = dueAt;
    releaseLease();
  }

  /** Waiting for its create call, due at once (an operator asked for it). */
  public void dueAt(Instant now) {
    requireState(SagaState.RECEIVED);
    nextAttemptAt = now;
    updatedAt = now;
  }

  /** emnify accepted the attachment (201), or an ambiguous create was found in the list. */
  public void attachmentCreated(long id, Instant now) {
    moveTo(SagaState.PROVISIONING, now);
    attachmentId = id;
    provisioningAt = now;
    psk.erase();
    lastError = null;
    releaseLease();
  }

  /**
   * The create call may or may not have taken effect upstream; with {@code searchOnly} it very
   * likely did, and the request is never created again (see {@link CreateEvidence}).
   */
  public void createOutcomeUnknown(String error, boolean searchOnly, Instant now) {
    moveTo(SagaState.CREATE_UNKNOWN, now);
    lastError = error;
    createEvidence =
        searchOnly || createEvidence == CreateEvidence.SEARCH_ONLY
            ? CreateEvidence.SEARCH_ONLY
            : CreateEvidence.MAYBE;
    releaseLease();
  }

  /** The create certainly did not take effect (not sent, throttled, or not found after grace). */
  public void createDeferred(String error, Instant retryAt, Instant now) {
    moveTo(SagaState.RECEIVED, now);
    lastError = error;
    nextAttemptAt = retryAt;
    releaseLease();
  }

  /** emnify reports a status that is neither Active nor a failure. */
  public void statusObserved(int statusId, String description, Instant now) {
    requireState(SagaState.PROVISIONING);
    if (!emnifyView().shows(statusId)) {
      moveTo(SagaState.PROVISIONING, now);
      emnify = emnifyView().reported(statusId, description, now);
    }
  }

  /** Its attachment is Active: only a request still being provisioned becomes ready by it. */
  public void becameReady(int statusId, String description, int typeId, Instant now) {
    requireState(SagaState.PROVISIONING);
    moveTo(SagaState.READY, now);
    if (attachmentType == 0) {
      attachmentType = typeId; // adopted: its type is emnify's to say
    }
    answeredAt = now;
    emnify = emnifyView().reported(statusId, description, now);
    readyAt = now;
    releaseLease();
  }

  /** Failed, and what became of its attachment; its failed event is written with this change. */
  public void fail(
      FailureReason reason,
      String message,
      Compensation compensation,
      String compensationNote,
      Instant now) {
    moveTo(SagaState.FAILED, now);
    failureReason = reason;
    failureMessage = message;
    this.compensation = compensation;
    this.compensationNote = compensationNote;
    failedAt = now;
    answeredAt = now;
    psk.erase();
    releaseLease();
  }

  // --- removing an attachment ---------------------------------------------------------------

  /**
   * Its attachment (known by id, or to be looked for by marker) is to be deleted; a request that
   * fails by it keeps {@code reason} for its failed event. A live create claim is kept: the
   * worker's answer may still bring the attachment's id.
   */
  public void startRemoval(
      RemovalPurpose purpose, FailureReason reason, String message, Instant now, Duration timeout) {
    moveTo(SagaState.REMOVING, now);
    removalPurpose = purpose;
    if (purpose.failsTheRequest()) {
      failureReason = reason;
      failureMessage = message;
    }
    deadlineAt = now.plus(timeout);
    deleteSentAt = null;
    psk.erase();
    if (purpose != RemovalPurpose.CANCEL) {
      releaseLease();
    }
  }

  /**
   * A cancelled create's worker answered without an id (not created, or created without one): its
   * claim is over, so the marker search may conclude.
   */
  public void createAnsweredWhileRemoving(Instant now) {
    requireState(SagaState.REMOVING);
    updatedAt = now;
    releaseLease();
  }

  /** The attachment being removed was found (by marker, or the create's late answer). */
  public void removalFound(long id, Instant now) {
    requireState(SagaState.REMOVING);
    attachmentId = id;
    updatedAt = now;
    releaseLease();
  }

  public void deleteSent(Instant now) {
    requireState(SagaState.REMOVING);
    deleteSentAt = now;
    updatedAt = now;
  }

  /** emnify reports a status for the attachment being removed. */
  public void removalStatusObserved(int statusId, String description, Instant now) {
    requireState(SagaState.REMOVING);
    if (!emnifyView().shows(statusId)) {
      emnify = emnifyView().reported(statusId, description, now);
      updatedAt = now;
    }
  }

  /**
   * The removal is not confirmed by its deadline: a request that fails by it is answered now with
   * compensation {@link Compensation#PENDING}, and the removal goes on.
   */
  public void answeredWhileRemoving(String note, Instant now) {
    requireState(SagaState.REMOVING);
    compensation = Compensation.PENDING;
    compensationNote = note;
    if (failedAt == null && removalPurpose.failsTheRequest()) {
      failedAt = now;
    }
    answeredAt = now;
    updatedAt = now;
  }

  /**
   * The attachment is gone or Deactivated ({@code compensation} DELETED), or was never created
   * (NOT_NEEDED): a failing request ends FAILED, a deleted one DELETED.
   */
  public void removed(Compensation outcome, String note, Instant now) {
    boolean failing = removalPurpose.failsTheRequest();
    boolean hadFailed = failureReason != null;
    moveTo(failing ? SagaState.FAILED : SagaState.DELETED, now);
    if (failing || hadFailed) {
      compensation = outcome;
      compensationNote = note;
    }
    if (failing && failedAt == null) {
      failedAt = now;
    }
    if (!failing) {
      deletedAt = now;
    }
    if (answeredAt == null && failing) {
      answeredAt = now;
    }
    releaseLease();
  }

  /**
   * emnify refused the deletion for good: a failing request ends FAILED with compensation
   * IMPOSSIBLE; an attachment a delete request named goes back to where it was.
   */
  public void removalImpossible(String why, Instant now) {
    if (removalPurpose.failsTheRequest()) {
      moveTo(SagaState.FAILED, now);
      compensation = Compensation.IMPOSSIBLE;
      compensationNote = why;
      if (failedAt == null) {
        failedAt = now;
      }
      if (answeredAt == null) {
        answeredAt = now;
      }
    } else {
      moveTo(failureReason == null ? SagaState.READY : SagaState.FAILED, now);
    }
    removalPurpose = null;
    releaseLease();
  }

  // --- a delete request ---------------------------------------------------------------------

  /** Its target's attachment is gone (or never existed): answered with the deleted event. */
  public void deleteConfirmed(Long attachmentId, Instant now) {
    moveTo(SagaState.DELETED, now);
    if (attachmentId != null) {
      this.attachmentId = attachmentId;
    }
    deletedAt = now;
    answeredAt = now;
  }

  /** The delete request failed (refused by emnify, or not confirmed before its deadline). */
  public void deleteFailed(FailureReason reason, String message, Instant now) {
    moveTo(SagaState.FAILED, now);
    failureReason = reason;
    failureMessage = message;
    failedAt = now;
    answeredAt = now;
  }

  /** The one-time read of the PSK emnify holds; false when it was read before. */
  public boolean pskRetrieved(String by, Instant now) {
    if (!psk.retrieve(by, now)) {
      return false;
    }
    updatedAt = now;
    return true;
  }

  public boolean owesAnswer() {
    return answeredAt == null;
  }

  /** A create worker's claim that has not run out: its call may still be answered. */
  public boolean claimHeldAt(Instant now) {
    return state == SagaState.CREATING && lease().liveAt(now);
  }

  public boolean isPastDeadline(Instant now) {
    return deadlineAt != null && now.isAfter(deadlineAt);
  }

  private void moveTo(SagaState target, Instant now) {
    if (!state.canMoveTo(target)) {
      throw new IllegalTransitionException(requestId, state, target);
    }
    state = target;
    updatedAt = now;
  }

  private void requireState(SagaState expected) {
    if (state != expected) {
      throw new IllegalTransitionException(requestId, state, expected);
    }
  }

  private void releaseLease() {
    lease = null;
  }

  public String requestId() {
    return requestId;
  }

  public RequestKind kind() {
    return kind;
  }

  public String targetRequestId() {
    return targetRequestId;
  }

  public RemovalPurpose removalPurpose() {
    return removalPurpose;
  }

  public Compensation compensation() {
    return compensation;
  }

  public String compensationNote() {
    return compensationNote;
  }

  /** The optimistic-lock version: changes with every committed write of the saga. */
  public long version() {
    return version;
  }

  public Instant deleteSentAt() {
    return deleteSentAt;
  }

  public Instant answeredAt() {
    return answeredAt;
  }

  public Instant deletedAt() {
    return deletedAt;
  }

  public boolean adoptUnmarked() {
    return adoptUnmarked;
  }

  public SagaState state() {
    return state;
  }

  public FailureReason failureReason() {
    return failureReason;
  }

  public String failureMessage() {
    return failureMessage;
  }

  public int attachmentType() {
    return attachmentType;
  }

  public String name() {
    return name;
  }

  public String region() {
    return region;
  }

  public String specJson() {
    return specJson;
  }

  /** What the service holds of the pre-shared key. */
  public PskCustody psk() {
    return psk;
  }

  public String traceParent() {
    return traceParent;
  }

  /** Recorded in the trace {@code traceParent} (the intake span's context; null: none). */
  public ProvisioningSaga tracedBy(String traceParent) {
    this.traceParent = traceParent;
    return this;
  }

  public String marker() {
    return marker;
  }

  public Long attachmentId() {
    return attachmentId;
  }

  /** What emnify last reported of the attachment, {@link EmnifyView#NONE} before the first. */
  public EmnifyView emnifyView() {
    return emnify == null ? EmnifyView.NONE : emnify;
  }

  public CreateEvidence createEvidence() {
    return createEvidence;
  }

  public int createAttempts() {
    return createAttempts;
  }

  public String lastError() {
    return lastError;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  public Instant creatingAt() {
    return creatingAt;
  }

  public Instant provisioningAt() {
    return provisioningAt;
  }

  public Instant readyAt() {
    return readyAt;
  }

  public Instant failedAt() {
    return failedAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  public Instant deadlineAt() {
    return deadlineAt;
  }

  public Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  /** A create worker's claim, {@link Lease#NONE} when there is none. */
  public Lease lease() {
    return lease == null ? Lease.NONE : lease;
  }
}
