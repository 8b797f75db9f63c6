package io.cloudconnect.emnify.simulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault injection and rate limiting of the stand-alone simulator. */
class SimulatorFaultsTest {
  static final String CREATE =
      "{\"type\":{\"id\":2},\"name\":\"f\",\"description\":\"[ccp:fault-1]\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"]}";
  private EmnifySimulator server;
  private String bearer;

  @BeforeEach
  void start() throws Exception {
    server = EmnifySimulator.start(SimulatorOptions.forTests(Duration.ofMillis(100)));
    bearer =
        "Bearer "
            + api()
                .contentType(ContentType.JSON)
                .body("{\"application_token\":\"simulator-application-token\"}")
                .post("/api/v1/authenticate")
                .then()
                .statusCode(200)
                .extract()
                .path("auth_token");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private RequestSpecification api() {
    return given()
        .baseUri("http://127.0.0.1")
        .port(server.port())
        .config(
            RestAssuredConfig.config()
                .httpClient(
                    HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 2000)
                        .setParam("http.connection.timeout", 2000)));
  }

  /** DOC-RATE: 429 once the window is full, with no Retry-After documented. */
  @Test
  void rateLimitAnswers429WithoutRetryAfterOnceTheWindowIsFull() {
    server.faults().rateLimits(true, Duration.ofMinutes(5), 1, 100);
    api().header("Authorization", bearer).get("/api/v1/cnc/breakout").then().statusCode(200);
    var throttled = api().header("Authorization", bearer).get("/api/v1/cnc/breakout");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.header("Retry-After")).isNull();
    assertThat(throttled.jsonPath().getString("error_token")).isEqualTo("TooManyRequests");
  }

  @Test
  void rateLimitAnswers429WithRetryAfterWhenAskedTo() {
    server.faults().sendRetryAfter(true);
    server.faults().rateLimits(true, Duration.ofMinutes(5), 3, 100);
    for (int i = 0; i < 3; i++) {
      api().header("Authorization", bearer).get("/api/v1/cnc/breakout").then().statusCode(200);
    }
    var throttled = api().header("Authorization", bearer).get("/api/v1/cnc/breakout");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 301L);
    assertThat(server.faults().injected(SimulatorFaults.Verdict.THROTTLE)).isEqualTo(1);
  }

  @Test
  void outageAnswers503UntilItEnds() throws Exception {
    server.faults().outageFor(Duration.ofMillis(300));
    api().header("Authorization", bearer).get("/api/v1/cnc/breakout").then().statusCode(503);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                api().header("Authorization", bearer).get("/api/v1/cnc/breakout").statusCode()
                    == 200);
  }

  @Test
  void lostCreateResponseStillCreatesTheAttachment() {
    server
        .faults()
        .on("POST /cnc/breakout/vpn", new SimulatorFaults.Rule(0, 0, 0, 1.0, Duration.ZERO));
    assertThatThrownBy(
            () ->
                api()
                    .header("Authorization", bearer)
                    .contentType(ContentType.JSON)
                    .body(CREATE)
                    .post("/api/v1/cnc/breakout/vpn"))
        .isInstanceOf(Exception.class);
    assertThat(server.attachmentIdsWith("[ccp:fault-1]")).hasSize(1);
  }

  @Test
  void hungRequestIsHeldThenDroppedWithoutAnAnswer() {
    server.faults().hang("POST /cnc/breakout/vpn", 1.0, Duration.ofMillis(300));
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                api()
                    .header("Authorization", bearer)
                    .contentType(ContentType.JSON)
                    .body(CREATE)
                    .post("/api/v1/cnc/breakout/vpn"))
        .isInstanceOf(Exception.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(250));
    assertThat(server.faults().injected(SimulatorFaults.Verdict.HANG)).isEqualTo(1);
  }

  @Test
  void strippedLocationAnswers201WithoutTheHeaderButCreates() {
    server.faults().stripLocation(true);
    var created =
        api()
            .header("Authorization", bearer)
            .contentType(ContentType.JSON)
            .body(CREATE)
            .post("/api/v1/cnc/breakout/vpn");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Location")).isNull();
    assertThat(server.attachmentIdsWith("[ccp:fault-1]")).hasSize(1);
  }

  @Test
  void errorShareOfOneAnswers5xx() {
    server.faults().everywhere(new SimulatorFaults.Rule(1.0, 0, 0, 0, Duration.ZERO));
    int status = api().header("Authorization", bearer).get("/api/v1/cnc/breakout").statusCode();
    assertThat(status).isIn(500, 502);
  }

  @Test
  void listDelayHidesNewAttachmentsFromTheList() {
    server.faults().listDelay(Duration.ofMinutes(1));
    api()
        .header("Authorization", bearer)
        .contentType(ContentType.JSON)
        .body(CREATE)
        .post("/api/v1/cnc/breakout/vpn")
        .then()
        .statusCode(201);
    String list =
        api()
            .header("Authorization", bearer)
            .get("/api/v1/cnc/breakout")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(list).isEqualTo("[]");
  }

  @Test
  void adminEndpointSetsFaults() {
    api()
        .contentType(ContentType.JSON)
        .body("{\"outage_ms\":60000}")
        .put("/simulator/admin/faults")
        .then()
        .statusCode(204);
    api().header("Authorization", bearer).get("/api/v1/cnc/breakout").then().statusCode(503);
    api().delete("/simulator/admin/faults").then().statusCode(204);
    api().header("Authorization", bearer).get("/api/v1/cnc/breakout").then().statusCode(200);
    api().get("/simulator/admin/faults").then().statusCode(200);
  }
}
