package io.cloudconnect.provisioner.flow;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** request_id is the idempotency key: redelivery never creates a second attachment or outcome. */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class IdempotencyTest {
  @InjectSimulator EmnifySimulator simulator;

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void duplicateRequestCreatesOneAttachmentAndOneOutcome() {
    String id = Requests.newRequestId("dup");
    String request = Requests.staticVpn(id).toString();
    kafka.send(id, request);
    kafka.send(id, request);

    Outcomes.Event event = Outcomes.ready(id);

    // a producer retry after the outcome changes nothing either, even with other content
    kafka.send(id, Requests.bgpVpn(id).toString());
    Outcomes.Event still = Outcomes.single(id);
    assertThat(still.headers().get("ce_id")).isEqualTo(event.headers().get("ce_id"));
    assertThat(simulator.attachmentIdsWith(Requests.marker(id)))
        .containsExactly(event.data().get("attachment_id").asLong());
  }

  @Test
  void duplicateOfARefusedRequestIsNotAnsweredTwice() {
    String id = Requests.newRequestId("dup-refused");
    String request = "{\"request_id\":\"" + id + "\",\"attachment\":{\"type\":9}}";
    kafka.send(id, request);
    kafka.send(id, request);

    Outcomes.failed(id, "VALIDATION_FAILED");
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).isEmpty();
  }
}
