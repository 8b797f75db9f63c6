package io.cloudconnect.provisioner.validation;

import java.util.List;

/** Either a valid request or the full list of violations, in field order. */
public record ValidationResult(AttachmentRequest request, List<Violation> violations) {
  public boolean valid() {
    return violations.isEmpty();
  }

  public String summary() {
    return summaryOf(violations);
  }

  public static String summaryOf(List<Violation> violations) {
    int n = violations.size();
    return n == 1 ? "1 field is invalid" : n + " fields are invalid";
  }
}
