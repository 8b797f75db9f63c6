package io.cloudconnect.provisioner.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.LogCapture;
import io.cloudconnect.provisioner.support.Management;
import io.cloudconnect.provisioner.support.OperatorTokens;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.TopicWatcher;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator API through the real broker and database: who may do what (401 without a token, 403
 * with too small a role), searching, and each action with its audit line.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class OperatorApiTest {
  private static final String REASON = "{\"reason\":\"ticket OPS-1\"}";

  @InjectSimulator EmnifySimulator simulator;

  private final KafkaFixture kafka = KafkaFixture.get();

  private static RequestSpecification as(String name, String... groups) {
    return given().header("Authorization", OperatorTokens.bearer(name, groups));
  }

  /** Every answer is marked against sniffing, framing and referrers; the console is locked down. */
  @Test
  void everyAnswerCarriesTheSecurityHeadersAndTheConsoleAStrictPolicy() {
    // health and metrics are not served on the API's port: denied there like any unknown path
    given().get("/q/metrics").then().statusCode(org.hamcrest.Matchers.not(200));
    Management.given().get("/q/health/live").then().statusCode(200);
    for (String path : List.of("/console/index.html", "/q/metrics", "/operator/overview")) {
      given()
          .get(path)
          .then()
          .header("X-Content-Type-Options", "nosniff")
          .header("Referrer-Policy", "no-referrer")
          .header("X-Frame-Options", "DENY");
    }
    String policy =
        given()
            .get("/console/index.html")
            .then()
            .statusCode(200)
            .extract()
            .header("Content-Security-Policy");
    assertThat(policy)
        .contains("default-src 'none'")
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    as("vera", "viewer")
        .get("/operator/overview")
        .then()
        .statusCode(200)
        .header("Cache-Control", "no-store");
  }

  @Test
  void withoutATokenEverythingIsRefusedAndWithTooSmallARoleEveryActionIs() {
    for (String path :
        List.of("/operator/overview", "/operator/requests", "/operator/dead-letters")) {
      given().get(path).then().statusCode(401);
      given().header("Authorization", "Bearer not-a-token").get(path).then().statusCode(401);
    }
    given()
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/x/cancel")
        .then()
        .statusCode(401);
    as("vera", "viewer").get("/operator/overview").then().statusCode(200);
    as("vera", "viewer")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/x/cancel")
        .then()
        .statusCode(403);
    as("vera", "viewer")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/x/psk")
        .then()
        .statusCode(403);
    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/x/psk")
        .then()
        .statusCode(403);
    as("nobody").get("/operator/requests").then().statusCode(403);
  }

  @Test
  void requestsAreSearchedByStatePrefixAndAttachmentAndCountedByState() {
    String id = Requests.newRequestId("op-search");
    kafka.send(id, Requests.staticVpn(id).toString());
    long attachment = Outcomes.ready(id).data().get("attachment_id").asLong();

    as("vera", "viewer")
        .queryParam("state", "READY")
        .queryParam("q", "op-search-")
        .get("/operator/requests")
        .then()
        .statusCode(200)
        .body("items.status.request_id", hasItem(id))
        .body("items.status.state", not(hasItem("FAILED")))
        .body("total", greaterThanOrEqualTo(1));
    as("vera", "viewer")
        .queryParam("attachment_id", attachment)
        .get("/operator/requests")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("items[0].status.request_id", equalTo(id));
    as("vera", "viewer")
        .queryParam("state", "FAILED")
        .queryParam("q", id)
        .get("/operator/requests")
        .then()
        .statusCode(200)
        .body("total", equalTo(0));
    as("vera", "viewer")
        .queryParam("state", "NOPE")
        .get("/operator/requests")
        .then()
        .statusCode(400);
    as("vera", "viewer")
        .get("/operator/requests/counts")
        .then()
        .statusCode(200)
        .body("READY", greaterThanOrEqualTo(1));
    as("vera", "viewer")
        .get("/operator/overview")
        .then()
        .statusCode(200)
        .body("budget.burst", greaterThanOrEqualTo(1))
        .body("breakers.emnify-create", equalTo("CLOSED"));
  }

  @Test
  void anOperatorCancelsAStuckRequestAndItsAttachmentIsDeletedWithAnAuditLine() {
    String id = Requests.newRequestId("op-cancel");
    var request = Requests.staticVpn(id);
    Requests.attachment(request).put("name", "stuck [sim:stuck]");
    kafka.send(id, request.toString());
    await().atMost(Duration.ofSeconds(20)).until(() -> attachmentOf(id) != null);

    try (LogCapture logs = LogCapture.start()) {
      as("otto", "operator")
          .contentType(ContentType.JSON)
          .body("{\"reason\":\"customer withdrew the order\"}")
          .post("/operator/requests/" + id + "/cancel")
          .then()
          .statusCode(202);

      Outcomes.Event failed = Outcomes.failed(id, "CANCELLED");
      assertThat(failed.data().get("compensation").get("status").asText()).isEqualTo("deleted");
      assertThat(failed.data().get("message").asText())
          .contains("an operator")
          .doesNotContain("otto")
          .doesNotContain("withdrew");
      assertThat(simulator.existingWith(Requests.marker(id))).isEmpty();
      assertThat(logs.lines())
          .anySatisfy(
              line ->
                  assertThat(line.message())
                      .contains("AUDIT by=otto action=cancel target=" + id + " result=ok")
                      .contains("customer withdrew the order"));
    }
    // a settled request cannot be cancelled; an action needs a reason
    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/" + id + "/cancel")
        .then()
        .statusCode(409);
    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/operator/requests/" + id + "/cancel")
        .then()
        .statusCode(400);
  }

  @Test
  void republishingSendsTheSameEventAgainUnderTheSameCeId() {
    String id = Requests.newRequestId("op-republish");
    kafka.send(id, Requests.staticVpn(id).toString());
    Outcomes.Event first = Outcomes.ready(id);

    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/" + id + "/republish")
        .then()
        .statusCode(202);

    var again = kafka.watcher().await(KafkaFixture.EVENTS, id, 2, Outcomes.TIMEOUT);
    assertThat(again).hasSize(2);
    assertThat(Outcomes.headers(again.get(1)).get("ce_id")).isEqualTo(first.headers().get("ce_id"));
    assertThat(new String(again.get(1).value(), StandardCharsets.UTF_8)).isEqualTo(first.raw());
    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/never-seen/republish")
        .then()
        .statusCode(409);
  }

  @Test
  void recheckReadsAnAcceptedAttachmentAtOnce() {
    String id = Requests.newRequestId("op-recheck");
    var request = Requests.staticVpn(id);
    Requests.attachment(request).put("name", "stuck [sim:stuck]");
    kafka.send(id, request.toString());
    await().atMost(Duration.ofSeconds(20)).until(() -> attachmentOf(id) != null);
    long reads = simulator.requests("GET /cnc/breakout/{id}");

    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/" + id + "/recheck")
        .then()
        .statusCode(200)
        .body("status.state", equalTo("PROVISIONING"))
        .body("status.emnify_status.id", equalTo(2));
    assertThat(simulator.requests("GET /cnc/breakout/{id}")).isGreaterThan(reads);
    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/" + id + "/cancel")
        .then()
        .statusCode(202);
    Outcomes.failed(id, "CANCELLED");
  }

  @Test
  void aDeadLetteredRecordIsListedWithoutItsContentAndReplayedOntoTheRequestsTopic() {
    String key = Requests.newRequestId("op-dlq");
    String secretish = "not json, key Secret_" + System.nanoTime();
    kafka.send(key, secretish);
    kafka.watcher().awaitOne(KafkaFixture.DLQ, key, Outcomes.TIMEOUT);

    var entries =
        as("vera", "viewer")
            .queryParam("limit", 50)
            .get("/operator/dead-letters")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> keys = entries.getList("key");
    int at = keys.indexOf(key);
    assertThat(at).isNotNegative();
    assertThat(entries.getString("[" + at + "].error_code")).isEqualTo("INVALID_JSON");
    assertThat(entries.prettify()).doesNotContain("Secret_");
    int partition = entries.getInt("[" + at + "].partition");
    long offset = entries.getLong("[" + at + "].offset");

    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body("{\"partition\":" + partition + ",\"offset\":" + offset + ",\"reason\":\"retry\"}")
        .post("/operator/dead-letters/replay")
        .then()
        .statusCode(202);

    // still not JSON: intake dead-letters it again, now marked as a replay of the first
    var twice = kafka.watcher().await(KafkaFixture.DLQ, key, 2, Outcomes.TIMEOUT);
    assertThat(new String(twice.get(1).value(), StandardCharsets.UTF_8)).isEqualTo(secretish);
    assertThat(Outcomes.headers(twice.get(1)).get("cloudconnect-replayed-from"))
        .isEqualTo(KafkaFixture.DLQ + "-" + partition + "@" + offset);
    as("otto", "operator")
        .contentType(ContentType.JSON)
        .body("{\"partition\":" + partition + ",\"offset\":999999999,\"reason\":\"retry\"}")
        .post("/operator/dead-letters/replay")
        .then()
        .statusCode(404);
  }

  /**
   * A request that carries a pre-shared key and cannot be answered (two request_ids) is kept on the
   * dead-letter topic with its key sealed, never in clear; its replay publishes it as the producer
   * did, key included, and the copy dead-lettered again is sealed again.
   */
  @Test
  void aDeadLetteredRequestKeepsItsPskSealedAndItsReplayRestoresIt() throws Exception {
    String key = Requests.newRequestId("op-dlq-psk");
    String psk = "Sealed_" + Long.toHexString(System.nanoTime());
    String ambiguous =
        "{\"request_id\":\""
            + key
            + "\",\"request_id\":\""
            + key
            + "-b\",\"attachment\":{\"type\":2,\"psk\":\""
            + psk
            + "\"}}";
    String bootstrap =
        org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("kafka.bootstrap.servers", String.class);
    try (TopicWatcher requests = new TopicWatcher(bootstrap, KafkaFixture.REQUESTS)) {
      kafka.send(key, ambiguous);
      ConsumerRecord<byte[], byte[]> dead =
          kafka.watcher().awaitOne(KafkaFixture.DLQ, key, Outcomes.TIMEOUT);
      String kept = new String(dead.value(), StandardCharsets.UTF_8);
      assertThat(kept).doesNotContain(psk).contains("\"psk_sealed\":\"v1:");
      assertThat(Outcomes.headers(dead).get("cloudconnect-error-code")).isEqualTo("DUPLICATE_KEY");

      as("otto", "operator")
          .contentType(ContentType.JSON)
          .body(
              "{\"partition\":"
                  + dead.partition()
                  + ",\"offset\":"
                  + dead.offset()
                  + ",\"reason\":\"retry\"}")
          .post("/operator/dead-letters/replay")
          .then()
          .statusCode(202);

      var published = requests.await(KafkaFixture.REQUESTS, key, 2, Outcomes.TIMEOUT);
      assertThat(new String(published.get(1).value(), StandardCharsets.UTF_8))
          .as("the replay as the producer published it")
          .contains("\"psk\":\"" + psk + "\"");
      var twice = kafka.watcher().await(KafkaFixture.DLQ, key, 2, Outcomes.TIMEOUT);
      assertThat(twice)
          .allSatisfy(
              r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(psk));
    }
  }

  @Test
  void thePskEmnifyGeneratedIsReadOnceByAPskReaderAndAppearsInNoLogLine() {
    String id = Requests.newRequestId("op-psk");
    kafka.send(id, Requests.staticVpn(id).toString()); // no psk: emnify generates one
    long attachment = Outcomes.ready(id).data().get("attachment_id").asLong();
    String generated = "generated_" + Long.toHexString(attachment * 7919); // the simulator's

    try (LogCapture logs = LogCapture.start()) {
      as("pia", "psk-reader")
          .contentType(ContentType.JSON)
          .body(REASON)
          .post("/operator/requests/" + id + "/psk")
          .then()
          .statusCode(200)
          .header("Cache-Control", "no-store")
          .body("psk", equalTo(generated))
          .body("attachment_id", equalTo((int) attachment));
      as("pia", "psk-reader")
          .contentType(ContentType.JSON)
          .body(REASON)
          .post("/operator/requests/" + id + "/psk")
          .then()
          .statusCode(409);
      assertThat(logs.lines()).noneMatch(line -> line.everything().contains(generated));
      assertThat(logs.lines())
          .anySatisfy(l -> assertThat(l.message()).contains("action=psk-read target=" + id));
    }
    as("vera", "viewer")
        .get("/operator/requests/" + id)
        .then()
        .statusCode(200)
        .body("psk_retrievable", equalTo(false));

    // a PSK the producer sent is the producer's: never handed out
    String own = Requests.newRequestId("op-psk-own");
    var request = Requests.staticVpn(own);
    Requests.attachment(request).put("psk", "Producer.psk_1");
    kafka.send(own, request.toString());
    Outcomes.ready(own);
    as("pia", "psk-reader")
        .contentType(ContentType.JSON)
        .body(REASON)
        .post("/operator/requests/" + own + "/psk")
        .then()
        .statusCode(409);
  }

  private static String attachmentOf(String id) {
    return as("vera", "viewer")
        .get("/operator/requests/" + id)
        .jsonPath()
        .getString("status.attachment_id");
  }
}
