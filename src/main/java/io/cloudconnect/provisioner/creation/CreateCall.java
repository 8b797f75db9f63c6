package io.cloudconnect.provisioner.creation;

import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.CreateVpnBody;
import io.cloudconnect.provisioner.emnify.UpstreamException;
import io.cloudconnect.provisioner.emnify.UpstreamFailures;
import io.cloudconnect.provisioner.provisioning.CreateClaim;
import io.cloudconnect.provisioner.saga.CreateOutcome;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.secrets.PskVault;
import io.cloudconnect.provisioner.secrets.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One create call for a claim: opens the sealed PSK, maps the attachment to emnify's body (with the
 * request's marker in the description), sends it, and classifies the answer as a {@link
 * CreateOutcome}. It never fails: every failure is an outcome.
 */
@ApplicationScoped
class CreateCall {
  private static final Logger LOG = Logger.getLogger(CreateCall.class);

  private final EmnifyClient emnify;
  private final PskVault vault;

  CreateCall(EmnifyClient emnify, PskVault vault) {
    this.emnify = emnify;
    this.vault = vault;
  }

  Uni<CreateOutcome> send(CreateClaim claim) {
    Secret psk;
    try {
      psk = claim.pskSealed() == null ? null : vault.open(claim.pskSealed(), claim.requestId());
    } catch (IllegalStateException e) {
      // e.g. sealed with a key that was rotated away: no retry can help, and nothing was sent
      return Uni.createFrom().item(new CreateOutcome.PskUnreadable(e.getMessage()));
    }
    CreateVpnBody body =
        CreateVpnBody.of(
            claim.spec(), Marker.describe(claim.spec().description(), claim.marker()), psk);
    return emnify
        .createVpn(body)
        .<CreateOutcome>map(CreateOutcome.Created::new)
        .onFailure()
        .recoverWithItem(t -> failed(claim.requestId(), UpstreamFailures.classify(t, "create")));
  }

  /** A classified failure as the saga sees it. */
  static CreateOutcome outcomeOf(UpstreamException failure, String message) {
    return switch (failure.kind()) {
      case REJECTED, NOT_FOUND -> new CreateOutcome.Refused(message);
      case UNAUTHORIZED ->
          new CreateOutcome.Unauthorized(
              message, failure.refusedSince().orElse(null), failure.retryAfter());
      case THROTTLED ->
          failure.status() == 0
              // the service's own budget (no token, or unreadable): nothing went to emnify
              ? new CreateOutcome.NotOurTurn(failure.retryAfter())
              : new CreateOutcome.NotTaken(message, failure.retryAfter());
      case NOT_SENT -> new CreateOutcome.NotTaken(message, failure.retryAfter());
      case AMBIGUOUS -> new CreateOutcome.Unknown(message);
      case CREATED_ID_UNKNOWN -> new CreateOutcome.CreatedWithoutId(message);
    };
  }

  /** emnify's text in the failure is already redacted of the PSK (EmnifyClient.createVpn). */
  private static CreateOutcome failed(String requestId, UpstreamException failure) {
    CreateOutcome outcome = outcomeOf(failure, failure.getMessage());
    if (outcome instanceof CreateOutcome.NotOurTurn) {
      // the quota at work, many times a minute in a burst: not news for the log
      LOG.debugf("request %s: create held back: %s", requestId, failure.getMessage());
    } else {
      LOG.infof(
          "request %s: create failed (%s): %s", requestId, failure.kind(), failure.getMessage());
    }
    return outcome;
  }
}
