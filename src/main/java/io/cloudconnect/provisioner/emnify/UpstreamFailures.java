package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.emnify.EmnifyDtos.ErrorBody;
import io.cloudconnect.provisioner.emnify.UpstreamException.Answer;
import io.cloudconnect.provisioner.emnify.UpstreamException.Fault;
import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import io.cloudconnect.provisioner.secrets.Secret;
import io.smallrye.faulttolerance.api.RateLimitException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The one place that decides what an upstream failure means: which answers are final, which faults
 * may be retried, and which leave a create's outcome unknown.
 */
public final class UpstreamFailures {
  private static final int MAX_DETAIL = 500;

  private UpstreamFailures() {}

  /**
   * A non-success HTTP answer. {@code mutating} marks calls whose 5xx leaves the effect unknown.
   */
  static UpstreamException fromResponse(Response response, String call, boolean mutating) {
    return fromResponse(response, call, mutating, null);
  }

  /**
   * As above; {@code secret} (the PSK or the application token the call carried) is redacted from
   * emnify's text before the text is cut to length, so no part of it survives the cut.
   */
  static UpstreamException fromResponse(
      Response response, String call, boolean mutating, Secret secret) {
    int status = response.getStatus();
    String detail = call + " answered " + status + errorText(response, secret);
    return switch (status) {
      case 401 -> new Answer(Kind.UNAUTHORIZED, status, detail, null);
      case 404 -> new Answer(Kind.NOT_FOUND, status, detail, null);
      case 429 -> new Answer(Kind.THROTTLED, status, detail, retryAfter(response));
      default -> {
        if (status >= 500) {
          yield new Fault(mutating ? Kind.AMBIGUOUS : Kind.NOT_SENT, status, detail, null);
        }
        yield new Answer(Kind.REJECTED, status, detail, null);
      }
    };
  }

  /**
   * Any failure of a call, classified. Transport errors before the request left (connection
   * refused, unknown host, open circuit) are NOT_SENT; everything else after sending is AMBIGUOUS.
   */
  public static UpstreamException classify(Throwable failure, String call) {
    if (failure instanceof UpstreamException known) {
      return known;
    }
    if (failure instanceof CircuitBreakerOpenException) {
      return new Fault(Kind.NOT_SENT, 0, call + " not sent: circuit breaker open", null);
    }
    if (failure instanceof RateLimitException) {
      return new Answer(Kind.THROTTLED, 0, call + " not sent: client-side rate limit", null);
    }
    if (failure instanceof TimeoutException) {
      return new Fault(Kind.AMBIGUOUS, 0, call + " timed out", null);
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return new Fault(
            Kind.NOT_SENT, 0, call + " could not connect: " + t.getClass().getSimpleName(), null);
      }
    }
    return new Fault(
        Kind.AMBIGUOUS, 0, call + " failed: " + failure.getClass().getSimpleName(), null);
  }

  private static String errorText(Response response, Secret secret) {
    try {
      if (!response.hasEntity()) {
        return "";
      }
      // read by the REST client's JSON provider, i.e. with the service's one ObjectMapper
      ErrorBody body = response.readEntity(ErrorBody.class);
      StringBuilder text = new StringBuilder();
      if (body.message() != null) {
        text.append(": ").append(body.message());
      }
      if (body.errors() != null && !body.errors().isEmpty()) {
        text.append(" (")
            .append(body.errors().stream().map(Object::toString).collect(Collectors.joining("; ")))
            .append(')');
      }
      String redacted = secret == null ? text.toString() : secret.redactIn(text.toString());
      return redacted.length() > MAX_DETAIL ? redacted.substring(0, MAX_DETAIL) + "…" : redacted;
    } catch (Exception e) {
      return "";
    }
  }

  /** The Retry-After header in seconds, if emnify sent one in that form. */
  static Duration retryAfter(Response response) {
    String header = response.getHeaderString("Retry-After");
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null; // HTTP-date form: fall back to our own back-off
    }
  }
}
