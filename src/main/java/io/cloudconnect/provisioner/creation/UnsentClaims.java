package io.cloudconnect.provisioner.creation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The claims of this replica whose create call has not started yet. On SIGTERM they are handed back
 * at once instead of waiting for their lease; a call already sent keeps its claim (its outcome is
 * unknown, and the lease expiry leads to reconciliation).
 */
final class UnsentClaims {
  private final Set<String> unsent = new HashSet<>();
  private boolean stopping;

  /** Registers a fresh claim; false once stopping (the caller hands it back itself). */
  synchronized boolean add(String requestId) {
    if (stopping) {
      return false;
    }
    return unsent.add(requestId);
  }

  /** True when the call for this claim may be sent; false once shutdown took the claim back. */
  synchronized boolean startSending(String requestId) {
    return unsent.remove(requestId) && !stopping;
  }

  /** No call starts from now on; returns the claims to hand back. */
  synchronized List<String> stop() {
    stopping = true;
    List<String> handBack = new ArrayList<>(unsent);
    unsent.clear();
    return handBack;
  }
}
