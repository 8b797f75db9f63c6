package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.creation.CreateWorker;
import io.cloudconnect.provisioner.persistence.AuthenticationStore.Refusal;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.health.api.Wellness;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authentication trouble defers creates, is shared by all replicas through the database, shows in
 * health, and emnify's lock-out is waited out without a single attempt of ours during it. The test
 * profile shortens the holds (emnify.auth-failure-backoff 1 s, emnify.auth-lockout 3 s) and the
 * simulator's lock-out (2 s).
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class AuthenticationRefusalTest {
  static final String AUTHENTICATE = "POST /authenticate";

  @InjectSimulator EmnifySimulator simulator;
  @Inject CreateWorker worker;
  @Inject Authenticator authenticator;
  @Inject AuthenticationRefusals refusals;
  @Inject @Wellness AuthenticationHealthCheck health;

  @AfterEach
  void validTokenAgain() {
    simulator.revokeApplicationToken(false);
    // whatever the test left: the simulator's lock-out and our holds run out
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> Db.await(authenticator::authenticate) != null);
    simulator.expireAllTokens();
  }

  private String accepted() {
    return Db.acceptedRequest("auth", Specs.staticVpn("Berlin"), null);
  }

  private Optional<Refusal> shared() {
    return Db.await(refusals::current);
  }

  @Test
  void refusedTokenDefersTheCreateAndShowsInHealth() {
    simulator.revokeApplicationToken(true);
    simulator.expireAllTokens(); // the cached auth token is refused: authenticate again
    String id = accepted();

    Db.await(() -> worker.createDue());

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.lastError())
        .startsWith("waiting for authentication: authenticate answered 401");
    assertThat(saga.nextAttemptAt()).isAfter(Instant.now());
    assertThat(shared()).get().extracting(Refusal::refusals).isEqualTo(1);
    HealthCheckResponse down = Db.await(health::call);
    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(down.getData().orElseThrow()).containsKeys("refused_since", "held_back_until");

    // another replica (no cached failure of its own) holds back too: nothing is sent
    long asked = simulator.requests(AUTHENTICATE);
    assertThatThrownBy(() -> Db.await(authenticator::authenticate))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAUTHORIZED);
              assertThat(e.refusedSince()).isPresent();
              assertThat(e.getMessage()).startsWith("authentication held back until");
            });
    assertThat(simulator.requests(AUTHENTICATE)).isEqualTo(asked);

    // the token is valid again: the next authentication ends the streak, health is UP
    simulator.revokeApplicationToken(false);
    Db.endAuthenticationHold();
    assertThat(Db.await(authenticator::authenticate)).isNotBlank();
    assertThat(shared()).isEmpty();
    assertThat(Db.await(health::call).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
  }

  @Test
  void lockOutIsRecognisedAndWaitedOutWithoutAnAttemptDuringIt() {
    simulator.revokeApplicationToken(true);
    for (int refusal = 1; refusal <= 3; refusal++) { // the third locks the account
      assertThatThrownBy(() -> Db.await(authenticator::authenticate))
          .isInstanceOf(UpstreamException.class);
      Db.endAuthenticationHold();
    }
    assertThatThrownBy(() -> Db.await(authenticator::authenticate))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
    Refusal locked = shared().orElseThrow();
    assertThat(locked.refusals()).isEqualTo(4);
    assertThat(locked.lastProblem()).contains("Too many failed login attempts");

    // during the lock-out nobody asks, so nothing of ours can prolong it
    long asked = simulator.requests(AUTHENTICATE);
    simulator.revokeApplicationToken(false);
    assertThatThrownBy(() -> Db.await(authenticator::authenticate))
        .isInstanceOf(UpstreamException.class);
    assertThat(simulator.requests(AUTHENTICATE)).isEqualTo(asked);

    // once the hold is over, authentication works again
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(Db.await(authenticator::authenticate)).isNotBlank());
    assertThat(simulator.requests(AUTHENTICATE)).isEqualTo(asked + 1);
  }
}
