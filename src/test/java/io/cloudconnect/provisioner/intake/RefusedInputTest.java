package io.cloudconnect.provisioner.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Input the service refuses: invalid fields get a failed event; unreadable records the DLQ. */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class RefusedInputTest {
  @InjectSimulator EmnifySimulator simulator;

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void invalidRequestIsAnsweredWithEveryViolationAndSpendsNoQuota() {
    String id = Requests.newRequestId("invalid");
    ObjectNode request = Requests.bgpVpn(id);
    ObjectNode attachment = Requests.attachment(request);
    attachment.put("public_ip", "10.1.2.3");
    attachment.put("psk", "0abcdefgh");
    attachment.put("asn", 7224);
    attachment.putArray("inside_cidr").add("169.254.100.0/30").add("169.254.5.0/30");
    long createsBefore = simulator.requests("POST /cnc/breakout/vpn");

    kafka.send(id, request.toString());

    Outcomes.Event event = Outcomes.failed(id, "VALIDATION_FAILED");
    assertThat(event.data().get("message").asText()).isEqualTo("4 fields are invalid");
    assertThat(event.errorCodes())
        .containsExactly(
            "PUBLIC_IP_NOT_ROUTABLE", "PSK_LEADING_ZERO", "ASN_RESERVED", "INSIDE_CIDR_RESERVED");
    JsonNode errors = event.data().get("errors");
    assertThat(errors.get(0).get("field").asText()).isEqualTo("attachment.public_ip");
    assertThat(errors.get(3).get("field").asText()).isEqualTo("attachment.inside_cidr[1]");
    assertThat(event.data().get("retryable").asBoolean()).isFalse();
    assertThat(event.data().get("attachment_id").isNull()).isTrue();
    assertThat(event.raw()).doesNotContain("0abcdefgh");
    assertThat(simulator.attachmentIdsWith("[ccp:" + id + "]")).isEmpty();
    assertThat(simulator.requests("POST /cnc/breakout/vpn")).isEqualTo(createsBefore);
  }

  @Test
  void unparseableRecordGoesToDeadLetterTopicByteForByteAndTheNextRecordIsProcessed() {
    String key = Requests.newRequestId("garbage");
    byte[] garbage =
        ("{\"request_id\": \"" + key + "\", \"attachment\": {oops")
            .getBytes(StandardCharsets.UTF_8);
    kafka.send(
        key.getBytes(StandardCharsets.UTF_8),
        garbage,
        List.of(new RecordHeader("trace", new byte[] {1, 2})));
    String next = Requests.newRequestId("after-garbage");
    kafka.send(next, Requests.staticVpn(next).toString());

    ConsumerRecord<byte[], byte[]> dead =
        kafka.watcher().awaitOne(KafkaFixture.DLQ, key, Outcomes.TIMEOUT);
    assertThat(dead.value()).isEqualTo(garbage);
    Map<String, String> headers = Outcomes.headers(dead);
    assertThat(headers.get("cloudconnect-error-code")).isEqualTo("INVALID_JSON");
    assertThat(headers.get("dead-letter-reason"))
        .startsWith("INVALID_JSON: record is not valid JSON at line 1");
    assertThat(headers.get("dead-letter-topic")).isEqualTo(KafkaFixture.REQUESTS);
    assertThat(dead.headers().lastHeader("trace").value()).containsExactly(1, 2);
    assertThat(kafka.watcher().records(KafkaFixture.EVENTS, key)).isEmpty();

    Outcomes.ready(next);
  }

  @Test
  void oversizedRecordIsAnsweredByItsRequestId() {
    String id = Requests.newRequestId("huge");
    ObjectNode request = Requests.staticVpn(id);
    Requests.attachment(request).put("description", "x".repeat(200_000));
    kafka.send(id, request.toString());

    Outcomes.Event event = Outcomes.failed(id, "VALIDATION_FAILED");
    assertThat(event.errorCodes()).containsExactly("RECORD_TOO_LARGE");
    assertThat(event.data().get("errors").get(0).get("field").asText()).isEqualTo("$");
  }

  @Test
  void recordWithoutRequestIdGoesToDeadLetterTopic() {
    String key = Requests.newRequestId("no-id");
    ObjectNode request = Requests.staticVpn("x");
    request.remove("request_id");
    kafka.send(key, request.toString());

    ConsumerRecord<byte[], byte[]> dead =
        kafka.watcher().awaitOne(KafkaFixture.DLQ, key, Outcomes.TIMEOUT);
    assertThat(Outcomes.headers(dead).get("cloudconnect-error-code"))
        .isEqualTo("REQUEST_ID_MISSING");
  }
}
