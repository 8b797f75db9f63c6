package io.cloudconnect.provisioner.removal;

import io.cloudconnect.provisioner.saga.Holding;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import java.util.Map;
import java.util.Optional;

/**
 * Which of the organisation's attachments are orphans: they carry this deployment's marker, but no
 * live request holds them. Pure: decided from the listed attachment and the sagas alone.
 *
 * <p>Never an orphan: an attachment of another namespace or with a marker written before namespaces
 * (not provably ours), one a request holds by id (whatever its description says: adopted ones carry
 * no marker of ours), one whose request is still before its create's outcome (reconciliation adopts
 * it), one being removed already, one kept on purpose, and one on its way out or gone (6, 7).
 */
public final class Orphans {
  private Orphans() {}

  /** An orphan and why. */
  public record Orphan(long attachmentId, String requestId, int statusId, String why) {}

  /**
   * @param holders requests holding an attachment, by attachment id
   * @param byRequestId the requests named by the markers seen, by request id
   */
  public static Optional<Orphan> judge(
      long attachmentId,
      String description,
      int statusId,
      String namespace,
      Map<Long, ProvisioningSaga> holders,
      Map<String, ProvisioningSaga> byRequestId) {
    Optional<Marker.Found> marker = Marker.in(description);
    if (marker.isEmpty() || !marker.get().namespace().equals(namespace)) {
      return Optional.empty();
    }
    if (statusId == Observation.DEACTIVATION_PENDING || statusId == Observation.DEACTIVATED) {
      return Optional.empty();
    }
    ProvisioningSaga holder = holders.get(attachmentId);
    if (holder != null && Holding.standsBehind(holder.state(), holder.compensation())) {
      return Optional.empty();
    }
    String requestId = marker.get().requestId();
    ProvisioningSaga saga = byRequestId.get(requestId);
    if (saga != null && saga.attachmentId() != null && saga.attachmentId() == attachmentId) {
      // its own request holds it (read after the holders: the create was recorded in between)
      return Optional.empty();
    }
    if (saga == null) {
      return orphan(attachmentId, requestId, statusId, "no request " + requestId + " is recorded");
    }
    return switch (saga.state()) {
      case RECEIVED, CREATING, CREATE_UNKNOWN -> Optional.empty();
      case PROVISIONING, READY, REMOVING ->
          saga.attachmentId() == null
              ? Optional.empty()
              : orphan(
                  attachmentId,
                  requestId,
                  statusId,
                  "a duplicate: request " + requestId + " holds attachment " + saga.attachmentId());
      case FAILED ->
          orphan(
              attachmentId,
              requestId,
              statusId,
              "request " + requestId + " failed (" + saga.failureReason() + ")");
      case DELETED, AWAITING_REMOVAL ->
          orphan(attachmentId, requestId, statusId, "request " + requestId + " was deleted");
    };
  }

  private static Optional<Orphan> orphan(
      long attachmentId, String requestId, int statusId, String why) {
    return Optional.of(new Orphan(attachmentId, requestId, statusId, why));
  }
}
