package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one table of what upstream failures mean. */
class UpstreamFailuresTest {

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource({
    "400, true, REJECTED",
    "403, true, REJECTED",
    "409, true, REJECTED",
    "422, true, REJECTED",
    "401, true, UNAUTHORIZED",
    "404, false, NOT_FOUND",
    "429, true, THROTTLED",
    "500, true, AMBIGUOUS",
    "503, true, AMBIGUOUS",
    "500, false, NOT_SENT",
  })
  void statusCodesAreClassified(int status, boolean mutating, Kind kind) {
    Response response = Response.status(status).build();
    assertThat(UpstreamFailures.fromResponse(response, "call", mutating).kind()).isEqualTo(kind);
  }

  @Test
  void finalAnswersAreNotFaults() {
    assertThat(UpstreamFailures.fromResponse(Response.status(400).build(), "create", true))
        .isInstanceOf(UpstreamException.Answer.class);
    assertThat(UpstreamFailures.fromResponse(Response.status(502).build(), "create", true))
        .isInstanceOf(UpstreamException.Fault.class);
  }

  @Test
  void retryAfterIsHonouredInSeconds() {
    Response response = Response.status(429).header("Retry-After", "17").build();
    assertThat(UpstreamFailures.fromResponse(response, "list", false).retryAfter())
        .contains(Duration.ofSeconds(17));
  }

  @Test
  void transportFailuresBeforeSendingAreNotSentAfterSendingAmbiguous() {
    assertThat(
            UpstreamFailures.classify(
                    new IOException("x", new ConnectException("refused")), "create")
                .kind())
        .isEqualTo(Kind.NOT_SENT);
    assertThat(UpstreamFailures.classify(new CircuitBreakerOpenException("open"), "create").kind())
        .isEqualTo(Kind.NOT_SENT);
    assertThat(UpstreamFailures.classify(new TimeoutException("slow"), "create").kind())
        .isEqualTo(Kind.AMBIGUOUS);
    assertThat(UpstreamFailures.classify(new IOException("Connection reset"), "create").kind())
        .isEqualTo(Kind.AMBIGUOUS);
  }
}
