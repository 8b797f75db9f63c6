package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkerTest {
  @Test
  void descriptionCarriesTheMarkerAfterTheProducersText() {
    assertThat(Marker.describe("Berlin office", "req:1")).isEqualTo("Berlin office [ccp:req:1]");
    assertThat(Marker.describe(null, "req-1")).isEqualTo("[ccp:req-1]");
    assertThat(Marker.describe("  ", "req-1")).isEqualTo("[ccp:req-1]");
  }

  @Test
  void requestIdIsReadBackFromTheLastMarker() {
    assertThat(Marker.requestIdIn("office [ccp:a.b_c-1] ")).contains("a.b_c-1");
    assertThat(Marker.requestIdIn("[ccp:fake] text [ccp:real]")).contains("real");
    assertThat(Marker.requestIdIn("no marker")).isEmpty();
    assertThat(Marker.requestIdIn("[ccp:bad id]")).isEmpty();
    assertThat(Marker.requestIdIn(null)).isEmpty();
  }
}
