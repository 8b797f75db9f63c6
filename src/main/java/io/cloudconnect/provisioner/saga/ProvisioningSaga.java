package io.cloudconnect.provisioner.saga;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;

/**
 * One provisioning request and its progress. State changes only through the intent-named methods
 * below, each of which checks {@link SagaState#canMoveTo}; the {@code @Version} column makes
 * concurrent writers (several workers or replicas) fail instead of overwriting each other.
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

  /** The pre-shared key, sealed; erased once emnify has accepted the attachment. */
  @Column(name = "psk_sealed", columnDefinition = "text")
  private String pskSealed;

  /** Written into the attachment's description so an ambiguous create can be found again. */
  private String marker;

  @Column(name = "attachment_id")
  private Long attachmentId;

  @Column(name = "emnify_status_id")
  private Integer emnifyStatusId;

  @Column(name = "emnify_status", columnDefinition = "text")
  private String emnifyStatus;

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

  @Column(name = "lease_owner")
  private String leaseOwner;

  @Column(name = "lease_until")
  private Instant leaseUntil;

  protected ProvisioningSaga() {}

  /**
   * A valid request, recorded and waiting for its create call.
   *
   * @param specJson {@code spec} as stored (JSON, without the PSK)
   * @param pskSealed the pre-shared key sealed by the PSK vault, or null when emnify generates one
   * @param waitForTurn how long it may wait for its first create call (its deadline until then; the
   *     provisioning deadline starts with that call, see {@link #claimForCreate})
   */
  public static ProvisioningSaga received(
      String requestId,
      AttachmentSpec spec,
      String specJson,
      String pskSealed,
      Instant now,
      Duration waitForTurn) {
    ProvisioningSaga saga = new ProvisioningSaga();
    saga.requestId = requestId;
    saga.state = SagaState.RECEIVED;
    saga.attachmentType = spec.type();
    saga.name = spec.name();
    saga.region = spec.region();
    saga.specJson = specJson;
    saga.pskSealed = pskSealed;
    saga.marker = Marker.of(requestId);
    saga.receivedAt = now;
    saga.updatedAt = now;
    saga.nextAttemptAt = now;
    saga.deadlineAt = now.plus(waitForTurn);
    return saga;
  }

  /** A request our validation refused: recorded so a redelivery gets the same answer. */
  public static ProvisioningSaga refused(String requestId, String message, Instant now) {
    ProvisioningSaga saga = new ProvisioningSaga();
    saga.requestId = requestId;
    saga.state = SagaState.FAILED;
    saga.failureReason = FailureReason.VALIDATION_FAILED;
    saga.failureMessage = message;
    saga.receivedAt = now;
    saga.failedAt = now;
    saga.updatedAt = now;
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
    leaseOwner = owner;
    leaseUntil = now.plus(lease);
  }

  /**
   * A claim whose call was never sent goes back at once (on SIGTERM), not after its lease: the
   * attempt is not counted and no reconciliation is needed. False when the claim is not this
   * owner's any more.
   */
  public boolean handBackUnsentClaim(String owner, Instant now, Duration waitForTurn) {
    if (state != SagaState.CREATING || !owner.equals(leaseOwner)) {
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

  /** emnify accepted the attachment (201), or an ambiguous create was found in the list. */
  public void attachmentCreated(long id, Instant now) {
    moveTo(SagaState.PROVISIONING, now);
    attachmentId = id;
    provisioningAt = now;
    pskSealed = null;
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
    if (statusId != valueOr(emnifyStatusId, -1)) {
      moveTo(SagaState.PROVISIONING, now);
      emnifyStatusId = statusId;
      emnifyStatus = description;
    }
  }

  public void becameReady(int statusId, String description, Instant now) {
    moveTo(SagaState.READY, now);
    emnifyStatusId = statusId;
    emnifyStatus = description;
    readyAt = now;
    releaseLease();
  }

  public void fail(FailureReason reason, String message, Instant now) {
    moveTo(SagaState.FAILED, now);
    failureReason = reason;
    failureMessage = message;
    failedAt = now;
    pskSealed = null;
    releaseLease();
  }

  /** A create worker's claim that has not run out: its call may still be answered. */
  public boolean claimHeldAt(Instant now) {
    return state == SagaState.CREATING && leaseUntil != null && leaseUntil.isAfter(now);
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
    leaseOwner = null;
    leaseUntil = null;
  }

  private static int valueOr(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  public String requestId() {
    return requestId;
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

  public String pskSealed() {
    return pskSealed;
  }

  public String marker() {
    return marker;
  }

  public Long attachmentId() {
    return attachmentId;
  }

  public Integer emnifyStatusId() {
    return emnifyStatusId;
  }

  public String emnifyStatus() {
    return emnifyStatus;
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

  public String leaseOwner() {
    return leaseOwner;
  }

  public Instant leaseUntil() {
    return leaseUntil;
  }
}
