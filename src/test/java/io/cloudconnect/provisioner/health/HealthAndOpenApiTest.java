package io.cloudconnect.provisioner.health;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.Management;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The wellness group names what needs an operator's eye without touching liveness or readiness; the
 * HTTP API is described at /q/openapi.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class HealthAndOpenApiTest {

  @Test
  void theWellnessGroupReportsBreakersOutboxAndPollerApartFromLivenessAndReadiness() {
    Management.given()
        .get("/q/health/well")
        .then()
        .body(
            "checks.name",
            hasItems(
                "emnify-breakers",
                "outbox",
                "poller",
                "emnify-authentication",
                "emnify-regions",
                "jobs"));
    Management.given()
        .get("/q/health/well")
        .then()
        .body("checks.find { it.name == 'emnify-breakers' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'emnify-breakers' }.data", hasKey("emnify-create"))
        .body("checks.find { it.name == 'outbox' }.data.unsent_events", notNullValue())
        .body("checks.find { it.name == 'jobs' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'jobs' }.data", hasKey("status-poller"))
        .body("checks.find { it.name == 'jobs' }.data", hasKey("outbox-relay"))
        .body("checks.find { it.name == 'jobs' }.data", hasKey("create-lane-1"));
    Management.given()
        .get("/q/health/live")
        .then()
        .statusCode(200)
        .body("checks.name", org.hamcrest.Matchers.not(hasItems("outbox")))
        .body("checks.find { it.name == 'job-runner' }.status", equalTo("UP"));
  }

  @Test
  void theHttpApiIsDescribedAsOpenApiWithItsBearerScheme() {
    Management.given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("openapi", org.hamcrest.Matchers.startsWith("3."))
        .body(
            "paths.keySet()",
            hasItems(
                "/attachments/{requestId}",
                "/operator/overview",
                "/operator/requests",
                "/operator/requests/{id}/cancel",
                "/operator/requests/{id}/psk",
                "/operator/dead-letters/replay"))
        .body("components.securitySchemes", hasKey("operator-token"));
  }
}
