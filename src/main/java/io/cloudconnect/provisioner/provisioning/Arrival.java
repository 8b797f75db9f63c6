package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.validation.Violation;
import java.util.List;

/** A request as intake validated it, ready to be recorded. */
public sealed interface Arrival {
  String requestId();

  /** A valid request: recorded as a saga waiting for its create call. */
  record Valid(String requestId, AttachmentSpec spec, String pskSealed) implements Arrival {}

  /** A refused request: recorded with its failed event. */
  record Invalid(String requestId, List<Violation> violations) implements Arrival {}

  /** What recording made of it. */
  enum Recorded {
    ACCEPTED,
    REFUSED,
    /** Its request_id was known: a redelivery or a producer's retry, which changes nothing. */
    DUPLICATE
  }
}
