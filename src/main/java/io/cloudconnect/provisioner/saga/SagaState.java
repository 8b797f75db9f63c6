package io.cloudconnect.provisioner.saga;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a provisioning request stands. The allowed successors of each state are listed here and
 * nowhere else, so an illegal transition cannot be written by accident.
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
  FAILED;

  static {
    RECEIVED.next = EnumSet.of(CREATING, FAILED);
    CREATING.next = EnumSet.of(RECEIVED, CREATE_UNKNOWN, PROVISIONING, FAILED);
    CREATE_UNKNOWN.next = EnumSet.of(RECEIVED, PROVISIONING, FAILED);
    PROVISIONING.next = EnumSet.of(PROVISIONING, READY, FAILED);
    READY.next = EnumSet.noneOf(SagaState.class);
    FAILED.next = EnumSet.noneOf(SagaState.class);
  }

  private Set<SagaState> next;

  public boolean canMoveTo(SagaState target) {
    return next.contains(target);
  }

  public boolean isTerminal() {
    return next.isEmpty();
  }
}
