package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.validation.Violation;
import java.util.List;

/** A request as intake validated it, ready to be recorded. */
public sealed interface Arrival {
  String requestId();

  /** A valid request: recorded as a saga waiting for its create call. */
  record Valid(String requestId, AttachmentSpec spec, String pskSealed) implements Arrival {}

  /**
   * A delete request naming an earlier request ({@code targetRequestId}) or the attachment one
   * holds ({@code targetAttachmentId}); exactly one is set.
   */
  record Delete(String requestId, String targetRequestId, Long targetAttachmentId)
      implements Arrival {}

  /** An adopt request: the existing attachment {@code attachmentId} is brought under management. */
  record Adopt(String requestId, long attachmentId) implements Arrival {}

  /** A refused request: recorded with its failed event. */
  record Invalid(String requestId, RequestKind kind, List<Violation> violations)
      implements Arrival {
    public Invalid(String requestId, List<Violation> violations) {
      this(requestId, RequestKind.CREATE, violations);
    }
  }

  /** What recording made of it. */
  enum Recorded {
    ACCEPTED,
    REFUSED,
    /** Its request_id was known: a redelivery or a producer's retry, which changes nothing. */
    DUPLICATE
  }
}
