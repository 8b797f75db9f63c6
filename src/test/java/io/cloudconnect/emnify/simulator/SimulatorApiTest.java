package io.cloudconnect.emnify.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator answers with emnify's shapes: the service's tests are only as good as it is. */
class SimulatorApiTest {
  static final String API = "/api/v1";
  private static EmnifySimulator simulator;
  private String bearer;

  /** Shapes, not timing: an attachment stays in its first status for the whole test. */
  @BeforeAll
  static void start() throws Exception {
    simulator = EmnifySimulator.start(SimulatorOptions.forTests(Duration.ofMinutes(1)));
  }

  @AfterAll
  static void stop() throws Exception {
    simulator.close();
  }

  private static RequestSpecification given() {
    return RestAssured.given().baseUri(simulator.url());
  }

  @BeforeEach
  void authenticate() {
    String token =
        given()
            .contentType(ContentType.JSON)
            .body("{\"application_token\":\"simulator-application-token\"}")
            .post(API + "/authenticate")
            .then()
            .statusCode(200)
            .extract()
            .path("auth_token");
    bearer = "Bearer " + token;
  }

  private String create(String body) {
    Response response =
        given()
            .header("Authorization", bearer)
            .contentType(ContentType.JSON)
            .body(body)
            .post(API + "/cnc/breakout/vpn");
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.asString()).isEmpty();
    String location = response.header("Location");
    assertThat(location).matches("http://127.0.0.1:\\d+/api/v1/cnc/breakout/\\d+");
    return location.substring(location.lastIndexOf('/') + 1);
  }

  @Test
  void authTokenIsAJwtWithExpiry() throws Exception {
    String[] parts = bearer.substring(7).split("\\.");
    assertThat(parts).hasSize(3);
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(claims).contains("\"exp\":");
  }

  @Test
  void wrongApplicationTokenIs401() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"application_token\":\"wrong\"}")
        .post(API + "/authenticate")
        .then()
        .statusCode(401)
        .body("error_code", equalTo(401));
  }

  @Test
  void callsWithoutAValidTokenAre401() {
    given()
        .get(API + "/cnc/breakout")
        .then()
        .statusCode(401)
        .body("error_token", equalTo("invalid_token"));
    given()
        .header("Authorization", "Bearer a.b.c")
        .get(API + "/cnc/breakout")
        .then()
        .statusCode(401);
  }

  @Test
  void createAnswers201WithLocationAndGetAnswersAOneElementArray() {
    String id =
        create(
            "{\"type\":{\"id\":2},\"name\":\"sim test\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"],\"psk\":\"abcdefgh\"}");
    given()
        .header("Authorization", bearer)
        .get(API + "/cnc/breakout/" + id)
        .then()
        .statusCode(200)
        .body("$", hasSize(1))
        .body("[0].id", equalTo(Integer.parseInt(id)))
        .body("[0].status.id", equalTo(2))
        .body("[0].status.description", equalTo("Pending AWS Activation"))
        .body("[0].type.id", equalTo(2))
        .body("[0].creation_date", notNullValue());
  }

  @Test
  void createWithTypeAsPlainIntegerIs400WithErrors() {
    given()
        .header("Authorization", bearer)
        .contentType(ContentType.JSON)
        .body(
            "{\"type\":2,\"name\":\"x\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"]}")
        .post(API + "/cnc/breakout/vpn")
        .then()
        .statusCode(400)
        .body("error_code", equalTo(400))
        .body("errors[0].field", equalTo("type"));
  }

  @Test
  void listPagesWithTotalsInHeadersAndLeavesDeletedOut() {
    String first =
        create(
            "{\"type\":{\"id\":3},\"name\":\"page a\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"],\"asn\":65001}");
    create(
        "{\"type\":{\"id\":3},\"name\":\"page b\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"],\"asn\":65001}");
    given()
        .header("Authorization", bearer)
        .delete(API + "/cnc/breakout/" + first)
        .then()
        .statusCode(200);

    Response page =
        given()
            .header("Authorization", bearer)
            .queryParam("type", 3)
            .queryParam("per_page", 1)
            .queryParam("page", 1)
            .get(API + "/cnc/breakout");
    page.then().statusCode(200).body("$", hasSize(1));
    int total = Integer.parseInt(page.header("X-Total-Count"));
    assertThat(Integer.parseInt(page.header("X-Total-Pages"))).isEqualTo(total);
    assertThat(page.asString()).doesNotContain("\"id\":" + first + ",");
    given()
        .header("Authorization", bearer)
        .get(API + "/cnc/breakout/" + first)
        .then()
        .statusCode(404);
  }

  @Test
  void unknownAttachmentIs404WithErrorBody() {
    given()
        .header("Authorization", bearer)
        .get(API + "/cnc/breakout/999999999")
        .then()
        .statusCode(404)
        .body("error_token", equalTo("not_found"));
  }

  @Test
  void availableRegionsAreListed() {
    given()
        .header("Authorization", bearer)
        .get(API + "/cnc/breakout_type/2/available_region")
        .then()
        .statusCode(200)
        .body("region", org.hamcrest.Matchers.hasItem("eu-west-1"));
  }
}
