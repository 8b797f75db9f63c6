package io.cloudconnect.provisioner.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.outbox.OutboxWriter;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.persistence.Transactions;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.Idempotency;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.validation.ValidationResult;
import io.cloudconnect.provisioner.validation.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Recording what intake read: each request (create, delete, adopt, refused) as a saga, a batch in
 * one transaction, a request_id once. What a delete does to the request it names is {@link
 * DeleteRequests}', whether an attachment can be adopted {@link Adoptions}'.
 */
@ApplicationScoped
public class Arrivals {
  private static final Logger LOG = Logger.getLogger(Arrivals.class);

  private final SagaRepository sagas;
  private final Transactions tx;
  private final OutboxWriter outbox;
  private final ObjectMapper json;
  private final ProvisionerConfig config;
  private final DeleteRequests deletes;
  private final Adoptions adoptions;
  private final Clock clock;

  Arrivals(
      SagaRepository sagas,
      Transactions tx,
      OutboxWriter outbox,
      DeleteRequests deletes,
      Adoptions adoptions,
      ObjectMapper json,
      ProvisionerConfig config,
      Clock clock) {
    this.sagas = sagas;
    this.tx = tx;
    this.outbox = outbox;
    this.deletes = deletes;
    this.adoptions = adoptions;
    this.json = json;
    this.config = config;
    this.clock = clock;
  }

  /** Records a valid request, waiting for its create call; false when the request_id is known. */
  public Uni<Boolean> accept(String requestId, AttachmentSpec spec, String pskSealed) {
    return recordAll(List.of(new Arrival.Valid(requestId, spec, pskSealed)))
        .map(recorded -> recorded.get(0) != Arrival.Recorded.DUPLICATE);
  }

  /** Records a refused request and its failed event; false when the request_id is known. */
  public Uni<Boolean> refuse(String requestId, List<Violation> violations) {
    return recordAll(List.of(new Arrival.Invalid(requestId, violations)))
        .map(recorded -> recorded.get(0) != Arrival.Recorded.DUPLICATE);
  }

  /**
   * Records a batch of arrivals in one transaction (intake's batches: one commit for hundreds of
   * records), each as {@link #accept} or {@link #refuse} would; what became of each, in order. A
   * request_id known before, or earlier in the batch, is a duplicate: the first delivery wins.
   */
  public Uni<List<Arrival.Recorded>> recordAll(List<Arrival> arrivals) {
    return recordAll(arrivals, Collections.nCopies(arrivals.size(), null));
  }

  /**
   * As above, each arrival with the fingerprint of what it asked ({@code fingerprints}, same order,
   * null where none): a known request_id arriving with other parameters is a {@link
   * Arrival.Recorded#CONFLICT}, not a redelivery ({@link Idempotency}).
   */
  public Uni<List<Arrival.Recorded>> recordAll(List<Arrival> arrivals, List<String> fingerprints) {
    return tx.write(() -> store(arrivals, fingerprints));
  }

  private Uni<List<Arrival.Recorded>> store(List<Arrival> arrivals, List<String> fingerprints) {
    List<String> ids = arrivals.stream().map(Arrival::requestId).toList();
    return sagas
        .fingerprintsOf(ids.stream().distinct().toList())
        .chain(
            known -> {
              List<Idempotency.Verdict> verdicts = Idempotency.judge(ids, fingerprints, known);
              Map<String, String> remember = new HashMap<>();
              Instant now = clock.instant();
              Arrival.Recorded[] recorded = new Arrival.Recorded[arrivals.size()];
              List<ProvisioningSaga> received = new ArrayList<>();
              // deletes, adopts and refusals look at or write other rows: one after the other,
              // after this batch's creates are in the session (a delete may name one of them)
              Uni<Void> others = Uni.createFrom().voidItem();
              for (int i = 0; i < arrivals.size(); i++) {
                Arrival arrival = arrivals.get(i);
                int at = i;
                recorded[at] = again(arrival.requestId(), verdicts.get(at));
                if (recorded[at] != null) {
                  continue;
                }
                if (fingerprints.get(at) != null) {
                  remember.put(arrival.requestId(), fingerprints.get(at));
                }
                if (arrival instanceof Arrival.Valid valid) {
                  received.add(received(valid, now));
                  recorded[at] = Arrival.Recorded.ACCEPTED;
                } else {
                  others =
                      others
                          .chain(() -> other(arrival, now))
                          .invoke(r -> recorded[at] = r)
                          .replaceWithVoid();
                }
              }
              Uni<Void> rest = others;
              if (!received.isEmpty()) {
                LOG.infof(
                    "%d request(s) accepted in one batch (the first: %s)",
                    received.size(), received.get(0).requestId());
              }
              return sagas
                  .insertAll(received)
                  .chain(() -> rest)
                  .chain(() -> sagas.rememberFingerprints(remember))
                  .map(nothing -> List.of(recorded));
            });
  }

