package io.cloudconnect.provisioner.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudconnect.provisioner.provisioning.Arrival;
import io.cloudconnect.provisioner.provisioning.ProvisioningSteps;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.secrets.PskVault;
import io.cloudconnect.provisioner.validation.RequestValidator;
import io.cloudconnect.provisioner.validation.TargetValidator;
import io.cloudconnect.provisioner.validation.ValidationResult;
import io.cloudconnect.provisioner.validation.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Records requests durably, exactly once: each validated and its PSK sealed ({@link #prepare}),
 * then a whole batch stored by the application service in one transaction, each either as a saga
 * waiting for its create call or as a refusal with its failed event. A request_id seen before
 * changes nothing (a redelivery or a producer retry): the first delivery's body wins.
 */
@ApplicationScoped
public class RequestIntake {

  private final ProvisioningSteps steps;
  private final RequestValidator validator;
  private final PskVault vault;

  RequestIntake(ProvisioningSteps steps, RequestValidator validator, PskVault vault) {
    this.steps = steps;
    this.validator = validator;
    this.vault = vault;
  }

  /** Validates a request (or takes a refused record's reason) and seals its PSK; no I/O. */
  public Arrival prepare(RecordContent content) {
    if (content instanceof RecordContent.Refused refused) {
      return new Arrival.Invalid(
          refused.requestId(), List.of(new Violation("$", refused.code(), refused.message())));
    }
    RecordContent.Request request = (RecordContent.Request) content;
    String requestId = request.requestId();
    Optional<RequestKind> action = TargetValidator.action(request.action());
    if (action.isEmpty()) {
      return new Arrival.Invalid(requestId, List.of(TargetValidator.unknownAction()));
    }
    if (action.get() != RequestKind.CREATE) {
      return targeted(requestId, action.get(), request.target());
    }
    ValidationResult result = validator.validate(request.attachment());
    if (!result.valid()) {
      return new Arrival.Invalid(requestId, result.violations());
    }
    String sealed = result.psk() == null ? null : vault.seal(result.psk(), requestId);
    return new Arrival.Valid(requestId, result.request(), sealed);
  }

  private static Arrival targeted(String requestId, RequestKind kind, JsonNode target) {
    TargetValidator.Read read = TargetValidator.target(kind, target);
    if (read instanceof TargetValidator.Refused refused) {
      return new Arrival.Invalid(requestId, kind, List.of(refused.violation()));
    }
    TargetValidator.Target t = (TargetValidator.Target) read;
    return kind == RequestKind.ADOPT
        ? new Arrival.Adopt(requestId, t.attachmentId())
        : new Arrival.Delete(requestId, t.requestId(), t.attachmentId());
  }

  /** Stores prepared arrivals in one transaction; what became of each, in order. */
  public Uni<List<Arrival.Recorded>> recordAll(List<Arrival> arrivals) {
    return steps.recordAll(arrivals);
  }
}
