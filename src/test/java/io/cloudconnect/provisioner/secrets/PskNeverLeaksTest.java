package io.cloudconnect.provisioner.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.LogCapture;
import io.cloudconnect.provisioner.support.OperatorTokens;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A request's PSK is sent to emnify and nowhere else: not to logs (captured at DEBUG for the
 * service's packages), not to events, not to the status API.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class PskNeverLeaksTest {
  private final KafkaFixture kafka = KafkaFixture.get();
  private LogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.start();
  }

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  @Test
  void pskOfAReadyRequestAppearsInNoLogLineEventOrStatus() throws Exception {
    String psk = "Secret.psk_" + System.nanoTime();
    String id = Requests.newRequestId("psk");
    ObjectNode request = Requests.staticVpn(id);
    Requests.attachment(request).put("psk", psk);
    kafka.send(id, request.toString());

    Outcomes.Event event = Outcomes.ready(id);
    String status =
        RestAssured.given()
            .header("Authorization", OperatorTokens.statusReader())
            .get("/attachments/" + id)
            .then()
            .statusCode(200)
            .extract()
            .asString();

    assertThat(event.raw()).doesNotContain(psk);
    assertThat(event.headers().values()).noneMatch(v -> v.contains(psk));
    assertThat(status).doesNotContain(psk);
    assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.everything().contains(psk));
    assertThat(storedPsk(id)).as("sealed PSK after emnify accepted the attachment").isNull();
  }

  /** The psk_sealed column of a saga, read with plain JDBC. */
  private static String storedPsk(String requestId) throws Exception {
    var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
    try (var connection =
            java.sql.DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
        var statement =
            connection.prepareStatement(
                "select psk_sealed from provisioning_saga where request_id = ?")) {
      statement.setString(1, requestId);
      try (var rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getString(1);
      }
    }
  }

  @Test
  void pskRejectedByEmnifyDoesNotLeakThroughItsErrorMessage() {
    String psk = "Echoed.psk_" + System.nanoTime();
    String id = Requests.newRequestId("psk-reject");
    ObjectNode request = Requests.staticVpn(id);
    Requests.attachment(request).put("psk", psk).put("name", "Echo [sim:echo-psk]");
    kafka.send(id, request.toString());

    Outcomes.Event event = Outcomes.failed(id, "REJECTED_BY_API");
    assertThat(event.data().get("message").asText()).contains("Invalid psk '<redacted>'");
    assertThat(event.raw()).doesNotContain(psk);
    assertThat(logs.lines()).noneMatch(line -> line.everything().contains(psk));
  }

  /** emnify's text is redacted before it is cut: not even part of the PSK survives the cut. */
  @Test
  void pskQuotedAcrossTheCutOfALongErrorLeavesNoPieceBehind() {
    String psk = "Quoted.across_the_cut_" + System.nanoTime();
    String id = Requests.newRequestId("psk-long");
    ObjectNode request = Requests.staticVpn(id);
    Requests.attachment(request).put("psk", psk).put("name", "Echo [sim:echo-psk-long]");
    kafka.send(id, request.toString());

    Outcomes.Event event = Outcomes.failed(id, "REJECTED_BY_API");
    String status =
        RestAssured.given()
            .header("Authorization", OperatorTokens.statusReader())
            .get("/attachments/" + id)
            .asString();
    for (int i = 0; i + 8 <= psk.length(); i++) {
      String piece = psk.substring(i, i + 8);
      assertThat(event.raw()).as("event").doesNotContain(piece);
      assertThat(status).as("status API").doesNotContain(piece);
      assertThat(logs.lines()).noneMatch(line -> line.everything().contains(piece));
    }
  }
}
