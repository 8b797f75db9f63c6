package io.cloudconnect.provisioner.saga;

import java.util.Optional;

/**
 * Which attachments an adopt request may take over. emnify's ids are sequential and the request
 * topic is shared by every producer of a deployment, so an adopt by id alone would let any producer
 * take over, read the tunnel data of, and then delete any attachment of the organisation, other
 * deployments' included. The marker in the attachment's description says whose it is: this
 * deployment's is adoptable, another deployment's never, an unmarked one only when the deployment
 * allows it ({@code cloudconnect.adoption.unmarked}, recorded on the request when it arrived).
 * Pure, like the other rules.
 */
public final class AdoptionRules {
  private AdoptionRules() {}

  /** Why {@code saga} may not adopt the attachment {@code observed} shows; empty when it may. */
  public static Optional<Step.Fail> refusal(ProvisioningSaga saga, Observation observed) {
    if (saga.kind() != RequestKind.ADOPT) {
      return Optional.empty();
    }
    String ours = Marker.in(saga.marker()).map(Marker.Found::namespace).orElse("");
    Marker.Found found = observed.marker();
    long id = observed.attachmentId();
    if (found != null && !found.namespace().isEmpty()) {
      // the other deployment's name is not repeated: producers of one deployment need not learn
      // what else shares the organisation
      return found.namespace().equals(ours)
          ? Optional.empty()
          : refused("attachment " + id + " carries another deployment's marker: it is not ours");
    }
    if (saga.adoptUnmarked()) {
      return Optional.empty();
    }
    return refused(
        "attachment "
            + id
            + (found == null
                ? " carries no marker of this deployment"
                : " carries a marker without a deployment namespace")
            + ", and adopting such attachments is off (cloudconnect.adoption.unmarked)");
  }

  /**
   * Whether {@code saga} is an adopt request that was refused: it names an attachment it never
   * held, so a delete can neither find the attachment through it nor call it gone.
   */
  public static boolean neverHeld(ProvisioningSaga saga) {
    return saga.kind() == RequestKind.ADOPT && saga.failureReason() == FailureReason.NOT_ADOPTABLE;
  }

  private static Optional<Step.Fail> refused(String message) {
    return Optional.of(new Step.Fail(FailureReason.NOT_ADOPTABLE, message));
  }
}
