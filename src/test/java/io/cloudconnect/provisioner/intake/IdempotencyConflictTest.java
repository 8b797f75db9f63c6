package io.cloudconnect.provisioner.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A request_id is an idempotency key: the same request again changes nothing, however its JSON is
 * laid out; the same request_id with other parameters is refused visibly (dead-lettered with
 * IDEMPOTENCY_CONFLICT, its pre-shared key sealed, counted), and the first request keeps its one
 * outcome.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class IdempotencyConflictTest {
  @InjectSimulator EmnifySimulator simulator;
  @Inject MeterRegistry metrics;

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void aReusedRequestIdWithOtherParametersIsRefusedAndTheFirstRequestStands() {
    String id = Requests.newRequestId("reused");
    ObjectNode first = Requests.staticVpn(id);
    Requests.attachment(first).put("psk", "First_psk_1234");
    kafka.send(id, first.toString());
    Outcomes.Event ready = Outcomes.ready(id);
    double conflictsBefore = conflicts();

    // the same request, its keys in another order and spaced out: a redelivery
    String relaid =
        "{ \"attachment\" : "
            + Requests.attachment(first).toPrettyString()
            + ", \"request_id\" : \""
            + id
            + "\" }";
    kafka.send(id, relaid);
    // the same request_id asking for something else
    ObjectNode other = Requests.staticVpn(id);
    Requests.attachment(other).put("name", "Hamburg branch office").put("psk", "Other_psk_5678");
    kafka.send(id, other.toString());

    ConsumerRecord<byte[], byte[]> dead =
        kafka.watcher().awaitOne(KafkaFixture.DLQ, id, Outcomes.TIMEOUT);
    Map<String, String> headers = Outcomes.headers(dead);
    assertThat(headers.get("cloudconnect-error-code")).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(new String(dead.value(), StandardCharsets.UTF_8))
        .contains("Hamburg branch office")
        .doesNotContain("Other_psk_5678")
        .contains("psk_sealed");
    assertThat(conflicts()).isEqualTo(conflictsBefore + 1);
    // one dead letter (the redelivery, recorded before it on the same partition, is not one) and
    // one outcome, the first request's: neither a redelivery nor a conflict writes an event
    assertThat(kafka.watcher().records(KafkaFixture.DLQ, id)).hasSize(1);
    assertThat(kafka.watcher().records(KafkaFixture.EVENTS, id)).hasSize(1);
    assertThat(ready.data().get("name").asText()).isEqualTo("Berlin branch office");
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).hasSize(1);
  }

  private double conflicts() {
    var counter = metrics.find("cloudconnect.intake.records").tag("outcome", "CONFLICT").counter();
    return counter == null ? 0 : counter.count();
  }
}
