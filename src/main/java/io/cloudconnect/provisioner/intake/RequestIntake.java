package io.cloudconnect.provisioner.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.provisioner.provisioning.Arrival;
import io.cloudconnect.provisioner.provisioning.Arrivals;
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
import java.util.TreeSet;

/**
 * Records requests durably, exactly once: each validated and its PSK sealed ({@link #prepare}),
 * then a whole batch stored by the application service in one transaction, each either as a saga
 * waiting for its create call or as a refusal with its failed event. A request_id seen before
 * changes nothing (a redelivery or a producer retry): the first delivery's body wins.
 */
@ApplicationScoped
public class RequestIntake {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Arrivals steps;
  private final RequestValidator validator;
  private final PskVault vault;

  RequestIntake(Arrivals steps, RequestValidator validator, PskVault vault) {
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

  /**
   * The keyed fingerprint of what a request asks ({@link PskVault#fingerprint}): its action, its
   * attachment and its target, keys in order, whatever else the record holds; null for a record
   * that cannot be used whole (nothing to compare).
   */
  public String fingerprint(RecordContent content) {
    if (!(content instanceof RecordContent.Request request)) {
      return null;
    }
    ObjectNode asked = JSON.createObjectNode();
    asked.put(
        "action",
        request.action() == null || request.action().isNull()
            ? "create"
            : request.action().asText());
    asked.set("attachment", ordered(request.attachment()));
    asked.set("target", ordered(request.target()));
    try {
      return vault.fingerprint(JSON.writeValueAsBytes(asked));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request could not be fingerprinted", e);
    }
  }

  /** The same JSON with every object's keys in order, so that their order does not count. */
  private static JsonNode ordered(JsonNode node) {
    if (node == null) {
      return NullNode.getInstance();
    }
    if (node.isObject()) {
      ObjectNode sorted = JSON.createObjectNode();
      TreeSet<String> names = new TreeSet<>();
      node.fieldNames().forEachRemaining(names::add);
      names.forEach(name -> sorted.set(name, ordered(node.get(name))));
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode items = JSON.createArrayNode();
      node.forEach(item -> items.add(ordered(item)));
      return items;
    }
    return node;
  }

  /**
   * Stores prepared arrivals in one transaction, each with its fingerprint (same order, null where
   * none); what became of each, in order.
   */
  public Uni<List<Arrival.Recorded>> recordAll(List<Arrival> arrivals, List<String> fingerprints) {
    return steps.recordAll(arrivals, fingerprints);
  }
}
