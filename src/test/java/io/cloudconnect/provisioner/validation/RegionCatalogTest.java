package io.cloudconnect.provisioner.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Regions come from emnify's available_region call (the simulator offers six); the configured list
 * (twenty) is only the fallback.
 */
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class RegionCatalogTest {
  @Inject EmnifyRegionCatalog catalog;
  @Inject ProvisionerConfig config;

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
}
