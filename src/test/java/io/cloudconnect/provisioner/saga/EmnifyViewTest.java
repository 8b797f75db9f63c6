package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What emnify last reported: a status keeps its since until another one is reported. */
class EmnifyViewTest {
  static final Instant T0 = ProvisioningSagaTest.T0;

  @Test
  void theSameStatusKeepsItsSinceAndANewOneStartsIt() {
    assertThat(EmnifyView.NONE.shows(2)).isFalse();

    EmnifyView pending = EmnifyView.NONE.reported(2, "Pending AWS Activation", T0);
    assertThat(pending.shows(2)).isTrue();
    assertThat(pending.since()).isEqualTo(T0);

    EmnifyView still = pending.reported(2, "Pending AWS Activation", T0.plusSeconds(30));
    assertThat(still.since()).isEqualTo(T0);

    EmnifyView active = still.reported(5, "Active", T0.plusSeconds(60));
    assertThat(active.statusId()).isEqualTo(5);
    assertThat(active.status()).isEqualTo("Active");
    assertThat(active.since()).isEqualTo(T0.plusSeconds(60));
    assertThat(pending.statusId()).as("a value: the old view is unchanged").isEqualTo(2);
  }

  @Test
  void theSagaRecordsWhatEmnifyReports() {
    ProvisioningSaga saga = ProgressRulesTest.provisioning();
    assertThat(saga.emnifyView()).isSameAs(EmnifyView.NONE);
    saga.statusObserved(2, "Pending AWS Activation", T0.plusSeconds(10));
    saga.statusObserved(2, "Pending AWS Activation", T0.plusSeconds(20));
    assertThat(saga.emnifyView().since()).isEqualTo(T0.plusSeconds(10));
    saga.becameReady(5, "Active", 2, T0.plusSeconds(30));
    assertThat(saga.emnifyView().shows(5)).isTrue();
    assertThat(saga.emnifyView().since()).isEqualTo(T0.plusSeconds(30));
  }
}
