package io.cloudconnect.provisioner.access;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.Management;
import io.cloudconnect.provisioner.support.OperatorTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every door checked: each route the OpenAPI document describes, called without a token and with
 * each role, answers as docs/OPERATIONS.md's table of roles says; a route the table does not know
 * fails this test until someone decides who may call it. Every protected path is then tried in the
 * spellings that path-matching bypasses have used (matrix parameters, encoded separators, dot
 * segments, doubled slashes) without a token and with a role that may not call it.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class RouteAccessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final List<String> ROLES = List.of("status-reader", "viewer", "operator", "psk-reader");
  static final Set<String> READERS = Set.of("viewer", "operator");

  /** Who may call each route (docs/OPERATIONS.md, "Roles"). */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          entry("GET /attachments/{requestId}", Set.of("status-reader", "viewer", "operator")),
          entry("GET /operator/requests", READERS),
          entry("GET /operator/requests/counts", READERS),
          entry("GET /operator/requests/{id}", READERS),
          entry("GET /operator/overview", READERS),
          entry("GET /operator/dead-letters", READERS),
          entry("POST /operator/requests/{id}/cancel", Set.of("operator")),
          entry("POST /operator/requests/{id}/recheck", Set.of("operator")),
          entry("POST /operator/requests/{id}/republish", Set.of("operator")),
          entry("POST /operator/dead-letters/replay", Set.of("operator")),
          entry("POST /operator/sweep", Set.of("operator")),
          entry("POST /operator/requests/{id}/psk", Set.of("psk-reader")));

  @Test
  void everyRouteAnswersEachRoleAsTheTableSays() throws Exception {
    JsonNode document =
        JSON.readTree(Management.given().queryParam("format", "json").get("/q/openapi").asString());
    Set<String> routes = new TreeSet<>();
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                            routes.add(method.toUpperCase() + " " + path.getKey());
                          }
                        }));
    assertThat(routes).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());

    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = concrete(route.substring(route.indexOf(' ') + 1));
      assertThat(call(method, path, null)).as("%s without a token", route).isEqualTo(401);
      for (String role : ROLES) {
        int status = call(method, path, OperatorTokens.token("routes", role));
        if (ALLOWED.get(route).contains(role)) {
          // let in: not found, a missing reason, or an answer; never refused or broken
          assertThat(status).as("%s as %s", route, role).isNotIn(401, 403).isLessThan(500);
        } else {
          assertThat(status).as("%s as %s", route, role).isEqualTo(403);
        }
      }
    }
  }

  @Test
  void noSpellingOfAProtectedPathGetsPastItsRoles() throws Exception {
    String portal = OperatorTokens.token("routes", "status-reader");
    for (Map.Entry<String, Set<String>> route : ALLOWED.entrySet()) {
      String method = route.getKey().substring(0, route.getKey().indexOf(' '));
      String path = concrete(route.getKey().substring(route.getKey().indexOf(' ') + 1));
      for (String spelling : spellings(path)) {
        assertThat(call(method, spelling, null))
            .as("%s %s without a token", method, spelling)
            .isGreaterThanOrEqualTo(400)
            .isLessThan(500);
        if (!route.getValue().contains("status-reader")) {
          assertThat(call(method, spelling, portal))
              .as("%s %s as a status-reader", method, spelling)
              .isGreaterThanOrEqualTo(400)
              .isLessThan(500);
        }
      }
    }
  }

  @Test
  void aTokenForAnotherAudienceIssuerOrTooOldIsRefused() throws Exception {
    String path = "/operator/overview";
    assertThat(call("GET", path, OperatorTokens.token("vera", "viewer"))).isEqualTo(200);
    assertThat(
            call(
                "GET",
                path,
                OperatorTokens.sign(
                    OperatorTokens.claims("vera", "viewer").audience("another-client"))))
        .as("another audience")
        .isEqualTo(401);
    assertThat(
            call(
                "GET",
                path,
                OperatorTokens.sign(
                    OperatorTokens.claims("vera", "viewer")
                        .issuer("cloudconnect-provisioner/staging/operator-token"))))
        .as("another issuer")
        .isEqualTo(401);
    assertThat(
            call(
                "GET",
                path,
                OperatorTokens.sign(
                    OperatorTokens.claims("vera", "viewer")
                        .issuedAt(java.time.Instant.now().minus(Duration.ofDays(8)))
                        .expiresAt(java.time.Instant.now().plus(Duration.ofDays(1))))))
        .as("issued eight days ago, though not expired")
        .isEqualTo(401);
  }

  /** The path with each parameter filled by a request id that does not exist. */
  private static String concrete(String template) {
    return template.replaceAll("\\{[^}]+}", "no-such-request");
  }

  /** Spellings that a path matcher and a router may read differently. */
  static List<String> spellings(String path) {
    String first = path.substring(1, path.indexOf('/', 1));
    String rest = path.substring(path.indexOf('/', 1));
    List<String> spellings = new ArrayList<>();
    spellings.add("/" + path);
    spellings.add("/" + first + ";x" + rest);
    spellings.add("/" + first + "%3Bx" + rest);
    spellings.add("/" + first + "%3bx" + rest);
    spellings.add("/" + first + "/." + rest);
    spellings.add("/" + first + "/%2e" + rest);
    spellings.add("/" + first + "/x/.." + rest);
    spellings.add("/" + first + "/x/%2e%2e" + rest);
    spellings.add("/" + first + "%2F" + rest.substring(1));
    spellings.add("/" + first + "%5C" + rest.substring(1));
    spellings.add("/" + first.toUpperCase() + rest);
    spellings.add("/./" + first + rest);
    spellings.add(path + ";x");
    spellings.add(path + "%3Bx");
    spellings.add(path + "/");
    spellings.add(path + "%00");
    return spellings;
  }

  private static int call(String method, String path, String token) throws Exception {
    int port =
        ConfigProvider.getConfig()
            .getOptionalValue("quarkus.http.test-port", Integer.class)
            .orElse(8081);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
