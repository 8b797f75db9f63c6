package io.cloudconnect.provisioner.saga;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a request stands. The allowed successors of each state are listed here and nowhere else, so
 * an illegal transition cannot be written by accident; docs/DESIGN.md draws them (SagaStateTest
 * checks the drawing against this table).
 *
 * <p>A create (or adopt) request goes RECEIVED, CREATING, (CREATE_UNKNOWN), PROVISIONING, READY. A
 * request that fails after an attachment was or may have been created passes through REMOVING,
 * where its attachment is deleted before (or while) its failed event says so; a READY attachment
 * that a delete request names goes through REMOVING to DELETED. The delete request itself waits in
 * AWAITING_REMOVAL until its target has left REMOVING.
 */
public enum SagaState {
  /** Validated and recorded; waiting for the create call. */
  RECEIVED,
  /** Claimed by a worker that is about to send (or is sending) the create call. */
  CREATING,
  /** The create call's outcome is unknown; resolved by looking for the marker in the list. */
  CREATE_UNKNOWN,
  /** emnify accepted the attachment; waiting for status Active. */
  PROVISIONING,
  READY,
  /** Its attachment (known by id, or looked for by marker) is being deleted at emnify. */
  REMOVING,
  /** A delete request, waiting for its target's attachment to be gone. */
  AWAITING_REMOVAL,
  FAILED,
  /** Its attachment was deleted on request (a create or adopt request's, or a delete request). */
  DELETED;

  static {
    // REMOVING: a create deferred after an ambiguous attempt may have left an attachment behind
    RECEIVED.next = EnumSet.of(CREATING, REMOVING, FAILED);
    CREATING.next = EnumSet.of(RECEIVED, CREATE_UNKNOWN, PROVISIONING, REMOVING, FAILED);
    CREATE_UNKNOWN.next = EnumSet.of(RECEIVED, PROVISIONING, REMOVING, FAILED);
    PROVISIONING.next = EnumSet.of(PROVISIONING, READY, REMOVING, FAILED);
    // a READY attachment leaves only when a delete request names it
    READY.next = EnumSet.of(REMOVING);
    // READY: emnify refused the deletion a delete request asked for; a removal never restarts
    REMOVING.next = EnumSet.of(FAILED, DELETED, READY);
    AWAITING_REMOVAL.next = EnumSet.of(DELETED, FAILED);
    // a failed request whose attachment was kept (compensation "kept" or "impossible") can still
    // be named by a delete request
    FAILED.next = EnumSet.of(REMOVING);
    DELETED.next = EnumSet.noneOf(SagaState.class);
  }

  private Set<SagaState> next;

  public boolean canMoveTo(SagaState target) {
    return next.contains(target);
  }

  /** Nothing left to do: READY, FAILED or DELETED (a delete request may reopen the first two). */
  public boolean isSettled() {
    return this == READY || this == FAILED || this == DELETED;
  }

  /** Whether the poller observes it: everything between a create call and an outcome. */
  public boolean isObserved() {
    return this == CREATING || this == CREATE_UNKNOWN || this == PROVISIONING || this == REMOVING;
  }
}
