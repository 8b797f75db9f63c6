package io.cloudconnect.provisioner.polling;

import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The organisation's attachments as one list call saw them, indexed by id (for accepted
 * attachments) and by the marker in their description (for ambiguous creates).
 */
final class AttachmentSnapshot {
  private static final Logger LOG = Logger.getLogger(AttachmentSnapshot.class);

  private final Map<Long, Attachment> byId = new HashMap<>();
  private final Map<String, Attachment> byMarker = new HashMap<>();
  private final Instant listedAt;
  private final boolean complete;

  /**
   * {@code listedAt}: when the list call began (later creations cannot be in it); {@code complete}:
   * whether the list is known to hold every attachment.
   */
  AttachmentSnapshot(List<Attachment> attachments, Instant listedAt, boolean complete) {
    this.listedAt = listedAt;
    this.complete = complete;
    for (Attachment attachment : attachments) {
      byId.put(attachment.id(), attachment);
      Marker.in(attachment.description())
          .ifPresent(m -> byMarker.merge(m.text(), attachment, AttachmentSnapshot::firstOf));
    }
  }

  /**
   * Two attachments carry one request's marker: a duplicate, billed every month. The older one (the
   * lower id) is the request's, deterministically on every replica; the other is reported.
   */
  private static Attachment firstOf(Attachment kept, Attachment other) {
    Attachment first = kept.id() <= other.id() ? kept : other;
    Attachment second = first == kept ? other : kept;
    LOG.errorf(
        "attachments %d and %d carry the same request marker: %d is a duplicate",
        first.id(), second.id(), second.id());
    return first;
  }

  Optional<Observation> observe(ProvisioningSaga saga) {
    boolean accepted =
        saga.attachmentId() != null
            && (saga.state() == SagaState.PROVISIONING || saga.state() == SagaState.REMOVING);
    Attachment found = accepted ? byId.get(saga.attachmentId()) : byMarker.get(saga.marker());
    return Optional.ofNullable(found).map(AttachmentSnapshot::toObservation);
  }

  /** The one mapping from emnify's attachment to what the saga's rules read. */
  static Observation toObservation(Attachment attachment) {
    return new Observation(
        attachment.id(),
        attachment.status() == null ? 0 : attachment.status().id(),
        attachment.status() == null ? null : attachment.status().description(),
        attachment.region(),
        attachment.tunnelInformation(),
        attachment.type() == null ? 0 : attachment.type().id(),
        Marker.in(attachment.description()).orElse(null));
  }

  Instant listedAt() {
    return listedAt;
  }

  boolean complete() {
    return complete;
  }
}
