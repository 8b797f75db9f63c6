package io.cloudconnect.provisioner.removal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.support.Specs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which listed attachments are orphans. */
class OrphansTest {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private static ProvisioningSaga provisioning(String id, long attachment) {
    ProvisioningSaga saga =
        ProvisioningSaga.received(
            id, Specs.staticVpn("site"), "{}", null, T0, Duration.ofHours(1), "ns");
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.attachmentCreated(attachment, T0);
    return saga;
  }

  /**
   * Found by the lifecycle fault scenario: the holders were read before the create was recorded,
   * the request after it; the request's own attachment was judged a duplicate and deleted.
   */
  @Test
  void anAttachmentItsOwnRequestHoldsIsNeverAnOrphanWhateverTheHoldersMapSays() {
    ProvisioningSaga saga = provisioning("req-1", 4709);
    assertThat(
            Orphans.judge(
                4709, "site " + Marker.of("ns", "req-1"), 2, "ns", Map.of(), Map.of("req-1", saga)))
        .isEmpty();
    assertThat(
            Orphans.judge(
                4710, "site " + Marker.of("ns", "req-1"), 2, "ns", Map.of(), Map.of("req-1", saga)))
        .hasValueSatisfying(o -> assertThat(o.why()).contains("duplicate"));
  }

  @Test
  void anotherNamespaceAnOldMarkerAndAnAttachmentOnItsWayOutAreNeverOrphans() {
    assertThat(Orphans.judge(1, Marker.of("other", "x"), 5, "ns", Map.of(), Map.of())).isEmpty();
    assertThat(Orphans.judge(1, "[ccp:x]", 5, "ns", Map.of(), Map.of())).isEmpty();
    assertThat(Orphans.judge(1, Marker.of("ns", "x"), 6, "ns", Map.of(), Map.of())).isEmpty();
    assertThat(Orphans.judge(1, Marker.of("ns", "x"), 5, "ns", Map.of(), Map.of()))
        .hasValueSatisfying(o -> assertThat(o.why()).contains("no request x is recorded"));
  }
}
