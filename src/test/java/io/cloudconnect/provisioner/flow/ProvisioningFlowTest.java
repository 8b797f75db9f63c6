package io.cloudconnect.provisioner.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.OperatorTokens;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The main path end to end: Kafka request -> saga -> simulator -> poll -> one CloudEvent. */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class ProvisioningFlowTest {
  static final Duration OUTCOME = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @InjectSimulator EmnifySimulator simulator;

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void staticVpnBecomesReadyWithOneCloudEvent() throws Exception {
    String id = Requests.newRequestId("static");
    kafka.send(id, Requests.staticVpn(id).toString());

    ConsumerRecord<byte[], byte[]> event =
        kafka.watcher().awaitOne(KafkaFixture.EVENTS, id, OUTCOME);
    Map<String, String> headers = Outcomes.headers(event);
    assertThat(headers)
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_type", "cloudconnect.attachment.ready")
        .containsEntry("ce_source", "/cloudconnect-provisioner")
        .containsEntry("ce_subject", id)
        .containsEntry("content-type", "application/json");
    assertThat(headers.get("ce_id")).isNotBlank();
    assertThat(Instant.parse(headers.get("ce_time"))).isBefore(Instant.now().plusSeconds(1));

    JsonNode data = JSON.readTree(event.value());
    assertThat(data.get("request_id").asText()).isEqualTo(id);
    long attachmentId = data.get("attachment_id").asLong();
    assertThat(attachmentId).isPositive();
    assertThat(data.get("name").asText()).isEqualTo("Berlin branch office");
    assertThat(data.get("type").asInt()).isEqualTo(2);
    assertThat(data.get("region").asText()).isEqualTo("eu-west-1");
    assertThat(data.get("status").get("id").asInt()).isEqualTo(5);
    assertThat(data.get("status").get("description").asText()).isEqualTo("Active");
    assertThat(data.get("tunnel_information").get("public_ip").asText()).isEqualTo("91.64.22.5");
    assertThat(data.get("tunnel_information").get("outside_address").asText()).isNotBlank();
    assertThat(data.get("tunnel_information").has("psk")).isFalse();
    Instant requested = Instant.parse(data.get("requested_at").asText());
    Instant ready = Instant.parse(data.get("ready_at").asText());
    assertThat(ready).isAfter(requested);
    assertThat(new String(event.key(), StandardCharsets.UTF_8)).isEqualTo(id);
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).containsExactly(attachmentId);

    RestAssured.given()
        .header("Authorization", OperatorTokens.statusReader())
        .get("/attachments/" + id)
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.equalTo("READY"))
        .body("attachment_id", org.hamcrest.Matchers.equalTo((int) attachmentId))
        .body("emnify_status.id", org.hamcrest.Matchers.equalTo(5))
        .body("create_attempts", org.hamcrest.Matchers.equalTo(1));
  }

  @Test
  void bgpVpnBecomesReadyWithAsnAndInsideCidr() throws Exception {
    String id = Requests.newRequestId("bgp");
    ObjectNode request = Requests.bgpVpn(id);
    kafka.send(id, request.toString());

    ConsumerRecord<byte[], byte[]> event =
        kafka.watcher().awaitOne(KafkaFixture.EVENTS, id, OUTCOME);
    assertThat(Outcomes.headers(event)).containsEntry("ce_type", "cloudconnect.attachment.ready");
    JsonNode data = JSON.readTree(event.value());
    assertThat(data.get("type").asInt()).isEqualTo(3);
    assertThat(data.get("region").asText()).isEqualTo("eu-central-1");
    assertThat(data.get("tunnel_information").get("asn").asLong()).isEqualTo(65010);
    assertThat(data.get("tunnel_information").get("inside_cidr").asText())
        .isEqualTo("169.254.100.0/30");
  }
}
