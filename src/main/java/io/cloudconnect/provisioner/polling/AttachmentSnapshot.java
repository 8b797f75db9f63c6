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

/**
 * The organisation's attachments as one list call saw them, indexed by id (for accepted
 * attachments) and by the request id in their description marker (for ambiguous creates).
 */
final class AttachmentSnapshot {
  private final Map<Long, Attachment> byId = new HashMap<>();
  private final Map<String, Attachment> byRequestId = new HashMap<>();
  private final Instant listedAt;

  /** {@code listedAt}: when the list call began; later creations cannot be in it. */
  AttachmentSnapshot(List<Attachment> attachments, Instant listedAt) {
    this.listedAt = listedAt;
    for (Attachment attachment : attachments) {
      byId.put(attachment.id(), attachment);
      Marker.requestIdIn(attachment.description()).ifPresent(id -> byRequestId.put(id, attachment));
    }
  }

  Optional<Observation> observe(ProvisioningSaga saga) {
    Attachment found =
        saga.state() == SagaState.PROVISIONING
            ? byId.get(saga.attachmentId())
            : byRequestId.get(saga.requestId());
    return Optional.ofNullable(found).map(AttachmentSnapshot::toObservation);
  }

  /** The one mapping from emnify's attachment to what the saga's rules read. */
  static Observation toObservation(Attachment attachment) {
    return new Observation(
        attachment.id(),
        attachment.status() == null ? 0 : attachment.status().id(),
        attachment.status() == null ? null : attachment.status().description(),
        attachment.region(),
        attachment.tunnelInformation());
  }

  Instant listedAt() {
    return listedAt;
  }
}
