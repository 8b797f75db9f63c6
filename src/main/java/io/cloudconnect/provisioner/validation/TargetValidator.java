package io.cloudconnect.provisioner.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudconnect.provisioner.saga.RequestKind;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a request's {@code action} and, for delete and adopt, its {@code target} (docs/CONTRACT.md,
 * "Requests"): a delete names exactly one of {@code target.request_id} (an earlier create or adopt
 * request) and {@code target.attachment_id}; an adopt names {@code target.attachment_id}. Whether
 * the target exists is the application service's to check.
 */
public final class TargetValidator {
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** What a request's target turned out to be. */
  public sealed interface Read {}

  /** A readable target: exactly one of the two is set. */
  public record Target(String requestId, Long attachmentId) implements Read {}

  /** A target that cannot be used, and why. */
  public record Refused(Violation violation) implements Read {}

  private TargetValidator() {}

  /** The action; a violation when it is not one this service knows. */
  public static Optional<RequestKind> action(JsonNode action) {
    if (action == null || action.isNull()) {
      return Optional.of(RequestKind.CREATE);
    }
    if (!action.isTextual()) {
      return Optional.empty();
    }
    return switch (action.textValue().toLowerCase(Locale.ROOT)) {
      case "create" -> Optional.of(RequestKind.CREATE);
      case "delete" -> Optional.of(RequestKind.DELETE);
      case "adopt" -> Optional.of(RequestKind.ADOPT);
      default -> Optional.empty();
    };
  }

  public static Violation unknownAction() {
    return new Violation("action", ErrorCode.ACTION_UNKNOWN, "must be create, delete or adopt");
  }

  /** The target of a delete or adopt request, or why it cannot be used. */
  public static Read target(RequestKind kind, JsonNode target) {
    if (target == null || target.isNull() || target.isMissingNode()) {
      return new Refused(
          new Violation(
              "target",
              ErrorCode.TARGET_REQUIRED,
              kind == RequestKind.ADOPT
                  ? "is required: {\"attachment_id\": <emnify id>}"
                  : "is required: {\"request_id\": ...} or {\"attachment_id\": <emnify id>}"));
    }
    if (!target.isObject()) {
      return new Refused(new Violation("target", ErrorCode.TYPE_MISMATCH, "must be a JSON object"));
    }
    JsonNode requestId = target.get("request_id");
    JsonNode attachmentId = target.get("attachment_id");
    boolean hasRequest = requestId != null && !requestId.isNull();
    boolean hasAttachment = attachmentId != null && !attachmentId.isNull();
    if (kind == RequestKind.ADOPT && hasRequest) {
      return new Refused(
          new Violation(
              "target.request_id", ErrorCode.TARGET_INVALID, "an adopt names attachment_id only"));
    }
    if (hasRequest == hasAttachment) {
      return new Refused(
          new Violation(
              "target",
              hasRequest ? ErrorCode.TARGET_INVALID : ErrorCode.TARGET_REQUIRED,
              "must name exactly one of request_id and attachment_id"));
    }
    if (hasRequest) {
      if (!requestId.isTextual() || !REQUEST_ID.matcher(requestId.textValue()).matches()) {
        return new Refused(
            new Violation(
                "target.request_id",
                ErrorCode.TARGET_INVALID,
                "must be 1-128 characters of A-Z a-z 0-9 . _ : -"));
      }
      return new Target(requestId.textValue(), null);
    }
    if (!attachmentId.isIntegralNumber()
        || !attachmentId.canConvertToLong()
        || attachmentId.longValue() <= 0) {
      return new Refused(
          new Violation(
              "target.attachment_id", ErrorCode.TARGET_INVALID, "must be a positive integer"));
    }
    return new Target(null, attachmentId.longValue());
  }
}
