package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.config.EmnifyConfig;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.AuthRequest;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.AuthResponse;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.ErrorBody;
import io.cloudconnect.provisioner.emnify.UpstreamException.Answer;
import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import io.cloudconnect.provisioner.secrets.Secret;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Exchanges the application token for an auth token. Only {@link AuthTokenCache} calls this:
 * authentication is limited to 100 calls per 5 minutes and locks out after repeated failures.
 */
@ApplicationScoped
class Authenticator {
  /** emnify's error token for the lock-out after three failed authentications (DOC-ERR 1105). */
  static final String LOCKED_OUT = "TooManyRequests";

  private final EmnifyApi api;
  private final ApiBudget budget;
  private final EmnifyConfig config;
  private final AuthenticationRefusals refusals;

  Authenticator(
      @RestClient EmnifyApi api,
      ApiBudget budget,
      EmnifyConfig config,
      AuthenticationRefusals refusals) {
    this.api = api;
    this.budget = budget;
    this.config = config;
    this.refusals = refusals;
  }

  /** Retried only on faults (no answer, 5xx); a refused token is final and not retried. */
  @AsynchronousNonBlocking
  @Timeout
  @Retry(retryOn = UpstreamException.Fault.class)
  @ExponentialBackoff
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-authenticate")
  Uni<String> authenticate() {
    String applicationToken = config.applicationToken().orElse(null);
    if (applicationToken == null || applicationToken.isBlank()) {
      return Uni.createFrom()
          .failure(new Answer(Kind.UNAUTHORIZED, 0, "EMNIFY_APPLICATION_TOKEN is not set", null));
    }
    // nobody asks while a refusal holds all replicas back; authentication has its own, much
    // smaller budget, and counts toward the overall one
    return refusals
        .mayAuthenticate()
        .chain(() -> budget.take(ApiBudget.AUTHENTICATION))
        .chain(() -> budget.take(ApiBudget.API))
        .chain(() -> api.authenticate(new AuthRequest(applicationToken)))
        .onFailure(t -> !(t instanceof UpstreamException))
        .transform(t -> UpstreamFailures.classify(t, "authenticate"))
        .call(
            response ->
                response.getStatus() == 429
                    ? budget.pause(ApiBudget.AUTHENTICATION, UpstreamFailures.retryAfter(response))
                    : Uni.createFrom().voidItem())
        .chain(response -> tokenFrom(response, Secret.of(applicationToken)));
  }

  private Uni<String> tokenFrom(jakarta.ws.rs.core.Response response, Secret applicationToken) {
    int status = response.getStatus();
    if (status == 200 || status == 201) {
      AuthResponse body = response.readEntity(AuthResponse.class);
      if (body != null && body.authToken() != null && !body.authToken().isBlank()) {
        return refusals.succeeded().replaceWith(body.authToken());
      }
      throw new UpstreamException.Fault(
          Kind.NOT_SENT, status, "authenticate answered without auth_token", null);
    }
    response.bufferEntity(); // read twice: the lock-out token, then the error text
    boolean lockedOut = status == 401 && LOCKED_OUT.equals(errorToken(response));
    // emnify's error text is logged and cached as the failure: redacted of the token where it is
    // read, before it is cut to length
    UpstreamException failure =
        UpstreamFailures.fromResponse(response, "authenticate", false, applicationToken);
    String message = failure.getMessage();
    if (status == 400 || status == 401 || status == 403) {
      // emnify answers a wrong application token with 401 (mostly an empty body) or 4xx: refused
      return refusals.refused(status, message, lockedOut).chain(Uni.createFrom()::failure);
    }
    if (failure instanceof Answer) {
      throw new Answer(failure.kind(), status, message, failure.retryAfter().orElse(null));
    }
    throw new UpstreamException.Fault(failure.kind(), status, message, null);
  }

  /** emnify's {@code error_token}, or null (an empty 401 body is emnify's usual refusal). */
  private static String errorToken(jakarta.ws.rs.core.Response response) {
    try {
      ErrorBody body = response.hasEntity() ? response.readEntity(ErrorBody.class) : null;
      return body == null ? null : body.errorToken();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