  /** A request_id recorded before: what the arrival comes to; null for a first delivery. */
  private static Arrival.Recorded again(String requestId, Idempotency.Verdict verdict) {
    if (verdict == Idempotency.Verdict.CONFLICT) {
      LOG.warnf(
          "request %s was recorded before with other parameters: the first stands, this one is"
              + " refused",
          requestId);
      return Arrival.Recorded.CONFLICT;
    }
    if (verdict == Idempotency.Verdict.REDELIVERY) {
      LOG.debugf("request %s already recorded; redelivery ignored", requestId);
      return Arrival.Recorded.DUPLICATE;
    }
    return null;
  }

  /** A delete, adopt or refused arrival: recorded with whatever it changes. */
  private Uni<Arrival.Recorded> other(Arrival arrival, Instant now) {
    if (arrival instanceof Arrival.Delete delete) {
      return orRefused(deletes.receive(delete, now), arrival, RequestKind.DELETE, now);
    }
    if (arrival instanceof Arrival.Adopt adopt) {
      return orRefused(adoptions.receive(adopt, now), arrival, RequestKind.ADOPT, now);
    }
    return refused((Arrival.Invalid) arrival, now).replaceWith(Arrival.Recorded.REFUSED);
  }

  /** Accepted when {@code receiving} found nothing against it, otherwise refused for it. */
  private Uni<Arrival.Recorded> orRefused(
      Uni<List<Violation>> receiving, Arrival arrival, RequestKind kind, Instant now) {
    return receiving.chain(
        refusal ->
            refusal.isEmpty()
                ? Uni.createFrom().item(Arrival.Recorded.ACCEPTED)
                : refused(
                        new Arrival.Invalid(
                            arrival.requestId(), kind, refusal, arrival.traceParent()),
                        now)
                    .replaceWith(Arrival.Recorded.REFUSED));
  }

  private ProvisioningSaga received(Arrival.Valid valid, Instant now) {
    AttachmentSpec spec = valid.spec();
    // one line per request at DEBUG, one per batch at INFO: a burst of 10,000 is not 10,000 lines
    LOG.debugf("request %s accepted (type %d)", valid.requestId(), spec.type());
    return ProvisioningSaga.received(
            valid.requestId(),
            spec,
            specJson(valid.requestId(), spec),
            valid.pskSealed(),
            now,
            config.creation().maxWaitForTurn(),
            config.deployment().namespace())
        .tracedBy(valid.traceParent());
  }

  private Uni<Void> refused(Arrival.Invalid invalid, Instant now) {
    List<Violation> violations = invalid.violations();
    String summary = ValidationResult.summaryOf(violations);
    ProvisioningSaga refused =
        ProvisioningSaga.refused(invalid.requestId(), invalid.kind(), summary, now)
            .tracedBy(invalid.traceParent());
    LOG.infof("request %s refused: %s (%s)", invalid.requestId(), summary, codes(violations));
    return sagas.persist(refused).chain(() -> outbox.failed(refused, violations));
  }

  private String specJson(String requestId, AttachmentSpec spec) {
    try {
      return json.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request " + requestId + " cannot be stored", e);
    }
  }

  private static String codes(List<Violation> violations) {
    return violations.stream()
        .map(v -> v.code().name())
        .distinct()
        .collect(Collectors.joining(","));
  }
}
