package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A create worker's claim, taken by the claim and given up by every step that ends it. */
class LeaseTest {
  static final Instant T0 = ProvisioningSagaTest.T0;

  @Test
  void aLeaseIsHeldByItsOwnerAndLiveUntilItRunsOut() {
    Lease lease = Lease.of("replica-a", T0.plusSeconds(60));
    assertThat(lease.heldBy("replica-a")).isTrue();
    assertThat(lease.heldBy("replica-b")).isFalse();
    assertThat(lease.liveAt(T0.plusSeconds(59))).isTrue();
    assertThat(lease.liveAt(T0.plusSeconds(60))).isFalse();
    assertThat(Lease.NONE.heldBy("replica-a")).isFalse();
    assertThat(Lease.NONE.liveAt(T0)).isFalse();
  }

  @Test
  void theClaimTakesItAndTheCreatesAnswerGivesItUp() {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    assertThat(saga.lease()).isSameAs(Lease.NONE);
    saga.claimForCreate("replica-a", T0, Duration.ofSeconds(60), Duration.ofMinutes(30));
    assertThat(saga.claimHeldAt(T0.plusSeconds(30))).isTrue();
    assertThat(saga.handBackUnsentClaim("replica-b", T0, Duration.ofMinutes(10))).isFalse();
    saga.attachmentCreated(42, T0.plusSeconds(1));
    assertThat(saga.lease()).isSameAs(Lease.NONE);
    assertThat(saga.claimHeldAt(T0.plusSeconds(30))).isFalse();
  }
}
