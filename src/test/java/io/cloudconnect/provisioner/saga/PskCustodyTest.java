package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the service holds of a pre-shared key, and when an operator may read it. */
class PskCustodyTest {
  static final Instant T0 = ProvisioningSagaTest.T0;

  @Test
  void aKeyTheProducerSentIsKeptSealedUntilErasedAndNeverHandedOut() {
    PskCustody custody = PskCustody.ofRequest("v1:sealed");
    assertThat(custody.sealed()).isEqualTo("v1:sealed");
    assertThat(custody.whyNotReadable(SagaState.READY))
        .hasValueSatisfying(why -> assertThat(why).contains("producer sent"));
    custody.erase();
    assertThat(custody.sealed()).isNull();
    assertThat(custody.whyNotReadable(SagaState.READY)).isPresent();
  }

  @Test
  void aKeyEmnifyGeneratedIsReadableOnceAndOnlyWhenReady() {
    PskCustody custody = PskCustody.ofRequest(null);
    assertThat(custody.whyNotReadable(SagaState.PROVISIONING))
        .hasValue("the request is PROVISIONING; its key can be read once it is READY");
    assertThat(custody.whyNotReadable(SagaState.READY)).isEmpty();

    assertThat(custody.retrieve("operator-a", T0)).isTrue();
    assertThat(custody.retrieve("operator-b", T0.plusSeconds(1))).isFalse();
    assertThat(custody.retrievedBy()).isEqualTo("operator-a");
    assertThat(custody.whyNotReadable(SagaState.READY))
        .hasValue("the pre-shared key was read already, at " + T0 + " by operator-a");
  }

  @Test
  void anAdoptedAttachmentsKeyIsReadableOnlyWhereTheDeploymentAllowsIt() {
    assertThat(PskCustody.ofAdoption(true).whyNotReadable(SagaState.READY)).isEmpty();
    assertThat(PskCustody.ofAdoption(false).whyNotReadable(SagaState.READY)).isPresent();
  }

  @Test
  void theSagaErasesTheSealedKeyOnceEmnifyHasIt() {
    ProvisioningSaga saga = ProvisioningSagaTest.received();
    saga.claimForCreate(
        "a", T0, java.time.Duration.ofSeconds(60), java.time.Duration.ofMinutes(30));
    saga.attachmentCreated(42, T0);
    assertThat(saga.psk().sealed()).isNull();
  }
}
