package io.cloudconnect.provisioner.creation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Rule;
import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.cloudconnect.provisioner.provisioning.Creations;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The create worker against the simulator and the real database, one pass at a time: what each kind
 * of create answer does to the saga, and how many create calls it cost.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class CreateWorkerTest {
  static final String CREATE = "POST /cnc/breakout/vpn";

  @InjectSimulator EmnifySimulator simulator;
  @Inject CreateWorker worker;
  @Inject Creations creations;
  @Inject CircuitBreakerMaintenance breakers;
  @Inject EmnifyClient emnify;
  // the service's clock (local time plus the measured offset to PostgreSQL's): the instants it
  // records are compared on it, not on this JVM's own clock, which can be a few ms behind it
  @Inject Clock clock;

  @BeforeEach
  void emptyDatabaseAndAValidToken() {
    // another class on this profile may leave the cached auth token expired
    // (AuthenticationRefusalTest); the first create would then be answered 401 and sent once more
    // with a fresh token, a second create request these tests would count
    assertThat(Db.await(emnify::myOrganisationId)).isPositive();
  }

  private String accepted(String name) {
    return Db.acceptedRequest("cw", Specs.staticVpn(name), null);
  }

  private void pass() {
    Db.await(() -> worker.createDue());
  }

  @Test
  void createdAttachmentMovesTheSagaToProvisioningWithOneCall() {
    String id = accepted("Berlin");
    long creates = simulator.requests(CREATE);

    pass();

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.PROVISIONING);
    assertThat(simulator.attachmentIdsWith(Requests.marker(id)))
        .containsExactly(saga.attachmentId());
    assertThat(saga.createAttempts()).isEqualTo(1);
    assertThat(saga.lease().owner()).isNull();
    assertThat(simulator.requests(CREATE) - creates).isEqualTo(1);
  }

  @Test
  void ambiguousAnswerIsReconciledNotRetried() {
    String id = accepted("Berlin");
    simulator.faults().on(CREATE, Rule.NONE.errors(1.0)); // 500 or 502
    long creates = simulator.requests(CREATE);

    pass();

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.CREATE_UNKNOWN);
    assertThat(saga.lastError()).startsWith("create answered 50");
    assertThat(simulator.requests(CREATE) - creates).isEqualTo(1);
  }

  @Test
  void lostResponseLeavesTheOutcomeUnknownWhileTheAttachmentExists() {
    String id = accepted("Berlin");
    simulator.faults().on(CREATE, Rule.NONE.lostCreates(1.0));

    pass();

    assertThat(Db.saga(id).state()).isEqualTo(SagaState.CREATE_UNKNOWN);
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).hasSize(1);
  }

  @Test
  void refusedCreateFailsAsRejectedByApiWithItsEventInTheSameTransaction() {
    String id = accepted("Berlin [sim:reject]");

    pass();

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.FAILED);
    assertThat(saga.failureReason()).isEqualTo(FailureReason.REJECTED_BY_API);
    assertThat(saga.failureMessage()).contains("create answered 400");
    assertThat(Db.outbox(id))
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("cloudconnect.attachment.failed"));
  }

  @Test
  void throttledCreateIsDeferredByTheBackoffWhenEmnifySaysNotWhen() {
    String id = accepted("Berlin");
    // every API call over the limit: 429, without Retry-After (emnify documents none)
    simulator.faults().rateLimits(true, Duration.ofMinutes(5), 0, 100);
    Instant before = clock.instant();

    pass();

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.lastError()).startsWith("create answered 429");
    // the test profile's retry-backoff is 200 ms, plus up to a quarter of jitter
    assertThat(saga.nextAttemptAt())
        .isBetween(before.plusMillis(200), clock.instant().plusMillis(250));
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).isEmpty();
  }

  @Test
  void throttledCreateIsDeferredByRetryAfterWhenEmnifySendsIt() {
    String id = accepted("Berlin");
    simulator.faults().sendRetryAfter(true);
    simulator.faults().rateLimits(true, Duration.ofMinutes(5), 0, 100);
    Instant before = clock.instant();

    pass();

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.lastError()).startsWith("create answered 429");
    assertThat(saga.nextAttemptAt())
        .isBetween(before.plusSeconds(1), clock.instant().plusSeconds(1).plusMillis(500));
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).isEmpty();
  }

  @Test
  void openBreakerDefersCreatesWithoutSendingThem() {
    simulator.faults().on(CREATE, Rule.NONE.errors(1.0));
    List<String> failing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      failing.add(accepted("Berlin"));
    }
    pass(); // 20 faults of 20 calls: the breaker opens (75 % of a window of 20)
    assertThat(breakers.currentState("emnify-create").name()).isEqualTo("OPEN");
    String id = accepted("Berlin");
    long creates = simulator.requests(CREATE);

    pass();

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.lastError()).isEqualTo("create not sent: circuit breaker open");
    assertThat(saga.nextAttemptAt()).isAfter(clock.instant());
    assertThat(simulator.requests(CREATE)).isEqualTo(creates);
    assertThat(failing).allMatch(f -> Db.saga(f).state() == SagaState.CREATE_UNKNOWN);
  }

  @Test
  void unsentClaimsAreHandedBackThroughTheStateMachine() {
    String id = accepted("Berlin");
    List<String> claimed =
        Db.await(() -> creations.claimDueCreates("replica-x", 10)).stream()
            .map(c -> c.requestId())
            .toList();
    assertThat(claimed).contains(id);

    assertThat(Db.await(() -> creations.handBackUnsentClaims("replica-y", claimed))).isZero();
    assertThat(Db.await(() -> creations.handBackUnsentClaims("replica-x", claimed)))
        .isEqualTo(claimed.size());

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.createAttempts()).isZero();
    assertThat(saga.lease().owner()).isNull();
  }
}
