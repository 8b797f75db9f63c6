package io.cloudconnect.provisioner.operator;

import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.cloudconnect.provisioner.emnify.UpstreamFailures;
import io.cloudconnect.provisioner.provisioning.OperatorActions;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.secrets.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The one-time read of the pre-shared key emnify generated (the producer sent none, so the customer
 * has no other way to learn it). The key is fetched from emnify on demand and handed to the caller
 * only: never stored, logged or published. The read is recorded (who, when) before the key is
 * returned, so a second read is refused even if two race; the audit line carries no key.
 */
@ApplicationScoped
class PskRetrieval {

  /** What became of one read: the key, or why none (HTTP status and text). */
  record Outcome(Optional<Secret> psk, Long attachmentId, int status, String problem) {
    static Outcome refused(int status, String problem) {
      return new Outcome(Optional.empty(), null, status, problem);
    }
  }

  private final OperatorActions steps;
  private final EmnifyClient emnify;

  PskRetrieval(OperatorActions steps, EmnifyClient emnify) {
    this.steps = steps;
    this.emnify = emnify;
  }

  /** Whether the operator API may hand out the request's PSK (once). */
  static boolean retrievable(ProvisioningSaga saga) {
    return saga.psk().whyNotReadable(saga.state()).isEmpty() && saga.attachmentId() != null;
  }

  Uni<Outcome> read(String requestId, String by) {
    return steps
        .find(requestId)
        .chain(
            saga -> {
              if (saga == null) {
                return Uni.createFrom().item(Outcome.refused(404, "no request " + requestId));
              }
              if (!retrievable(saga)) {
                return Uni.createFrom().item(Outcome.refused(409, whyNot(saga)));
              }
              long attachment = saga.attachmentId();
              return emnify
                  .presharedKey(attachment)
                  .chain(
                      psk ->
                          psk.isEmpty()
                              ? Uni.createFrom()
                                  .item(
                                      Outcome.refused(
                                          409,
                                          "emnify shows no pre-shared key for attachment "
                                              + attachment))
                              : steps
                                  .pskRetrieved(requestId, by)
                                  .map(
                                      first ->
                                          first
                                              ? new Outcome(psk, attachment, 200, null)
                                              : Outcome.refused(
                                                  409, "the pre-shared key was read already")))
                  .onFailure()
                  .recoverWithItem(
                      e ->
                          Outcome.refused(
                              502, UpstreamFailures.classify(e, "get attachment").getMessage()));
            });
  }

  private static String whyNot(ProvisioningSaga saga) {
    return saga.psk()
        .whyNotReadable(saga.state())
        .orElse("the request holds no attachment whose key could be read");
  }
}
