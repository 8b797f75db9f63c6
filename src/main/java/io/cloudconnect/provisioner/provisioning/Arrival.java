package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.validation.Violation;
import java.util.List;

/**
 * A request as intake validated it, ready to be recorded. {@code traceParent} is the W3C trace
 * context of its intake span (null when tracing is off): stored with the saga, so that the passes
 * that later act on it continue the same trace.
 */
public sealed interface Arrival {
  String requestId();

  String traceParent();

  /** A valid request: recorded as a saga waiting for its create call. */
  record Valid(String requestId, AttachmentSpec spec, String pskSealed, String traceParent)
      implements Arrival {
    public Valid(String requestId, AttachmentSpec spec, String pskSealed) {
      this(requestId, spec, pskSealed, null);
    }
  }

  /**
   * A delete request naming an earlier request ({@code targetRequestId}) or the attachment one
   * holds ({@code targetAttachmentId}); exactly one is set.
   */
  record Delete(
      String requestId, String targetRequestId, Long targetAttachmentId, String traceParent)
      implements Arrival {
    public Delete(String requestId, String targetRequestId, Long targetAttachmentId) {
      this(requestId, targetRequestId, targetAttachmentId, null);
    }
  }

  /** An adopt request: the existing attachment {@code attachmentId} is brought under management. */
  record Adopt(String requestId, long attachmentId, String traceParent) implements Arrival {
    public Adopt(String requestId, long attachmentId) {
      this(requestId, attachmentId, null);
    }
  }

  /** A refused request: recorded with its failed event. */
  record Invalid(String requestId, RequestKind kind, List<Violation> violations, String traceParent)
      implements Arrival {
    public Invalid(String requestId, RequestKind kind, List<Violation> violations) {
      this(requestId, kind, violations, null);
    }

    public Invalid(String requestId, List<Violation> violations) {
      this(requestId, RequestKind.CREATE, violations, null);
    }
  }

  /** The same arrival in the trace {@code traceParent}. */
  static Arrival traced(Arrival arrival, String traceParent) {
    if (arrival instanceof Valid v) {
      return new Valid(v.requestId(), v.spec(), v.pskSealed(), traceParent);
    }
    if (arrival instanceof Delete d) {
      return new Delete(d.requestId(), d.targetRequestId(), d.targetAttachmentId(), traceParent);
    }
    if (arrival instanceof Adopt a) {
      return new Adopt(a.requestId(), a.attachmentId(), traceParent);
    }
    Invalid i = (Invalid) arrival;
    return new Invalid(i.requestId(), i.kind(), i.violations(), traceParent);
  }

  /** What recording made of it. */
  enum Recorded {
    ACCEPTED,
    REFUSED,
    /** Its request_id was known: a redelivery or a producer's retry, which changes nothing. */
    DUPLICATE,
    /**
     * Its request_id was known with other parameters: refused (dead-lettered with {@code
     * IDEMPOTENCY_CONFLICT}); the first request stands.
     */
    CONFLICT
  }
}
