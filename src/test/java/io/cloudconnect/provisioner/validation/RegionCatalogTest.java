package io.cloudconnect.provisioner.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorOptions;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Management;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regions come from emnify's available_region call (the simulator offers six); the configured list
 * (twenty) is only the fallback.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class RegionCatalogTest {
  @Inject EmnifyRegionCatalog catalog;
  @Inject ProvisionerConfig config;
  @InjectSimulator EmnifySimulator simulator;

  @AfterEach
  void emnifyOffersItsUsualRegions() {
    simulator.offerRegions(SimulatorOptions.REGIONS);
    Db.await(() -> catalog.refresh());
  }

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void regionsAreTheOnesEmnifyLists() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !catalog.regionsFor(2).equals(java.util.Set.copyOf(config.validation().regions())));
    assertThat(catalog.regionsFor(2))
        .containsExactlyInAnyOrder(
            "eu-west-1",
            "eu-central-1",
            "us-east-1",
            "us-west-2",
            "ap-southeast-1",
            "ap-northeast-1");
    assertThat(config.validation().regions()).contains("eu-north-1");
  }

  @Test
  void regionInTheFallbackButNotOfferedByEmnifyIsRefused() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !catalog.regionsFor(2).contains("eu-north-1"));
    String id = Requests.newRequestId("region");
    ObjectNode request = Requests.staticVpn(id);
    Requests.attachment(request).put("region", "eu-north-1");
    kafka.send(id, request.toString());

    assertThat(Outcomes.failed(id, "VALIDATION_FAILED").errorCodes())
        .containsExactly("REGION_NOT_OFFERED");
  }

  @Test
  void regionEmnifyOffersIsAcceptedEvenIfTheFallbackLacksIt() {
    assertThat(config.validation().regions()).doesNotContain("ap-east-1");
    List<String> offered = new ArrayList<>(SimulatorOptions.REGIONS);
    offered.add("ap-east-1");
    simulator.offerRegions(offered);
    Db.await(() -> catalog.refresh());
    String id = Requests.newRequestId("region");
    ObjectNode request = Requests.staticVpn(id);
    Requests.attachment(request).put("region", "ap-east-1");

    kafka.send(id, request.toString());

    assertThat(Outcomes.ready(id).data().get("region").asText()).isEqualTo("ap-east-1");
  }

  @Test
  void emptyRegionAnswerShowsInHealthAndMetricsNotOnlyInTheLog() {
    simulator.offerRegions(List.of());

    Db.await(() -> catalog.refresh());

    Management.given()
        .get("/q/health/well")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'emnify-regions' }.status", equalTo("DOWN"))
        .body(
            "checks.find { it.name == 'emnify-regions' }.data.'type 2'",
            containsString("emnify listed no regions"));
    assertThat(Management.given().get("/q/metrics").asString())
        .contains("cloudconnect_regions_refresh_problems_total{problem=\"empty\",type=\"2\"}");
    // the last list emnify gave is still trusted until its time to live ends
    assertThat(catalog.regionsFor(2)).contains("eu-west-1").doesNotContain("eu-north-1");

    simulator.offerRegions(SimulatorOptions.REGIONS);
    Db.await(() -> catalog.refresh());
    Management.given()
        .get("/q/health/well")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'emnify-regions' }.status", equalTo("UP"));
  }
}
