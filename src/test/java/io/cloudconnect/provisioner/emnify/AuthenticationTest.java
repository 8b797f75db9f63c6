package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The auth token is shared and cached; an expired one is replaced once, not per call. */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class AuthenticationTest {
  @InjectSimulator EmnifySimulator simulator;

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void expiredTokenIsRenewedWithOneAuthenticateCallForManyCreates() {
    simulator.expireAllTokens();
    long authBefore = simulator.requests("POST /authenticate");
    long createsBefore = simulator.requests("POST /cnc/breakout/vpn");

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String id = Requests.newRequestId("auth");
      ids.add(id);
      kafka.send(id, Requests.staticVpn(id).toString());
    }
    ids.forEach(Outcomes::ready);

    assertThat(simulator.requests("POST /authenticate") - authBefore).isEqualTo(1);
    assertThat(simulator.requests("POST /cnc/breakout/vpn") - createsBefore)
        .isGreaterThanOrEqualTo(8);
  }
}
