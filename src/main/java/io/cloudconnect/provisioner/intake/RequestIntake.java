package io.cloudconnect.provisioner.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.outbox.OutcomeRecorder;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.ValidRequestFacts;
import io.cloudconnect.provisioner.secrets.PskVault;
import io.cloudconnect.provisioner.validation.AttachmentRequest;
import io.cloudconnect.provisioner.validation.RequestValidator;
import io.cloudconnect.provisioner.validation.ValidationResult;
import io.cloudconnect.provisioner.validation.Violation;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Records one request durably, exactly once: a request_id seen before is acknowledged without any
 * change (a redelivery or a producer retry); a new one is validated and stored either as a saga
 * waiting for its create call or as a refusal with its failed event, in one transaction.
 */
@ApplicationScoped
public class RequestIntake {
  private static final Logger LOG = Logger.getLogger(RequestIntake.class);

  /** What happened to a request. */
  public enum Outcome {
    ACCEPTED,
    REFUSED,
    DUPLICATE
  }

  private final SagaRepository sagas;
  private final RequestValidator validator;
  private final OutcomeRecorder outcomes;
  private final PskVault vault;
  private final ObjectMapper json;
  private final ProvisionerConfig config;
  private final Clock clock;

  RequestIntake(
      SagaRepository sagas,
      RequestValidator validator,
      OutcomeRecorder outcomes,
      PskVault vault,
      ObjectMapper json,
      ProvisionerConfig config,
      Clock clock) {
    this.sagas = sagas;
    this.validator = validator;
    this.outcomes = outcomes;
    this.vault = vault;
    this.json = json;
    this.config = config;
    this.clock = clock;
  }

  @WithTransaction
  public Uni<Outcome> record(RecordContent.Request request) {
    return sagas
        .findById(request.requestId())
        .chain(existing -> existing != null ? duplicate(existing) : store(request));
  }

  /** A record that names its request but cannot be used whole: refused like invalid fields. */
  @WithTransaction
  public Uni<Outcome> refuse(RecordContent.Refused record) {
    return sagas
        .findById(record.requestId())
        .chain(
            existing ->
                existing != null
                    ? duplicate(existing)
                    : refuse(
                        record.requestId(),
                        List.of(new Violation("$", record.code(), record.message())),
                        clock.instant()));
  }

  private Uni<Outcome> duplicate(ProvisioningSaga existing) {
    LOG.debugf(
        "request %s already recorded (%s); redelivery ignored",
        existing.requestId(), existing.state());
    return Uni.createFrom().item(Outcome.DUPLICATE);
  }

  private Uni<Outcome> store(RecordContent.Request request) {
    Instant now = clock.instant();
    ValidationResult result = validator.validate(request.attachment());
    if (!result.valid()) {
      return refuse(request.requestId(), result.violations(), now);
    }
    ProvisioningSaga saga =
        ProvisioningSaga.received(
            request.requestId(),
            facts(request.requestId(), result.request()),
            now,
            config.provisioningTimeout());
    LOG.infof("request %s accepted (type %d)", request.requestId(), result.request().type());
    return sagas.persist(saga).replaceWith(Outcome.ACCEPTED);
  }

  private Uni<Outcome> refuse(String requestId, List<Violation> violations, Instant now) {
    String summary = ValidationResult.summaryOf(violations);
    ProvisioningSaga refused = ProvisioningSaga.refused(requestId, summary, now);
    LOG.infof("request %s refused: %s (%s)", requestId, summary, codes(violations));
    return sagas
        .persist(refused)
        .chain(() -> outcomes.refused(refused, violations, now))
        .replaceWith(Outcome.REFUSED);
  }

  private static String codes(List<Violation> violations) {
    return violations.stream().map(Violation::code).distinct().collect(Collectors.joining(","));
  }

  private ValidRequestFacts facts(String requestId, AttachmentRequest request) {
    AttachmentSpec spec =
        new AttachmentSpec(
            request.type(),
            request.name(),
            request.description(),
            request.region(),
            request.publicIp(),
            request.onPremCidr(),
            request.asn(),
            request.insideCidr());
    String sealed = request.psk() == null ? null : vault.seal(request.psk(), requestId);
    try {
      return new ValidRequestFacts(
          request.type(), request.name(), request.region(), json.writeValueAsString(spec), sealed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request " + requestId + " cannot be stored", e);
    }
  }
}
