package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkerTest {
  @Test
  void descriptionCarriesTheNamespacedMarkerAfterTheProducersText() {
    String marker = Marker.of("eu-prod", "req:1");
    assertThat(marker).isEqualTo("[ccp:eu-prod/req:1]");
    assertThat(Marker.describe("Berlin office", marker))
        .isEqualTo("Berlin office [ccp:eu-prod/req:1]");
    assertThat(Marker.describe(null, marker)).isEqualTo(marker);
    assertThat(Marker.describe("  ", marker)).isEqualTo(marker);
  }

  @Test
  void namespaceAndRequestIdAreReadBackFromTheLastMarker() {
    assertThat(Marker.in("office [ccp:eu-prod/a.b_c-1] "))
        .contains(new Marker.Found("eu-prod", "a.b_c-1", "[ccp:eu-prod/a.b_c-1]"));
    assertThat(Marker.in("[ccp:x/fake] text [ccp:y/real]").map(Marker.Found::requestId))
        .contains("real");
    assertThat(Marker.in("no marker")).isEmpty();
    assertThat(Marker.in("[ccp:ns/bad id]")).isEmpty();
    assertThat(Marker.in("[ccp:Upper/id]")).isEmpty();
    assertThat(Marker.in(null)).isEmpty();
  }

  @Test
  void aMarkerWrittenBeforeNamespacesIsReadWithAnEmptyNamespace() {
    assertThat(Marker.in("office [ccp:req:1]"))
        .contains(new Marker.Found("", "req:1", "[ccp:req:1]"));
  }
}
