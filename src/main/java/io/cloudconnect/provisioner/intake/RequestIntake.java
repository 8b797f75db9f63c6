package io.cloudconnect.provisioner.intake;

import io.cloudconnect.provisioner.provisioning.ProvisioningSteps;
import io.cloudconnect.provisioner.secrets.PskVault;
import io.cloudconnect.provisioner.validation.RequestValidator;
import io.cloudconnect.provisioner.validation.ValidationResult;
import io.cloudconnect.provisioner.validation.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Records one request durably, exactly once: validated, its PSK sealed, then stored by the
 * application service either as a saga waiting for its create call or as a refusal with its failed
 * event, in one transaction. A request_id seen before changes nothing (a redelivery or a producer
 * retry): the first delivery's body wins.
 */
@ApplicationScoped
public class RequestIntake {

  /** What happened to a request. */
  public enum Outcome {
    ACCEPTED,
    REFUSED,
    DUPLICATE
  }

  private final ProvisioningSteps steps;
  private final RequestValidator validator;
  private final PskVault vault;

  RequestIntake(ProvisioningSteps steps, RequestValidator validator, PskVault vault) {
    this.steps = steps;
    this.validator = validator;
    this.vault = vault;
  }

  public Uni<Outcome> record(RecordContent.Request request) {
    String requestId = request.requestId();
    ValidationResult result = validator.validate(request.attachment());
    if (!result.valid()) {
      return refuse(requestId, result.violations());
    }
    String sealed = result.psk() == null ? null : vault.seal(result.psk(), requestId);
    return steps
        .accept(requestId, result.request(), sealed)
        .map(stored -> stored ? Outcome.ACCEPTED : Outcome.DUPLICATE);
  }

  /** A record that names its request but cannot be used whole: refused like invalid fields. */
  public Uni<Outcome> refuse(RecordContent.Refused record) {
    return refuse(record.requestId(), List.of(new Violation("$", record.code(), record.message())));
  }

  private Uni<Outcome> refuse(String requestId, List<Violation> violations) {
    return steps
        .refuse(requestId, violations)
        .map(stored -> stored ? Outcome.REFUSED : Outcome.DUPLICATE);
  }
}
