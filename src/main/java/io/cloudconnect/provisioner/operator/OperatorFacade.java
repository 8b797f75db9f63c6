package io.cloudconnect.provisioner.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.polling.StatusPoller;
import io.cloudconnect.provisioner.provisioning.OperatorActions;
import io.cloudconnect.provisioner.removal.OrphanSweep;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;

/**
 * What operators do, each act answered as an {@link Acted}: the HTTP status, the body and the
 * result the audit line records. The resource maps and audits; the acts themselves live in the
 * services they belong to (cancel in {@link OperatorActions}, a re-check in the poller, a replay in
 * {@link DeadLetters}).
 */
@ApplicationScoped
class OperatorFacade {

  /** What an act came to. */
  public record Acted(int status, Object body, String result) {
    static Acted ok(int status, Object body) {
      return new Acted(status, body, "ok");
    }

    static Acted refused(int status, String detail, String result) {
      return new Acted(status, Map.of("status", status, "detail", detail), result);
    }
  }

  /** The answer to an act that goes on in the background. */
  public record Done(String action, String target, String result) {}

  /** The one-time PSK answer. */
  public record PresharedKey(
      @JsonProperty("request_id") String requestId,
      @JsonProperty("attachment_id") long attachmentId,
      String psk) {
    /** Never the key: a record's own toString would print it wherever the answer is logged. */
    @Override
    public String toString() {
      return "PresharedKey[requestId=" + requestId + ", attachmentId=" + attachmentId + "]";
    }
  }

  private final OperatorActions actions;
  private final StatusPoller poller;
  private final OutboxRepository outbox;
  private final OrphanSweep sweep;
  private final DeadLetters deadLetters;
  private final PskRetrieval psk;
  private final Clock clock;

  OperatorFacade(
      OperatorActions actions,
      StatusPoller poller,
      OutboxRepository outbox,
      OrphanSweep sweep,
      DeadLetters deadLetters,
      PskRetrieval psk,
      Clock clock) {
    this.actions = actions;
    this.poller = poller;
    this.outbox = outbox;
    this.sweep = sweep;
    this.deadLetters = deadLetters;
    this.psk = psk;
    this.clock = clock;
  }

  Uni<Acted> cancel(String id) {
    return actions
        .cancel(id, "an operator")
        .map(
            refused ->
                refused.isEmpty()
                    ? Acted.ok(202, new Done("cancel", id, "cancelling"))
                    : Acted.refused(409, refused.get(), "refused"));
  }

  /** Looks at the request's attachment now (or makes its create due now); the request after. */
  Uni<Acted> recheck(String id) {
    return actions
        .find(id)
        .chain(
            saga ->
                saga == null
                    ? Uni.createFrom().item(Acted.refused(404, "no request " + id, "unknown"))
                    : poller
                        .recheck(saga)
                        .chain(() -> actions.find(id))
                        .map(after -> Acted.ok(200, RequestView.of(after, clock.instant()))));
  }

  Uni<Acted> republish(String id) {
    return outbox
        .republish(id)
        .map(
            done ->
                done
                    ? Acted.ok(202, new Done("republish", id, "queued with the same ce_id"))
                    : Acted.refused(
                        409, "request " + id + " has no outcome event (yet)", "no-event"));
  }

  /** Blocking: reads the dead-letter topic. */
  Acted replay(int partition, long offset) {
    String target = "partition " + partition + " offset " + offset;
    try {
      return deadLetters
          .replay(partition, offset)
          .map(entry -> Acted.ok(202, entry))
          .orElseGet(() -> Acted.refused(404, "no dead-lettered record at " + target, "not-found"));
    } catch (DeadLetters.Unopenable e) {
      return Acted.refused(409, e.getMessage(), "key-unopenable");
    }
  }

  Uni<Acted> sweep() {
    return sweep
        .sweepNow()
        .map(report -> new Acted(200, report, report.orphans().size() + " orphans"));
  }

  /** The PSK emnify generated, once ({@link PskRetrieval}). */
  Uni<Acted> presharedKey(String id, String by) {
    return psk.read(id, by)
        .map(
            outcome ->
                outcome.psk().isEmpty()
                    ? Acted.refused(outcome.status(), outcome.problem(), "refused")
                    : Acted.ok(
                        200,
                        new PresharedKey(
                            id, outcome.attachmentId(), outcome.psk().get().reveal())));
  }
}
