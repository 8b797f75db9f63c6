package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Rule;
import io.cloudconnect.provisioner.creation.CreateWorker;
import io.cloudconnect.provisioner.provisioning.Arrivals;
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
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What may take time before a call is sent (the budget's refill, an authentication) happens outside
 * the call's timeout and breaker. The calls' timeouts are cut to 600 ms here, below a token's
 * refill (1 a second) and the authentication's latency (1 s), so a wait inside them would time the
 * call out.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(WaitsOutsideTheGuardTest.ShortTimeouts.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class WaitsOutsideTheGuardTest {
  static final String CREATE = "POST /cnc/breakout/vpn";

  public static class ShortTimeouts extends ManualJobs {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("cloudconnect.budget.api.per-window", "300");
      overrides.put("cloudconnect.budget.api.burst", "3");
      overrides.put("cloudconnect.budget.api.reserve", "0");
      String calls = "quarkus.fault-tolerance.\"io.cloudconnect.provisioner.emnify.EmnifyCalls/";
      overrides.put(calls + "get\".timeout.value", "600");
      overrides.put(calls + "createVpn\".timeout.value", "600");
      return overrides;
    }
  }

  @InjectSimulator EmnifySimulator simulator;
  @Inject EmnifyClient emnify;
  @Inject AuthTokenCache tokens;
  @Inject CreateWorker worker;
  @Inject Arrivals arrivals;
  @Inject CircuitBreakerMaintenance breakers;

  /**
   * Three reads in a row on a budget of one token a second: each waits for its token, none fails.
   */
  @Test
  void aReadThatWaitsForBudgetIsNeitherTimedOutNorCountedByTheBreaker() {
    String id = Requests.newRequestId("wg");
    Db.await(() -> arrivals.accept(id, Specs.staticVpn("Budget"), null));
    Db.await(() -> worker.createDue());
    assertThat(Db.saga(id).state()).isEqualTo(SagaState.PROVISIONING);
    long attachment = Db.saga(id).attachmentId();

    for (int i = 0; i < 6; i++) {
      assertThat(Db.await(() -> emnify.get(attachment)).id()).isEqualTo(attachment);
    }

    assertThat(breakers.currentState("emnify-get")).isEqualTo(CircuitBreakerState.CLOSED);
  }

  /**
   * A slow authentication is not a slow create: before, the create's timeout covered the
   * authentication too, so the request was recorded as unknown with no POST sent, and the POST
   * could leave after that.
   */
  @Test
  void aSlowAuthenticationDoesNotMakeACreateUnknown() {
    String token = Db.await(tokens::token);
    tokens.invalidate(token);
    simulator.faults().on("POST /authenticate", Rule.NONE.latency(Duration.ofSeconds(1)));
    long creates = simulator.requests(CREATE);
    String id = Requests.newRequestId("wg");
    Db.await(() -> arrivals.accept(id, Specs.staticVpn("Slow auth"), null));

    Db.await(() -> worker.createDue());

    assertThat(Db.saga(id).state()).isEqualTo(SagaState.PROVISIONING);
    assertThat(simulator.requests(CREATE) - creates).isEqualTo(1);
  }
}
