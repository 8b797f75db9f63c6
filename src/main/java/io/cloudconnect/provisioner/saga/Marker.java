package io.cloudconnect.provisioner.saga;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tag the service appends to an attachment's description, {@code [ccp:<request_id>]}. emnify
 * has no idempotency key, so this tag is how an attachment whose create answer was lost is found
 * again in the list call instead of being created twice.
 */
public final class Marker {
  private static final Pattern IN_DESCRIPTION = Pattern.compile("\\[ccp:([A-Za-z0-9._:-]{1,128})]");

  private Marker() {}

  public static String of(String requestId) {
    return "[ccp:" + requestId + "]";
  }

  /** The description sent upstream: the producer's text (if any), then the marker. */
  public static String describe(String description, String requestId) {
    String marker = of(requestId);
    return description == null || description.isBlank() ? marker : description + " " + marker;
  }

  /** The request id a listed attachment's description carries, if any. */
  public static Optional<String> requestIdIn(String description) {
    if (description == null) {
      return Optional.empty();
    }
    Matcher matcher = IN_DESCRIPTION.matcher(description);
    String found = null;
    while (matcher.find()) {
      found = matcher.group(1); // the last tag wins: ours is appended at the end
    }
    return Optional.ofNullable(found);
  }
}
