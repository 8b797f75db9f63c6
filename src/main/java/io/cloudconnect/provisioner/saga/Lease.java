package io.cloudconnect.provisioner.saga;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * A create worker's claim on a request: who sends its create call, and until when the call may
 * still be answered. Taken when the request is claimed, given up with every step that ends the
 * claim; a value: a new lease replaces the old one, none is {@link #NONE}.
 */
@Embeddable
public class Lease {
  /** No claim. */
  static final Lease NONE = new Lease();

  @Column(name = "lease_owner")
  private String owner;

  @Column(name = "lease_until")
  private Instant until;

  protected Lease() {}

  static Lease of(String owner, Instant until) {
    Lease lease = new Lease();
    lease.owner = owner;
    lease.until = until;
    return lease;
  }

  /** Whether {@code who} holds it (even if it ran out: nobody else took the request since). */
  public boolean heldBy(String who) {
    return who.equals(owner);
  }

  /** Whether it has not run out at {@code now}: the call may still be answered. */
  public boolean liveAt(Instant now) {
    return until != null && until.isAfter(now);
  }

  public String owner() {
    return owner;
  }

  public Instant until() {
    return until;
  }
}
