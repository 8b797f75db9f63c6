package io.cloudconnect.provisioner.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.outbox.OutboxRelay;
import io.cloudconnect.provisioner.persistence.RetentionStore;
import io.cloudconnect.provisioner.provisioning.Arrivals;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the retention purge deletes, against the real database: sent events and failed requests past
 * their retention, in bounded batches; never an unsent event, never a failed request whose event is
 * still unsent, never a request that has not ended.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class RetentionPurgeTest {
  @Inject RetentionStore store;
  @Inject OutboxRelay relay;
  @Inject Arrivals arrivals;

  private static String refused() {
    return Db.refusedRequest("purge");
  }

  @Test
  void sentEventsPastTheRetentionGoUnsentOnesStay() {
    String sentId = refused();
    Db.await(() -> relay.relay());
    String unsentId = refused();

    assertThat(Db.await(() -> store.purgeSentEvents(Instant.now().plusSeconds(1), 100)))
        .isEqualTo(1);

    assertThat(Db.outbox(sentId)).isEmpty();
    assertThat(Db.outbox(unsentId)).hasSize(1);
  }

  @Test
  void failedRequestsGoWithTheirSentEventButNotBeforeItWasSent() {
    String published = refused();
    Db.await(() -> relay.relay());
    String unpublished = refused();
    String open = Requests.newRequestId("purge-open");
    Db.await(() -> arrivals.accept(open, Specs.staticVpn("Berlin"), null));

    assertThat(Db.await(() -> store.purgeFailedRequests(Instant.now().plusSeconds(1), 100)))
        .isEqualTo(1);

    assertThat(Db.saga(published)).isNull();
    assertThat(Db.outbox(published)).isEmpty();
    assertThat(Db.saga(unpublished)).isNotNull();
    assertThat(Db.outbox(unpublished)).hasSize(1);
    assertThat(Db.saga(open)).isNotNull();
    // within the retention, nothing goes
    Db.await(() -> relay.relay());
    assertThat(Db.await(() -> store.purgeFailedRequests(Instant.now().minusSeconds(60), 100)))
        .isZero();
    assertThat(Db.saga(unpublished)).isNotNull();
  }

  @Test
  void aBatchIsBounded() {
    for (int i = 0; i < 3; i++) {
      refused();
    }
    Db.await(() -> relay.relay());

    assertThat(Db.await(() -> store.purgeFailedRequests(Instant.now().plusSeconds(1), 2)))
        .isEqualTo(2);
    assertThat(Db.await(() -> store.purgeFailedRequests(Instant.now().plusSeconds(1), 2)))
        .isEqualTo(1);
  }
}
