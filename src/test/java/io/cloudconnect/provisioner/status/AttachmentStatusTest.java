package io.cloudconnect.provisioner.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.support.Specs;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status API says what an open request waits for. */
class AttachmentStatusTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ProvisioningSaga received() {
    return ProvisioningSaga.received(
        "req-1", Specs.staticVpn("Berlin"), "{}", null, T0, Duration.ofHours(1), "test");
  }

  @Test
  void aRequestWaitingForItsTurnSaysSoWithTheEndOfItsWait() {
    AttachmentStatus status = AttachmentStatus.of(received());
    assertThat(status.waitingFor()).isEqualTo("its turn for a create call (until deadline_at)");
    assertThat(status.timestamps().deadlineAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void eachOpenStateSaysWhatItWaitsForAndAnEndedOneNothing() {
    ProvisioningSaga saga = received();
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    assertThat(AttachmentStatus.of(saga).waitingFor())
        .isEqualTo("emnify's answer to the create call");
    saga.createDeferred("create answered 429", T0.plusSeconds(5), T0);
    assertThat(AttachmentStatus.of(saga).waitingFor())
        .isEqualTo("a retry of the create call at next_attempt_at");
    saga.claimForCreate("a", T0.plusSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(30));
    saga.attachmentCreated(4711, T0.plusSeconds(6));
    assertThat(AttachmentStatus.of(saga).waitingFor())
        .isEqualTo("emnify to report the attachment Active");
    saga.fail(
        FailureReason.TIMED_OUT,
        "deadline",
        io.cloudconnect.provisioner.saga.Compensation.NOT_NEEDED,
        "nothing",
        T0.plusSeconds(7));
    assertThat(AttachmentStatus.of(saga).waitingFor()).isNull();
  }
}
