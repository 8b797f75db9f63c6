package io.cloudconnect.provisioner.creation;

import io.cloudconnect.provisioner.config.ReplicaId;
import io.cloudconnect.provisioner.provisioning.CreateClaim;
import io.cloudconnect.provisioner.provisioning.Creations;
import io.cloudconnect.provisioner.saga.CreateOutcome;
import io.cloudconnect.provisioner.tracing.RequestTraces;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the create call for due requests in lanes: a lane claims one request (committed right
 * before its call, with a lease that covers the call's whole timeout), sends it, and records the
 * outcome. {@code cloudconnect.creation.concurrency} lanes run at once per replica, so a call that
 * hangs holds up only its own lane and no claim waits unsent behind a slow one. No database
 * transaction is open while a call is in flight; what each outcome means is decided by the saga's
 * rules, not here.
 */
@ApplicationScoped
public class CreateWorker {
  private static final Logger LOG = Logger.getLogger(CreateWorker.class);
  private static final Duration RECORD_BACKOFF = Duration.ofMillis(200);
  private static final int RECORD_ATTEMPTS = 5;

  private final Creations steps;
  private final CreateCall call;
  private final String owner;
  private final RequestTraces traces;
  private volatile boolean stopping;

  CreateWorker(Creations steps, CreateCall call, ReplicaId replica, RequestTraces traces) {
    this.steps = steps;
    this.call = call;
    this.owner = replica.value();
    this.traces = traces;
  }

  /**
   * One lane's pass: claims the next due request and sends its create; true when it was sent. A
   * create the budget did not let through (or one handed back) counts as idle, so that a lane waits
   * its interval instead of claiming one request after another while the quota is spent.
   */
  public Uni<Boolean> createNext() {
    return steps
        .claimDueCreates(owner, 1)
        .chain(claims -> claims.isEmpty() ? Uni.createFrom().item(false) : traced(claims.get(0)));
  }

  /** The create call and its outcome, in the request's trace. */
  private Uni<Boolean> traced(CreateClaim claim) {
    return traces.step(
        "create attachment", claim.traceParent(), claim.requestId(), null, () -> create(claim));
  }

  /** Sends every due create, one after another: a single lane run until nothing is due. */
  public Uni<Void> createDue() {
    return createNext().chain(more -> more ? createDue() : Uni.createFrom().voidItem());
  }

  private Uni<Boolean> create(CreateClaim claim) {
    if (stopping) {
      // SIGTERM came between the claim and its call: not sent, so it goes back at once for
      // another replica (no attempt counted, no reconciliation wait)
      LOG.infof("request %s: claimed while shutting down; handed back unsent", claim.requestId());
      return steps.handBackUnsentClaims(owner, List.of(claim.requestId())).replaceWith(false);
    }
    // the answer is the best evidence there is: a write that fails (a database blip) is tried
    // again, each time on the saga as it is then; a lost version race is run again already by the
    // transaction itself (Transactions)
    return call.send(claim)
        .chain(
            outcome ->
                steps
                    .recordCreateOutcome(claim, owner, outcome)
                    .onFailure()
                    .retry()
                    .withBackOff(RECORD_BACKOFF, RECORD_BACKOFF.multipliedBy(10))
                    .atMost(RECORD_ATTEMPTS)
                    .replaceWith(sent(outcome)));
  }

  /** Whether the create went out (or at least was tried): a budget refusal is not. */
  private static boolean sent(CreateOutcome outcome) {
    return !(outcome instanceof CreateOutcome.NotOurTurn)
        && !(outcome instanceof CreateOutcome.NotTaken);
  }

  /**
   * On SIGTERM no claimed create is sent any more. A lane claims right before its call, so there is
   * no list of waiting claims to hand back: a claim taken from now on goes back by itself.
   */
  void stop(@Observes ShutdownEvent event) {
    stopping = true;
  }
}
