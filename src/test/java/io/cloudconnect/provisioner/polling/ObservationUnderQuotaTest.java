package io.cloudconnect.provisioner.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Rule;
import io.cloudconnect.provisioner.creation.CreateWorker;
import io.cloudconnect.provisioner.provisioning.Arrivals;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.Specs;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The poller on emnify's production quota (1,960 calls per 5 minutes) while creates wait, where a
 * small share of the budget is left to looking. Neither a failed list nor emnify's documented,
 * unpaged list may hold observation back beyond its bound (the poller once costed an unknown list
 * at 1,000 pages and paused itself for 2 h 7 min, at DEBUG).
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ObservationUnderQuotaTest.ProductionQuota.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class ObservationUnderQuotaTest {
  static final String LIST = "GET /cnc/breakout";
  static final String CREATE = "POST /cnc/breakout/vpn";

  /**
   * Production's budget; the pause bounded at 1 s so that a test can wait it out; the requests in
   * flight read two at a time.
   */
  public static class ProductionQuota extends ManualJobs {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("cloudconnect.budget.api.per-window", "1960");
      overrides.put("cloudconnect.budget.api.burst", "40");
      overrides.put("cloudconnect.polling.max-pause", "1s");
      overrides.put("cloudconnect.polling.in-flight-page", "2");
      return overrides;
    }
  }

  @InjectSimulator EmnifySimulator simulator;
  @Inject StatusPoller poller;
  @Inject CreateWorker worker;
  @Inject Arrivals arrivals;
  @Inject MeterRegistry metrics;

  /** A create whose answer was lost (its marker is looked for in the whole list). */
  private String ambiguousCreate(String name) {
    simulator.faults().on(CREATE, Rule.NONE.lostCreates(1.0));
    String id = Requests.newRequestId("oq");
    Db.await(() -> arrivals.accept(id, Specs.staticVpn(name), null));
    Db.await(() -> worker.createDue());
    simulator.faults().clear();
    assertThat(Db.saga(id).state()).isEqualTo(SagaState.CREATE_UNKNOWN);
    return id;
  }

  /** A request that waits for its create: looking gets the busy share (2 %) of the budget. */
  private void aRequestWaitsForItsCreate() {
    String waiting = Requests.newRequestId("oq-wait");
    Db.await(() -> arrivals.accept(waiting, Specs.staticVpn("Waiting"), null));
  }

  /** Poll passes, one every 100 ms, until {@code done}: the pause after a cycle is at most 1 s. */
  private void pollUntil(java.util.concurrent.Callable<Boolean> done) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Db.await(() -> poller.poll());
              return done.call();
            });
  }

  private double deferred() {
    var counter =
        metrics
            .find("cloudconnect.deferred")
            .tags("job_name", "status-poller", "reason", "budget-share")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aFailedListIsReadAgainWithinTheBoundNotHoursLater() {
    String id = ambiguousCreate("Lisbon");
    aRequestWaitsForItsCreate();
    simulator.faults().on(LIST, Rule.NONE.errors(1.0));
    Db.await(() -> poller.poll());
    assertThat(Db.saga(id).state()).isEqualTo(SagaState.CREATE_UNKNOWN);
    simulator.faults().clear();
    long lists = simulator.requests(LIST);

    pollUntil(() -> Db.saga(id).state() == SagaState.PROVISIONING);

    assertThat(simulator.requests(LIST)).isGreaterThan(lists);
  }

  @Test
  void theDocumentedListOfALargeOrganisationIsReadInOneCallAndThePauseIsBoundedAndVisible() {
    List<Long> others = simulator.seedActiveAttachments(150);
    try {
      String id = ambiguousCreate("Porto");
      aRequestWaitsForItsCreate();
      long lists = simulator.requests(LIST);
      double deferredBefore = deferred();

      Db.await(() -> poller.poll());

      assertThat(Db.saga(id).state()).isEqualTo(SagaState.PROVISIONING);
      assertThat(simulator.requests(LIST) - lists)
          .as("the size look and the whole list, each one answer")
          .isLessThanOrEqualTo(2);
      // 2 calls at 2 % of 6.5 calls/s would pause 15 s: held to the 1 s bound, and said
      assertThat(deferred()).isGreaterThan(deferredBefore);
      double pause = metrics.find("cloudconnect.poller.pause").gauge().value();
      assertThat(pause).isBetween(0.0, 1.0);
    } finally {
      simulator.delete(others);
    }
  }

  /**
   * Five ambiguous creates, read two at a time: one cycle settles all of them, with the whole list
   * read once for the three pages.
   */
  @Test
  void aCycleGoesThroughTheRequestsInFlightAPageAtATimeReadingTheListOnce() {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(ambiguousCreate("Paged " + i));
    }
    long lists = simulator.requests(LIST);

    // polled until a cycle runs (an earlier test's pause may still hold it back for up to 1 s)
    pollUntil(() -> simulator.requests(LIST) > lists);

    assertThat(ids).allMatch(id -> Db.saga(id).state() == SagaState.PROVISIONING);
    assertThat(simulator.requests(LIST) - lists)
        .as("the size look and one whole list for three pages")
        .isLessThanOrEqualTo(2);
  }
}
