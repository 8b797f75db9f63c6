package io.cloudconnect.provisioner.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What emnify does after the request was valid: refuse the create, roll back, deactivate, or never
 * finish. The simulator's name markers script each fate.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class UpstreamOutcomesTest {
  @InjectSimulator EmnifySimulator simulator;

  private final KafkaFixture kafka = KafkaFixture.get();

  private String send(String prefix, String nameMarker) {
    String id = Requests.newRequestId(prefix);
    ObjectNode request = Requests.staticVpn(id);
    Requests.attachment(request).put("name", "Branch " + nameMarker);
    kafka.send(id, request.toString());
    return id;
  }

  @Test
  void createAnswered400FailsAsRejectedByApiWithEmnifysMessage() {
    String id = send("reject", "[sim:reject]");

    Outcomes.Event event = Outcomes.failed(id, "REJECTED_BY_API");
    assertThat(event.data().get("message").asText())
        .contains("400")
        .contains("The public IP is already used by another attachment");
    assertThat(event.data().get("attachment_id").isNull()).isTrue();
    assertThat(event.data().get("retryable").asBoolean()).isFalse();
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).isEmpty();
    RestAssured.given()
        .header("Authorization", OperatorTokens.statusReader())
        .get("/attachments/" + id)
        .then()
        .statusCode(200)
        .body("state", equalTo("FAILED"))
        .body("reason", equalTo("REJECTED_BY_API"));
  }

  /**
   * Rolling Back (8) fails the request; emnify refuses deletes in 8, so the compensation waits for
   * the status that follows: Deactivated (7), nothing left to delete, and only then the event.
   */
  @Test
  void rollingBackAttachmentFailsAsRolledBackOnceEmnifyDeactivatedIt() {
    String id = send("rollback", "[sim:rollback]");

    Outcomes.Event event = Outcomes.failed(id, "ROLLED_BACK");
    long attachmentId = event.data().get("attachment_id").asLong();
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).containsExactly(attachmentId);
    assertThat(simulator.statusOf(attachmentId)).isEqualTo(7);
    assertThat(event.data().get("compensation").get("status").asText()).isEqualTo("not_needed");
    assertThat(event.data().get("compensation").get("detail").asText())
        .contains("Deactivated (status 7)");
    assertThat(event.data().get("retryable").asBoolean()).isTrue();
  }

  @Test
  void deactivatedAttachmentFailsAsDeactivated() {
    String id = send("deactivate", "[sim:deactivate]");

    Outcomes.Event event = Outcomes.failed(id, "DEACTIVATED");
    assertThat(event.data().get("attachment_id").asLong()).isPositive();
  }

  @Test
  void attachmentThatNeverBecomesActiveTimesOut() {
    String id = send("stuck", "[sim:stuck]");

    Outcomes.Event event = Outcomes.failed(id, "TIMED_OUT");
    assertThat(event.data().get("message").asText()).contains("Pending AWS Activation");
    assertThat(event.data().get("attachment_id").asLong()).isPositive();
    RestAssured.given()
        .header("Authorization", OperatorTokens.statusReader())
        .get("/attachments/" + id)
        .then()
        .statusCode(200)
        .body("state", equalTo("FAILED"))
        .body("reason", equalTo("TIMED_OUT"))
        .body("emnify_status.id", equalTo(2));
  }

  @Test
  void unknownRequestIdIs404() {
    RestAssured.given()
        .header("Authorization", OperatorTokens.statusReader())
        .get("/attachments/never-sent-" + System.nanoTime())
        .then()
        .statusCode(404);
  }
}
