package io.cloudconnect.provisioner.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.IdDescription;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.support.Specs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two attachments carrying one marker. */
class AttachmentSnapshotTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Attachment carrying(long id, String requestId) {
    return new Attachment(
        id,
        "Berlin",
        "site " + Marker.of("test", requestId),
        new IdDescription(2, "Pending AWS Activation"),
        null,
        "eu-west-1",
        null);
  }

  @Test
  void duplicateMarkerResolvesToTheOlderAttachmentWhateverTheListOrder() {
    ProvisioningSaga saga =
        ProvisioningSaga.received(
            "req-dup", Specs.staticVpn("Berlin"), "{}", null, T0, Duration.ofMinutes(30), "test");
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.createOutcomeUnknown("create timed out", false, T0);

    for (List<Attachment> order :
        List.of(
            List.of(carrying(7, "req-dup"), carrying(9, "req-dup")),
            List.of(carrying(9, "req-dup"), carrying(7, "req-dup")))) {
      AttachmentSnapshot snapshot = new AttachmentSnapshot(order, T0, true);
      assertThat(snapshot.observe(saga)).map(Observation::attachmentId).contains(7L);
    }
  }
}
