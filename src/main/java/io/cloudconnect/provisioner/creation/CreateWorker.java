package io.cloudconnect.provisioner.creation;

import io.cloudconnect.provisioner.config.ReplicaId;
import io.cloudconnect.provisioner.provisioning.CreateClaim;
import io.cloudconnect.provisioner.provisioning.ProvisioningSteps;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the create call for due requests: claim (committed before any call), renew the claim just
 * before its own call, send, record the outcome. No database transaction is open while a call is in
 * flight; what each outcome means is decided by the saga's rules, not here.
 */
@ApplicationScoped
public class CreateWorker {
  private static final Logger LOG = Logger.getLogger(CreateWorker.class);
  private static final Duration HAND_BACK_TIMEOUT = Duration.ofSeconds(5);

  private final ProvisioningSteps steps;
  private final CreateCall call;
  private final String owner;
  private final UnsentClaims unsent = new UnsentClaims();

  CreateWorker(ProvisioningSteps steps, CreateCall call, ReplicaId replica) {
    this.steps = steps;
    this.call = call;
    this.owner = replica.value();
  }

  /** One pass: claims what is due and sends the calls one after another. */
  public Uni<Void> createDue() {
    return steps
        .claimDueCreates(owner)
        .invoke(claims -> unsent.add(claims.stream().map(CreateClaim::requestId).toList()))
        .onItem()
        .transformToMulti(claims -> Multi.createFrom().iterable(claims))
        .onItem()
        .transformToUniAndConcatenate(this::create)
        .collect()
        .last()
        .replaceWithVoid();
  }

  private Uni<Void> create(CreateClaim claim) {
    if (!unsent.startSending(claim.requestId())) {
      return Uni.createFrom().voidItem();
    }
    return steps
        .renewClaim(claim.requestId(), owner)
        .onFailure()
        .recoverWithItem(false) // e.g. a concurrent takeover won the version race
        .chain(
            held -> {
              if (!held) {
                // the claim ran out while earlier calls of this pass were slow: whoever took it
                // over decides; sending now could create a second attachment
                LOG.warnf(
                    "request %s: claim expired before its create was sent; not sent",
                    claim.requestId());
                return Uni.createFrom().voidItem();
              }
              return call.send(claim)
                  .chain(outcome -> steps.recordCreateOutcome(claim.requestId(), owner, outcome));
            });
  }

  /** On SIGTERM, claims whose call has not started go back at once for another replica. */
  void stop(@Observes ShutdownEvent event) {
    List<String> handBack = unsent.stop();
    if (handBack.isEmpty()) {
      return;
    }
    try {
      Integer released =
          VertxContextSupport.subscribeAndAwait(
              () ->
                  steps
                      .handBackUnsentClaims(owner, handBack)
                      .ifNoItem()
                      .after(HAND_BACK_TIMEOUT)
                      .fail());
      LOG.infof("released %d claimed creates that were not sent yet", released);
    } catch (Throwable e) {
      LOG.warnf("claims not released (%s); they return when their lease expires", e.toString());
    }
  }
}
