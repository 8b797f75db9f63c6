package io.cloudconnect.emnify.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator answers as emnify publishes (sources in {@link ApiRoutes}): the service's tests are
 * only as good as it is.
 */
class SimulatorApiTest {
  static final String API = "/api/v1";
  static final String VALID =
      "{\"type\":{\"id\":2},\"name\":\"NAME\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"]}";
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

  /** OAS-AUTH: "the response body is empty for most authentication failures". */
  @Test
  void wrongApplicationTokenIs401WithAnEmptyBody() {
    Response refused =
        given()
            .contentType(ContentType.JSON)
            .body("{\"application_token\":\"wrong\"}")
            .post(API + "/authenticate");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.asString()).isEmpty();
  }

  /** OAS-AUTH: three failures in a row lock the account for 5 minutes: 401 TooManyRequests. */
  @Test
  void threeFailedAuthenticationsLockTheAccountOutEvenForTheRightToken() throws Exception {
    try (EmnifySimulator locking =
        EmnifySimulator.start(
            SimulatorOptions.forTests(Duration.ofMinutes(1)).withLockout(Duration.ofMillis(400)))) {
      for (int i = 0; i < 3; i++) {
        authenticate(locking, "wrong").then().statusCode(401);
      }
      authenticate(locking, SimulatorOptions.APPLICATION_TOKEN)
          .then()
          .statusCode(401)
          .body("error_token", equalTo("TooManyRequests"));
      // the lock-out ends by itself
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> authenticate(locking, SimulatorOptions.APPLICATION_TOKEN).statusCode() == 200);
    }
  }

  private static Response authenticate(EmnifySimulator target, String applicationToken) {
    return RestAssured.given()
        .baseUri(target.url())
        .contentType(ContentType.JSON)
        .body("{\"application_token\":\"" + applicationToken + "\"}")
        .post(API + "/authenticate");
  }

  @Test
  void callsWithoutAValidTokenAre401() {
    given()
        .get(API + "/cnc/breakout")
        .then()
        .statusCode(401)
        .body("error_code", equalTo(1102))
        .body("error_token", equalTo("InvalidToken"));
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

  /** DOC-ERR: invalid input is 422 InputValidationFailed (1400) with nested errors. */
  @Test
  void createWithTypeAsPlainIntegerIs422InputValidationFailed() {
    given()
        .header("Authorization", bearer)
        .contentType(ContentType.JSON)
        .body(
            "{\"type\":2,\"name\":\"x\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"]}")
        .post(API + "/cnc/breakout/vpn")
        .then()
        .statusCode(422)
        .body("error_code", equalTo(1400))
        .body("error_token", equalTo("InputValidationFailed"))
        .body("errors[0].error_token", equalTo("InputValidationFailed"))
        .body("errors[0].message", org.hamcrest.Matchers.startsWith("type "));
  }

  /** OAS-CC create: 400 for a malformed body, 403 Forbidden (1104); DOC-ERR: 409 conflicts. */
  @Test
  void createRefusalsAsEmnifyAnswersThem() {
    given()
        .header("Authorization", bearer)
        .contentType(ContentType.JSON)
        .body("not json")
        .post(API + "/cnc/breakout/vpn")
        .then()
        .statusCode(400);
    given()
        .header("Authorization", bearer)
        .contentType(ContentType.JSON)
        .body(VALID.replace("NAME", "x [sim:forbidden]"))
        .post(API + "/cnc/breakout/vpn")
        .then()
        .statusCode(403)
        .body("error_code", equalTo(1104))
        .body("error_token", equalTo("Forbidden"));
    given()
        .header("Authorization", bearer)
        .contentType(ContentType.JSON)
        .body(VALID.replace("NAME", "x [sim:conflict]"))
        .post(API + "/cnc/breakout/vpn")
        .then()
        .statusCode(409);
  }

  /** DOC-PAGE: a page past the last returns the last page; too large a per_page is capped. */
  @Test
  void pagePastTheLastIsTheLastPageAndPerPageIsCapped() throws Exception {
    try (EmnifySimulator capped =
        EmnifySimulator.start(SimulatorOptions.forTests(Duration.ofMinutes(1)).withPerPageCap(2))) {
      String token = authenticate(capped, SimulatorOptions.APPLICATION_TOKEN).path("auth_token");
      for (int i = 0; i < 3; i++) {
        RestAssured.given()
            .baseUri(capped.url())
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body(VALID.replace("NAME", "page " + i))
            .post(API + "/cnc/breakout/vpn")
            .then()
            .statusCode(201);
      }
      Response page =
          RestAssured.given()
              .baseUri(capped.url())
              .header("Authorization", "Bearer " + token)
              .queryParam("per_page", 1000)
              .queryParam("page", 7)
              .get(API + "/cnc/breakout");
      page.then().statusCode(200).body("$", hasSize(1)).body("[0].name", equalTo("page 2"));
      assertThat(page.header("X-Current-Page")).isEqualTo("2");
      assertThat(page.header("X-Count-Per-Page")).isEqualTo("2");
      assertThat(page.header("X-Total-Pages")).isEqualTo("2");
    }
  }

  /**
   * OAS-CC get-cloud-connect-attachments documents status, type and organisation only: by default
   * the whole list is one answer, whatever page and per_page say, without paging headers.
   */
  @Test
  void theListAsDocumentedIgnoresPagingAndSendsNoPagingHeaders() throws Exception {
    try (EmnifySimulator documented =
        EmnifySimulator.start(SimulatorOptions.forTests(Duration.ofMinutes(1)))) {
      documented.seedActiveAttachments(5);
      String token =
          authenticate(documented, SimulatorOptions.APPLICATION_TOKEN).path("auth_token");
      Response answer = pageThreeOfTwo(documented, token);
      answer.then().statusCode(200).body("$", hasSize(5));
      assertThat(answer.headers().asList())
          .extracting(h -> h.getName().toLowerCase(java.util.Locale.ROOT))
          .noneMatch(name -> name.startsWith("x-total") || name.startsWith("x-current"));

      documented.pagedList(true);
      Response paged = pageThreeOfTwo(documented, token);
      paged.then().statusCode(200).body("$", hasSize(1));
      assertThat(paged.header("X-Total-Count")).isEqualTo("5");
      assertThat(paged.header("X-Total-Pages")).isEqualTo("3");
    }
  }

  private static Response pageThreeOfTwo(EmnifySimulator simulator, String token) {
    return RestAssured.given()
        .baseUri(simulator.url())
        .header("Authorization", "Bearer " + token)
        .queryParam("per_page", 2)
        .queryParam("page", 3)
        .get(API + "/cnc/breakout");
  }

  /** OAS-CC tunnel_information.metrics: bytes_in and bytes_out are objects. */
  @Test
  void activeAttachmentShowsTunnelInformationWithMetricsAsObjects() throws Exception {
    try (EmnifySimulator active = EmnifySimulator.start(SimulatorOptions.forTests(Duration.ZERO))) {
      String token = authenticate(active, SimulatorOptions.APPLICATION_TOKEN).path("auth_token");
      String location =
          RestAssured.given()
              .baseUri(active.url())
              .header("Authorization", "Bearer " + token)
              .contentType(ContentType.JSON)
              .body(VALID.replace("NAME", "active"))
              .post(API + "/cnc/breakout/vpn")
              .header("Location");
      RestAssured.given()
          .header("Authorization", "Bearer " + token)
          .get(location)
          .then()
          .statusCode(200)
          .body("[0].status.id", equalTo(5))
          .body("[0].tunnel_information.metrics.tunnel_state", equalTo("UP"))
          .body("[0].tunnel_information.metrics.bytes_in", equalTo(java.util.Map.of()))
          .body("[0].tunnel_information.metrics.bytes_out", equalTo(java.util.Map.of()));
    }
  }

  /**
   * OAS-CC delete and list: a deleted attachment passes through 6 Deactivation Pending (one status
   * step), then is left out of the list and answers 404; paging headers count what is listed.
   */
  @Test
  void deletedAttachmentPassesThroughDeactivationPendingThenIsLeftOut() throws Exception {
    try (EmnifySimulator quick =
        EmnifySimulator.start(
            SimulatorOptions.forTests(Duration.ofMillis(300)).withPagedList(true))) {
      String token = authenticate(quick, SimulatorOptions.APPLICATION_TOKEN).path("auth_token");
      RequestSpecification api =
          RestAssured.given().baseUri(quick.url()).header("Authorization", "Bearer " + token);
      String first = idOf(api, "page a");
      idOf(api, "page b");
      RestAssured.given().spec(api).delete(API + "/cnc/breakout/" + first).then().statusCode(200);
      RestAssured.given()
          .spec(api)
          .get(API + "/cnc/breakout/" + first)
          .then()
          .statusCode(200)
          .body("[0].status.id", equalTo(6));
      // deleting again while it is on its way out changes nothing
      RestAssured.given().spec(api).delete(API + "/cnc/breakout/" + first).then().statusCode(200);

      Thread.sleep(400);
      Response page =
          RestAssured.given()
              .spec(api)
              .queryParam("per_page", 1)
              .queryParam("page", 1)
              .get(API + "/cnc/breakout");
      page.then().statusCode(200).body("$", hasSize(1));
      assertThat(page.header("X-Total-Count")).isEqualTo("1");
      assertThat(page.header("X-Total-Pages")).isEqualTo("1");
      assertThat(page.asString()).doesNotContain("\"id\":" + first + ",");
      RestAssured.given().spec(api).get(API + "/cnc/breakout/" + first).then().statusCode(404);
      RestAssured.given().spec(api).delete(API + "/cnc/breakout/" + first).then().statusCode(404);
    }
  }

  /** OAS-CC delete: refused in status 8 (Rolling Back) and 7 (Deactivated). */
  @Test
  void deleteIsRefusedWhileRollingBackAndOnceDeactivated() throws Exception {
    try (EmnifySimulator quick =
        EmnifySimulator.start(SimulatorOptions.forTests(Duration.ofMillis(300)))) {
      String token = authenticate(quick, SimulatorOptions.APPLICATION_TOKEN).path("auth_token");
      RequestSpecification api =
          RestAssured.given().baseUri(quick.url()).header("Authorization", "Bearer " + token);
      String id = idOf(api, "rb [sim:rollback]");
      Thread.sleep(450); // past one step: Rolling Back
      RestAssured.given()
          .spec(api)
          .get(API + "/cnc/breakout/" + id)
          .then()
          .body("[0].status.id", equalTo(8));
      RestAssured.given().spec(api).delete(API + "/cnc/breakout/" + id).then().statusCode(409);
      Thread.sleep(600); // past the third step: the rollback ended Deactivated
      RestAssured.given()
          .spec(api)
          .get(API + "/cnc/breakout/" + id)
          .then()
          .body("[0].status.id", equalTo(7));
      RestAssured.given().spec(api).delete(API + "/cnc/breakout/" + id).then().statusCode(409);
    }
  }

  private static String idOf(RequestSpecification api, String name) {
    String location =
        RestAssured.given()
            .spec(api)
            .contentType(ContentType.JSON)
            .body(VALID.replace("NAME", name))
            .post(API + "/cnc/breakout/vpn")
            .then()
            .statusCode(201)
            .extract()
            .header("Location");
    return location.substring(location.lastIndexOf('/') + 1);
  }

  @Test
  void unknownAttachmentIs404WithErrorBody() {
    given()
        .header("Authorization", bearer)
        .get(API + "/cnc/breakout/999999999")
        .then()
        .statusCode(404)
        .body("error_code", equalTo(1201))
        .body("error_token", equalTo("NotFound"));
  }

  /** OAS-CC available_region: an array of {attachment_region, device_breakout_region}. */
  @Test
  void availableRegionsAreListedInEmnifysShape() {
    given()
        .header("Authorization", bearer)
        .get(API + "/cnc/breakout_type/2/available_region")
        .then()
        .statusCode(200)
        .body("attachment_region", org.hamcrest.Matchers.hasItem("eu-west-1"))
        .body("device_breakout_region", org.hamcrest.Matchers.hasItem("eu-west-1"))
        .body("region", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.nullValue()));
  }

  /**
   * OAS-CC list: a Master organisation's unfiltered list shows its direct child organisations'
   * attachments; {@code organisation} selects one organisation's. OAS-ORG: /organisation/my names
   * the token's own organisation.
   */
  @Test
  void masterOrganisationsListShowsItsChildrenUnlessFilteredByOrganisation() {
    try (EmnifySimulator master =
        EmnifySimulator.start(SimulatorOptions.forTests(Duration.ofMinutes(1)))) {
      String token =
          RestAssured.given()
              .baseUri(master.url())
              .contentType(ContentType.JSON)
              .body("{\"application_token\":\"simulator-application-token\"}")
              .post(API + "/authenticate")
              .then()
              .extract()
              .path("auth_token");
      RequestSpecification asMaster =
          RestAssured.given().baseUri(master.url()).header("Authorization", "Bearer " + token);
      List<Long> children = master.masterWithChildAttachments(99, List.of("child [ccp:x]"));
      long own =
          Long.parseLong(
              RestAssured.given()
                  .baseUri(master.url())
                  .header("Authorization", "Bearer " + token)
                  .contentType(ContentType.JSON)
                  .body(
                      "{\"type\":{\"id\":2},\"name\":\"own\",\"public_ip\":\"91.64.22.5\",\"on_prem_cidr\":[\"10.0.0.0/16\"]}")
                  .post(API + "/cnc/breakout/vpn")
                  .then()
                  .statusCode(201)
                  .extract()
                  .header("Location")
                  .replaceAll(".*/", ""));
      int organisation =
          RestAssured.given()
              .baseUri(master.url())
              .header("Authorization", "Bearer " + token)
              .get(API + "/organisation/my")
              .then()
              .statusCode(200)
              .extract()
              .path("id");

      List<Number> unfiltered = asMaster.get(API + "/cnc/breakout").then().extract().path("id");
      List<Number> filtered =
          RestAssured.given()
              .baseUri(master.url())
              .header("Authorization", "Bearer " + token)
              .queryParam("organisation", organisation)
              .get(API + "/cnc/breakout")
              .then()
              .extract()
              .path("id");

      assertThat(unfiltered).extracting(Number::longValue).containsExactlyElementsOf(children);
      assertThat(filtered).extracting(Number::longValue).containsExactly(own);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
