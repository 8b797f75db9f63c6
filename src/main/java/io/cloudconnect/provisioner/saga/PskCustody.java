package io.cloudconnect.provisioner.saga;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.Optional;

/**
 * What the service holds of a request's pre-shared key, and what it may do with it. A key the
 * producer sent is kept sealed only until emnify has accepted the attachment (a create may have to
 * be sent again), and never handed out; a key emnify generated (or holds for an adopted attachment,
 * where the deployment allows it) may be read once by an operator, once the attachment is READY.
 */
@Embeddable
public class PskCustody {

  /**
   * The producer's key, sealed by the PSK vault; null once emnify has it, or when there is none.
   */
  @Column(name = "psk_sealed", columnDefinition = "text")
  private String sealed;

  /** Whether emnify holds the key and the service may hand it out once. */
  @Column(name = "psk_by_emnify")
  private boolean byEmnify;

  /** The one time an operator read it, and who did. */
  @Column(name = "psk_retrieved_at")
  private Instant retrievedAt;

  @Column(name = "psk_retrieved_by")
  private String retrievedBy;

  protected PskCustody() {}

  /** A create request's key: sealed when the producer sent one, otherwise emnify generates it. */
  static PskCustody ofRequest(String sealed) {
    PskCustody custody = new PskCustody();
    custody.sealed = sealed;
    custody.byEmnify = sealed == null;
    return custody;
  }

  /** An adopted attachment's key: emnify holds it; readable once when the deployment allows it. */
  static PskCustody ofAdoption(boolean readable) {
    PskCustody custody = new PskCustody();
    custody.byEmnify = readable;
    return custody;
  }

  /** The sealed key is no longer needed (emnify accepted it, or the request ended). */
  void erase() {
    sealed = null;
  }

  /** The one read; false when it was read before. */
  boolean retrieve(String by, Instant now) {
    if (retrievedAt != null) {
      return false;
    }
    retrievedAt = now;
    retrievedBy = by;
    return true;
  }

  /**
   * Why an operator may not read the key of a request in {@code state} now; empty when they may
   * (READY, held by emnify, not read before).
   */
  public Optional<String> whyNotReadable(SagaState state) {
    if (retrievedAt != null) {
      return Optional.of(
          "the pre-shared key was read already, at " + retrievedAt + " by " + retrievedBy);
    }
    if (!byEmnify) {
      return Optional.of(
          "the producer sent this request's pre-shared key; the service does not hand it out");
    }
    if (state != SagaState.READY) {
      return Optional.of("the request is " + state + "; its key can be read once it is READY");
    }
    return Optional.empty();
  }

  public String sealed() {
    return sealed;
  }

  public boolean byEmnify() {
    return byEmnify;
  }

  public Instant retrievedAt() {
    return retrievedAt;
  }

  public String retrievedBy() {
    return retrievedBy;
  }
}
