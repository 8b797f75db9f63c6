package io.cloudconnect.provisioner.saga;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tag the service appends to an attachment's description, {@code
 * [ccp:<namespace>/<request_id>]}. emnify has no idempotency key, so this tag is how an attachment
 * whose create answer was lost is found again in the list call instead of being created twice, and
 * how the orphan sweep tells this deployment's attachments ({@code
 * cloudconnect.deployment.namespace}) from another's sharing the organisation. Markers written
 * before namespaces, {@code [ccp:<request_id>]}, are still read (their namespace is empty): they
 * are found again for reconciliation, but never swept.
 */
public final class Marker {
  /** A deployment namespace: lower-case letters, digits and dashes, 1-32. */
  public static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private static final Pattern IN_DESCRIPTION =
      Pattern.compile("\\[ccp:(?:([a-z0-9][a-z0-9-]{0,31})/)?([A-Za-z0-9._:-]{1,128})]");

  /** A marker as read from a description: {@code namespace} is empty for an old marker. */
  public record Found(String namespace, String requestId, String text) {}

  private Marker() {}

  public static String of(String namespace, String requestId) {
    return "[ccp:" + namespace + "/" + requestId + "]";
  }

  /** The description sent upstream: the producer's text (if any), then the marker. */
  public static String describe(String description, String marker) {
    return description == null || description.isBlank() ? marker : description + " " + marker;
  }

  /** The marker a listed attachment's description carries, if any (the last one: ours is last). */
  public static Optional<Found> in(String description) {
    if (description == null) {
      return Optional.empty();
    }
    Matcher matcher = IN_DESCRIPTION.matcher(description);
    Found found = null;
    while (matcher.find()) {
      String namespace = matcher.group(1) == null ? "" : matcher.group(1);
      found = new Found(namespace, matcher.group(2), matcher.group());
    }
    return Optional.ofNullable(found);
  }
}
