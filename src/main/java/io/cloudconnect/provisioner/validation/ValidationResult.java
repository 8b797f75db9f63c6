package io.cloudconnect.provisioner.validation;

import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.secrets.Secret;
import java.util.List;

/**
 * Either a valid request (the attachment as the saga stores it, and its PSK kept apart and wrapped,
 * null when emnify is to generate one) or the full list of violations, in field order.
 */
public record ValidationResult(AttachmentSpec request, Secret psk, List<Violation> violations) {
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
